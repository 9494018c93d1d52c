"""What the service needs at run time, built once per process from configuration."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sqlalchemy.engine import Engine

from .config import Config
from .db import make_engine
from .privacy import PhoneVault
from .surveys.model import Catalogue

REPO_CONVERSATIONS = Path(__file__).resolve().parent.parent / "conversations"


def conversations_dir(config: Config) -> Path:
    """Where surveys, pledges and the theme lexicon live: `[conversations] path`, else the shipped folder."""
    return Path(config.conversations.path) if config.conversations.path else REPO_CONVERSATIONS


@dataclass
class Services:
    """Configuration, database engine, phone vault and loaded conversations, shared by every request."""

    config: Config
    engine: Engine

    @classmethod
    def from_config(cls, config: Config, *, engine: Engine | None = None) -> Services:
        """Build from configuration; the engine is made from `[database] url` unless given."""
        services = cls(config=config, engine=engine or make_engine(config.database.url))
        # The analysis lexicon is found through this variable, so point it at the same folder.
        os.environ.setdefault("VOICE_CONVERSATIONS_DIR", str(conversations_dir(config)))
        return services

    @cached_property
    def vault(self) -> PhoneVault:
        """Encrypts and hashes phone numbers."""
        return PhoneVault.from_config(self.config)

    @cached_property
    def catalogue(self) -> Catalogue:
        """Surveys, pledges and top-ten messages from `conversations/`."""
        from .surveys.loader import load_catalogue

        return load_catalogue(conversations_dir(self.config))

    def survey_source(self, survey_id: str) -> tuple:
        """A loaded survey and the text of its file, for storing a pinned version."""
        survey = self.catalogue.surveys.get(survey_id)
        if survey is None:
            known = ", ".join(sorted(self.catalogue.surveys)) or "none"
            raise LookupError(f"no survey with id {survey_id!r} (loaded: {known})")
        # Bytes decoded as-is (no newline translation), so the stored copy hashes to the same version.
        return survey, Path(survey.source).read_bytes().decode("utf-8")
