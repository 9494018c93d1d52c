"""Subject access and erasure: everything held about one young person, found by their number.

A person is found by the keyed hash of their number (or, for a web chat with no number,
by their pseudonym). `export_subject` gathers every row about them; `erase_subject`
removes them everywhere, leaving only the fact that an alert existed and what was done,
and counts of what was removed. Neither ever logs the number, the name or any text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, delete, or_, update
from sqlmodel import Session, SQLModel, col, select

from ..audit import record
from ..config import Config
from ..models import (
    Alert,
    AlertMessage,
    AlertStatus,
    AuditEvent,
    ChatSession,
    Contact,
    Conversation,
    ErasedNumber,
    HeldBack,
    Message,
    OptOut,
    OutboxKind,
    OutboxMessage,
    Participant,
    Response,
    Run,
    User,
    normalise_email,
    utcnow,
)
from ..safeguarding.history import entries, forget_notes
from ..spool.store import Spool
from ..summary.reissue import ERASED_FROM_ROUND
from .phones import mask, normalise_phone
from .spooled import Spooled, SpooledMessagesWaiting, forget_spooled, spooled_for
from .storage import checkpoint, secure_delete
from .vault import PhoneVault

log = logging.getLogger(__name__)

ERASED_EXCERPT = "(removed at the young person's request)"
ERASED_NOTICE_NAME = "a participant since erased"
# Notices to the duty team about an alert: the record that they were told, kept without the pseudonym.
DUTY_NOTICES = OutboxKind.ALERTS
_QUOTED = re.compile(r"\s*\(.*\)\s*$")


def without_quotes(reasons: list) -> list:
    """An alert's reasons without the matched words ("lexicon: self_harm (wants to die)" -> "lexicon: self_harm")."""
    return [_QUOTED.sub("", str(reason)) for reason in reasons or []]


@dataclass
class Subject:
    """Who a request is about: the participant (if any) and the number's keyed hash (if a number was given)."""

    participant: Participant | None
    phone_hash: str | None
    phone: str | None = None


def find_subject(
    *, session: Session, vault: PhoneVault, phone: str | None = None, pseudonym: str | None = None
) -> Subject:
    """Find the person a request is about, by phone number (any format) or by pseudonym (`P-1A2B3C4D`)."""
    if (phone is None) == (pseudonym is None):
        raise ValueError("give a phone number or a pseudonym")
    if phone is not None:
        e164 = normalise_phone(phone)
        phone_hash = vault.hash(e164)
        participant = session.exec(select(Participant).where(col(Participant.phone_hash) == phone_hash)).first()
        return Subject(participant, phone_hash, e164)
    participant = session.exec(
        select(Participant).where(col(Participant.pseudonym) == (pseudonym or "").strip().upper())
    ).first()
    if participant is None:
        return Subject(None, None)
    phone = vault.decrypt(participant.phone_encrypted) if participant.phone_encrypted else None
    return Subject(participant, participant.phone_hash, phone)


def _row(model: SQLModel, drop: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    """One row as plain JSON-ready data, without the `drop` columns (ciphertexts, hashes)."""
    data = model.model_dump(exclude=set(drop))
    data.update(extra)
    return {key: _plain(value) for key, value in data.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _outbox_rows(session: Session, subject: Subject) -> list[OutboxMessage]:
    conditions = []
    if subject.participant is not None:
        conditions.append(col(OutboxMessage.participant_id) == subject.participant.id)
    if subject.phone_hash is not None:
        conditions.append(col(OutboxMessage.to_hash) == subject.phone_hash)
    if not conditions:
        return []
    query = select(OutboxMessage).where(or_(*conditions)).order_by(col(OutboxMessage.id))
    return list(session.exec(query))


def _alerts(session: Session, participant: Participant | None) -> list[Alert]:
    if participant is None:
        return []
    messages = select(col(Message.id)).where(col(Message.participant_id) == participant.id)
    linked = select(col(AlertMessage.alert_id)).where(col(AlertMessage.message_id).in_(messages))
    query = select(Alert).where(
        or_(
            col(Alert.participant_id) == participant.id,
            col(Alert.message_id).in_(messages),
            col(Alert.id).in_(linked),
        )
    )
    return list(session.exec(query.order_by(col(Alert.id))))


def _of(session: Session, model, participant: Participant | None) -> list:
    if participant is None:
        return []
    query = select(model).where(model.participant_id == participant.id).order_by(model.id)
    return list(session.exec(query))


def export_subject(
    *,
    session: Session,
    vault: PhoneVault,
    subject: Subject,
    spool: Spool | None = None,
    actor: str = "cli",
    now: datetime | None = None,
) -> dict:
    """Everything held about one person, as JSON-ready data (a subject access request).

    Phone numbers are decrypted for the person's own copy; the chat's token hash is left out
    (it is a lock, not information about them). It holds their data only, never another person's contact
    details: notices about their alerts to the duty team (`DUTY_NOTICES`) are listed as `staff_notices`, by
    route kind and time, without where they went or what they said, and members of staff are named as
    colleagues see them (`staff_name`), without their email addresses or the addresses they worked from.
    """
    participant = subject.participant
    held: dict[str, Any] = {
        "generated_at": (now or utcnow()).isoformat(),
        "found": participant is not None,
        "participant": None,
    }
    if participant is not None:
        phone = vault.decrypt(participant.phone_encrypted) if participant.phone_encrypted else None
        held["participant"] = _row(participant, drop=("phone_encrypted", "phone_hash"), phone=phone)
    elif subject.phone:
        held["phone"] = subject.phone
    held["messages"] = [_row(m) for m in _of(session, Message, participant)]
    held["answers"] = [_row(r) for r in _of(session, Response, participant)]
    held["runs"] = [_row(r) for r in _of(session, Run, participant)]
    held["held_back"] = [_row(h) for h in _of(session, HeldBack, participant)]  # rounds their alert held back
    alerts = _alerts(session, participant)
    conversations = _of(session, Conversation, participant)
    audit = _audit_rows(session, participant)
    contacts = _of(session, Contact, participant)
    steps = [step for alert in alerts if alert.id is not None for step in entries(session=session, alert_id=alert.id)]
    staff = _staff_names(
        session,
        [
            *_named(alerts, ALERT_STAFF),
            *_named(steps, ALERT_STEP_STAFF),
            *_named(conversations, CONVERSATION_STAFF),
            *_named(contacts, CONTACT_STAFF),
            *audit,
        ],
    )
    held["alerts"] = [_row(a, **_renamed(a, ALERT_STAFF, staff)) for a in alerts]
    # Each step the duty team took on those alerts: who, when, and the note written with it.
    held["alert_steps"] = [_row(step, **_renamed(step, ALERT_STEP_STAFF, staff)) for step in steps]
    outbox = _outbox_rows(session, subject)
    held["outbox"] = [
        _row(row, drop=("to_encrypted", "to_hash"), to=_safe_decrypt(vault, row.to_encrypted))
        for row in outbox
        if not _to_staff(row, subject)
    ]
    held["staff_notices"] = [_staff_notice(row) for row in outbox if _to_staff(row, subject)]
    held["conversations"] = [
        _row(c, drop=("last_reply_token",), **_renamed(c, CONVERSATION_STAFF, staff)) for c in conversations
    ]
    held["calls_and_visits"] = [_row(c, **_renamed(c, CONTACT_STAFF, staff)) for c in contacts]
    held["chat_sessions"] = [_row(c, drop=("token_hash",)) for c in _of(session, ChatSession, participant)]
    opt_out = session.get(OptOut, subject.phone_hash) if subject.phone_hash else None
    held["opt_out"] = _row(opt_out, drop=("phone_hash",)) if opt_out else None
    erased = session.get(ErasedNumber, subject.phone_hash) if subject.phone_hash else None
    held["erased"] = _row(erased, drop=("phone_hash",)) if erased else None
    held["audit"] = [_row(event, drop=("actor_id", "ip"), actor=staff_name(event.actor, staff)) for event in audit]
    held["spool"] = [item.as_dict() for item in _spooled(session, subject, spool)]
    # After gathering, so their copy does not list its own making; committed with the caller's transaction.
    _record_audit(
        session,
        actor=actor,
        action="privacy.export",
        participant_id=participant.id if participant else None,
        now=now or utcnow(),
    )
    return held


# The columns that name a member of staff (an account's email, or a name typed on the command line).
ALERT_STAFF = ("acknowledged_by", "assigned_to", "closed_by")
ALERT_STEP_STAFF = ("by", "handed_to")
CONVERSATION_STAFF = ("assigned_to", "last_reply_by", "referred_by", "closed_by")
CONTACT_STAFF = ("recorded_by",)
A_MEMBER_OF_STAFF = "a member of staff"


def _to_staff(row: OutboxMessage, subject: Subject) -> bool:
    """True for a notice about their alert addressed to the duty team (or escalation contacts), not to them."""
    return row.kind in DUTY_NOTICES and (subject.phone_hash is None or row.to_hash != subject.phone_hash)


def _staff_notice(row: OutboxMessage) -> dict[str, Any]:
    """That the duty team was told of their alert, how (text, email, webhook) and when: no address, no words."""
    return {
        key: _plain(value)
        for key, value in {
            "alert_id": row.alert_id,
            "kind": row.kind,
            "route": row.channel,
            "status": row.status,
            "queued_at": row.created_at,
            "sent_at": row.sent_at,
        }.items()
    }


def _named(rows: list, columns: tuple[str, ...]) -> list[str]:
    """Who these rows name in `columns` (emails or typed names), for `_staff_names`."""
    return [who for row in rows for column in columns if (who := getattr(row, column))]


def _staff_names(session: Session, named: list[str | AuditEvent]) -> dict[str, str]:
    """The name each account these emails belong to goes by (`User.name`), when it has one."""
    emails = {normalise_email(who.actor if isinstance(who, AuditEvent) else who) for who in named}
    rows = session.exec(select(User).where(col(User.email).in_(emails))).all() if emails else []
    return {user.email: user.name for user in rows if user.name}


def staff_name(who: str | None, names: dict[str, str]) -> str | None:
    """A member of staff as a subject access export names them: their account's name, a name typed on the
    command line as it was, else "a member of staff" (never an email address or a login name)."""
    if not who:
        return who
    if (name := names.get(normalise_email(who))) is not None:
        return name
    return A_MEMBER_OF_STAFF if "@" in who or ":" in who or who == "system" else who


def _renamed(row: SQLModel, columns: tuple[str, ...], names: dict[str, str]) -> dict[str, Any]:
    """`columns` of this row with each member of staff named by `staff_name`."""
    return {column: staff_name(getattr(row, column), names) for column in columns}


def _safe_decrypt(vault: PhoneVault, token: str) -> str | None:
    if not token:
        return None
    try:
        return vault.decrypt(token)
    except ValueError:
        return None


def _audit_rows(session: Session, participant: Participant | None) -> list[AuditEvent]:
    """Audit-log rows about this participant: staff who looked at or changed their record or messages."""
    if participant is None or participant.id is None:
        return []
    alerts = [str(alert.id) for alert in _alerts(session, participant)]
    query = select(AuditEvent).where(
        or_(
            and_(col(AuditEvent.subject_type) == "participant", col(AuditEvent.subject_id) == str(participant.id)),
            and_(col(AuditEvent.subject_type) == "alert", col(AuditEvent.subject_id).in_(alerts)),
        )
    )
    return list(session.exec(query.order_by(col(AuditEvent.id))))


def _spooled(session: Session, subject: Subject, spool: Spool | None) -> list[Spooled]:
    """The person's messages in the inbound spool (by number, or by their chats' tokens)."""
    if spool is None:
        return []
    chats = _of(session, ChatSession, subject.participant)
    return spooled_for(spool, phone=subject.phone, chat_token_hashes={chat.token_hash for chat in chats})


class AlertStillOpen(Exception):
    """The person has an alert the duty team has not closed: it must be dealt with before they can be erased."""

    def __init__(self, alert_ids: list[int]):
        self.alert_ids = alert_ids
        listed = ", ".join(f"#{i}" for i in alert_ids)
        super().__init__(
            f"safeguarding alert {listed} about this person is not closed yet: the duty team must close it "
            "first (a disclosure still being dealt with is never deleted)"
        )


class DutyNumber(Exception):
    """The number is one of the duty team's own (`[safeguarding] duty_phones` or `escalation_phones`), never a young
    person's: erasing it would delete the alerts' record of who was told (their notices went to it)."""

    def __init__(self) -> None:
        super().__init__(
            "that number is one of the duty team's own ([safeguarding] duty_phones or escalation_phones), not a young "
            "person's: erasing it would delete every alert's record of who was told. If it is now someone's own "
            "number, take it out of the config first"
        )


@dataclass
class ErasureReport:
    """Counts of what an erasure removed: no number, name or text, so it can be logged and audited."""

    participants: int = 0
    messages: int = 0
    answers: int = 0
    runs: int = 0
    outbox: int = 0
    chat_sessions: int = 0
    opt_outs: int = 0
    spooled: int = 0
    alerts_kept: int = 0
    alerts_cleared: list[int] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        """True when something was removed."""
        return any(
            (self.participants, self.messages, self.answers, self.runs, self.outbox, self.opt_outs, self.spooled)
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain counts, for the command's output and the audit log."""
        return asdict(self)


def erase_subject(
    *,
    session: Session,
    subject: Subject,
    spool: Spool | None = None,
    keep_opt_out: bool = True,
    actor: str = "cli",
    now: datetime | None = None,
    config: Config | None = None,
) -> ErasureReport:
    """Remove one person everywhere, in the caller's transaction; running it again removes nothing more.

    Refuses (DutyNumber) a number of the duty team's in `config`: nobody's to erase, and the record of who was told.

    Refuses (AlertStillOpen) while an alert about them is not closed, and (SpooledMessagesWaiting)
    while a message of theirs waits unscreened in the inbound `spool`; their other spooled records go. Kept: each alert
    about them (its categories, status, who acknowledged it and what was done), without the
    message, the excerpt, the worker's free-text note or any link to them.
    A STOP survives by default (`keep_opt_out`): only the keyed hash stays in the opt-out register (the
    word they used becomes "STOP"), so a re-imported list can never text them again; an opt-out must
    outlive the data, or erasing someone would undo their STOP. By default, too, the number of someone held is
    marked as erased (`ErasedNumber`: its keyed hash and when), so the council's next import leaves them out
    rather than adding them back unseen; `keep_opt_out=False` keeps neither.
    """
    if config is not None:
        from ..inbound.duty_phones import is_duty_phone  # the rule's one home (the inbound path reads it first)

        if is_duty_phone(config, subject.phone):
            raise DutyNumber()
    now = now or utcnow()
    report = ErasureReport()
    participant = subject.participant
    spooled = _spooled(session, subject, spool)
    if any(item.state == "pending" for item in spooled):
        raise SpooledMessagesWaiting(sum(item.state == "pending" for item in spooled))
    secure_delete(session)
    erased_from: list[int] = []
    if participant is not None:
        pid = participant.id
        alerts = _alerts(session, participant)
        still_open = [alert.id for alert in alerts if alert.status != AlertStatus.CLOSED and alert.id is not None]
        if still_open:
            raise AlertStillOpen(still_open)
        for alert in alerts:
            assert alert.id is not None
            alert.excerpt = ERASED_EXCERPT
            alert.note = None
            forget_notes(session=session, alert_id=alert.id)
            alert.reasons = without_quotes(alert.reasons)
            alert.participant_id = None
            alert.message_id = None
            report.alerts_cleared.append(alert.id)
        report.alerts_kept = len(alerts)
        session.flush()
        their_messages = select(col(Message.id)).where(col(Message.participant_id) == pid)
        session.exec(delete(AlertMessage).where(col(AlertMessage.message_id).in_(their_messages)))
        session.exec(delete(Contact).where(col(Contact.participant_id) == pid))
        session.exec(delete(Conversation).where(col(Conversation.participant_id) == pid))
        # The rounds whose figures this changes: a summary of one given out before now differs from one after.
        rounds = set(session.exec(select(col(Run.round_id)).where(col(Run.participant_id) == pid)))
        rounds |= set(session.exec(select(col(Response.round_id)).where(col(Response.participant_id) == pid)))
        erased_from = sorted(r for r in rounds if r is not None)
        report.answers = _count(session.exec(delete(Response).where(col(Response.participant_id) == pid)))
        # Another participant's answer never points at this person's message, but be certain.
        session.exec(update(Response).where(col(Response.message_id).in_(their_messages)).values(message_id=None))
        report.messages = _count(session.exec(delete(Message).where(col(Message.participant_id) == pid)))
        session.exec(delete(HeldBack).where(col(HeldBack.participant_id) == pid))
        report.runs = _count(session.exec(delete(Run).where(col(Run.participant_id) == pid)))
        report.chat_sessions = _count(session.exec(delete(ChatSession).where(col(ChatSession.participant_id) == pid)))
    # Duty-team notices about their alerts are the record that the team was told: keep them,
    # addressed to the duty team as before, but no longer naming the person's pseudonym.
    for row in _outbox_rows(session, subject):
        if _to_staff(row, subject):
            if participant is not None:
                row.body = row.body.replace(participant.pseudonym, ERASED_NOTICE_NAME)
            row.participant_id = None
            continue
        session.delete(row)
        report.outbox += 1
    session.flush()
    if subject.phone_hash is not None and not keep_opt_out:
        report.opt_outs = _count(session.exec(delete(OptOut).where(col(OptOut.phone_hash) == subject.phone_hash)))
        session.exec(delete(ErasedNumber).where(col(ErasedNumber.phone_hash) == subject.phone_hash))
    elif subject.phone_hash is not None:
        # The suppression entry keeps nothing of theirs but the keyed hash and when.
        session.exec(update(OptOut).where(col(OptOut.phone_hash) == subject.phone_hash).values(keyword="STOP"))
        if participant is not None and session.get(ErasedNumber, subject.phone_hash) is None:
            # The mark an import reads (`importer.import_participants`): the keyed hash and when, nothing else.
            session.add(ErasedNumber(phone_hash=subject.phone_hash, erased_at=now))
    if participant is not None:
        session.delete(participant)
        session.flush()
        report.participants = 1
    if spool is not None and spooled:
        report.spooled = forget_spooled(spool, spooled)
    _record_audit(
        session, actor=actor, action="privacy.erase", participant_id=participant.id if participant else None, now=now
    )
    for round_id in erased_from:
        # The round, never the person: `summary.reissue` warns whoever gives its summary out again.
        record(
            session=session,
            actor=actor,
            action=ERASED_FROM_ROUND,
            subject_type="round",
            subject_id=round_id,
            now=now,
        )
    log.info(
        "erasure done: participants=%s messages=%s answers=%s runs=%s outbox=%s alerts_kept=%s",
        report.participants,
        report.messages,
        report.answers,
        report.runs,
        report.outbox,
        report.alerts_kept,
    )
    return report


def _record_audit(session: Session, *, actor: str, action: str, participant_id: int | None, now: datetime) -> None:
    """Record an export or erasure in the audit log: who, when, which record; never the number."""
    record(
        session=session,
        actor=actor,
        action=action,
        subject_type="participant",
        subject_id=participant_id,
        now=now,
    )


def _count(result) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


__all__ = [
    "AlertStillOpen",
    "DutyNumber",
    "ErasureReport",
    "checkpoint",
    "Subject",
    "erase_subject",
    "export_subject",
    "find_subject",
    "mask",
]
