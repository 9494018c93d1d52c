"""The scheduler's heartbeat: on each pass of its loop, `voice-service scheduler` writes the time to one row.

/healthz, the dashboard's duty pages and `alerts list` read it (`safeguarding.unsent.scheduler_silence`):
older than `[safeguarding] scheduler_silent_minutes`, or missing, and nothing is sending the duty
team's notices, escalations, rounds or replies, which must be seen before an alert needs them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import insert, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..db import session_scope
from ..models import SchedulerHeartbeat
from ..models.heartbeat import HEARTBEAT_ID

log = logging.getLogger(__name__)


def record_heartbeat(engine: Engine, now: datetime) -> None:
    """The scheduler ran at `now`: one row, updated (inserted the first time)."""
    table = SchedulerHeartbeat.__table__  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        changed = session.execute(update(table).where(table.c.id == HEARTBEAT_ID).values(beat_at=now))
        if changed.rowcount:  # type: ignore[attr-defined]
            return
    try:
        with session_scope(engine) as session:
            session.execute(insert(table).values(id=HEARTBEAT_ID, beat_at=now))
    except IntegrityError:  # written meanwhile (a scheduler just stopping, say): it is there now
        record_heartbeat(engine, now)


class Heartbeat:
    """Writes the heartbeat at most once every `every_seconds` of `now`'s clock; a failure is logged, never
    raised (the scheduler carries on, and the heartbeat going stale says something is wrong)."""

    def __init__(self, engine: Engine, *, now: Callable[[], datetime], every_seconds: float):
        self.engine = engine
        self.now = now
        self.every_seconds = every_seconds
        self._last: datetime | None = None

    def beat(self) -> None:
        """Write the heartbeat, unless it was written less than `every_seconds` ago."""
        now = self.now()
        if self._last is not None and 0 <= (now - self._last).total_seconds() < self.every_seconds:
            return
        try:
            record_heartbeat(self.engine, now)
        except SQLAlchemyError as error:
            log.warning("could not write the scheduler's heartbeat (%s); trying again next pass", type(error).__name__)
            return
        self._last = now
