"""What the duty pages show, as plain data: the queue with waiting time against the target, and one
alert with the messages that raised it and the conversation around them.

No Flask here. The changes themselves (acknowledge, record an action, hand over, close) are
`voice_service.safeguarding.alerts`'s; the routes call those and audit them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from ...accounts.service import display_names
from ...dates import uk_duration
from ...models import (
    Alert,
    AlertMessage,
    AlertStatus,
    Contact,
    Direction,
    Message,
    Participant,
    Response,
    Run,
    SurveyVersion,
)
from ...privacy import PhoneVault
from ...privacy.phones import mask
from ...safeguarding import unsent
from ...safeguarding.alerts import (
    NoticeEvent,
    NoticeState,
    escalation_states,
    escalation_tag,
    notice_history,
    notice_states,
)
from ...safeguarding.history import Step, history, people
from ...safeguarding.unsent import scheduler_silence, unsent_notices
from ...safeguarding.waiting import Wait, wait
from ...surveys.registry import pinned_survey
from .failed_texts import FailedText, failed_texts
from .words import answer_words

# How much of the conversation to show around the first worrying message.
MESSAGES_BEFORE = 15
MESSAGES_AFTER = 60


@dataclass(frozen=True)
class Waiting:
    """An alert's wait against the target (`safeguarding.waiting`), in the duty pages' words."""

    wait: Wait

    @property
    def overdue(self) -> bool:
        """True when it waited, or is still waiting, longer than the target."""
        return self.wait.overdue

    @property
    def words(self) -> str:
        """For example "waiting 42 min (target 15 min)" or "picked up after 6 min (target 15 min)"."""
        spent = uk_duration(self.wait.minutes)
        target = uk_duration(self.wait.target_minutes)
        if self.wait.picked_up:
            return f"picked up after {spent} (target {target})"
        return f"waiting {spent} (target {target})"

    @property
    def label(self) -> str:
        """The row's label, said once: "Waiting", or "Picked up after" once someone has."""
        return "Picked up after" if self.wait.picked_up else "Waiting"

    @property
    def amount(self) -> str:
        """What follows the label: "42 min (target 15 min)"."""
        return f"{uk_duration(self.wait.minutes)} (target {uk_duration(self.wait.target_minutes)})"


def waiting(alert: Alert, *, now: datetime, target_minutes: int) -> Waiting:
    """How long it waited to be picked up (or has so far), against the target, for the page."""
    return Waiting(wait(alert, now=now, target_minutes=target_minutes))


@dataclass
class QueueRow:
    """One alert in the queue."""

    alert: Alert
    waiting: Waiting
    first_name: str | None
    pseudonym: str | None
    escalation: str = ""  # its tag ("Escalated", "Escalation waiting to be sent"), "" when not escalated
    # Where its notices to the duty team stand, in `alerts list`'s words ("notified once; 1 notice failed").
    notices: NoticeState = field(default_factory=NoticeState)


def queue(
    *, session: Session, now: datetime, target_minutes: int, closed: bool = False, limit: int = 200
) -> list[QueueRow]:
    """Live alerts (open, then acknowledged: oldest first), or the most recently closed ones."""
    query = select(Alert, Participant).outerjoin(Participant, col(Participant.id) == col(Alert.participant_id))
    if closed:
        query = query.where(col(Alert.status) == AlertStatus.CLOSED).order_by(col(Alert.closed_at).desc())
    else:
        # Nobody has the open ones yet: they come first, oldest first; then the ones in hand.
        query = query.where(col(Alert.status).in_(AlertStatus.LIVE)).order_by(
            (col(Alert.status) == AlertStatus.OPEN).desc(), col(Alert.created_at), col(Alert.id)
        )
    rows = session.exec(query.limit(limit)).all()
    escalated = [alert.id for alert, _ in rows if alert.id and alert.escalated_at is not None]
    escalations = escalation_states(session=session, alert_ids=escalated)
    notices = notice_states(session=session, alert_ids=[alert.id for alert, _ in rows if alert.id])
    return [
        QueueRow(
            alert=alert,
            waiting=waiting(alert, now=now, target_minutes=target_minutes),
            first_name=participant.first_name if participant else None,
            pseudonym=participant.pseudonym if participant else None,
            escalation=escalation_tag(alert, escalations),
            notices=notices.get(alert.id or 0, NoticeState()),
        )
        for alert, participant in rows
    ]


@dataclass
class ConversationLine:
    """One message in the conversation shown on an alert."""

    message: Message
    raised: bool  # one of the messages that raised or were added to this alert

    @property
    def incoming(self) -> bool:
        """True for the young person's own words."""
        return self.message.direction == Direction.IN


@dataclass
class AlertView:
    """Everything the alert page shows (the full phone number only when revealed)."""

    alert: Alert
    waiting: Waiting
    participant: Participant | None
    masked_phone: str | None
    raised_by: list[tuple[AlertMessage, Message]]
    conversation: list[ConversationLine]
    earlier_messages: bool = False
    names: dict[str, str] = field(default_factory=dict)
    notices: list[NoticeEvent] = field(default_factory=list)  # first notice, reminders, escalation
    # A raising message that answered a survey question, in words ("Answered 1 (Not safe) to “...”"), by id.
    answers: dict[int, str] = field(default_factory=dict)
    escalation: str = ""  # its tag ("Escalated", "Escalation waiting to be sent"), "" when not escalated
    # Texts from us in the conversation shown that did not reach them (`failed_texts`), by message id.
    failed: dict[int, FailedText] = field(default_factory=dict)
    # Calls and visits recorded on their conversation since it was raised (until it was closed), oldest first.
    contacts: list[Contact] = field(default_factory=list)
    # Every step on the alert's record with who and when (`safeguarding.history`), oldest first.
    history: list[Step] = field(default_factory=list)

    @property
    def failed_replies(self) -> list[int]:
        """The texts that did not reach them sent after the first message that raised the alert: what we said
        back to the disclosure (the help reply, a duty worker's answer), which the duty worker must know about."""
        raised = [line.message.id for line in self.conversation if line.raised and line.message.id is not None]
        if not raised:
            return []
        return [message_id for message_id in self.failed if message_id > min(raised)]


def alert_view(*, session: Session, vault: PhoneVault, alert_id: int, now: datetime, target_minutes: int) -> AlertView:
    """One alert, its raising messages and the conversation around the first; LookupError when there is none."""
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise LookupError(f"there is no alert {alert_id}")
    participant = session.get(Participant, alert.participant_id) if alert.participant_id else None
    raised_by = list(
        session.exec(
            select(AlertMessage, Message)
            .join(Message, col(Message.id) == col(AlertMessage.message_id))
            .where(col(AlertMessage.alert_id) == alert.id)
            .order_by(col(Message.id))
        ).all()
    )
    raised_ids = {message.id for _, message in raised_by} | ({alert.message_id} if alert.message_id else set())
    conversation: list[ConversationLine] = []
    earlier = False
    first_id = min((i for i in raised_ids if i is not None), default=None)
    if participant is not None and first_id is not None:
        before = session.exec(
            select(Message)
            .where(col(Message.participant_id) == participant.id, col(Message.id) < first_id)
            .order_by(col(Message.id).desc())
            .limit(MESSAGES_BEFORE + 1)
        ).all()
        earlier = len(before) > MESSAGES_BEFORE
        after = session.exec(
            select(Message)
            .where(col(Message.participant_id) == participant.id, col(Message.id) >= first_id)
            .order_by(col(Message.id))
            .limit(MESSAGES_AFTER)
        ).all()
        messages = list(reversed(before[:MESSAGES_BEFORE])) + list(after)
        conversation = [ConversationLine(message, message.id in raised_ids) for message in messages]
    elif alert.message_id is not None:
        message = session.get(Message, alert.message_id)
        if message is not None:
            conversation = [ConversationLine(message, True)]
    masked = None
    if participant is not None and participant.phone_encrypted:
        masked = mask(vault.decrypt(participant.phone_encrypted))
    contacts = contacts_since(session=session, alert=alert)
    steps = history(session=session, alert=alert)
    return AlertView(
        alert=alert,
        waiting=waiting(alert, now=now, target_minutes=target_minutes),
        participant=participant,
        masked_phone=masked,
        raised_by=raised_by,
        conversation=conversation,
        earlier_messages=earlier,
        names=staff_names(
            session=session, alert=alert, also=(*(contact.recorded_by for contact in contacts), *people(steps))
        ),
        contacts=contacts,
        history=steps,
        notices=notice_history(session=session, alert_id=alert_id),
        escalation=escalation_tag(alert, escalation_states(session=session, alert_ids=[alert_id])),
        failed=failed_texts(
            session=session, participant_id=participant.id, messages=[line.message for line in conversation]
        )
        if participant is not None and participant.id is not None
        else {},
        answers=survey_answers(
            session=session,
            messages=[message for _, message in raised_by] + [line.message for line in conversation if line.raised],
        ),
    )


def survey_answers(*, session: Session, messages: list[Message]) -> dict[int, str]:
    """The messages that answered a survey question, as a duty worker reads them (`words.answer_words`),
    by message id: "1" alone says nothing without the question it answered and what 1 meant there."""
    ids = [message.id for message in messages if message.id is not None]
    if not ids:
        return {}
    said = {message.id: message.body for message in messages}
    rows = session.exec(
        select(Response, SurveyVersion)
        .join(Run, col(Run.id) == col(Response.run_id))
        .join(SurveyVersion, col(SurveyVersion.id) == col(Run.survey_version_id))
        .where(col(Response.message_id).in_(ids), col(Response.question_id).is_not(None))
    ).all()
    answers: dict[int, str] = {}
    for response, version in rows:
        if response.message_id is None or response.question_id is None or response.skipped:
            continue
        try:
            question = pinned_survey(version).question(response.question_id)
        except KeyError:
            continue
        answers[response.message_id] = answer_words(
            question,
            said.get(response.message_id) or response.answer,
            value_text=response.value_text,
            value_number=response.value_number,
        )
    return answers


def contacts_since(*, session: Session, alert: Alert) -> list[Contact]:
    """The calls and visits recorded on the young person's conversation (`inbox.threads.record_contact`) while the
    alert was live, from when it was raised until it was closed, or made then and recorded later."""
    if alert.participant_id is None:
        return []

    def live(at):
        within = col(at) >= alert.created_at
        return within if alert.closed_at is None else and_(within, col(at) <= alert.closed_at)

    query = select(Contact).where(
        col(Contact.participant_id) == alert.participant_id, or_(live(Contact.created_at), live(Contact.happened_at))
    )
    return list(session.exec(query.order_by(col(Contact.happened_at), col(Contact.id))).all())


def staff_names(*, session: Session, alert: Alert, also: tuple[str, ...] = ()) -> dict[str, str]:
    """Display names for the accounts an alert names (acknowledged by, assigned to, closed by), and `also` these."""
    return display_names(session=session, emails=(alert.acknowledged_by, alert.assigned_to, alert.closed_by, *also))


def full_number(*, vault: PhoneVault, participant: Participant | None) -> str | None:
    """The participant's whole phone number, for an explicit (audited) reveal only."""
    if participant is None or not participant.phone_encrypted:
        return None
    return vault.decrypt(participant.phone_encrypted)


def unsent_banner(*, session: Session, config, now: datetime) -> dict[str, object]:
    """What `_unsent_notices.html` needs: safeguarding notices waiting to be sent past `[safeguarding]
    unsent_notice_minutes`, whether the scheduler has been silent past `scheduler_silent_minutes`
    (`safeguarding.unsent`), and what staff are told to do: whether the scheduler is running (the command set
    apart) only when it is silent or may not be, else which route to fix (`unsent_advice`)."""
    safeguarding = config.safeguarding
    silence = scheduler_silence(session=session, now=now, after_minutes=safeguarding.scheduler_silent_minutes)
    waiting = unsent_notices(session=session, now=now, after_minutes=safeguarding.unsent_notice_minutes)
    running = not silence
    return {
        "unsent": waiting,
        "silence": silence.summary(now, str(config.app.timezone)),
        "unsent_title": "Notices are not being sent" if silence else waiting.title,
        "unsent_asks": bool(silence) or waiting.asks_for_scheduler(scheduler_running=running),
        "unsent_advice": waiting.advice(scheduler_running=running) if waiting else "",
        "unsent_ask": unsent.ASK,
        "unsent_command": unsent.SCHEDULER_COMMAND,
        "unsent_then": unsent.THEN,
        "now": now,
    }
