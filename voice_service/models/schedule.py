"""Recurring feedback rounds: a survey, a cohort and a cadence, and the rounds each occurrence launched."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class RoundSchedule(SQLModel, table=True):
    """A round launched on a cadence ("every 3 months on the first Tuesday" or a crontab line).

    `next_run_at` is the next occurrence the scheduler will launch; an inactive schedule launches nothing.
    """

    __table_args__ = (CheckConstraint("open_days >= 1", name="ck_roundschedule_open_days"),)

    id: int | None = Field(default=None, primary_key=True)
    survey_id: str = Field(max_length=64)
    cohort: dict = Field(default_factory=dict, sa_type=JSON)
    cadence: str = Field(max_length=120)
    open_days: int = 14
    active: bool = True
    next_run_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_run_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ScheduledLaunch(SQLModel, table=True):
    """One occurrence of a schedule and the round it launched; unique, so an occurrence never fires twice."""

    __table_args__ = (UniqueConstraint("schedule_id", "occurrence_at", name="uq_scheduledlaunch_occurrence"),)

    id: int | None = Field(default=None, primary_key=True)
    schedule_id: int = Field(foreign_key="roundschedule.id", index=True)
    occurrence_at: datetime = Field(sa_type=UTCDateTime)
    round_id: int | None = Field(default=None, foreign_key="round.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
