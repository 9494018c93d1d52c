"""The dispatch loop: send what is due, with send windows, opt-outs, rate, retries with backoff, exactly once.

An invitation or reminder to a young person whose safeguarding alert is live (`with_live_alert`: queued
before they disclosed) waits, and goes once the duty team has closed the alert (a round closed meanwhile
cancels it, as ever).

Each pass reconciles interrupted sends (`reconcile.py`), then claims due rows in batches under
a lease (`lease.py`), sends each through its channel's sender (`channels.py`: sms, email,
webhook), and writes the batch's outcomes in one transaction (`outcomes.py`). Texts go out
over a few threads, each with its own connection, paced by one shared rate limiter; email and
webhooks follow. The database work is pipelined with the sending: while a batch's texts go
out, the next batch is claimed, and a batch's outcomes are written while the next one sends
(but at once when they block a number, so that its queued texts are cancelled before the
next claim). `build_dispatcher(services)` is the one way to make a dispatcher.
"""

from __future__ import annotations

import functools
import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from ..models import OutboxKind, OutboxStatus, as_utc, utcnow
from ..privacy import PhoneVault
from ..safeguarding.alerts import told_early, with_live_alert
from .channels import AlertFacts, Attachment, Outgoing, PermanentFailure, Sender, TransientFailure
from .lease import ClaimedRow, claim_batch, unclaim, worker_id
from .mail import EmailSender
from .outcomes import RUN_TEXTS, Outcomes, write
from .readdress import ROUTE_REMOVED, Removed, RouteBook, round_of
from .reconcile import already_sent, settle, stale_rows
from .sms import sms_sender
from .waiting import WINDOW_HOLD, release_for_window
from .webhook import WebhookSender
from .windows import Windows

if TYPE_CHECKING:
    from ..config import Config
    from ..context import Services

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
SURVEY_KINDS = frozenset(OutboxKind.SURVEY)
ALERT_KINDS = frozenset(OutboxKind.ALERTS)
# Marks a row whose last send may have reached the provider (a time-out): look it up before resending.
UNCONFIRMED = "unconfirmed"
# Opt-out register entries that mean the number cannot receive anything at all (alerts included).
UNREACHABLE = frozenset({"carrier", "invalid"})
# SMS first, then webhooks, then email: a slow or broken mail server delays nothing else.
CHANNEL_ORDER = {"sms": 0, "webhook": 1, "email": 2}
# A row whose address no configured phone key opens goes back to the queue, untouched, for this long:
# nothing was sent, and it goes as soon as the right key is configured (not spinning in one flush).
UNREADABLE_RETRY = timedelta(minutes=1)
# An invitation or reminder to a young person whose safeguarding alert is live (queued before they disclosed)
# waits, looked at again this often: it goes once the duty team closes the alert (`with_live_alert`).
ALERT_RECHECK = timedelta(minutes=5)


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
    held: int = 0  # waiting for the send window
    held_for_alert: int = 0  # a survey text to a young person whose safeguarding alert is live (`ALERT_RECHECK`)
    cancelled: int = 0
    route_removed: int = 0  # safeguarding notices not sent: their route is no longer in the settings (`readdress`)
    reconciled_sent: int = 0
    reconciled_pending: int = 0
    waiting_on_others: int = 0
    unreadable: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: FlushReport) -> None:
        """Fold another report's counts into this one."""
        for name in (
            "sent",
            "failed",
            "retrying",
            "held",
            "held_for_alert",
            "cancelled",
            "route_removed",
            "reconciled_sent",
            "reconciled_pending",
            "unreadable",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.waiting_on_others += other.waiting_on_others
        self.errors += other.errors


def unreadable_message(count: int) -> str:
    """What to tell an operator when stored addresses cannot be decrypted: the keys to check, nothing stuck."""
    return (
        f"{count} message(s) could not be sent: their numbers or addresses were encrypted with a key that is "
        "neither privacy.phone_key nor any of privacy.old_phone_keys. Set privacy.phone_key to the key the "
        "database was written with (or add that key to privacy.old_phone_keys); the messages are back in the "
        "queue, unchanged, and go once the key is right."
    )


def split_into_lanes(rows: list[ClaimedRow], count: int) -> list[list[ClaimedRow]]:
    """Share texts out over `count` sending lanes, each lane keeping the claim order (alerts first).

    All the texts to one number go down one lane, so they reach it in the order they were queued;
    each number new to the batch goes to the lane with least to send (for a batch of different
    numbers, that deals them out in turn).
    """
    lanes: list[list[ClaimedRow]] = [[] for _ in range(max(1, count))]
    lane_of: dict[str, list[ClaimedRow]] = {}
    for row in rows:
        lane = lane_of.get(row.to_hash) if row.to_hash else None
        if lane is None:
            lane = min(lanes, key=len)
            if row.to_hash:
                lane_of[row.to_hash] = lane
        lane.append(row)
    return [lane for lane in lanes if lane]


class RateLimiter:
    """Spaces sends to at most `per_second` across threads; after a 429 it pauses, doubling while they continue."""

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] | None = None,
    ):
        self._interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep or time.sleep  # looked up now, not at import: a test run may have mended it
        self._next = clock()
        self._slack = min(0.25, self._interval)
        self._pause = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until the next send is allowed."""
        with self._lock:
            now = self._clock()
            if now < self._next:
                self._sleep(self._next - now)
                now = self._next
            # Keep to the schedule rather than restarting it from each send, so time lost to database
            # work is made up; but never bank more than a quarter second of catching up (no real bursts).
            self._next = max(self._next, now - self._slack) + self._interval

    def throttled(self) -> None:
        """The provider said 429: hold every send for a while (1 s doubling to 30 s)."""
        with self._lock:
            self._pause = min(30.0, max(1.0, self._pause * 2))
            self._next = max(self._next, self._clock() + self._pause)

    def succeeded(self) -> None:
        """A send went through: the next 429 starts the pause again from one second."""
        self._pause = 0.0


@dataclass(frozen=True)
class DispatchSettings:
    """How the dispatcher paces and batches, from `[schedule]`."""

    rate_per_second: float
    batch: int = 200
    lease_seconds: float = 120.0
    settle_seconds: float = 2.0
    concurrency: int = 4

    @classmethod
    def from_config(cls, config: Config) -> DispatchSettings:
        """Read `[schedule]`."""
        schedule = config.schedule
        return cls(
            rate_per_second=schedule.rate_per_second,
            lease_seconds=schedule.claim_lease_seconds,
            settle_seconds=schedule.reconcile_settle_seconds,
            concurrency=schedule.send_concurrency,
        )


@dataclass
class Senders:
    """One sender per channel."""

    sms: Sender
    email: Sender
    webhook: Sender

    @classmethod
    def from_config(cls, config: Config, *, sms: Sender | None = None, now: Callable[[], datetime] = utcnow) -> Senders:
        """The configured SMS provider (or the one given), `[smtp]` email (dated by `now`, naming `[app]
        council_name`), and webhooks."""
        return cls(
            sms=sms if sms is not None else sms_sender(config),
            email=EmailSender(config.smtp, now=now, council=config.app.council_name),
            webhook=WebhookSender(public_url=config.app.public_url, secret=config.safeguarding.webhook_secret),
        )

    def for_channel(self, channel: str) -> Sender | None:
        """The sender for a channel name, or None for an unknown channel."""
        return {"sms": self.sms, "email": self.email, "webhook": self.webhook}.get(channel)


class Dispatcher:
    """Sends due outbox rows through their channel's sender, in batches, exactly once (see `build_dispatcher`)."""

    def __init__(
        self,
        *,
        engine: Engine,
        vault: PhoneVault,
        windows: Windows,
        senders: Senders,
        settings: DispatchSettings,
        routes: RouteBook | None = None,
        now: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], None] | None = None,
    ):
        self.engine = engine
        self.routes = routes
        self.vault = vault
        self.windows = windows
        self.senders = senders
        self.settings = settings
        self.now = now
        self.sleep = sleep or time.sleep  # looked up now, not at import: a test run may have mended it
        self.limiter = RateLimiter(settings.rate_per_second, sleep=self.sleep)
        # A batch should take about two seconds at the configured rate, far inside the lease.
        self.batch = max(1, min(settings.batch, int(settings.rate_per_second * 2)))
        self.lease = timedelta(seconds=settings.lease_seconds)
        self.me = worker_id()
        self._windows_judged = False
        self._pool: ThreadPoolExecutor | None = None
        self._writer_pool: ThreadPoolExecutor | None = None

    # -- the loop ---------------------------------------------------------------------------

    def flush(
        self, *, on_progress: Callable[[FlushReport], None] | None = None, stop: Callable[[], bool] | None = None
    ) -> FlushReport:
        """Reconcile interrupted sends, then send every row due now; return what happened.

        A dispatcher's first flush also judges texts held for the send window by its own (current)
        windows, so a window changed in the settings since they were held applies to them."""
        report = FlushReport()
        self.reconcile(report)
        if not self._windows_judged:
            released = release_for_window(engine=self.engine, windows=self.windows, now=self.now())
            if released:
                log.info("%s text(s) held for the send window are due sooner under the current windows", released)
            self._windows_judged = True
        rows: list[ClaimedRow] = []
        writing: Future | None = None
        try:
            while not (stop and stop()):
                rows = rows or self._claim()
                if not rows:
                    break
                batch, rows = rows, []
                previous, writing = writing, None
                try:
                    outcomes, ahead = self._process(batch, report, before_claim=previous.result if previous else None)
                finally:
                    if previous is not None:
                        previous.result()
                rows = ahead or []
                if outcomes.blocks or not rows:
                    # A blocked number's queued texts are cancelled, and it is in the opt-out register,
                    # before the next batch is looked at.
                    write(self.engine, outcomes, me=self.me, now=self.now())
                else:
                    writing = self._writer().submit(write, self.engine, outcomes, me=self.me, now=self.now())
                if on_progress:
                    on_progress(report)
        finally:
            try:
                if writing is not None:
                    writing.result()
            finally:
                # A batch claimed ahead and then not processed (stopped, or an error) goes straight back.
                unclaim(self.engine, [row.id for row in rows], me=self.me)
        return report

    def close(self) -> None:
        """Stop the sending and writing threads and close every sender's connections."""
        for pool in (self._pool, self._writer_pool):
            if pool is not None:
                pool.shutdown(wait=True)
        self._pool = self._writer_pool = None
        for sender in (self.senders.sms, self.senders.email, self.senders.webhook):
            sender.close()

    def _claim(self) -> list[ClaimedRow]:
        return claim_batch(self.engine, me=self.me, now=self.now(), limit=self.batch)

    def _writer(self) -> ThreadPoolExecutor:
        if self._writer_pool is None:
            self._writer_pool = ThreadPoolExecutor(1, thread_name_prefix="outbox-write")
        return self._writer_pool

    def _process(
        self, rows: list[ClaimedRow], report: FlushReport, *, before_claim: Callable[[], object] | None = None
    ) -> tuple[Outcomes, list[ClaimedRow] | None]:
        """Hold, cancel or send each claimed row; return the outcomes to write, and the next batch when
        it was claimed while these texts went out (after `before_claim`: the previous batch's write)."""
        outcomes = Outcomes()
        ahead: list[ClaimedRow] | None = None
        now = self.now()
        rows = self._readdress(rows, outcomes, report)
        blocked = self._opted_out({row.to_hash for row in rows if row.channel == "sms" and row.to_hash})
        paused = self._alert_live([row.id for row in rows if row.kind in RUN_TEXTS])
        opens: dict[tuple[bool, bool], datetime] = {}
        to_send: list[ClaimedRow] = []
        for row in rows:
            if row.id in paused:
                # No survey text while the duty team has their alert, even one queued before they disclosed.
                outcomes.release(row.id, not_before=now + ALERT_RECHECK, error_code=row.error_code)
                report.held_for_alert += 1
                continue
            if row.kind in SURVEY_KINDS and row.respect_window:
                # A worker's reply keeps to reply_hours, not to the survey windows.
                which = (row.under_16, row.kind == OutboxKind.REPLY)
                if which not in opens:
                    opens[which] = self.windows.next_open(now, under_16=which[0], reply=which[1])
                if opens[which] > now:
                    outcomes.release(
                        row.id, not_before=opens[which], error_code=row.error_code, error_message=WINDOW_HOLD
                    )
                    report.held += 1
                    continue
            keyword = blocked.get(row.to_hash) if row.channel == "sms" and row.to_hash else None
            if keyword is not None and (row.kind in SURVEY_KINDS or keyword in UNREACHABLE):
                outcomes.finish(row.id, OutboxStatus.CANCELLED, error_message="opted out")
                report.cancelled += 1
                continue
            to_send.append(row)
        to_send.sort(key=lambda row: CHANNEL_ORDER.get(row.channel, 3))
        facts = self._alert_facts(to_send)

        def claim_ahead() -> None:
            nonlocal ahead
            if before_claim is not None:
                before_claim()
            ahead = self._claim()

        try:
            texts = [row for row in to_send if row.channel == "sms"]
            self._send_texts(texts, facts, outcomes, report, meanwhile=claim_ahead)
            email_down = False
            for row in to_send[len(texts) :]:
                if row.channel == "email" and email_down:
                    self._retry(row, outcomes, report, "smtp unavailable")
                    continue
                email_down |= self._send(row, facts, outcomes, report) == "email-down"
        except BaseException:
            # What was sent is recorded now; a batch claimed ahead goes back untouched.
            try:
                write(self.engine, outcomes, me=self.me, now=self.now())
            finally:
                unclaim(self.engine, [row.id for row in ahead or ()], me=self.me)
            raise
        finally:
            self.senders.email.close()
        return outcomes, ahead

    def _readdress(self, rows: list[ClaimedRow], outcomes: Outcomes, report: FlushReport) -> list[ClaimedRow]:
        """Each safeguarding notice to its route as configured now (`readdress.py`): re-addressed where the route
        changed since it was queued, cancelled where the route is gone; the rows left to send."""
        if self.routes is None:
            return rows
        kept = []
        for row in rows:
            found = None
            if row.kind in ALERT_KINDS:
                found = self.routes.resolve(
                    channel=row.channel, route=row.route, to_hash=row.to_hash, taken=functools.partial(self._told, row)
                )
            if isinstance(found, Removed):
                outcomes.finish(row.id, OutboxStatus.CANCELLED, error_code=ROUTE_REMOVED, error_message=found.reason)
                report.route_removed += 1
                log.warning("outbox %s (%s): not sent, %s", row.id, row.channel, found.reason)
                continue
            if found is not None:
                row.to_encrypted, row.to_hash = self.vault.encrypt(found), self.vault.hash(found)
                table = SQLModel.metadata.tables["outboxmessage"]
                with self.engine.begin() as connection:
                    connection.execute(
                        update(table)
                        .where(table.c.id == row.id, table.c.claimed_by == self.me)
                        .values(to_encrypted=row.to_encrypted, to_hash=row.to_hash)
                    )
                log.info("outbox %s (%s): sent to its route as configured now (%s)", row.id, row.channel, row.route)
            kept.append(row)
        return kept

    def _told(self, row: ClaimedRow) -> set[str]:
        """The address hashes of the other notices of this row's round (`readdress.round_of`)."""
        table = SQLModel.metadata.tables["outboxmessage"]
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(table.c.key, table.c.to_hash).where(
                    table.c.alert_id == row.alert_id, table.c.kind == row.kind, table.c.id != row.id
                )
            ).all()
        return {to_hash for key, to_hash in rows if to_hash and round_of(key) == round_of(row.key)}

    def _send_texts(
        self,
        rows: list[ClaimedRow],
        facts: dict[int, AlertFacts],
        outcomes: Outcomes,
        report: FlushReport,
        *,
        meanwhile: Callable[[], None] | None = None,
    ) -> None:
        """Send texts over `concurrency` threads (each keeps its own connection), then fold their outcomes in.

        `meanwhile` is database work done on this thread while the texts go out (claiming the next batch).
        """
        lanes = max(1, min(self.settings.concurrency, len(rows)))
        if lanes == 1:
            for row in rows:
                self._send(row, facts, outcomes, report)
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.settings.concurrency, thread_name_prefix="outbox-sms")

        def lane(part: list[ClaimedRow]) -> tuple[Outcomes, FlushReport]:
            own_outcomes, own_report = Outcomes(), FlushReport()
            for row in part:
                self._send(row, facts, own_outcomes, own_report)
            return own_outcomes, own_report

        futures = [self._pool.submit(lane, part) for part in split_into_lanes(rows, lanes)]
        errors: list[BaseException] = []
        if meanwhile is not None:
            try:
                meanwhile()
            except BaseException as exc:  # raised once every lane's outcomes are folded in
                errors.append(exc)
        for future in futures:
            try:
                own_outcomes, own_report = future.result()
            except BaseException as exc:
                errors.append(exc)
                continue
            outcomes.add(own_outcomes)
            report.add(own_report)
        if errors:
            raise errors[0]

    def _outgoing(self, row: ClaimedRow, facts: dict[int, AlertFacts] | None = None) -> Outgoing:
        """The decrypted message a sender is handed."""
        alert = None
        if row.alert_id is not None:
            known = (facts or {}).get(row.alert_id)
            alert = replace(known, attempt=row.attempt) if known else AlertFacts(row.alert_id, row.attempt, (), "")
        return Outgoing(
            outbox_id=row.id,
            kind=row.kind,
            to=self.vault.decrypt(row.to_encrypted),
            body=row.body,
            subject=row.subject,
            html_body=row.html_body,
            attachments=tuple(Attachment(**item) for item in row.attachments or ()),
            alert=alert,
        )

    def _send(
        self, row: ClaimedRow, facts: dict[int, AlertFacts], outcomes: Outcomes, report: FlushReport
    ) -> str | None:
        """Send one row through its channel and note the outcome; "email-down" when the mail server failed."""
        attempts = row.attempts + 1
        sender = self.senders.for_channel(row.channel)
        if sender is None:
            outcomes.finish(
                row.id, OutboxStatus.FAILED, error_message=f"unknown channel {row.channel}"[:300], attempts=attempts
            )
            report.failed += 1
            return None
        try:
            message = self._outgoing(row, facts)
        except ValueError:
            # The wrong phone key: nothing was attempted, so the row goes back as it was (attempts and
            # "unconfirmed" kept) rather than failing or staying "sending"; the caller names the keys.
            outcomes.release(row.id, not_before=self.now() + UNREADABLE_RETRY, error_code=row.error_code)
            report.unreadable += 1
            return None
        try:
            if row.error_code == UNCONFIRMED:
                try:
                    # `updated_at` is when that attempt ended; it began at most a time-out (well under a lease) before.
                    since = (row.updated_at or row.claimed_at or self.now()) - self.lease
                    sid = already_sent(self.engine, sender, row, message, since)
                except TransientFailure as exc:
                    # Cannot tell yet whether the last attempt arrived: try again later, still unconfirmed.
                    self._retry(row, outcomes, report, str(exc), unconfirmed=True)
                    return None
                if sid is not None:
                    outcomes.mark_sent(row.id, sid=sid, when=self.now(), attempts=row.attempts, kind=row.kind)
                    report.reconciled_sent += 1
                    return None
            if row.channel == "sms":
                self.limiter.wait()
            sent = sender.send(message)
            if row.channel == "sms":
                self.limiter.succeeded()
            outcomes.mark_sent(row.id, sid=sent.provider_id, when=self.now(), attempts=attempts, kind=row.kind)
        except TransientFailure as exc:
            if exc.status == 429:
                self.limiter.throttled()
            # A request that never got an answer may still have been accepted: look it up before resending.
            unconfirmed = row.channel == "sms" and not exc.answered
            self._retry(row, outcomes, report, str(exc), unconfirmed=unconfirmed)
            log.warning("outbox %s (%s): transient failure (%s), attempt %s", row.id, row.channel, exc, attempts)
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
            if row.channel == "sms" and row.to_hash and exc.blocks:
                outcomes.block(row.to_hash, exc.blocks)
            log.warning("outbox %s (%s): permanent failure (%s)", row.id, row.channel, exc)
            return None
        report.sent += 1
        return None

    def _retry(
        self, row: ClaimedRow, outcomes: Outcomes, report: FlushReport, text: str, *, unconfirmed: bool = False
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

    # -- reconciling rows whose dispatcher stopped ---------------------------------------------

    def reconcile(self, report: FlushReport | None = None) -> FlushReport:
        """Settle rows left "sending" by a dispatcher that died or whose lease ran out."""
        report = report or FlushReport()
        now = self.now()
        candidates, waiting = stale_rows(self.engine, me=self.me, now=now, lease=self.lease)
        report.waiting_on_others += waiting
        if not candidates:
            return report
        # A request the dead process had written may still be landing at the provider: let it.
        if self.settings.settle_seconds:
            self.sleep(self.settings.settle_seconds)
        log.info("reconciling %s interrupted send(s)", len(candidates))
        for row in candidates:
            outcome = settle(
                self.engine,
                row,
                sender=self.senders.for_channel(row.channel),
                message=self._outgoing,
                now=now,
                lease=self.lease,
            )
            if outcome == "sent":
                report.reconciled_sent += 1
            elif outcome == "pending":
                report.reconciled_pending += 1
            elif outcome == "unreadable":
                report.unreadable += 1
        return report

    # -- helpers ------------------------------------------------------------------------------

    def _opted_out(self, hashes: set[str]) -> dict[str, str]:
        """The opt-out keyword for each of these phone hashes that is in the register."""
        if not hashes:
            return {}
        table = SQLModel.metadata.tables["optout"]
        with self.engine.connect() as connection:
            return {
                row.phone_hash: row.keyword
                for row in connection.execute(
                    select(table.c.phone_hash, table.c.keyword).where(table.c.phone_hash.in_(hashes))
                )
            }

    def _alert_live(self, row_ids: list[int]) -> set[int]:
        """Those of these rows addressed to a young person whose safeguarding alert is live (`with_live_alert`)."""
        if not row_ids:
            return set()
        table = SQLModel.metadata.tables["outboxmessage"]
        with Session(self.engine) as session:
            owners: dict[int, int | None] = {
                row_id: pid
                for row_id, pid in session.execute(
                    select(table.c.id, table.c.participant_id).where(table.c.id.in_(row_ids))
                ).all()
            }
            live = with_live_alert(session=session, participant_ids={pid for pid in owners.values() if pid})
        return {row_id for row_id, pid in owners.items() if pid in live}

    def _alert_facts(self, rows: list[ClaimedRow]) -> dict[int, AlertFacts]:
        """Categories and priority of the alerts these rows announce, by alert id."""
        ids = {row.alert_id for row in rows if row.alert_id is not None}
        if not ids:
            return {}
        table = SQLModel.metadata.tables["alert"]
        with self.engine.connect() as connection:
            return {
                row.id: AlertFacts(
                    row.id,
                    None,
                    tuple(row.categories or ()),
                    row.priority,
                    channel=row.channel,
                    raised_at=as_utc(row.created_at),
                    out_of_hours=bool(row.out_of_hours),
                    delayed=bool(row.delayed),
                    early_notice=told_early(row.reasons),
                )
                for row in connection.execute(
                    select(
                        table.c.id,
                        table.c.categories,
                        table.c.priority,
                        table.c.channel,
                        table.c.created_at,
                        table.c.out_of_hours,
                        table.c.delayed,
                        table.c.reasons,
                    ).where(table.c.id.in_(ids))
                )
            }


def build_dispatcher(
    services: Services,
    *,
    senders: Senders | None = None,
    now: Callable[[], datetime] = utcnow,
    sleep: Callable[[float], None] | None = None,
    **settings,
) -> Dispatcher:
    """The one way to make a dispatcher: wired from the services' configuration.

    `senders` replaces the configured ones (the demo's console, a test's short time-out);
    `settings` override `DispatchSettings` fields (rate_per_second, batch, lease_seconds,
    settle_seconds, concurrency). Raises ValueError for settings a sender cannot work with.
    """
    config = services.config
    return Dispatcher(
        engine=services.engine,
        vault=services.vault,
        windows=Windows.from_config(config),
        senders=senders or Senders.from_config(config, now=now),
        settings=replace(DispatchSettings.from_config(config), **settings),
        routes=RouteBook(config, services.vault),
        now=now,
        sleep=sleep,
    )
