"""Actions: what the council did, or will do, about what young people said ("You said, we did")."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Text
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class ActionStatus:
    """Named action states, as the command line spells them."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ALL = (PLANNED, IN_PROGRESS, DONE)


class ActionBase(SQLModel):
    """Fields a participation worker writes: what was said, what the council did, who owns it."""

    round_id: int = Field(foreign_key="round.id", index=True)
    pledge: int | None = None
    message: int | None = None  # a top-ten message number
    theme: str | None = Field(default=None, max_length=40)
    said: str = Field(sa_type=Text)
    did: str = Field(sa_type=Text)
    owner: str | None = Field(default=None, max_length=120)
    status: str = Field(default=ActionStatus.PLANNED, max_length=12)
    due_on: date | None = None


class Action(ActionBase, table=True):
    """A "we did / we will" record; a done action has a done time, and every action is about something."""

    __table_args__ = (
        CheckConstraint("status IN ('planned', 'in_progress', 'done')", name="ck_action_status"),
        CheckConstraint("status <> 'done' OR done_at IS NOT NULL", name="ck_action_done_at"),
        CheckConstraint("pledge IS NOT NULL OR message IS NOT NULL OR theme IS NOT NULL", name="ck_action_about"),
    )

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ActionPublic(ActionBase):
    """An action as shown in lists and exports."""

    id: int
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None
