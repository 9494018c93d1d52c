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

When the scheduler is sending and one route fails (a dead `webhook_url`, a refused SMTP login) while the
others go, the warning says so: which route fails, how many times and with what kind of error, and which
routes are going ("the webhook notice has failed 4 times (webhook URLError) ...; text and email notices are
going"), and asks the council to fix that route, not whether the scheduler is running (trial 13, T13-6). It
asks that only when the scheduler's heartbeat is stale, or a notice has not been tried at all (which a running
dispatcher does within seconds).

Plain counts, channel names and the senders' error kinds (which never carry an address), no message text
and no destination: safe for a health check anyone can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select as core_select
from sqlmodel import Session, col, or_

from ..dates import local, uk_day_time, uk_duration
from ..models import OutboxKind, OutboxMessage, OutboxStatus, SchedulerHeartbeat, as_utc
from ..models.heartbeat import HEARTBEAT_ID
from .alerts import CHANNEL_WORDS, and_list

WAITING = (OutboxStatus.PENDING, OutboxStatus.SENDING)
# The command that sends them, as staff are told it (the config file is given as for any other command).
SCHEDULER_COMMAND = "voice-service scheduler"
# Where each channel's routes are set, for the council told which one to fix.
CHANNEL_SETTINGS = {
    "sms": "[safeguarding] duty_phones and escalation_phones, and [twilio]",
    "email": "[safeguarding] duty_emails and escalation_emails, and [smtp]",
    "webhook": "[safeguarding] webhook_url, and the service behind it",
}


@dataclass(frozen=True)
class Failing:
    """One channel's notices the dispatcher has tried and is retrying: how many wait, the most tries of any, and
    the last error of that one (the sender's short kind of error, e.g. "webhook URLError": never an address)."""

    channel: str
    count: int
    attempts: int
    error: str

    def words(self) -> str:
        """E.g. "the webhook notice has failed 4 times (webhook URLError)", "the 2 text notices have failed up to 3
        times (twilio 401 20003)"."""
        times = "once" if self.attempts == 1 else f"{self.attempts} times"
        if self.count != 1:
            times = f"up to {times}"
        word = CHANNEL_WORDS.get(self.channel, self.channel)
        what = f"the {word} notice" if self.count == 1 else f"the {self.count} {word} notices"
        return f"{what} {'have' if self.count != 1 else 'has'} failed {times} ({self.error or 'no reason given'})"


def _channels(channels: tuple[str, ...]) -> str:
    """ "text", "text and email", "text, email and webhook"."""
    return and_list([CHANNEL_WORDS.get(channel, channel) for channel in channels])


@dataclass(frozen=True)
class Unsent:
    """`count` safeguarding notices due for more than `after_minutes`; `oldest`: when the first fell due.
    `failing`: of those, by channel, the ones the dispatcher has tried and is retrying; `untried`: how many
    have not been tried at all; `working`: the channels (not failing) by which a notice has gone since `oldest`."""

    count: int
    oldest: datetime | None
    after_minutes: int
    failing: tuple[Failing, ...] = ()
    untried: int = 0
    working: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.count > 0

    def minutes(self, now: datetime) -> int:
        """Whole minutes the oldest has waited (0 when none waits)."""
        if self.oldest is None:
            return 0
        return max(0, int((now - self.oldest) // timedelta(minutes=1)))

    def health(self, now: datetime) -> dict[str, object]:
        """For /healthz: how many, and how long the oldest has waited, in minutes; while some wait, how many have
        not been tried, the failing channels (how many wait, the most tries, the kind of error) and the channels
        that are going."""
        health: dict[str, object] = {
            "unsent": self.count,
            "oldest_minutes": self.minutes(now),
            "after_minutes": self.after_minutes,
        }
        if self.count:
            health["untried"] = self.untried
            health["failing"] = {
                each.channel: {"waiting": each.count, "attempts": each.attempts, "error": each.error}
                for each in self.failing
            }
            health["working"] = list(self.working)
        return health

    @property
    def title(self) -> str:
        """The banner's heading: "Some notices are not being sent" while a route fails and another is going."""
        return "Some notices are not being sent" if self.failing and self.working else "Notices are not being sent"

    def summary(self, now: datetime) -> str:
        """E.g. "Safeguarding notices are not being sent: 2 notices to the duty team have waited more than
        2 minutes (the oldest 14 min)." ("" when none waits); a long wait reads at a glance, as the duty pages
        write it (`uk_duration`: "the oldest 3 days", "the oldest 1 year"). With a route failing, which one, how
        and which are going: "Safeguarding notices are not all being sent: the 4 webhook notices have failed up to 4
        times (webhook URLError); 4 notices have waited more than 2 minutes (the oldest 14 min); text and email
        notices are going." """
        if not self.count:
            return ""
        many = self.count != 1
        waited = (
            f"{self.count} notice{'s' if many else ''} to the duty team {'have' if many else 'has'} waited more than "
            f"{self.after_minutes} minute{'' if self.after_minutes == 1 else 's'} "
            f"(the oldest {uk_duration(self.minutes(now))})"
        )
        if not self.failing:
            return f"Safeguarding notices are not being sent: {waited}."
        parts = [each.words() for each in self.failing]
        if self.untried:
            parts.append(f"{self.untried} not tried yet")
        parts.append(waited)
        if self.working:
            going = f"{_channels(self.working)} notices are going"
        else:
            going = "no notice has gone by any other route meanwhile"
        opening = "not all being sent" if self.working else "not being sent"
        return f"Safeguarding notices are {opening}: {'; '.join(parts)}; {going}."

    def asks_for_scheduler(self, *, scheduler_running: bool) -> bool:
        """Whether to ask if the scheduler is running: when its heartbeat is stale, or a notice has waited past
        the limit without being tried at all (a running dispatcher tries one within seconds: the heartbeat may
        simply not be stale yet). Not when the scheduler runs and every notice waiting has been tried: then it
        is a route that fails (`advice`)."""
        return not scheduler_running or self.untried > 0

    def advice(self, *, scheduler_running: bool) -> str:
        """What to do, when not asking about the scheduler (`asks_for_scheduler`): fix the failing route (the
        scheduler's log says why it fails); and, when no route is going, that nobody is told meanwhile."""
        settings = "; ".join(CHANNEL_SETTINGS.get(each.channel, each.channel) for each in self.failing)
        said = (
            f"Check {settings}; the scheduler's log says each failure. Once a setting is corrected, restart "
            "the web server and the scheduler: the notices waiting then go to the route as it is configured "
            "(one taken out of the settings stops, and its alert says so)."
        )
        return said if self.working else f"{said} {NOBODY_TOLD}"

    def words(self, now: datetime, *, scheduler_running: bool = False) -> str:
        """`summary` and what to do, in one line for the command line ("" when none waits); `scheduler_running`
        when its heartbeat is fresh (`scheduler_silence`)."""
        if not self.count:
            return ""
        if self.asks_for_scheduler(scheduler_running=scheduler_running):
            return f"{self.summary(now)} {ASK} `{SCHEDULER_COMMAND}` {THEN}"
        return f"{self.summary(now)} {self.advice(scheduler_running=scheduler_running)}"


# What staff are told to do about it, around the command (the dashboard sets the command in code).
ASK = "Is the scheduler running? Start it on the server with"
NOBODY_TOLD = "Until notices go, nobody is told of a new alert: keep checking the alerts page."
THEN = "(with the same --config as the web server); if it is running, its log says why sending fails. " + NOBODY_TOLD


def unsent_notices(*, session: Session, now: datetime, after_minutes: int) -> Unsent:
    """Safeguarding notices (every `OutboxKind.ALERTS` kind) still waiting to be sent more than
    `after_minutes` after they fell due, at `now`."""
    cutoff = now - timedelta(minutes=after_minutes)
    rows = session.execute(
        core_select(
            col(OutboxMessage.not_before),
            col(OutboxMessage.created_at),
            col(OutboxMessage.attempts),
            col(OutboxMessage.channel),
            col(OutboxMessage.error_message),
        ).where(
            col(OutboxMessage.status).in_(WAITING),
            col(OutboxMessage.kind).in_(OutboxKind.ALERTS),
            or_(col(OutboxMessage.not_before) <= cutoff, col(OutboxMessage.created_at) <= cutoff),
        )
    ).all()
    waiting = []
    untried = 0
    tried: dict[str, list[tuple[int, str]]] = {}
    for not_before, created_at, attempts, channel, error in rows:
        due = as_utc(not_before)
        # Tried already (and backing off): waiting since it was queued, or since it fell due if earlier.
        since = min(due, as_utc(created_at)) if attempts else due
        if since < cutoff:
            waiting.append(since)
            if attempts:
                tried.setdefault(channel, []).append((attempts, error or ""))
            else:
                untried += 1
    if not waiting:
        return Unsent(count=0, oldest=None, after_minutes=after_minutes)
    oldest = min(waiting)
    order = list(CHANNEL_WORDS)  # text, email, webhook, as the alert pages list them

    def in_order(channel: str) -> int:
        return order.index(channel) if channel in order else len(order)

    failing = tuple(
        Failing(channel, len(each), *max(each)) for channel, each in sorted(tried.items(), key=lambda i: in_order(i[0]))
    )
    went = session.execute(
        core_select(col(OutboxMessage.channel))
        .where(
            col(OutboxMessage.status).in_((OutboxStatus.SENT, OutboxStatus.DELIVERED)),
            col(OutboxMessage.kind).in_(OutboxKind.ALERTS),
            col(OutboxMessage.sent_at) >= oldest,
        )
        .distinct()
    ).scalars()
    working = tuple(sorted(set(went) - set(tried), key=in_order))
    return Unsent(
        count=len(waiting),
        oldest=oldest,
        after_minutes=after_minutes,
        failing=failing,
        untried=untried,
        working=working,
    )


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
