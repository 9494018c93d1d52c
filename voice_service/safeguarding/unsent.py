"""Safeguarding notices that are not leaving: the one failure that must never be silent.

Every duty notice, reminder, escalation and update is a row in the outbox that only the dispatcher
(`voice-service scheduler`) sends. With the web server up and no scheduler running (never started,
or crashed), an alert is raised, its notices are queued, and nobody is told. So /healthz, the
dashboard's home and alerts pages and `alerts list` all ask the same question here: has any
safeguarding notice been due for longer than `[safeguarding] unsent_notice_minutes`?

A scheduler that is not running is seen before an alert needs it, too: the scheduler writes a
heartbeat (`scheduler.heartbeat`, one row) on each pass of its loop, and the same places say so
when it is older than `[safeguarding] scheduler_silent_minutes`, or when there is none (the
scheduler has never run on this database): `scheduler_silence`.

A notice counts from when it fell due (`not_before`, the time the alert or reminder queued it). One
the dispatcher has already tried and is retrying (the provider is failing) counts from when it was
queued, so a notice that keeps failing is reported too, not hidden by each retry's later due time.

Plain counts, no message text and no destination: safe for a health check anyone can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from ..dates import local, uk_day_time, uk_duration
from ..models import OutboxKind, OutboxMessage, OutboxStatus, SchedulerHeartbeat, as_utc
from ..models.heartbeat import HEARTBEAT_ID

WAITING = (OutboxStatus.PENDING, OutboxStatus.SENDING)
# The command that sends them, as staff are told it (the config file is given as for any other command).
SCHEDULER_COMMAND = "voice-service scheduler"


@dataclass(frozen=True)
class Unsent:
    """`count` safeguarding notices due for more than `after_minutes`; `oldest`: when the first fell due."""

    count: int
    oldest: datetime | None
    after_minutes: int

    def __bool__(self) -> bool:
        return self.count > 0

    def minutes(self, now: datetime) -> int:
        """Whole minutes the oldest has waited (0 when none waits)."""
        if self.oldest is None:
            return 0
        return max(0, int((now - self.oldest) // timedelta(minutes=1)))

    def health(self, now: datetime) -> dict[str, int]:
        """For /healthz: how many, and how long the oldest has waited, in minutes."""
        return {"unsent": self.count, "oldest_minutes": self.minutes(now), "after_minutes": self.after_minutes}

    def summary(self, now: datetime) -> str:
        """E.g. "Safeguarding notices are not being sent: 2 notices to the duty team have waited more than
        2 minutes (the oldest 14 min)." ("" when none waits); a long wait reads at a glance, as the duty pages
        write it (`uk_duration`: "the oldest 3 days", "the oldest 1 year")."""
        if not self.count:
            return ""
        many = self.count != 1
        return (
            f"Safeguarding notices are not being sent: {self.count} notice{'s' if many else ''} to the duty team "
            f"{'have' if many else 'has'} waited more than {self.after_minutes} minute"
            f"{'' if self.after_minutes == 1 else 's'} (the oldest {uk_duration(self.minutes(now))})."
        )

    def words(self, now: datetime) -> str:
        """`summary` and what to do, in one line for the command line ("" when none waits)."""
        if not self.count:
            return ""
        return f"{self.summary(now)} {ASK} `{SCHEDULER_COMMAND}` {THEN}"


# What staff are told to do about it, around the command (the dashboard sets the command in code).
ASK = "Is the scheduler running? Start it on the server with"
THEN = (
    "(with the same --config as the web server); if it is running, its log says why sending fails. "
    "Until notices go, nobody is told of a new alert: keep checking the alerts page."
)


def unsent_notices(*, session: Session, now: datetime, after_minutes: int) -> Unsent:
    """Safeguarding notices (every `OutboxKind.ALERTS` kind) still waiting to be sent more than
    `after_minutes` after they fell due, at `now`."""
    cutoff = now - timedelta(minutes=after_minutes)
    rows = session.exec(
        select(col(OutboxMessage.not_before), col(OutboxMessage.created_at), col(OutboxMessage.attempts)).where(
            col(OutboxMessage.status).in_(WAITING),
            col(OutboxMessage.kind).in_(OutboxKind.ALERTS),
            or_(col(OutboxMessage.not_before) <= cutoff, col(OutboxMessage.created_at) <= cutoff),
        )
    ).all()
    waiting = []
    for not_before, created_at, attempts in rows:
        due = as_utc(not_before)
        # Tried already (and backing off): waiting since it was queued, or since it fell due if earlier.
        since = min(due, as_utc(created_at)) if attempts else due
        if since < cutoff:
            waiting.append(since)
    return Unsent(count=len(waiting), oldest=min(waiting, default=None), after_minutes=after_minutes)


@dataclass(frozen=True)
class Silence:
    """The scheduler's last heartbeat (`last`, None if it has never run here) and whether it is older than
    `after_minutes` (`silent`)."""

    last: datetime | None
    after_minutes: int
    silent: bool

    def __bool__(self) -> bool:
        return self.silent

    def minutes(self, now: datetime) -> int | None:
        """Whole minutes since the last heartbeat (None when there has been none)."""
        if self.last is None:
            return None
        return max(0, int((now - self.last) // timedelta(minutes=1)))

    def health(self, now: datetime) -> dict[str, int | None]:
        """For /healthz: minutes since the scheduler last ran (None: never), and the limit."""
        return {"last_run_minutes": self.minutes(now), "after_minutes": self.after_minutes}

    def summary(self, now: datetime, timezone: str) -> str:
        """E.g. "The scheduler has not run since 14:05 (23 min ago): no duty notice, escalation, round text
        or reply is being sent." ("" when it has run lately). Before today it names the day, with its year when
        that is not this year ("since Tue 1 Dec 2026 14:02 (1 year ago)"), and the wait reads at a glance."""
        if not self.silent:
            return ""
        what = "no duty notice, escalation, round text or reply is being sent."
        if self.last is None:
            return f"The scheduler has never run on this database: {what}"
        same_day = local(self.last, timezone).date() == local(now, timezone).date()
        since = f"{local(self.last, timezone):%H:%M}" if same_day else uk_day_time(self.last, timezone, now=now)
        return f"The scheduler has not run since {since} ({uk_duration(self.minutes(now) or 0)} ago): {what}"

    def words(self, now: datetime, timezone: str) -> str:
        """`summary` and what to do, in one line for the command line ("" when it has run lately)."""
        if not self.silent:
            return ""
        return f"{self.summary(now, timezone)} {ASK} `{SCHEDULER_COMMAND}` {THEN}"


def scheduler_silence(*, session: Session, now: datetime, after_minutes: int) -> Silence:
    """Whether the scheduler's heartbeat is older than `after_minutes` at `now` (or missing)."""
    row = session.get(SchedulerHeartbeat, HEARTBEAT_ID)
    last = as_utc(row.beat_at) if row is not None else None
    silent = last is None or now - last > timedelta(minutes=after_minutes)
    return Silence(last=last, after_minutes=after_minutes, silent=silent)
