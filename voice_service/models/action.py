"""Actions: what the council did, or will do, about what young people said ("You said, we did")."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import CheckConstraint, Text
from sqlmodel import Field, SQLModel

from ..dates import uk_date
from .base import UTCDateTime, utcnow


class ActionStatus:
    """Named action states, as the command line spells them."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ALL = (PLANNED, IN_PROGRESS, DONE)


# The longest each free-text field may be, in characters: the one home of each limit, read by the form's maxlength,
# the server's check and `voice-service action add|update`. "You said" is a sentence and "We did" a short paragraph:
# both are printed in full on the actions page, the round's summary (a panel paper) and the young people's page
# (new-user trial: a "You said" of 20,000 characters was kept and printed whole). The owner is the column's width.
SAID_MAX = 500
DID_MAX = 1000
OWNER_MAX = 120
TEXT_LIMITS = {"said": SAID_MAX, "did": DID_MAX, "owner": OWNER_MAX}
# How long ago an action not yet done may have been due: an overdue one is kept as it is, one due a year and more
# before today is a slip of the year (new-user trial: "due 1 January 1990" was saved as planned).
OVERDUE_AT_MOST = timedelta(days=365)


class ActionBase(SQLModel):
    """Fields a participation worker writes: what was said, what the council did, who owns it."""

    round_id: int = Field(foreign_key="round.id", index=True)
    pledge: int | None = None
    message: int | None = None  # a top-ten message number
    theme: str | None = Field(default=None, max_length=40)
    said: str = Field(sa_type=Text)
    did: str = Field(sa_type=Text)
    owner: str | None = Field(default=None, max_length=OWNER_MAX)
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


def too_long(name: str, text: str, label: str) -> str:
    """Why a free-text field (`name`: "said", "did" or "owner") is too long to keep, in a worker's words, or ""."""
    limit = TEXT_LIMITS[name]
    if len(text) <= limit:
        return ""
    return f"{label} must be {limit:,} characters or fewer (it has {len(text):,})"


def due_date_problem(due_on: date | None, *, status: str, round_id: int, round_opened: date, today: date) -> str:
    """Why the due date of an action not yet done cannot be right, or "": before its round opened (it answers what
    young people said in that round), or more than a year before `today` (the council's day). A done action may
    have been due at any time."""
    if due_on is None or status == ActionStatus.DONE:
        return ""
    if due_on < round_opened:
        return (
            f"The due date must not be before round {round_id} opened on {uk_date(round_opened)}: "
            "the action answers what young people said in it"
        )
    if due_on < today - OVERDUE_AT_MOST:
        return (
            f"The due date is more than a year ago: check the year (an action that is planned or in progress "
            f"must be due after {uk_date(today - OVERDUE_AT_MOST)})"
        )
    return ""
