"""What the service needs at run time, built once per process from configuration (the bootstrap).

`Services.from_config(config)` is called once by each entry point (the command line, the web
app factory, the scheduler) and passed down; nothing below reads configuration from globals or
the environment. Analysis is handed `services.conversations_dir` rather than finding it itself.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy.engine import Engine

from .config import REPO_CONVERSATIONS, Config
from .db import make_engine
from .privacy import PhoneVault
from .surveys.model import Catalogue, Survey

__all__ = ["REPO_CONVERSATIONS", "Services"]

log = logging.getLogger(__name__)

# How often, at most, the conversations folder is looked at again for changed survey files (a few stat calls).
CATALOGUE_RECHECK_SECONDS = 2.0


class _Folder:
    """The catalogue as last read from the conversations folder, read again when a file in it has changed (a survey
    edited, added or removed while the service runs: what a worker reads on the Surveys pages is what is launched).
    Looked at no more than every CATALOGUE_RECHECK_SECONDS, so a text's path pays one clock reading."""

    def __init__(self) -> None:
        self.catalogue: Catalogue | None = None
        self.stamp: tuple = ()
        self.broken: tuple = ()  # the stamp of files last found to have a problem: not read, nor logged, again
        self.checked = float("-inf")
        self.lock = threading.Lock()

    def get(self, directory: Path, *, fresh: bool = False, clock: Callable[[], float] = time.monotonic) -> Catalogue:
        """The catalogue; `fresh`: read again now if anything changed, and raise SurveyError if the folder has a
        problem now (a launch must send what the files say). Otherwise a change the folder cannot be read after
        keeps the catalogue last read, and says so in the log (the Surveys pages name the problem)."""
        from .surveys.loader import SurveyError, folder_stamp, load_catalogue

        now = clock()
        if self.catalogue is not None and not fresh and now - self.checked < CATALOGUE_RECHECK_SECONDS:
            return self.catalogue
        with self.lock:
            stamp = folder_stamp(directory)
            self.checked = now
            if self.catalogue is not None and (stamp == self.stamp or (stamp == self.broken and not fresh)):
                return self.catalogue
            try:
                catalogue = load_catalogue(directory)
            except SurveyError:
                if fresh or self.catalogue is None:
                    raise
                self.broken = stamp  # once per change, not every CATALOGUE_RECHECK_SECONDS while it stays broken
                log.warning("the survey files changed and have a problem now; the surveys read before stay in use")
                return self.catalogue
            self.catalogue, self.stamp = catalogue, stamp
            return catalogue


@dataclass(frozen=True)
class Services:
    """Configuration, database engine, the conversations folder, phone vault and loaded surveys."""

    config: Config
    engine: Engine
    _folder: _Folder = field(default_factory=_Folder, init=False, repr=False, compare=False)

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

    @property
    def catalogue(self) -> Catalogue:
        """Surveys, pledges and top-ten messages from the conversations folder, as its files are now (read again
        after a change: `_Folder`)."""
        return self._folder.get(self.conversations_dir)

    def survey_source(self, survey_id: str) -> tuple[Survey, str]:
        """A survey as its file says now, and the text of that file, for storing a pinned version: a survey edited
        or added since this process started is launched as the Surveys pages show it, never as it was (a trial
        launched an edited survey's old invitation, and a new survey was "not loaded"). LookupError when there is
        no such survey, or the folder cannot be read now (naming the problem)."""
        from .surveys.loader import SurveyError

        try:
            catalogue = self._folder.get(self.conversations_dir, fresh=True)
        except SurveyError as exc:
            raise LookupError(
                f"the survey files have a problem, so nothing can be launched until it is fixed: {exc}"
            ) from exc
        survey = catalogue.surveys.get(survey_id)
        if survey is None:
            known = ", ".join(sorted(catalogue.surveys)) or "none"
            raise LookupError(f"no survey with id {survey_id!r} (loaded: {known})")
        # Bytes decoded as-is (no newline translation), so the stored copy hashes to the same version.
        return survey, Path(survey.source).read_bytes().decode("utf-8")
