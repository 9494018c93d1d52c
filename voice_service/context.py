"""What the service needs at run time, built once per process from configuration (the bootstrap).

`Services.from_config(config)` is called once by each entry point (the command line, the web
app factory, the scheduler) and passed down; nothing below reads configuration from globals or
the environment. Analysis is handed `services.conversations_dir` rather than finding it itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sqlalchemy.engine import Engine

from .config import REPO_CONVERSATIONS, Config
from .db import make_engine
from .privacy import PhoneVault
from .surveys.model import Catalogue, Survey

__all__ = ["REPO_CONVERSATIONS", "Services"]


@dataclass(frozen=True)
class Services:
    """Configuration, database engine, the conversations folder, phone vault and loaded surveys."""

    config: Config
    engine: Engine

    @classmethod
    def from_config(cls, config: Config, *, engine: Engine | None = None) -> Services:
        """Build from configuration; the engine is made from `[database] url` unless given."""
        return cls(config=config, engine=engine or make_engine(config.database.url))

    @property
    def conversations_dir(self) -> Path:
        """Surveys, pledges and the analysis vocabularies: `[conversations] path`, else the shipped folder."""
        return self.config.conversations.folder

    @cached_property
    def vault(self) -> PhoneVault:
        """Encrypts and hashes phone numbers (made on first use: commands without numbers need no key)."""
        return PhoneVault.from_config(self.config)

    @cached_property
    def catalogue(self) -> Catalogue:
        """Surveys, pledges and top-ten messages from the conversations folder."""
        from .surveys.loader import load_catalogue

        return load_catalogue(self.conversations_dir)

    def survey_source(self, survey_id: str) -> tuple[Survey, str]:
        """A loaded survey and the text of its file, for storing a pinned version."""
        survey = self.catalogue.surveys.get(survey_id)
        if survey is None:
            known = ", ".join(sorted(self.catalogue.surveys)) or "none"
            raise LookupError(f"no survey with id {survey_id!r} (loaded: {known})")
        # Bytes decoded as-is (no newline translation), so the stored copy hashes to the same version.
        return survey, Path(survey.source).read_bytes().decode("utf-8")
