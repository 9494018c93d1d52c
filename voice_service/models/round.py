"""Feedback rounds: one survey version sent to a cohort between two dates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class RoundStatus:
    """Named round states."""

    OPEN = "open"
    CLOSED = "closed"
    ALL = (OPEN, CLOSED)


class Round(SQLModel, table=True):
    """A feedback round; a closed round has a closed time."""

    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="ck_round_status"),
        CheckConstraint("status = 'open' OR closed_at IS NOT NULL", name="ck_round_closed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    survey_id: str = Field(index=True, max_length=64)
    survey_version_id: int = Field(foreign_key="surveyversion.id")
    status: str = Field(default=RoundStatus.OPEN, max_length=10)
    cohort: dict = Field(default_factory=dict, sa_type=JSON)
    opens_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closes_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
