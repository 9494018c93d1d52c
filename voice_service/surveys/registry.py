"""Surveys in the database: each loaded version stored once, so a run can be pinned to it."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select
from sqlmodel import Session

from ..models import SurveyVersion
from .loader import parse_survey
from .model import Survey


def store_version(*, session: Session, survey: Survey, source: str) -> SurveyVersion:
    """Return the stored row for this exact survey version, adding it the first time."""
    row = (
        session.exec(
            select(SurveyVersion).where(SurveyVersion.survey_id == survey.id, SurveyVersion.version == survey.version)
        )
        .scalars()
        .first()
    )
    if row is None:
        row = SurveyVersion(survey_id=survey.id, version=survey.version, title=survey.title, source=source)
        session.add(row)
        session.flush()
    return row


@lru_cache(maxsize=256)
def parse_stored(source: str, name: str) -> Survey:
    """A stored survey source parsed once per process (the text fixes the version, so caching by it is safe)."""
    return parse_survey(source.encode("utf-8"), name)


def pinned_survey(row: SurveyVersion) -> Survey:
    """The survey exactly as it was when this version was stored (parsed once per process)."""
    return parse_stored(row.source, f"{row.survey_id}@{row.version}")
