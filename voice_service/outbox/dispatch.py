"""Send what is due from the outbox: windows, opt-outs, rate, retries with backoff, exactly once.

How a row is never sent twice and never lost:

- A batch of due rows is claimed in one transaction: status "sending", `claimed_by` this
  process ("host:pid:start-time") and `claimed_at` (a lease). PostgreSQL dispatchers skip
  each other's locked rows (`FOR UPDATE SKIP LOCKED`); SQLite serialises claims (BEGIN IMMEDIATE).
- Each row is sent, and the outcomes of the batch are written back together.
- A row still "sending" whose dispatcher has died (same host: its process is gone) or whose
  lease has run out is ambiguous: it may or may not have reached Twilio. It is reconciled by
  asking Twilio for messages to that number since the claim and matching the body; found
  means sent (its sid is recorded), not found means pending again. A status callback carrying
  `?outbox=<id>` settles it too. Only then can it be sent again.
- A send that timed out is equally ambiguous, so the row is retried only after the same look-up.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, case, func, or_, select, update
from sqlalchemy.engine import Engine

from ..models import Alert, OptOut, OutboxKind, OutboxMessage, OutboxStatus, utcnow
from ..privacy import PhoneVault
from ..sending import PermanentFailure, Provider, TransientFailure
from .senders import EmailSender, SmsSender, WebhookSender, smtp_ssl_context
from .windows import Windows

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
SURVEY_KINDS = set(OutboxKind.SURVEY)
ALERT_KINDS = set(OutboxKind.ALERTS)
# Marks a row whose last send may have reached the provider (a time-out): look it up before resending.
UNCONFIRMED = "unconfirmed"
# Opt-out register entries that mean the number cannot receive anything at all.
UNREACHABLE = {"carrier", "invalid"}
# Twilio codes meaning the number itself is wrong: record it so no later round texts it.

T = OutboxMessage.__table__
WEBHOOK_EVENTS = {
    "alert": "safeguarding_alert",
    "alert_update": "safeguarding_alert_new_message",
    "escalation": "safeguarding_alert_escalated",
}


def backoff(attempts: int) -> timedelta:
    """Wait before retry number `attempts`: 30 s doubling, capped at one hour."""
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


def alert_backoff(attempts: int) -> timedelta:
    """Alerts are retried until delivered, never more than five minutes apart."""
    return timedelta(seconds=min(300, 15 * 2 ** max(0, attempts - 1)))


def _jitter(delay: timedelta) -> timedelta:
    """Spread retries so a storm of failures does not come back as one burst."""
    return delay * random.uniform(1.0, 1.25)


@dataclass
class FlushReport:
    """What one flush did, for the command line and the tests."""

    sent: int = 0
    failed: int = 0
    retrying: int = 0
    held: int = 0
    cancelled: int = 0
    reconciled_sent: int = 0
    reconciled_pending: int = 0
    waiting_on_others: int = 0
    errors: list[str] = field(default_factory=list)


class RateLimiter:
    """Spaces sends to at most `per_second`; after a 429 it pauses, doubling while the 429s continue."""

    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic, sleep=time.sleep):
        self._interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next = clock()
        self._slack = min(0.25, self._interval)
        self._pause = 0.0

    def wait(self) -> None:
        """Block until the next send is allowed."""
        now = self._clock()
        if now < self._next:
            self._sleep(self._next - now)
            now = self._next
        # Keep to the schedule rather than restarting it from each send, so time lost to database
        # work is made up; but never bank more than a quarter second of catching up (no real bursts).
        self._next = max(self._next, now - self._slack) + self._interval

    def throttled(self) -> None:
        """The provider said 429: hold every send for a while (1 s doubling to 30 s)."""
        self._pause = min(30.0, max(1.0, self._pause * 2))
        self._next = max(self._next, self._clock() + self._pause)

    def succeeded(self) -> None:
        """A send went through: the next 429 starts the pause again from one second."""
        self._pause = 0.0


def _process_start() -> str:
    """This process's start time in clock ticks (Linux), so a reused pid is not mistaken for us."""
    try:
        with open(f"/proc/{os.getpid()}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return "0"


_WORKER: tuple[int, str] | None = None


def worker_id() -> str:
    """This process's dispatcher identity, "host:pid:start"; recomputed after a fork."""
    global _WORKER
    if _WORKER is None or _WORKER[0] != os.getpid():
        _WORKER = (os.getpid(), f"{socket.gethostname()}:{os.getpid()}:{_process_start()}"[:80])
    return _WORKER[1]


def owner_is_dead(owner: str | None) -> bool:
    """True when the claiming dispatcher certainly no longer runs (same host, process gone)."""
    if not owner:
        return False
    try:
        host, pid_text, start = owner.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if host != socket.gethostname():
        return False  # another machine: only its lease can tell
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        if fields[0] == b"Z":
            return True
        return start != "0" and fields[19].decode() != start
    except FileNotFoundError:
        return True
    except (OSError, IndexError):
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@dataclass
class _Row:
    """The columns of one claimed row the dispatcher needs."""

    id: int
    key: str
    kind: str
    channel: str
    to_encrypted: str
    to_hash: str | None
    body: str
    respect_window: bool
    under_16: bool
    attempts: int
    error_code: str | None
    alert_id: int | None
    attempt: int | None
    subject: str | None
    updated_at: datetime | None = None
    claimed_at: datetime | None = None


_COLUMNS = (
    T.c.id,
    T.c.key,
    T.c.kind,
    T.c.channel,
    T.c.to_encrypted,
    T.c.to_hash,
    T.c.body,
    T.c.respect_window,
    T.c.under_16,
    T.c.attempts,
    T.c.error_code,
    T.c.alert_id,
    T.c.attempt,
    T.c.subject,
    T.c.updated_at,
)


class Dispatcher:
    """Sends due outbox rows through their channel's sender, in batches, exactly once."""

    def __init__(
        self,
        *,
        engine: Engine,
        vault: PhoneVault,
        windows: Windows,
        sms: SmsSender | Provider,
        rate_per_second: float,
        email: EmailSender | None = None,
        webhook: WebhookSender | None = None,
        public_url: str = "",
        now: Callable[[], datetime] = utcnow,
        sleep=time.sleep,
        batch: int = 200,
        lease_seconds: float = 120.0,
        settle_seconds: float = 2.0,
    ):
        self.engine = engine
        self.vault = vault
        self.windows = windows
        self.sms = sms if isinstance(sms, SmsSender) else SmsSender(sms)
        self.email = email
        self.webhook = webhook or WebhookSender()
        self.public_url = public_url.rstrip("/")
        self.now = now
        self.sleep = sleep
        self.limiter = RateLimiter(rate_per_second, sleep=sleep)
        # A batch should take about two seconds at the configured rate, far inside the lease.
        self.batch = max(1, min(batch, int(rate_per_second * 2)))
        self.lease = timedelta(seconds=lease_seconds)
        self.settle_seconds = settle_seconds
        self.me = worker_id()
        self._postgres = engine.dialect.name == "postgresql"

    # -- the loop ---------------------------------------------------------------------------

    def flush(
        self, *, on_progress: Callable[[FlushReport], None] | None = None, stop: Callable[[], bool] | None = None
    ) -> FlushReport:
        """Reconcile interrupted sends, then send every row due now; return what happened."""
        report = FlushReport()
        self.reconcile(report)
        while not (stop and stop()):
            rows = self._claim(self.now())
            if not rows:
                break
            self._process(rows, report)
            if on_progress:
                on_progress(report)
        return report

    def _claim(self, now: datetime) -> list[_Row]:
        """Claim up to a batch of due pending rows for this process; alerts first."""
        query = (
            select(*_COLUMNS)
            .where(T.c.status == OutboxStatus.PENDING, T.c.not_before <= now)
            .order_by(case((T.c.kind.in_(ALERT_KINDS), 0), else_=1), T.c.not_before, T.c.id)
            .limit(self.batch)
        )
        if self._postgres:
            query = query.with_for_update(skip_locked=True)
        with self.engine.begin() as connection:
            rows = [_Row(*row) for row in connection.execute(query)]
            if rows:
                connection.execute(
                    update(T)
                    .where(T.c.id.in_([row.id for row in rows]))
                    .values(status=OutboxStatus.SENDING, claimed_by=self.me, claimed_at=now, updated_at=now)
                )
        for row in rows:
            row.claimed_at = now
        return rows

    def _process(self, rows: list[_Row], report: FlushReport) -> None:
        """Hold, cancel or send each claimed row, then write every outcome in one transaction."""
        outcomes = _Outcomes()
        now = self.now()
        blocked = self._opted_out({row.to_hash for row in rows if row.channel == "sms" and row.to_hash})
        opens: dict[bool, datetime] = {}
        to_send: list[_Row] = []
        for row in rows:
            if row.kind in SURVEY_KINDS and row.respect_window:
                if row.under_16 not in opens:
                    opens[row.under_16] = self.windows.next_open(now, under_16=row.under_16)
                if opens[row.under_16] > now:
                    outcomes.release(row.id, not_before=opens[row.under_16], error_code=row.error_code)
                    report.held += 1
                    continue
            keyword = blocked.get(row.to_hash) if row.channel == "sms" else None
            if keyword is not None and (row.kind in SURVEY_KINDS or keyword in UNREACHABLE):
                outcomes.finish(row.id, OutboxStatus.CANCELLED, error_message="opted out")
                report.cancelled += 1
                continue
            to_send.append(row)
        # SMS first, then webhooks, then email: a slow or broken mail server delays nothing else.
        order = {"sms": 0, "webhook": 1, "email": 2}
        to_send.sort(key=lambda row: order.get(row.channel, 3))
        email_down = False
        alerts = self._alert_categories([row for row in to_send if row.channel == "webhook"])
        try:
            for row in to_send:
                if row.channel == "email" and email_down:
                    self._retry(row, outcomes, report, "smtp unavailable")
                    continue
                email_down |= self._send(row, outcomes, report, alerts) == "email-down"
        finally:
            if self.email is not None:
                self.email.close()
            self._write(outcomes)

    def _send(self, row: _Row, outcomes: _Outcomes, report: FlushReport, alerts: dict) -> str | None:
        """Send one row through its channel and note the outcome."""
        attempts = row.attempts + 1
        try:
            if row.channel == "sms":
                if row.error_code == UNCONFIRMED:
                    try:
                        if self._already_sent(row, outcomes, report):
                            return None
                    except TransientFailure as exc:
                        # Cannot tell yet whether the last attempt arrived: try again later, still unconfirmed.
                        self._retry(row, outcomes, report, str(exc), unconfirmed=True)
                        return None
                self.limiter.wait()
                result = self.sms.send(to=self.vault.decrypt(row.to_encrypted), body=row.body, outbox_id=row.id)
                self.limiter.succeeded()
                outcomes.sent(row.id, sid=result.sid, when=self.now(), attempts=attempts)
            elif row.channel == "webhook":
                self.webhook.send(url=self.vault.decrypt(row.to_encrypted), payload=self._webhook_payload(row, alerts))
                outcomes.sent(row.id, sid=None, when=self.now(), attempts=attempts)
            elif row.channel == "email":
                if self.email is None:
                    raise TransientFailure("no email sender")
                subject = row.subject or "Voice Service"
                self.email.send(to=self.vault.decrypt(row.to_encrypted), subject=subject, body=row.body)
                outcomes.sent(row.id, sid=None, when=self.now(), attempts=attempts)
            else:
                outcomes.finish(
                    row.id, OutboxStatus.FAILED, error_message=f"unknown channel {row.channel}"[:300], attempts=attempts
                )
                report.failed += 1
                return None
        except TransientFailure as exc:
            text = str(exc)
            if exc.status == 429:
                self.limiter.throttled()
            # A request that never got an HTTP answer may still have been accepted.
            unconfirmed = row.channel == "sms" and not exc.answered
            self._retry(row, outcomes, report, text, unconfirmed=unconfirmed)
            log.warning("outbox %s (%s): transient failure (%s), attempt %s", row.id, row.channel, text, attempts)
            return "email-down" if row.channel == "email" else None
        except PermanentFailure as exc:
            outcomes.finish(
                row.id,
                OutboxStatus.FAILED,
                error_code=str(exc.code or ""),
                error_message=str(exc)[:300],
                attempts=attempts,
            )
            report.failed += 1
            if row.channel == "sms" and row.to_hash:
                if exc.opted_out:
                    outcomes.block(row.to_hash, "carrier")
                elif exc.invalid_number:
                    outcomes.block(row.to_hash, "invalid")
            log.warning("outbox %s (%s): permanent failure (%s)", row.id, row.channel, exc)
            return None
        report.sent += 1
        return None

    def _retry(
        self, row: _Row, outcomes: _Outcomes, report: FlushReport, text: str, *, unconfirmed: bool = False
    ) -> None:
        """Put a row back for later, or fail it after MAX_ATTEMPTS (alerts never give up)."""
        attempts = row.attempts + 1
        if row.kind not in ALERT_KINDS and attempts >= MAX_ATTEMPTS:
            outcomes.finish(
                row.id,
                OutboxStatus.FAILED,
                error_message=text[:300],
                attempts=attempts,
                error_code=UNCONFIRMED if unconfirmed else None,
            )
            report.failed += 1
            return
        delay = alert_backoff(attempts) if row.kind in ALERT_KINDS else backoff(attempts)
        outcomes.release(
            row.id,
            not_before=self.now() + _jitter(delay),
            attempts=attempts,
            error_message=text[:300],
            error_code=UNCONFIRMED if unconfirmed else row.error_code,
        )
        report.retrying += 1

    def _already_sent(self, row: _Row, outcomes: _Outcomes, report: FlushReport) -> bool:
        """After a timed-out send: True (and recorded) when Twilio has the message after all."""
        # `updated_at` is when that attempt failed; it began at most a time-out (well under a lease) before.
        since = (row.updated_at or row.claimed_at) - self.lease
        sid = self._find_sent(row, since)
        if sid is None:
            return False
        outcomes.sent(row.id, sid=sid, when=self.now(), attempts=row.attempts)
        report.reconciled_sent += 1
        return True

    # -- reconciling rows whose dispatcher stopped ---------------------------------------------

    def reconcile(self, report: FlushReport | None = None) -> FlushReport:
        """Settle rows left "sending" by a dispatcher that died or whose lease ran out."""
        report = report or FlushReport()
        now = self.now()
        with self.engine.connect() as connection:
            stale = connection.execute(
                select(*_COLUMNS, T.c.claimed_by, T.c.claimed_at).where(
                    T.c.status == OutboxStatus.SENDING,
                    # Our own rows too once their lease is out: a batch this process abandoned
                    # after an error (a locked database, say) is never claimed again otherwise.
                    or_(T.c.claimed_by.is_(None), T.c.claimed_by != self.me, T.c.claimed_at <= now - self.lease),
                )
            ).all()
        candidates = []
        for record in stale:
            row = _Row(*record[:-2], claimed_at=record.claimed_at)
            claimed_at = record.claimed_at or now - self.lease
            if claimed_at <= now - self.lease or owner_is_dead(record.claimed_by):
                candidates.append((row, record.claimed_by))
            else:
                report.waiting_on_others += 1
        if not candidates:
            return report
        # A request the dead process had written may still be landing at the provider: let it.
        if self.settle_seconds:
            self.sleep(self.settle_seconds)
        log.info("reconciling %s interrupted send(s)", len(candidates))
        for row, owner in candidates:
            since = row.claimed_at or now - self.lease
            condition = (T.c.id == row.id) & (T.c.status == OutboxStatus.SENDING)
            condition &= T.c.claimed_by.is_(None) if owner is None else (T.c.claimed_by == owner)
            sid = None
            if row.channel == "sms":
                try:
                    sid = self._find_sent(row, since)
                except TransientFailure as exc:
                    log.warning("outbox %s: cannot reconcile yet (%s)", row.id, exc)
                    continue
            with self.engine.begin() as connection:
                if sid is not None:
                    connection.execute(
                        update(T)
                        .where(condition)
                        .values(
                            status=OutboxStatus.SENT,
                            provider_sid=sid,
                            sent_at=now,
                            updated_at=now,
                            claimed_by=None,
                            error_code=None,
                            error_message=None,
                        )
                    )
                    report.reconciled_sent += 1
                else:
                    # Not at the provider (or a channel with no look-up, where a repeat notice is harmless).
                    connection.execute(
                        update(T).where(condition).values(status=OutboxStatus.PENDING, claimed_by=None, updated_at=now)
                    )
                    report.reconciled_pending += 1
        return report

    # -- helpers ------------------------------------------------------------------------------

    def _find_sent(self, row: _Row, since: datetime) -> str | None:
        """The provider's sid for this row's message if it has it, skipping sids other rows already own."""
        sids = self.sms.find_sent(to=self.vault.decrypt(row.to_encrypted), body=row.body, since=since)
        if not sids:
            return None
        with self.engine.connect() as connection:
            taken = set(
                connection.execute(
                    select(T.c.provider_sid).where(T.c.provider_sid.in_(sids), T.c.id != row.id)
                ).scalars()
            )
        return next((sid for sid in sids if sid not in taken), None)

    def _opted_out(self, hashes: set[str]) -> dict[str, str]:
        """The opt-out keyword for each of these phone hashes that is in the register."""
        if not hashes:
            return {}
        table = OptOut.__table__
        with self.engine.connect() as connection:
            return dict(
                connection.execute(
                    select(table.c.phone_hash, table.c.keyword).where(table.c.phone_hash.in_(hashes))
                ).all()
            )

    def _alert_categories(self, rows: list[_Row]) -> dict[int, tuple[list, str]]:
        """Categories and priority of the alerts these webhook rows announce."""
        ids = {row.alert_id for row in rows if row.alert_id}
        if not ids:
            return {}
        table = Alert.__table__
        with self.engine.connect() as connection:
            return {
                row.id: (row.categories, row.priority)
                for row in connection.execute(
                    select(table.c.id, table.c.categories, table.c.priority).where(table.c.id.in_(ids))
                )
            }

    def _webhook_payload(self, row: _Row, alerts: dict) -> dict:
        """The webhook's JSON: which alert, what kind, where to read it; never what was said."""
        alert_id = row.alert_id
        return {
            "event": WEBHOOK_EVENTS.get(row.kind, row.kind),
            "alert_id": alert_id,
            "attempt": row.attempt,
            "categories": alerts.get(alert_id, ([], None))[0] if alert_id else [],
            "priority": alerts.get(alert_id, ([], None))[1] if alert_id else None,
            "url": f"{self.public_url}/admin/alerts/{alert_id}" if alert_id else self.public_url,
            "outbox_id": row.id,
        }

    def _write(self, outcomes: _Outcomes) -> None:
        """Write a batch's outcomes in one transaction (executemany per kind of change)."""
        if outcomes.empty:
            return
        now = self.now()
        mine = (T.c.id == bindparam("b_id")) & (T.c.claimed_by == self.me)
        with self.engine.begin() as connection:
            if outcomes.sent_rows:
                connection.execute(
                    update(T)
                    .where(mine)
                    .values(
                        # A status callback may have got here first (delivered, failed): keep what it said.
                        status=case((T.c.status == OutboxStatus.SENDING, OutboxStatus.SENT), else_=T.c.status),
                        provider_sid=func.coalesce(T.c.provider_sid, bindparam("b_sid")),
                        sent_at=func.coalesce(T.c.sent_at, bindparam("b_when")),
                        attempts=bindparam("b_attempts"),
                        claimed_by=None,
                        error_code=None,
                        error_message=None,
                        updated_at=now,
                    ),
                    outcomes.sent_rows,
                )
            if outcomes.released:
                connection.execute(
                    update(T)
                    .where(mine & (T.c.status == OutboxStatus.SENDING))
                    .values(
                        status=OutboxStatus.PENDING,
                        not_before=bindparam("b_not_before"),
                        attempts=func.coalesce(bindparam("b_attempts"), T.c.attempts),
                        error_code=bindparam("b_error_code"),
                        error_message=bindparam("b_error_message"),
                        claimed_by=None,
                        updated_at=now,
                    ),
                    outcomes.released,
                )
            if outcomes.finished:
                connection.execute(
                    update(T)
                    .where(mine & (T.c.status == OutboxStatus.SENDING))
                    .values(
                        status=bindparam("b_status"),
                        error_code=bindparam("b_error_code"),
                        error_message=bindparam("b_error_message"),
                        attempts=func.coalesce(bindparam("b_attempts"), T.c.attempts),
                        claimed_by=None,
                        updated_at=now,
                    ),
                    outcomes.finished,
                )
            for phone_hash, keyword in outcomes.blocks.items():
                table = OptOut.__table__
                exists = connection.execute(select(table.c.phone_hash).where(table.c.phone_hash == phone_hash)).first()
                if exists is None:
                    connection.execute(table.insert().values(phone_hash=phone_hash, keyword=keyword, opted_out_at=now))
                # Nothing else queued for that number can go either.
                connection.execute(
                    update(T)
                    .where(
                        T.c.to_hash == phone_hash,
                        T.c.status == OutboxStatus.PENDING,
                        T.c.channel == "sms",
                    )
                    .values(status=OutboxStatus.CANCELLED, error_message=f"number {keyword}", updated_at=now)
                )


class _Outcomes:
    """A batch's outcomes, gathered for one write."""

    def __init__(self):
        self.sent_rows: list[dict] = []
        self.released: list[dict] = []
        self.finished: list[dict] = []
        self.blocks: dict[str, str] = {}

    @property
    def empty(self) -> bool:
        return not (self.sent_rows or self.released or self.finished or self.blocks)

    def sent(self, row_id: int, *, sid: str | None, when: datetime, attempts: int) -> None:
        self.sent_rows.append({"b_id": row_id, "b_sid": sid, "b_when": when, "b_attempts": attempts})

    def release(
        self,
        row_id: int,
        *,
        not_before: datetime,
        attempts: int | None = None,
        error_message: str | None = None,
        error_code: str | None = None,
    ) -> None:
        self.released.append(
            {
                "b_id": row_id,
                "b_not_before": not_before,
                "b_attempts": attempts,
                "b_error_message": error_message,
                "b_error_code": error_code,
            }
        )

    def finish(
        self,
        row_id: int,
        status: str,
        *,
        error_code: str | None = None,
        error_message: str | None = None,
        attempts: int | None = None,
    ) -> None:
        self.finished.append(
            {
                "b_id": row_id,
                "b_status": status,
                "b_error_code": error_code or None,
                "b_error_message": error_message,
                "b_attempts": attempts,
            }
        )

    def block(self, phone_hash: str, keyword: str) -> None:
        self.blocks.setdefault(phone_hash, keyword)


def flush(
    *,
    engine: Engine,
    provider: Provider | SmsSender,
    vault: PhoneVault,
    windows: Windows,
    rate_per_second: float,
    now: Callable[[], datetime] = utcnow,
    sleep=time.sleep,
    batch: int = 200,
    email: EmailSender | None = None,
    webhook: WebhookSender | None = None,
    public_url: str = "",
    lease_seconds: float = 120.0,
    settle_seconds: float = 2.0,
    on_progress: Callable[[FlushReport], None] | None = None,
) -> FlushReport:
    """Send every row due now, then return a report. Safe to run in several processes."""
    dispatcher = Dispatcher(
        engine=engine,
        vault=vault,
        windows=windows,
        sms=provider,
        rate_per_second=rate_per_second,
        email=email,
        webhook=webhook,
        public_url=public_url,
        now=now,
        sleep=sleep,
        batch=batch,
        lease_seconds=lease_seconds,
        settle_seconds=settle_seconds,
    )
    return dispatcher.flush(on_progress=on_progress)


def dispatcher_for(services, *, provider: Provider | None = None, **overrides) -> Dispatcher:
    """A dispatcher wired from configuration: the configured SMS provider, [smtp] email, webhooks."""
    from ..sending import make_provider

    config = services.config
    options = dict(
        engine=services.engine,
        vault=services.vault,
        windows=Windows.from_config(config),
        sms=provider if provider is not None else make_provider(config),
        rate_per_second=config.schedule.rate_per_second,
        email=EmailSender(config.smtp, ssl_context=smtp_ssl_context(config.smtp)),
        webhook=WebhookSender(),
        public_url=config.app.public_url,
        lease_seconds=config.schedule.claim_lease_seconds,
        settle_seconds=config.schedule.reconcile_settle_seconds,
    )
    options.update(overrides)
    return Dispatcher(**options)
