"""Retention (`voice-service privacy purge`, and the scheduler's nightly job).

After `[privacy] retention_days`:
- raw text goes: messages are deleted, answers keep their themes, sentiment, scores and
  chosen options but lose the words typed, outbox rows keep their status but lose the
  text and the address, alerts keep what was done but lose the excerpt and the note;
- a participant not heard from in that time is removed: name, date of birth, area, number
  and its hash are deleted, and the row left behind is an anonymous placeholder (a new
  random pseudonym, care status and age band) so past rounds still count their answers.
Anonymous web chats in which nobody said anything go after a day, with their participant.

An alert the duty team has not closed keeps its messages and excerpt, and its participant,
whatever their age: a disclosure still being dealt with is never deleted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, delete, exists, func, or_, union, update
from sqlmodel import Session, col, select

from ..models import (
    Alert,
    AlertEntry,
    AlertMessage,
    AlertStatus,
    ChatSession,
    Contact,
    Conversation,
    Direction,
    Message,
    OutboxMessage,
    OutboxStatus,
    Participant,
    Response,
    Round,
    Run,
    utcnow,
)
from ..models.participant import new_pseudonym
from ..participants.groups import AGE_NOT_KNOWN, band_on
from ..safeguarding.history import forget_notes
from ..safeguarding.live import alert_is_live
from .storage import secure_delete
from .subject import ERASED_EXCERPT, without_quotes

log = logging.getLogger(__name__)

RETIRED_EXCERPT = "(removed after the retention period)"
REMOVED_SOURCE = "removed"
WEBCHAT = "webchat"
SILENT_CHAT_DAYS = 1
FINAL_OUTBOX = (OutboxStatus.SENT, OutboxStatus.DELIVERED, OutboxStatus.FAILED, OutboxStatus.CANCELLED)


@dataclass
class PurgeReport:
    """How many rows each step touched (counts only: safe to log)."""

    messages: int = 0
    responses: int = 0
    outbox: int = 0
    alerts: int = 0
    participants: int = 0
    silent_chats: int = 0

    def __str__(self) -> str:
        return (
            f"messages deleted={self.messages} answers cleared={self.responses} outbox cleared={self.outbox} "
            f"alerts cleared={self.alerts} participants removed={self.participants} "
            f"silent chats removed={self.silent_chats}"
        )


def _open_alert_messages():
    """Every message of a live alert (open or acknowledged: `safeguarding.live`, the rule's one home): the
    one that raised it and every later one added to it. The duty team has not closed it, so none is touched."""
    raised = select(col(Alert.message_id)).where(alert_is_live(), col(Alert.message_id).is_not(None))
    added = (
        select(col(AlertMessage.message_id))
        .join(Alert, col(Alert.id) == col(AlertMessage.alert_id))
        .where(alert_is_live())
    )
    return union(raised, added)


def _open_alert_participants():
    return select(col(Alert.participant_id)).where(alert_is_live(), col(Alert.participant_id).is_not(None))


def purge_expired(*, session: Session, retention_days: int, now: datetime | None = None) -> PurgeReport:
    """Apply the retention period in the caller's transaction; running it twice changes nothing more."""
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    now = now or utcnow()
    cutoff = now - timedelta(days=retention_days)
    report = PurgeReport()
    secure_delete(session)
    # Who to remove is decided before any message goes: their last word is what counts.
    stale = _stale_participants(session, cutoff)
    report.responses = _clear_answers(session, cutoff)
    report.alerts = _clear_alerts(session, cutoff)
    report.messages = _delete_messages(session, cutoff)
    report.outbox = _clear_outbox(session, cutoff)
    report.participants = _remove_participants(session, stale, now)
    report.silent_chats = purge_silent_chats(session=session, now=now)
    return report


def _clear_answers(session: Session, cutoff: datetime) -> int:
    """Old answers keep their analysis and the option chosen, but not the words typed."""
    old = or_(
        col(Response.created_at) < cutoff,
        col(Response.message_id).in_(select(col(Message.id)).where(col(Message.created_at) < cutoff)),
    )
    typed = or_(col(Response.kind) == "text", col(Response.free_text).is_(True))
    count = _rows(session.exec(update(Response).where(old, col(Response.answer) != "").values(answer="")))
    session.exec(update(Response).where(old, typed, col(Response.value_text).is_not(None)).values(value_text=None))
    kept = _open_alert_messages()
    session.exec(
        update(Response)
        .where(old, col(Response.message_id).is_not(None), col(Response.message_id).not_in(kept))
        .values(message_id=None)
    )
    return count


def _clear_alerts(session: Session, cutoff: datetime) -> int:
    """Dealt-with alerts older than the period keep what happened, not what was said."""
    settled = and_(col(Alert.status) == AlertStatus.CLOSED, col(Alert.created_at) < cutoff)
    alerts = session.exec(
        select(Alert).where(
            settled,
            or_(
                col(Alert.excerpt).not_in((RETIRED_EXCERPT, ERASED_EXCERPT)),
                col(Alert.note).is_not(None),
                exists().where(col(AlertEntry.alert_id) == Alert.id, col(AlertEntry.note).is_not(None)),
            ),
        )
    ).all()
    for alert in alerts:
        _retire(session, alert)
    old_messages = select(col(Message.id)).where(col(Message.created_at) < cutoff)
    session.exec(
        update(Alert)
        .where(col(Alert.status) == AlertStatus.CLOSED, col(Alert.message_id).in_(old_messages))
        .values(message_id=None)
    )
    session.exec(
        delete(AlertMessage).where(
            col(AlertMessage.message_id).in_(old_messages), col(AlertMessage.message_id).not_in(_open_alert_messages())
        )
    )
    session.flush()
    return len(alerts)


def _retire(session: Session, alert: Alert) -> None:
    """An alert keeps its categories, priority, status and what was done, by whom and when; not the words."""
    alert.excerpt = RETIRED_EXCERPT
    alert.note = None
    if alert.id is not None:
        forget_notes(session=session, alert_id=alert.id)
    alert.reasons = without_quotes(alert.reasons)


def _delete_messages(session: Session, cutoff: datetime) -> int:
    kept = _open_alert_messages()
    return _rows(session.exec(delete(Message).where(col(Message.created_at) < cutoff, col(Message.id).not_in(kept))))


def _clear_outbox(session: Session, cutoff: datetime) -> int:
    """Sent (or failed) messages older than the period keep their status for the counts, not their text."""
    return _rows(
        session.exec(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.created_at) < cutoff,
                col(OutboxMessage.status).in_(FINAL_OUTBOX),
                or_(col(OutboxMessage.body) != "", col(OutboxMessage.to_encrypted) != ""),
            )
            .values(body="", to_encrypted="", to_hash=None, error_message=None)
        )
    )


def _stale_participants(session: Session, cutoff: datetime) -> list[int]:
    """Participants not heard from (no message in, no chat, no update to their record) since the cutoff."""
    last_in = (
        select(col(Message.participant_id), func.max(Message.created_at).label("at"))
        .where(col(Message.direction) == Direction.IN, col(Message.participant_id).is_not(None))
        .group_by(col(Message.participant_id))
        .subquery()
    )
    recent_chat = exists().where(
        col(ChatSession.participant_id) == Participant.id, col(ChatSession.last_seen_at) >= cutoff
    )
    query = (
        select(col(Participant.id))
        .outerjoin(last_in, last_in.c.participant_id == Participant.id)
        .where(
            col(Participant.source) != REMOVED_SOURCE,
            col(Participant.created_at) < cutoff,
            col(Participant.updated_at) < cutoff,
            or_(last_in.c.at.is_(None), last_in.c.at < cutoff),
            ~recent_chat,
            col(Participant.id).not_in(_open_alert_participants()),
        )
    )
    return [pid for pid in session.exec(query) if pid is not None]


def _remove_participants(session: Session, ids: list[int], now: datetime) -> int:
    """Strip each participant to an anonymous placeholder; their answers' analysis stays counted."""
    for pid in ids:
        participant = session.get(Participant, pid)
        if participant is None:
            continue
        band = participant.age_band
        if band is None and participant.date_of_birth is not None:
            band = _band(participant, now.date())
        _keep_run_bands(session, participant)
        participant.first_name = None
        participant.date_of_birth = None
        participant.area = None
        participant.phone_hash = None
        participant.phone_encrypted = None
        participant.onboarding = None
        participant.remind = False
        participant.age_band = band
        participant.source = REMOVED_SOURCE
        participant.pseudonym = new_pseudonym()
        session.exec(delete(ChatSession).where(col(ChatSession.participant_id) == pid))
        session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.participant_id) == pid)
            .values(body="", to_encrypted="", to_hash=None, error_message=None)
        )
        session.exec(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.participant_id) == pid,
                col(OutboxMessage.status).in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
            )
            .values(status=OutboxStatus.CANCELLED)
        )
        for alert in session.exec(
            select(Alert).where(col(Alert.participant_id) == pid, col(Alert.status) == AlertStatus.CLOSED)
        ).all():
            _retire(session, alert)
        session.exec(update(Conversation).where(col(Conversation.participant_id) == pid).values(referral_note=None))
        session.exec(update(Contact).where(col(Contact.participant_id) == pid).values(note=None))
    session.flush()
    return len(ids)


def _keep_run_bands(session: Session, participant: Participant) -> None:
    """Their runs that do not yet keep an age band keep the one they were counted in (as on the day each round
    opened), before their date of birth goes: an older round's summary reads the same after the purge."""
    runs = session.exec(
        select(Run, Round)
        .join(Round, col(Round.id) == col(Run.round_id))
        .where(col(Run.participant_id) == participant.id, col(Run.age_band).is_(None))
    ).all()
    for run, round_ in runs:
        run.age_band = band_on(participant.date_of_birth, participant.age_band, round_.opened_on()) or AGE_NOT_KNOWN


def _band(participant: Participant, today: date) -> str | None:
    from ..models import AGE_BANDS

    age = participant.age_on(today)
    for band in AGE_BANDS:
        low, high = (int(part) for part in band.split("-"))
        if age is not None and low <= age <= high:
            return band
    return None


def purge_silent_chats(*, session: Session, now: datetime | None = None) -> int:
    """Remove anonymous web chats over a day old in which nobody said anything, with their participant."""
    now = now or utcnow()
    cutoff = now - timedelta(days=SILENT_CHAT_DAYS)
    spoke = exists().where(col(Message.participant_id) == Participant.id, col(Message.direction) == Direction.IN)
    other_chat = exists().where(
        col(ChatSession.participant_id) == Participant.id, col(ChatSession.last_seen_at) >= cutoff
    )
    referenced = or_(
        exists().where(col(Run.participant_id) == Participant.id),
        exists().where(col(Response.participant_id) == Participant.id),
        exists().where(col(Alert.participant_id) == Participant.id),
    )
    silent = list(
        session.exec(
            select(col(Participant.id)).where(
                col(Participant.source) == WEBCHAT,
                col(Participant.phone_hash).is_(None),
                col(Participant.created_at) < cutoff,
                ~spoke,
                ~other_chat,
                ~referenced,
            )
        )
    )
    if not silent:
        return 0
    session.exec(delete(ChatSession).where(col(ChatSession.participant_id).in_(silent)))
    session.exec(delete(Contact).where(col(Contact.participant_id).in_(silent)))
    session.exec(delete(Conversation).where(col(Conversation.participant_id).in_(silent)))
    session.exec(delete(Message).where(col(Message.participant_id).in_(silent)))
    session.exec(delete(OutboxMessage).where(col(OutboxMessage.participant_id).in_(silent)))
    session.exec(delete(Participant).where(col(Participant.id).in_(silent)))
    session.flush()
    return len(silent)


def _rows(result) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
