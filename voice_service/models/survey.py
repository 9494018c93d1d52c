"""Survey versions as loaded, so every run can be pinned to the exact text it started on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class SurveyVersion(SQLModel, table=True):
    """One version of a survey file: its id, content hash and the TOML source it was built from."""

    __table_args__ = (UniqueConstraint("survey_id", "version", name="uq_survey_version"),)

    id: int | None = Field(default=None, primary_key=True)
    survey_id: str = Field(index=True, max_length=64)
    version: str = Field(max_length=64)
    title: str = Field(max_length=200)
    source: str = Field(sa_type=Text)
    loaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
