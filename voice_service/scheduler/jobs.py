"""The scheduler's jobs. Each is a plain function of the services and a time, so tests drive them with a
controlled clock. APScheduler stores only a job's name and trigger; the runner's executor hands each job
this process's services when it runs it (`runner.ServicesExecutor`), so no job reads a global."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..db import session_scope
from ..models import utcnow
from ..privacy.retention import PurgeReport, purge_expired
from ..privacy.storage import checkpoint
from ..rounds.reminders import queue_reminders
from ..rounds.schedule import due_rounds, run_due_schedules
from ..safeguarding.alerts import escalate_overdue, renotify_overdue
from ..summary.loop import close_and_tell

if TYPE_CHECKING:
    from ..context import Services

log = logging.getLogger(__name__)


def launch_scheduled_rounds(services: Services, now: datetime | None = None) -> list[int]:
    """Launch the recurring rounds that have fallen due."""
    grace = timedelta(minutes=services.config.schedule.misfire_grace_minutes)
    result = run_due_schedules(services=services, now=now, grace=grace)
    if result.launched or result.skipped:
        log.info("scheduled rounds: %s launched, %s skipped as too late", len(result.launched), result.skipped)
    return result.launched


def close_rounds(services: Services, now: datetime | None = None) -> list[int]:
    """Close the rounds whose closing time has passed, the same way `round close` does: young people
    who took part are thanked once, and the panel gets its summary (`summary.loop.close_and_tell`)."""
    now = now or utcnow()
    with session_scope(services.engine) as session:
        due = due_rounds(session=session, now=now)
    closed = []
    for round_id in due:  # each in its own transaction: one failing round does not hold back the rest
        try:
            close_and_tell(services, round_id, now=now)
        except Exception as exc:
            log.error("round %s: could not be closed (%s)", round_id, type(exc).__name__)
            continue
        closed.append(round_id)
    if closed:
        log.info("closed %s round(s) past their closing date", len(closed))
    return closed


def send_reminders(services: Services, now: datetime | None = None) -> int:
    """Queue the reminders that are due."""
    schedule = services.config.schedule
    with session_scope(services.engine) as session:
        report = queue_reminders(
            session=session,
            vault=services.vault,
            after_days=schedule.reminder_after_days,
            max_reminders=schedule.max_reminders,
            now=now,
        )
    if report.queued or report.held_back:
        log.info("queued %s reminder(s); %s held back with an open safeguarding alert", report.queued, report.held_back)
    return report.queued


def renotify_alerts(services: Services, now: datetime | None = None) -> int:
    """Notify the duty team again about every open alert not acknowledged within renotify_minutes."""
    with session_scope(services.engine) as session:
        done = renotify_overdue(session=session, vault=services.vault, config=services.config, now=now or utcnow())
    if done:
        log.warning("re-notified the duty team about %s unacknowledged alert(s)", len(done))
    return len(done)


def escalate_alerts(services: Services, now: datetime | None = None) -> int:
    """Escalate every alert still unacknowledged escalate_after_minutes after it was raised, or when the duty desk
    shuts (`escalate_overdue`)."""
    with session_scope(services.engine) as session:
        done = escalate_overdue(session=session, vault=services.vault, config=services.config, now=now or utcnow())
    if done:
        log.warning("escalated %s unacknowledged alert(s)", len(done))
    return len(done)


def purge_old_data(services: Services, now: datetime | None = None) -> PurgeReport:
    """Apply the retention period (`[privacy] retention_days`, rules in `privacy.retention`)."""
    with session_scope(services.engine) as session:
        result = purge_expired(
            session=session, retention_days=services.config.privacy.retention_days, now=now or utcnow()
        )
    checkpoint(services.engine)  # on SQLite, the deleted text must not linger in the write-ahead log
    log.info("retention purge done: %s", result)
    return result


def replay_spool(services: Services, now: datetime | None = None) -> int:
    """Store the messages the web workers spooled while the database was unavailable."""
    from ..spool.replay import replay

    return replay(services).stored
