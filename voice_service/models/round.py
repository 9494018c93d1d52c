"""Feedback rounds: one survey version sent to a cohort between two dates."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

from sqlalchemy import JSON, CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class RoundStatus:
    """Named round states."""

    OPEN = "open"
    CLOSED = "closed"
    ALL = (OPEN, CLOSED)


def new_public_token() -> str:
    """A short, unguessable link for the round's young people's page (72 random bits, 12 characters)."""
    return secrets.token_urlsafe(9)


class Round(SQLModel, table=True):
    """A feedback round; a closed round has a closed time."""

    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="ck_round_status"),
        CheckConstraint("status = 'open' OR closed_at IS NOT NULL", name="ck_round_closed_at"),
        UniqueConstraint("public_token", name="uq_round_public_token"),
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
    # `/r/<public_token>`: the young people's "You said, we did" page, no sign-in needed.
    public_token: str | None = Field(default_factory=new_public_token, max_length=16)

    def opened_on(self) -> date:
        """The day it opened, in UTC: the day its young people's ages are counted on (`Run.age_band`)."""
        return self.opens_at.astimezone(UTC).date()
