"""Store spooled messages once the database is back: in arrival order, each once, through the inbound path.

An SMS goes through the webhook's own `take_text()` (its form as received; its Twilio signature
was checked once, when it came in, and the spool's encryption refuses a line changed since, so a
rotated auth token or a moved `public_url` cannot lose it); a chat message goes through
`deliver()`, as the chat's routes do, each with the time it arrived (`Record.received_at`): it is
stored, and handled, as of then (an answer's time, an alert's raised time and wait), and only a new
alert's first notices are recorded as queued now. A disclosure raises its alert then, marked `delayed` in
the same transaction (its first notices say so from the moment a dispatcher can claim them). For
SMS, the replies the young person did not get at the time (the next question, say) are queued in
the outbox, in the transaction that stores the text, except the help reply if they already had it, and
except, for a text followed later in the spool by a disclosure from the same number, anything but help (the
disclosure paused the survey: no question, "Reply YES" or thank-you after it, `_before_a_disclosure`); they
keep to `[schedule] reply_hours` (the next question after a night outage waits for the morning), except
help, which goes at once (`_never_waits`). An
SMS already stored (the same MessageSid: its COMMIT was under way at the instant the deadline cut it,
or an earlier replay stopped before marking it done) is answered the same way, with the replies it was
stored with, each once (the outbox's keys); one stored after the record arrived (Twilio retried the
webhook once the database was back, and it was answered live) gets nothing more, and a retry after the
replay is answered with nothing (`take_text`): one message, answered once. A chat message already
stored (its client id) is only marked done: the chat shows the conversation as stored.

An SMS whose MessageSid is already stored from another number is not a retry: the webhook's rule
(`inbound.receive.ProviderIdTaken`, a 409 live) holds here too, through `take_text`: it is not stored,
gets none of the other sender's replies, and is marked failed, as below.

A worrying record had an early notice to the duty team as it was spooled (`early`); what became of it is recorded
among its alert's reasons as the replay raises it (`receive`'s `early_notice`), so its notices say "early notice
sent" rather than read as a second emergency.

A record that cannot be stored for any other reason is marked failed and kept for a person
(`spool replay --retry-failed` tries again; /healthz is "degraded" while any is failed). If the
screen finds a risk in it, an alert is raised anyway, without the message in the conversation,
with a reason saying so: the young person had the help reply, so they believe someone was told.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ..db import retrying, unavailable
from .early import early_reasons
from .store import Record, Spool

log = logging.getLogger(__name__)

REPLAY_SECONDS = 10.0  # no one is waiting on a replay: give a slow or cold database time
# The reason on an alert raised for a failed record, beside the screen's own.
UNSTORED_REASON = "spooled message could not be stored: it waits in the spool (voice-service spool status)"


@dataclass
class ReplayReport:
    """What one replay did."""

    stored: int = 0
    duplicates: int = 0
    failed: int = 0
    alerts: int = 0  # alerts raised for failed records the screen found risky
    pending: int = 0
    busy: bool = False  # another process was replaying
    stopped: bool = False  # the database went away again

    def summary(self) -> str:
        """One line for a person."""
        if self.busy:
            return "another process is replaying the spool; nothing done"
        line = f"stored {self.stored}, already stored {self.duplicates}, failed {self.failed}, waiting {self.pending}"
        if self.alerts:
            line += f" ({self.alerts} failed with a risk: alert raised)"
        return line + (" (stopped: the database is unavailable)" if self.stopped else "")


def replay(
    services,
    *,
    limit: int | None = None,
    seconds: float = REPLAY_SECONDS,
    retry_failed: bool = False,
    now: datetime | None = None,
) -> ReplayReport:
    """Replay every pending spooled message in arrival order (at most `limit`); safe to run at any time.

    Each message's database work has `seconds` (more than the web's deadline: no one is waiting, and the
    database may be busy just after an outage); if it cannot be done in that time, the replay stops and
    keeps the rest. `retry_failed` tries the records that failed before too (a person asks for it).
    """
    spool = Spool.from_config(services.config)
    report = ReplayReport()
    with spool.replaying() as mine:
        if not mine:
            report.busy = True
            return report
        _, failed_before = spool.finished()
        pending = spool.pending(retry_failed=retry_failed)
        # Over everything pending, not only this replay's `limit`: a disclosure left for the next replay still
        # supersedes what an earlier text of theirs is owed.
        superseded = _before_a_disclosure(pending, services.conversations_dir)
        # What became of each worrying record's early notice (`early`), recorded on its alert: its notices say
        # "early notice sent", so the duty team reads them as the full alert of what they already heard of.
        early = early_reasons(spool)
        for record in pending[:limit]:
            told = early.get(record.id)
            try:
                outcome = (
                    _replay_sms(services, record, seconds, superseded=record.id in superseded, early_notice=told)
                    if record.channel == "sms"
                    else _replay_chat(services, record, seconds, early_notice=told)
                )
            except Exception as error:
                if unavailable(error):
                    report.stopped = True
                    break
                # Logged without content: the record stays in the spool file for a person to look at.
                log.error(
                    "spooled message %s could not be replayed (%s); marked failed", record.id, type(error).__name__
                )
                if record.id not in failed_before:  # a retry that fails again has had its alert
                    try:
                        report.alerts += _alert_unstored(services, record, seconds, now, early_notice=told)
                    except Exception as alert_error:
                        if unavailable(alert_error):
                            report.stopped = True  # kept pending: tried again, alert and all
                            break
                        log.exception("no alert could be raised for failed spooled message %s", record.id)
                spool.mark_failed(record)
                report.failed += 1
                continue
            spool.mark_done(record)
            if outcome == "stored":
                report.stored += 1
            else:
                report.duplicates += 1
        spool.compact()
        report.pending = spool.depth().pending
    if report.stored or report.failed or report.stopped:
        log.info("spool replay: %s", report.summary())
    return report


def _alert_unstored(
    services, record: Record, seconds: float, now: datetime | None, *, early_notice: str | None = None
) -> int:
    """An alert for a failed record the screen finds risky (1), else nothing (0).

    The message is not in the database, so the alert has none: its excerpt is what they wrote, its
    participant the sender if known (an SMS's number, a chat's participant), and it is `delayed`, raised at the
    time the message arrived and notified now; `early_notice` (what became of its early notice) joins its reasons.
    """
    from .. import analysis
    from ..inbound.receive import storable
    from ..models import Alert, AlertPriority, ChatSession, Participant, utcnow
    from ..privacy import InvalidPhone, normalise_phone
    from ..safeguarding.alerts import is_out_of_hours, notify_duty_team
    from ..web.chat.sessions import hash_token

    text = record.text
    screen = analysis.screen(text, directory=services.conversations_dir)
    if not screen.risk:
        return 0
    when = now or utcnow()

    def work() -> int | None:
        with Session(services.engine, expire_on_commit=False) as session:
            participant_id = None
            if record.channel == "sms":
                try:
                    phone_hash = services.vault.hash(normalise_phone(record.form().get("From", "")))
                except InvalidPhone:
                    phone_hash = None
                found = session.exec(select(Participant).where(col(Participant.phone_hash) == phone_hash)).first()
                participant_id = found.id if found is not None else None
            elif isinstance(record.data.get("token"), str):
                chat = session.exec(
                    select(ChatSession).where(col(ChatSession.token_hash) == hash_token(record.data["token"]))
                ).first()
                participant_id = chat.participant_id if chat is not None else None
            alert = Alert(
                created_at=record.received_at,  # raised when they wrote it: its wait counts from then
                participant_id=participant_id,
                message_id=None,
                channel=record.channel,
                categories=list(screen.categories),
                priority=getattr(screen, "priority", "") or AlertPriority.HIGH,
                reasons=[*getattr(screen, "reasons", ()), *([early_notice] if early_notice else []), UNSTORED_REASON],
                excerpt=storable(text)[:1000],
                delayed=True,
                out_of_hours=is_out_of_hours(services.config, record.received_at),
                last_message_at=record.received_at,
            )
            session.add(alert)
            session.flush()
            notify_duty_team(
                session=session, vault=services.vault, config=services.config, alert=alert, attempt=0, now=when
            )
            session.commit()
            return alert.id

    alert_id = retrying(work, seconds=seconds)
    log.error("spooled message %s failed and the screen found a risk: alert %s raised", record.id, alert_id)
    return 1


def _before_a_disclosure(records: list[Record], directory) -> set[str]:
    """The ids of the spooled texts followed, later in the spool, by a disclosure from the same number.

    The young person had the holding reply to such a text, then the help reply to the disclosure; once the
    replay stores the disclosure their alert is live and the survey paused, so what the earlier text is owed
    (the next question, say) is superseded: only help goes (`texts.may_follow_disclosure`). Decided here, over
    the spool in arrival order, before anything is queued: a dispatcher running beside the replay could send a
    question queued before the disclosure is stored, and an outbox row once sent cannot be taken back."""
    from ..privacy import InvalidPhone, normalise_phone
    from .guard import _risky

    superseded: set[str] = set()
    disclosed: set[str] = set()  # numbers with a disclosure later in the spool than the record at hand
    for record in reversed(records):
        if record.channel != "sms":
            continue  # a chat's replies are not sent: the chat shows the conversation as stored
        sender = record.form().get("From", "")
        try:
            sender = normalise_phone(sender)
        except InvalidPhone:
            pass  # refused as it is stored (`take_text`): compared as sent
        if sender in disclosed:
            superseded.add(record.id)
        elif _risky(record.text, directory):
            disclosed.add(sender)
    return superseded


def _replay_sms(
    services, record: Record, seconds: float, *, superseded: bool = False, early_notice: str | None = None
) -> str:
    from ..web.sms.routes import take_text
    from .guard import _risky

    form = record.form()
    sid = form.get("MessageSid") or form.get("SmsSid")
    if not sid:
        raise ValueError("spooled SMS without a MessageSid")
    # Screened here, not inside the transaction: the spool answered a risky text with the help reply.
    had_help = _risky(record.text, services.conversations_dir)

    def owed(session: Session, result) -> None:
        _queue_owed(services, session, record, sid, result, had_help, superseded)

    # What the young person is owed is queued in the message's own transaction, so a live copy of the same
    # MessageSid (Twilio's retry) sees the message and its queued replies together, or neither.
    result = retrying(
        lambda: take_text(services, form, received_at=record.received_at, owed=owed, early_notice=early_notice),
        seconds=seconds,
    )
    return "duplicate" if result.duplicate else "stored"


def _queue_owed(
    services, session: Session, record: Record, sid: str, result, had_help: bool, superseded: bool = False
) -> None:
    """Queue the replies the young person has not had, in the transaction that stored (or found) their text.

    `superseded`: a disclosure of theirs came later in the spool (`_before_a_disclosure`), so of these replies
    only help goes, never the survey's words (`texts.may_follow_disclosure`).

    A text already stored before this record arrived (a COMMIT under way as the deadline cut it), or by an
    earlier replay that stopped before marking it done, is answered with the replies it was stored with:
    either way they had only the holding reply (or the help reply) at the time, and the outbox's keys send
    each once. A text stored after this record arrived is Twilio's retry of the same webhook, answered live
    once the database was back: it had its replies then, and nothing more is sent.
    """
    from ..engine.texts import is_disclosure_reply, may_follow_disclosure
    from ..inbound.writes import replayed_key
    from ..models import Alert, Direction, Message, OutboxKind, Participant
    from ..models.base import as_utc
    from ..outbox.queue import enqueue

    message = session.exec(
        select(Message).where(
            col(Message.channel) == "sms",
            col(Message.provider_sid) == sid,
            col(Message.direction) == Direction.IN,
        )
    ).first()
    if message is None:
        return
    if result.duplicate:
        if as_utc(message.created_at) > record.received_at:
            return  # answered live (trial2 F4: it was answered twice)
        _mark_delayed(session, Alert, message.id, services.config)
    participant = session.get(Participant, message.participant_id) if message.participant_id else None
    if participant is None or not participant.phone_encrypted:
        return
    at_once = _never_waits(session, record.text, result, participant.id)
    for number, reply in enumerate(result.replies):
        if had_help and is_disclosure_reply(reply):
            continue
        if superseded and not may_follow_disclosure(reply):
            continue  # the disclosure after it paused the survey: no survey text while its alert is live
        enqueue(
            session=session,
            vault=services.vault,
            # By MessageSid (`replayed_key`): a text spooled twice (a webhook retried while the database was
            # away) or replayed twice (stopped before it was marked done) is answered once.
            key=replayed_key(sid, number),
            kind=OutboxKind.REPLY,
            body=reply,
            participant=participant,
            # A reply to their own text keeps to reply_hours (no texts in the night: they had the holding reply,
            # and the next question comes in the morning), unless it is help, which never waits.
            respect_window=not at_once,
        )


# What a message was that its replies answer a call for help (`_never_waits`).
_HELP_EVENTS = frozenset({"disclosure", "after_disclosure", "wants_person"})


def _never_waits(session: Session, text: str, result, participant_id: int | None) -> bool:
    """True when the replies owed to a replayed text must not wait for `[schedule] reply_hours`: help (the help
    reply to a disclosure, the answer to HELP or to asking for a person) and anything to a young person whose
    safeguarding alert is live (the acknowledgement of what they said since), as a worker's reply on such a
    young person's thread goes at once (trial2 F8)."""
    from ..engine.keywords import classify
    from ..engine.texts import is_disclosure_reply
    from ..safeguarding.alerts import with_live_alert

    if _HELP_EVENTS.intersection(result.events) or classify(text) == "help":
        return True
    if any(is_disclosure_reply(reply) for reply in result.replies):
        return True
    return participant_id is not None and participant_id in with_live_alert(
        session=session, participant_ids={participant_id}
    )


def _mark_delayed(session: Session, alert_model, message_id: int | None, config) -> None:
    """Mark the alert of a message found already stored delayed, and say so in its first notices still waiting.

    A message the replay stores is stored with its alert delayed (`receive`'s `received_at`), its notices
    worded so as they are queued, in the same transaction. This is for a text the replay finds already
    stored (a COMMIT under way as the deadline cut it): its alert was raised as it came in, so a notice may
    already be out; each one not yet tried is written again, so the duty team reads ", delayed" as
    `alert_notice` says it for a delayed alert. A notice already tried, or written otherwise (an escalation
    after the wait), is left as it is. (The webhook route reads the flag as it sends.)
    """
    from ..models import OutboxKind, OutboxMessage, OutboxStatus
    from ..safeguarding.alerts import alert_notice

    if message_id is None:
        return
    for alert in list(session.exec(select(alert_model).where(col(alert_model.message_id) == message_id))):
        if alert.delayed:
            continue
        waiting = session.exec(
            select(OutboxMessage).where(
                col(OutboxMessage.alert_id) == alert.id,
                col(OutboxMessage.attempt) == 0,
                col(OutboxMessage.kind).in_([OutboxKind.ALERT, OutboxKind.ESCALATION]),
                col(OutboxMessage.status) == OutboxStatus.PENDING,
                col(OutboxMessage.attempts) == 0,
            )
        ).all()
        was = {row.id: alert_notice(alert, config=config, kind=row.kind, now=row.not_before) for row in waiting}
        alert.delayed = True
        for row in waiting:
            if row.body == was[row.id]:
                row.body = alert_notice(alert, config=config, kind=row.kind, now=row.not_before)


def _replay_chat(services, record: Record, seconds: float, *, early_notice: str | None = None) -> str:
    from ..web.chat.sessions import deliver

    data = record.data
    turn = retrying(
        lambda: deliver(
            services=services,
            token=data["token"],
            text=data["text"],
            client_id=data["client_id"],
            received_at=record.received_at,
            early_notice=early_notice,
        ),
        seconds=seconds,
    )
    if turn is None:
        raise ValueError("the chat had ended")
    # A disclosure's alert was stored delayed with it (`receive`'s received_at): nothing more to mark.
    return "duplicate" if turn.duplicate else "stored"
