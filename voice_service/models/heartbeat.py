"""The scheduler's heartbeat: one row, the time `voice-service scheduler` last went round its loop."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from .base import UTCDateTime

HEARTBEAT_ID = 1  # the one row


class SchedulerHeartbeat(SQLModel, table=True):
    """When the scheduler last went round its loop (`scheduler.heartbeat`); read by /healthz, the dashboard and
    `alerts list` (`safeguarding.unsent.scheduler_silence`). Never more than one row."""

    __table_args__ = (CheckConstraint("id = 1", name="ck_schedulerheartbeat_one_row"),)

    id: int = Field(default=HEARTBEAT_ID, primary_key=True)
    beat_at: datetime = Field(sa_type=UTCDateTime)
