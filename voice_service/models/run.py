"""Runs: one participant working through one survey version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint, true
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class RunStatus:
    """Named run states, the same words as the engine's `RunState.status` (its one type)."""

    INVITED = "invited"
    ACTIVE = "active"
    PAUSED = "paused"  # after a disclosure: nothing is asked until they choose to carry on
    FINISHED = "finished"
    STOPPED = "stopped"
    CLOSED = "closed"
    RUNNING = (INVITED, ACTIVE)  # something is being asked: reminders go to these only
    WAITING = (INVITED, ACTIVE, PAUSED)  # not ended: the run their next message belongs to
    ALL = (INVITED, ACTIVE, PAUSED, FINISHED, STOPPED, CLOSED)


# Half of each page of the run table is left free for the updated versions of its runs (PostgreSQL's fillfactor).
RUN_FILLFACTOR = 50


class Run(SQLModel, table=True):
    """A participant's progress through one survey; a run that is not waiting has an end time."""

    __table_args__ = (
        UniqueConstraint("round_id", "participant_id", name="uq_run_round_participant"),
        CheckConstraint(
            "status IN ('invited', 'active', 'paused', 'finished', 'stopped', 'closed')", name="ck_run_status"
        ),
        CheckConstraint("status IN ('invited', 'active', 'paused') OR ended_at IS NOT NULL", name="ck_run_ended_at"),
        # A run is updated at every answer, and no updated column is indexed: with room left in its page, the new
        # version goes in beside the old (a HOT update) and no index is written (migration 0017). Runs by round
        # are found through uq_run_round_participant, which leads with round_id.
        {"postgresql_with": {"fillfactor": RUN_FILLFACTOR}},
    )

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    round_id: int | None = Field(default=None, foreign_key="round.id")
    survey_version_id: int = Field(foreign_key="surveyversion.id")
    channel: str = Field(default="sms", max_length=10)
    status: str = Field(default=RunStatus.INVITED, max_length=10)
    current_question: str | None = Field(default=None, max_length=64)
    reasked: bool = False
    # False only while paused at a question not yet sent (see engine.types.RunState.asked).
    current_asked: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    language: str = Field(default="en", max_length=5)
    # What a stopped run was doing when they said STOP (invited, active or paused): opting back in offers
    # the survey again only when it was not paused after a disclosure (engine.conversation.can_reopen).
    stopped_from: str | None = Field(default=None, max_length=10)
    # The age band they are counted in, as on the day the round opened (`participants.groups.band_on`), kept when
    # the run is made so a round's summary reads the same after retention has removed their date of birth
    # (migration 0019). None while nothing is known of their age: it is then read from them when counted.
    age_band: str | None = Field(default=None, max_length=10)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
