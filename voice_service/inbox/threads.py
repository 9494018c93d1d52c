"""Threads in the inbox: list them, read one, reply, assign, close, refer to advocacy.

A young person's thread is their text-ins since their last closed conversation. The
`Conversation` row is made the first time a worker acts on a thread, and its unique
(participant, started_at) keeps two workers acting at once from making two.

A thread may hold texts and web chat messages alike; a reply goes the way they last wrote to us
(`reply_way`): into their web chat while it is still open, otherwise by text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ..chat_transcript import say_in_chat
from ..dates import uk_date_time
from ..engine.texts import sms_segments
from ..models import (
    Alert,
    AlertAction,
    AlertEntry,
    AlertMessage,
    AlertStatus,
    AlertStep,
    Contact,
    ContactOutcome,
    Conversation,
    ConversationStatus,
    Direction,
    Message,
    OptOut,
    Participant,
    Response,
    Run,
    SurveyVersion,
    as_utc,
    utcnow,
)
from ..outbox import enqueue
from ..outbox.windows import Windows
from ..rounds.launch import is_under_16
from ..safeguarding.alerts import take_on_reply
from ..safeguarding.history import Step, done, history
from ..surveys.registry import survey_for_version

# A worker's reply may run to three segments, but the page counts them and asks for one.
MAX_REPLY = 459
# A note on a call or visit, as long as one on an alert.
MAX_CONTACT_NOTE = 2000
# What a recorded call or visit says on the thread, after the worker's name ("Jo Smith phoned them and ...").
CONTACT_WORDS = {
    ContactOutcome.SPOKE: "phoned them and spoke with them",
    ContactOutcome.NO_ANSWER: "phoned them but could not reach them",
    ContactOutcome.MET: "saw them in person",
}
SMS, WEBCHAT = "sms", "webchat"


class InboxError(ValueError):
    """An action the inbox cannot take; the message tells the worker why, in plain words."""


class ThreadMoved(InboxError):
    """A form shown on one conversation, sent after the thread moved on to another (they wrote again after a close)."""


class WhenError(InboxError):
    """A call or visit's time the inbox cannot take: in the future, or before the conversation began."""


@dataclass(frozen=True)
class ThreadSummary:
    """One row of the inbox list."""

    participant_id: int
    pseudonym: str
    first_name: str | None
    status: str  # a ConversationStatus; "open" when no worker has acted yet
    assigned_to: str | None
    last_in: datetime
    messages: int
    unanswered: bool
    risk: bool
    referred: bool
    wants_person: bool = False  # they asked to talk to someone
    alert_live: bool = False  # an alert of theirs is open or acknowledged (`risk` may be a closed one's)


@dataclass(frozen=True)
class SurveyContext:
    """Where one of their messages stood in a survey when it came in: the answer to one of its questions, or
    sent while they had that survey in progress (started, and not yet finished, stopped or closed)."""

    title: str
    round_id: int | None
    question: str | None = None  # the question it answered (its heading), when it was an answer
    # When it was not an answer: the question they had been asked and had not yet answered then, when that is known;
    # else the last question they had answered before it.
    waiting_on: str | None = None
    after: str | None = None

    @property
    def words(self) -> str:
        """The note beside the message, in a worker's words."""
        survey = (f"round {self.round_id} of " if self.round_id is not None else "") + f"the survey “{self.title}”"
        if self.question is not None:
            return f"their answer to “{self.question}” in {survey}"
        if self.waiting_on is not None:
            return f"sent while they had {survey} in progress, at the question “{self.waiting_on}”"
        if self.after is not None:
            return f"sent while they had {survey} in progress, after their answer to “{self.after}”"
        return f"sent while they had {survey} in progress"


@dataclass(frozen=True)
class ReplyWay:
    """How a worker's reply would reach them: `channel` is SMS, WEBCHAT, or None when it cannot; `why` says
    so in a worker's words (shown on the page before they send, and as the refusal when there is no way)."""

    channel: str | None
    why: str


def reply_way(
    *, last_wrote: str | None, chat_open: bool, has_number: bool, opted_out: bool, chat_left: bool = False
) -> ReplyWay:
    """The one rule for which way a reply goes: the way they last wrote to us, if it still reaches them.

    A web chat they last wrote in that is still open gets it (they see it the next time they look); a
    text goes through the outbox otherwise, unless they said STOP or we have no number, when an open
    chat is the only way left; with neither there is no way, and the page says so instead of sending.
    `chat_left`: they left a web chat with "Leave this page" since they last used an open one (`ChatReach.left`):
    it is gone from that device, so nothing said in it reaches them there, and the words say so."""
    can_text = has_number and not opted_out
    if last_wrote == WEBCHAT and chat_open:
        if chat_left:
            return ReplyWay(
                WEBCHAT,
                "They last wrote to us in the web chat. They left it on one device, but still have it open on "
                "another: your reply shows there, not on the device they left.",
            )
        return ReplyWay(WEBCHAT, "They last wrote to us in the web chat, and it is still open.")
    if can_text:
        if last_wrote == WEBCHAT and chat_left:
            return ReplyWay(
                SMS,
                "They last wrote to us in the web chat, but left it on that device (“Leave this page”), so a reply "
                "there would not reach them: it goes by text to their phone instead.",
            )
        if last_wrote == WEBCHAT:
            return ReplyWay(SMS, "They last wrote to us in the web chat, but it has closed, so it goes by text.")
        return ReplyWay(SMS, "They last wrote to us by text.")
    cannot = "they have opted out of texts (they said STOP)" if opted_out else "there is no phone number for them"
    again = f"If they {'text START, or ' if opted_out else ''}chat with us again, you can reply."
    if chat_open:
        where = "still open on another device" if chat_left else "still open"
        return ReplyWay(WEBCHAT, f"It goes into their web chat, which is {where}: {cannot}.")
    if chat_left:
        return ReplyWay(
            None,
            f"They left the web chat on that device (“Leave this page”), so it no longer opens there, and {cannot}: "
            f"a reply cannot reach them. {again}",
        )
    if opted_out:
        return ReplyWay(
            None,
            f"They have opted out of texts (they said STOP) and have no web chat open, so a reply cannot reach "
            f"them. {again}",
        )
    return ReplyWay(
        None, f"There is no phone number for them and their web chat has closed, so a reply cannot reach them. {again}"
    )


@dataclass
class Thread:
    """One young person's current thread (or, when nothing is waiting, their last closed one)."""

    participant: Participant
    conversation: Conversation | None
    messages: list[Message] = field(default_factory=list)
    text_in_ids: set[int] = field(default_factory=set)
    channel: str = SMS  # the way they last wrote to us
    opted_out: bool = False
    chat_open: bool = False  # they have a web chat that is still open (`chat_reach`)
    # When they left a web chat with "Leave this page", if they have not used an open one since (`chat_reach`).
    chat_left_at: datetime | None = None
    risk: bool = False  # a message here raised a safeguarding alert, live or closed
    alert_live: bool = False  # an alert of theirs is open or acknowledged: the duty team has it now
    wants_person: bool = False
    # Their messages that came in during a survey, by message id (`survey_context`); others have no note.
    in_survey: dict[int, SurveyContext] = field(default_factory=dict)
    # Their latest alert closed with a call or a visit recorded (`reached_by_alerts`): a person spoke with them then.
    reached: Alert | None = None
    # The call or visit recorded on `reached`, by whoever recorded it and when (not always whoever closed it).
    reached_step: Step | None = None
    # The calls and visits recorded on this conversation, oldest first (`record_contact`).
    contacts: list[Contact] = field(default_factory=list)

    @property
    def status(self) -> str:
        """The thread's state in words the page shows."""
        return self.conversation.status if self.conversation else ConversationStatus.OPEN

    @property
    def waiting(self) -> bool:
        """True when there is something to act on: an open conversation, or messages no worker has taken up."""
        if self.conversation is not None:
            return self.conversation.status != ConversationStatus.CLOSED
        return bool(self.text_in_ids)

    @property
    def unanswered(self) -> bool:
        """True when a message of theirs on the thread waits for an answer (`unanswered`); False once the
        team has replied to everything they sent, when the thread is waiting on them."""
        if not self.waiting:
            return False
        last_in = max((m.created_at for m in self.messages if m.id in self.text_in_ids), default=None)
        return unanswered(last_in, self.conversation, self.reached.closed_at if self.reached else None)

    @property
    def spoke(self) -> Contact | None:
        """The latest call they answered, or visit, recorded here: a person spoke with them then (and it is the
        conversation's `last_reply_at`, unless someone has written to them since). `contacts` are in the order
        they happened."""
        return next((c for c in reversed(self.contacts) if c.outcome in ContactOutcome.REACHED), None)

    @property
    def answered_at_alert(self) -> bool:
        """True when the team's latest answer was a call or visit recorded as an alert of theirs was closed
        (`reached`), not a written reply or a call recorded here, and nothing they sent since waits: the page says
        who and when."""
        if self.reached is None or self.reached_step is None or self.reached.closed_at is None or self.unanswered:
            return False
        closed = as_utc(self.reached.closed_at)
        replied = self.conversation.last_reply_at if self.conversation is not None else None
        return (replied is None or closed >= as_utc(replied)) and (
            self.spoke is None or closed >= as_utc(self.spoke.happened_at)
        )

    @property
    def answered_by_contact(self) -> bool:
        """True when the team's latest answer was a call they answered or a visit, recorded here (`spoke`), and
        nothing they sent since waits: the page says who and when."""
        if self.spoke is None or self.unanswered or self.answered_at_alert:
            return False
        replied = self.conversation.last_reply_at if self.conversation is not None else None
        return replied is None or as_utc(self.spoke.happened_at) >= as_utc(replied)

    @property
    def timeline(self) -> list[Message | Contact]:
        """The thread's messages and its recorded calls and visits, in the order they happened (a call recorded
        later sits at the time it was made)."""
        return sorted([*self.messages, *self.contacts], key=_happened)

    @property
    def channels(self) -> list[str]:
        """The ways they have written on this thread (SMS, WEBCHAT), in that order."""
        used = {m.channel for m in self.messages if m.direction == Direction.IN}
        return [channel for channel in (SMS, WEBCHAT) if channel in used]

    @property
    def reply(self) -> ReplyWay:
        """How a reply written now would reach them (`reply_way`)."""
        return reply_way(
            last_wrote=self.channel,
            chat_open=self.chat_open,
            has_number=self.participant.phone_encrypted is not None,
            opted_out=self.opted_out,
            chat_left=self.chat_left_at is not None,
        )

    @property
    def can_reply(self) -> bool:
        """True when there is something to answer and a reply would reach them."""
        return self.waiting and self.reply.channel is not None

    @property
    def phone_them(self) -> bool:
        """True when a phone call is the one way to keep what they were told when they asked for a person ("We've
        asked a worker to get back to you"): they asked on this thread, nobody has answered them since, they said
        STOP (Twilio refuses every text to them, error 21610) and have no web chat open, and we hold their number.

        The one rule for the conversation page's "Show their number to call them" and for the reveal it sends
        (`web.admin.inbox.inbox_reveal_number`). Only then: someone who said STOP and did not ask for a person
        (a text-in kept with no reply) asked nobody to contact them, and their number stays masked."""
        return (
            self.wants_person
            and self.unanswered
            and self.opted_out
            and self.reply.channel is None
            and self.participant.phone_encrypted is not None
        )


# What a duty worker records on closing an alert (`safeguarding.alerts.close`, `--action`) that is the team answering
# the young person: a person spoke with them, by phone or face to face, so their thread waits on them as after a
# written reply (trial 13: a thread whose alert was closed "called" still said "Needs a reply"). A referral or no
# further action is no answer to them.
ANSWERED_BY = (AlertAction.CALLED, AlertAction.VISITED)


def unanswered(last_in: datetime | None, conversation: Conversation | None, reached_at: datetime | None = None) -> bool:
    """True when something they sent waits for an answer: their latest message on the thread (`last_in`)
    came after the team's latest answer, a written reply on the thread or a call or visit recorded when an alert
    of theirs was closed (`reached_at`, its closing: `reached_by_alerts`). The one rule for the inbox list and the
    thread page."""
    if last_in is None:
        return False
    replied = conversation.last_reply_at if conversation is not None else None
    answers = [as_utc(at) for at in (replied, reached_at) if at is not None]
    return not answers or as_utc(last_in) > max(answers)


def reached_by_alerts(session: Session, participant_ids: list[int]) -> dict[int, Alert]:
    """For each of these young people who has one, their latest alert closed with a call or visit recorded
    (`ANSWERED_BY`), on closing or before it (a call, then a referral at closing)."""
    if not participant_ids:
        return {}
    answered = sa_select(col(AlertEntry.id)).where(
        col(AlertEntry.alert_id) == col(Alert.id), col(AlertEntry.action).in_(ANSWERED_BY)
    )
    closed = session.exec(
        select(Alert)
        .where(
            col(Alert.participant_id).in_(participant_ids),
            col(Alert.status) == AlertStatus.CLOSED,
            or_(col(Alert.action_taken).in_(ANSWERED_BY), answered.exists()),
        )
        .order_by(col(Alert.closed_at), col(Alert.id))
    ).all()
    return {alert.participant_id: alert for alert in closed if alert.participant_id is not None}


def answering_step(session: Session, alert: Alert) -> Step | None:
    """The latest call or visit recorded on an alert (`ANSWERED_BY`), with who recorded it and when; for an alert
    closed before each step was kept, its closing, when that recorded one."""
    steps = [step for step in done(history(session=session, alert=alert)) if step.action in ANSWERED_BY]
    if steps:
        return steps[-1]
    if alert.action_taken in ANSWERED_BY and alert.closed_at is not None and alert.closed_by:
        return Step(AlertStep.CLOSED, as_utc(alert.closed_at), alert.closed_by, alert.action_taken)
    return None


def answered_at_alert_words(alert: Alert, step: Step, names: dict[str, str], timezone: str) -> str:
    """How a thread answered by a call or visit recorded on an alert says so: who made it (`step`), and, when
    someone else closed the alert, who closed it, never giving one worker's call to another."""
    closer = names.get(alert.closed_by or "", alert.closed_by or "")
    closed_at = uk_date_time(alert.closed_at, timezone)
    if step.kind == AlertStep.CLOSED and step.by == alert.closed_by:
        return f"{closer} closed alert #{alert.id}, {closed_at}, recording that they {step.action} them"
    doer = step.who(names)
    return (
        f"{doer} recorded that they {step.action} them on alert #{alert.id}, {uk_date_time(step.at, timezone)}; "
        f"{closer} closed it, {closed_at}"
    )


def _last_closed():
    """Per participant, when their latest conversation was closed."""
    return (
        select(
            col(Conversation.participant_id).label("participant_id"),
            func.max(Conversation.closed_at).label("closed_at"),
        )
        .where(col(Conversation.status) == ConversationStatus.CLOSED)
        .group_by(col(Conversation.participant_id))
        .subquery()
    )


def _live_alert_messages():
    """The messages that raised, or were added to, an alert the duty team has not closed."""
    return (
        select(col(AlertMessage.message_id))
        .join(Alert, col(Alert.id) == col(AlertMessage.alert_id))
        .where(col(Alert.status).in_(AlertStatus.LIVE))
    )


def _live_alert_people(session: Session, participant_ids: list[int]) -> set[int]:
    """Which of these young people have an alert the duty team has not closed."""
    if not participant_ids:
        return set()
    found = session.exec(
        select(col(Alert.participant_id)).where(
            col(Alert.participant_id).in_(participant_ids), col(Alert.status).in_(AlertStatus.LIVE)
        )
    ).all()
    return {participant_id for participant_id in found if participant_id is not None}


def has_live_alert(*, session: Session, participant_id: int) -> bool:
    """True when the young person has an alert the duty team has not closed (the duty team may then
    read and answer their thread)."""
    return bool(_live_alert_people(session, [participant_id]))


def _pending_text_ins(participant_id: int | None = None):
    """Messages for the inbox not yet inside a closed conversation: text-ins (inbound messages kept
    with no question), any message the inbound path marked as asking for a person, any picture message
    (nobody can see its pictures, but a worker should know one came), and any message behind a live alert
    (a disclosure made while answering a survey is kept as an answer, not a text-in, and the young person
    still needs someone to answer them)."""
    closed = _last_closed()
    query = (
        select(Message, func.coalesce(col(Response.risk), False).label("risk"))
        .outerjoin(Response, col(Response.message_id) == col(Message.id))
        .outerjoin(closed, closed.c.participant_id == col(Message.participant_id))
        .where(
            col(Message.direction) == Direction.IN,
            or_(
                and_(col(Response.id).is_not(None), col(Response.question_id).is_(None)),
                col(Message.wants_person).is_(True),
                col(Message.media_count) > 0,
                col(Message.id).in_(_live_alert_messages()),
            ),
            or_(closed.c.closed_at.is_(None), col(Message.created_at) > closed.c.closed_at),
        )
    )
    if participant_id is not None:
        query = query.where(col(Message.participant_id) == participant_id)
    return query


def inbox(*, session: Session, status: str | None = None, assigned_to: str | None = None) -> list[ThreadSummary]:
    """Threads waiting for workers, unanswered first and newest first within that.

    `status` narrows to open or assigned threads; `assigned_to` to one worker's.
    """
    pending = _pending_text_ins().subquery()
    per_person = (
        sa_select(  # five columns: SQLAlchemy's select (sqlmodel's is typed for four)
            pending.c.participant_id.label("pid"),
            func.max(pending.c.created_at).label("last_in"),
            func.count().label("n"),
            func.max(case((pending.c.risk.is_(True), 1), else_=0)).label("risk"),
            func.max(case((pending.c.wants_person.is_(True), 1), else_=0)).label("wants_person"),
        )
        .group_by(pending.c.participant_id)
        .subquery()
    )
    # Six columns: more than sqlmodel's select is typed for, so SQLAlchemy's own.
    query = (
        sa_select(
            Participant,
            per_person.c.last_in,
            per_person.c.n,
            per_person.c.risk,
            per_person.c.wants_person,
            Conversation,
        )
        .join(per_person, per_person.c.pid == col(Participant.id))
        .outerjoin(
            Conversation,
            and_(
                col(Conversation.participant_id) == col(Participant.id),
                col(Conversation.status).in_(ConversationStatus.ACTIVE),
            ),
        )
    )
    found = session.exec(query).all()  # type: ignore[call-overload]
    # The tag shows for any alert still live, whatever raised it (a text-in or a survey answer).
    alerted = _live_alert_people(session, [participant.id for participant, *_ in found])
    reached = reached_by_alerts(session, [participant.id for participant, *_ in found])
    rows = []
    for participant, last_in, count, risk, wants_person, conversation in found:
        last_in = as_utc(last_in)
        state = conversation.status if conversation else ConversationStatus.OPEN
        if status and state != status:
            continue
        if assigned_to and (conversation is None or conversation.assigned_to != assigned_to):
            continue
        rows.append(
            ThreadSummary(
                participant_id=participant.id,
                pseudonym=participant.pseudonym,
                first_name=participant.first_name,
                status=state,
                assigned_to=conversation.assigned_to if conversation else None,
                last_in=last_in,
                messages=count,
                unanswered=unanswered(
                    last_in, conversation, reached[participant.id].closed_at if participant.id in reached else None
                ),
                risk=bool(risk) or participant.id in alerted,
                alert_live=participant.id in alerted,
                referred=bool(conversation and conversation.referred_at),
                wants_person=bool(wants_person),
            )
        )
    rows.sort(key=lambda row: (not row.unanswered, -row.last_in.timestamp()))
    return rows


def _active(session: Session, participant_id: int, *, lock: bool = False) -> Conversation | None:
    """The participant's open or assigned conversation, if a worker has acted on their thread."""
    query = select(Conversation).where(
        col(Conversation.participant_id) == participant_id,
        col(Conversation.status).in_(ConversationStatus.ACTIVE),
    )
    if lock:
        query = query.with_for_update()
    return session.exec(query.order_by(col(Conversation.id).desc())).first()


def thread(*, session: Session, participant_id: int, config, now: datetime | None = None) -> Thread:
    """The participant's thread: every message since it started, in order, with what a reply would need
    (`config` for how long a web chat stays open)."""
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise LookupError(f"there is no participant {participant_id}")
    conversation = _active(session, participant_id)
    pending = session.exec(_pending_text_ins(participant_id).order_by(col(Message.id))).all()
    if conversation is not None:
        start = conversation.started_at
    elif pending:
        start = pending[0][0].created_at
    else:
        conversation = session.exec(
            select(Conversation)
            .where(col(Conversation.participant_id) == participant_id)
            .order_by(col(Conversation.id).desc())
        ).first()
        start = conversation.started_at if conversation else utcnow()
    messages = list(
        session.exec(
            select(Message)
            .where(col(Message.participant_id) == participant_id, col(Message.created_at) >= start)
            .order_by(col(Message.id))
        ).all()
    )
    if conversation is not None and conversation.status == ConversationStatus.CLOSED and conversation.closed_at:
        messages = [m for m in messages if m.created_at <= conversation.closed_at]
    inbound = [m for m in messages if m.direction == Direction.IN]
    opted_out = bool(participant.phone_hash and session.get(OptOut, participant.phone_hash))
    # The chat's own rule for whether a chat still reaches them (imported here: the web package imports the inbox).
    from ..web.chat.sessions import chat_reach

    chats = chat_reach(session=session, config=config, participant_id=participant_id, now=now)
    live = has_live_alert(session=session, participant_id=participant_id)
    reached = reached_by_alerts(session, [participant_id]).get(participant_id)
    return Thread(
        participant=participant,
        conversation=conversation,
        messages=messages,
        text_in_ids={m.id for m, _ in pending if m.id is not None},
        channel=inbound[-1].channel if inbound else (SMS if participant.phone_encrypted else WEBCHAT),
        opted_out=opted_out,
        chat_open=chats.open is not None,
        chat_left_at=chats.left.left_at if chats.left is not None else None,
        risk=any(risk for _, risk in pending) or live,
        alert_live=live,
        wants_person=any(message.wants_person for message, _ in pending),
        in_survey=survey_context(session=session, participant_id=participant_id, messages=messages),
        reached=reached,
        reached_step=answering_step(session, reached) if reached is not None else None,
        contacts=list(
            session.exec(
                select(Contact)
                .where(col(Contact.conversation_id) == conversation.id)
                .order_by(col(Contact.happened_at), col(Contact.id))
            ).all()
        )
        if conversation is not None
        else [],
    )


def survey_context(*, session: Session, participant_id: int, messages: list[Message]) -> dict[int, SurveyContext]:
    """For each of their messages (inbound) that came in during a survey: which survey, and whether it answered
    one of its questions. Judged by the run as it was when the message came in, not as it is now: a run was
    in progress from when they started it until it finished, was stopped or its round closed (a survey paused
    after a disclosure is still in progress: they can carry on). A message before they started, after it
    ended, or with no survey at all gets no note."""
    inbound = [m for m in messages if m.direction == Direction.IN and m.id is not None]
    if not inbound:
        return {}
    runs = session.exec(
        select(Run, SurveyVersion)
        .join(SurveyVersion, col(SurveyVersion.id) == col(Run.survey_version_id))
        .where(col(Run.participant_id) == participant_id, col(Run.started_at).is_not(None))
        .order_by(col(Run.started_at).desc())
    ).all()
    if not runs:
        return {}
    by_id = {run.id: (run, version) for run, version in runs}
    # Every answer of theirs to a question in these runs, oldest first: the one a message answered, and what was
    # still to answer when a message that was not an answer came in.
    answers = session.exec(
        select(Response)
        .where(col(Response.run_id).in_(list(by_id)), col(Response.question_id).is_not(None))
        .order_by(col(Response.created_at), col(Response.id))
    ).all()
    answered = {answer.message_id: answer for answer in answers if answer.message_id is not None}
    # The question each kept text-in came at, as it was kept (`Response.during_question`, from migration 0025).
    during = dict(
        session.exec(
            select(col(Response.message_id), col(Response.during_question)).where(
                col(Response.message_id).in_([m.id for m in inbound]),
                col(Response.question_id).is_(None),
                col(Response.during_question).is_not(None),
            )
        ).all()
    )
    found: dict[int, SurveyContext] = {}
    for message in inbound:
        assert message.id is not None
        answer = answered.get(message.id)
        if answer is not None and answer.run_id in by_id:
            run, version = by_id[answer.run_id]
            found[message.id] = SurveyContext(
                version.title, run.round_id, _heading(session, version, answer.question_id)
            )
            continue
        at = as_utc(message.created_at)
        for run, version in runs:  # newest first: the survey they were in, if any
            if run.started_at is None:
                continue
            ended = as_utc(run.ended_at) if run.ended_at is not None else None
            if as_utc(run.started_at) <= at and (ended is None or at <= ended):
                if message.id in during:
                    waiting_on = _heading(session, version, during[message.id])
                    found[message.id] = SurveyContext(version.title, run.round_id, waiting_on=waiting_on)
                else:
                    found[message.id] = _during(session, run, version, [a for a in answers if a.run_id == run.id], at)
                break
    return found


def _during(session: Session, run: Run, version: SurveyVersion, answers: list[Response], at: datetime) -> SurveyContext:
    """Where a message that was not an answer (a disclosure at a number question, a question of their own) came in
    their survey run, from its `answers` (oldest first) and the run as it is now: for one kept before migration
    0025, which keeps the question it came at (`Response.during_question`).

    Such a message leaves the question where it was, so the question they were on is the one they answered next;
    with no answer since, the one a run still going is on, if it was asked (`current_asked`). An ended run keeps
    no question, so then it says the last one they had answered. The message that started the run (their YES)
    came before any question."""
    context = SurveyContext(version.title, run.round_id)
    if run.started_at is None or at <= as_utc(run.started_at):
        return context
    before = [a.question_id for a in answers if as_utc(a.created_at) <= at]
    later = next((a.question_id for a in answers if as_utc(a.created_at) > at), None)
    if later is None and run.ended_at is None and run.current_asked:
        later = run.current_question
    if later is not None:
        return replace(context, waiting_on=_heading(session, version, later))
    if before:
        return replace(context, after=_heading(session, version, before[-1]))
    return context


def _heading(session: Session, version: SurveyVersion, question_id: str | None) -> str:
    """A question's name, as summaries and the responses list name it (its id if it is gone)."""
    survey = survey_for_version(session, version.id or 0, version.survey_id, version.version)
    try:
        return survey.question(question_id or "").heading
    except KeyError:
        return (question_id or "").replace("_", " ").capitalize()


def _take(session: Session, participant_id: int, now: datetime, *, closed: bool = False) -> Conversation:
    """The thread's conversation, made on a worker's first action (locked, so replies queue once); with `closed`,
    when nothing is waiting, the latest closed one (a follow-up call on a thread already closed)."""
    conversation = _active(session, participant_id, lock=True)
    if conversation is not None:
        return conversation
    first = session.exec(_pending_text_ins(participant_id).order_by(col(Message.id)).limit(1)).first()
    if first is None and closed:
        conversation = session.exec(
            select(Conversation)
            .where(col(Conversation.participant_id) == participant_id)
            .order_by(col(Conversation.id).desc())
            .with_for_update()
        ).first()
        if conversation is not None:
            return conversation
    if first is None:
        raise InboxError("there is nothing waiting from this young person")
    conversation = Conversation(
        participant_id=participant_id, started_at=first[0].created_at, created_at=now, updated_at=now
    )
    session.add(conversation)
    session.flush()
    return conversation


def reply(
    *,
    session: Session,
    services,
    participant_id: int,
    text: str,
    by: str,
    token: str,
    now: datetime | None = None,
    shown_way: str | None = None,
) -> Conversation:
    """Answer the thread the way they last wrote (`reply_way`): in their web chat while it is open, else by
    text through the outbox; refused, in words for the worker, when neither reaches them.

    `shown_way` is the way the reply form said it would go (SMS, WEBCHAT), when it said one: if it would go another
    way now (they left the web chat, or it ran out, after the page was opened), it is refused and not sent, so that
    it neither goes into a chat nobody can open nor by text without the worker knowing.

    Afterwards the thread is answered (waiting on them, until they write again), and a thread nobody
    had is assigned to the one who replied; their open alert, if any, is picked up in their name.

    `token` is the reply form's one-off id: the same form sent twice queues one reply.
    A text on a thread whose young person has a live safeguarding alert (the duty team's, or a
    worker's) goes at once, whatever the hour, like the help reply. Any other reply is a person
    answering them, not a survey text: the outbox holds it only outside `[schedule] reply_hours`
    and, for under-16s, in school hours (see `reply_goes_at`). The outbox never texts a number
    that said STOP; we also refuse up front, so the worker knows.
    """
    now = now or utcnow()
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if not text:
        raise InboxError("write a reply first")
    if len(text) > MAX_REPLY:
        raise InboxError(f"a reply can be at most {MAX_REPLY} characters (three texts); this one is {len(text)}")
    if not token or len(token) > 40:
        raise InboxError("this form is out of date: open the conversation again")
    current = thread(session=session, participant_id=participant_id, config=services.config, now=now)
    way = current.reply
    if way.channel is None:
        raise InboxError(way.why[0].lower() + way.why[1:])
    if shown_way is not None and shown_way != way.channel:
        went = "by text" if way.channel == SMS else "into their web chat"
        raise InboxError(
            f"your reply has not been sent: since this page was opened, the way it reaches them has changed, and it "
            f"would now go {went}. {way.why} Check it still fits, then send it again"
        )
    conversation = _take(session, participant_id, now)
    if conversation.last_reply_token == token:
        return conversation  # the same form, sent twice
    participant = current.participant
    if way.channel == SMS:
        enqueue(
            session=session,
            vault=services.vault,
            key=f"reply:{conversation.id}:{token}",
            kind="reply",
            participant=participant,
            body=text,
            respect_window=not has_live_alert(session=session, participant_id=participant_id),
            under_16=is_under_16(participant, now.date()),
            not_before=now,
        )
    if way.channel == SMS:
        # The thread's copy of the text (the outbox row is what is sent).
        session.add(
            Message(direction=Direction.OUT, channel=SMS, participant_id=participant_id, body=text, created_at=now)
        )
    else:
        say_in_chat(session=session, participant_id=participant_id, text=text, now=now)
    take_on_reply(
        session=session, vault=services.vault, config=services.config, participant_id=participant_id, by=by, now=now
    )
    _answered(conversation, by=by, now=now)
    conversation.last_reply_token = token
    session.flush()
    return conversation


def reply_goes_at(*, session: Session, config, participant_id: int, now: datetime | None = None) -> datetime:
    """When a text reply written now would go: at once on a thread with a live alert, else at the next
    moment inside `config`'s `[schedule] reply_hours` (school hours kept free for under-16s); the web app
    passes the windows as its config file says now (`web.admin.security.live_config`)."""
    now = now or utcnow()
    if has_live_alert(session=session, participant_id=participant_id):
        return now
    participant = session.get(Participant, participant_id)
    under_16 = participant is not None and is_under_16(participant, now.date())
    return Windows.from_config(config).next_open(now, under_16=under_16, reply=True)


def segments(text: str) -> int:
    """How many SMS a reply would cost (the page's counter does the same in the browser)."""
    return sms_segments(text)


def assign(
    *, session: Session, participant_id: int, to: str | None, by: str, now: datetime | None = None
) -> Conversation:
    """Give the thread to a worker (or back to everyone when `to` is empty)."""
    now = now or utcnow()
    conversation = _take(session, participant_id, now)
    to = (to or "").strip()[:254] or None
    conversation.assigned_to = to
    conversation.status = ConversationStatus.ASSIGNED if to else ConversationStatus.OPEN
    conversation.updated_at = now
    session.flush()
    return conversation


def close(*, session: Session, participant_id: int, by: str, now: datetime | None = None) -> Conversation:
    """Close the thread; their next message starts a new one."""
    now = now or utcnow()
    conversation = _take(session, participant_id, now)
    conversation.status = ConversationStatus.CLOSED
    conversation.closed_at = now
    conversation.closed_by = by
    conversation.updated_at = now
    session.flush()
    return conversation


def record_contact(
    *,
    session: Session,
    services,
    participant_id: int,
    outcome: str,
    note: str,
    by: str,
    token: str | None = None,
    happened_at: datetime | None = None,
    shown: int | None = None,
    now: datetime | None = None,
) -> Contact:
    """Record a call or visit on their thread (`ContactOutcome`), with an optional note for colleagues, at the time
    it was (`happened_at`; now when not given: a worker may record a call made earlier).

    A call they answered, or a visit, is the team answering them, as a written reply is: the thread waits on them
    until they write again, and what they write next goes to that person, not to a survey (`last_reply_at`, which
    the inbound path reads: `inbound.situation.Sender.talking_to_person`). A call nobody answered is kept, and the
    thread still needs an answer. Either way their open alert, if any, is picked up in the caller's name, and a
    thread nobody had is assigned to them, as with a reply. While an alert of theirs is live the record is part of
    the duty team's safeguarding record (`Contact.safeguarding`: its note is shown as a disclosure is).

    A call made earlier answers only what they had sent by then: a message of theirs after it still needs an answer.
    It may not be in the future, nor before they first wrote in the conversation (it is not part of this one).

    On a closed thread the record is a follow-up, kept on the conversation it followed: the thread stays closed (their
    next message opens a new one, as after any close), and their open alert, if any, is still picked up.

    `token` is the form's one-off id: the same form sent twice (a double click) records once. `shown` is the
    conversation the form was shown on, if any: when the thread has moved on since (they wrote again after it was
    closed, so the record would land on a new conversation), it is refused, so the worker sees what came first.
    A call or visit made while an alert of theirs was live is part of the duty team's record, however late it is
    recorded."""
    now = now or utcnow()
    if outcome not in ContactOutcome.ALL:
        raise InboxError("say how it went: you spoke with them, could not reach them, or saw them in person")
    # A browser sends each line break as two characters; counted as one, as the page's counter does.
    note = note.replace("\r\n", "\n").strip()
    if len(note) > MAX_CONTACT_NOTE:
        raise InboxError(f"the note can be at most {MAX_CONTACT_NOTE:,} characters; this one is {len(note):,}")
    if token is not None and (not token or len(token) > 40):
        raise InboxError("this form is out of date: open the conversation again")
    happened_at = now if happened_at is None else as_utc(happened_at)
    if happened_at > now + CLOCK_SLACK:
        raise WhenError("the call or visit cannot be in the future")
    happened_at = min(happened_at, now)
    conversation = _take(session, participant_id, now, closed=True)
    assert conversation.id is not None
    if shown is not None and conversation.id != shown:
        raise ThreadMoved("they have written again since this page was opened: read what they said, then record it")
    if happened_at < as_utc(conversation.started_at):
        raise WhenError(
            "the call or visit must be after they first wrote in this conversation, "
            f"{uk_date_time(conversation.started_at, services.config.app.timezone)}: record an earlier one in their "
            "case record"
        )
    if token is not None:
        sent = session.exec(
            select(Contact).where(col(Contact.conversation_id) == conversation.id, col(Contact.token) == token)
        ).first()
        if sent is not None:
            return sent  # the same form, sent twice
    contact = Contact(
        conversation_id=conversation.id,
        participant_id=participant_id,
        outcome=outcome,
        note=note or None,
        safeguarding=has_live_alert(session=session, participant_id=participant_id)
        or _alert_live_at(session, participant_id, happened_at),
        token=token,
        recorded_by=by,
        happened_at=happened_at,
        created_at=now,
    )
    session.add(contact)
    take_on_reply(
        session=session,
        vault=services.vault,
        config=services.config,
        participant_id=participant_id,
        by=by,
        now=now,
        note=f"Picked up by recording a call or visit on their conversation: {CONTACT_WORDS[outcome]}",
    )
    if conversation.status != ConversationStatus.CLOSED:
        _answered(conversation, by=by, now=now, answered=outcome in ContactOutcome.REACHED, at=happened_at)
    session.flush()
    return contact


def _alert_live_at(session: Session, participant_id: int, at: datetime) -> bool:
    """True when an alert of theirs was live (raised, not yet closed) at `at`."""
    query = select(Alert.id).where(
        col(Alert.participant_id) == participant_id,
        col(Alert.created_at) <= at,
        or_(col(Alert.closed_at).is_(None), col(Alert.closed_at) >= at),
    )
    return session.exec(query.limit(1)).first() is not None


# A call or visit recorded this long after it was made says when it was recorded too (the thread and the alert page).
RECORDED_LATER = timedelta(minutes=15)

# A call or visit said to be a few minutes ahead of the service's clock (a worker's watch runs fast) is taken as now.
CLOCK_SLACK = timedelta(minutes=5)


def _happened(item: Message | Contact) -> datetime:
    """When a message came or went, or a call or visit was: a thread's order."""
    return as_utc(item.happened_at if isinstance(item, Contact) else item.created_at)


def _answered(
    conversation: Conversation, *, by: str, now: datetime, answered: bool = True, at: datetime | None = None
) -> None:
    """A member of staff acted on the thread: a reply, or a call or visit (`answered`: one that reached them, so the
    team's latest answer, `last_reply_at`, unless it was `at` an earlier time than that answer). Whoever acts on a
    thread nobody has is the one talking to them, as with the alert they pick up: it shows as theirs, in their
    "Assigned to me", and the others can see it is in hand."""
    if conversation.assigned_to is None:
        conversation.assigned_to = by.strip()[:254] or None
        conversation.status = ConversationStatus.ASSIGNED if conversation.assigned_to else conversation.status
    last = conversation.last_reply_at
    if answered and (at is None or last is None or at >= as_utc(last)):
        conversation.last_reply_at = now if at is None else at
        conversation.last_reply_by = by
    conversation.updated_at = now


def refer_to_advocacy(
    *, session: Session, services, participant_id: int, note: str, by: str, now: datetime | None = None
) -> Conversation:
    """Refer the young person to the advocacy service: recorded on the thread, emailed through the outbox.

    The email names the young person by first name and pseudonym and says who referred them
    and why; it never carries their number or what they wrote (the advocate asks the worker).
    """
    now = now or utcnow()
    address = services.config.advocacy.email
    if not address:
        raise InboxError("no advocacy service address is set up: an admin sets [advocacy] email in the configuration")
    note = note.strip()
    if not note:
        raise InboxError("say briefly why you are referring them")
    conversation = _take(session, participant_id, now)
    if conversation.referred_at is not None:
        raise InboxError("this conversation has already been referred to advocacy")
    participant = session.get(Participant, participant_id)
    assert participant is not None
    council = services.config.app.council_name
    link = f"{services.config.app.public_url.rstrip('/')}/admin/inbox/{participant_id}"
    body = "\n".join(
        [
            f"{council}: a referral to the advocacy service from the Voice team.",
            "",
            f"Young person: {participant.first_name or '(first name not known)'} (reference {participant.pseudonym})",
            f"Status: {participant.status.replace('_', ' ')}",
            f"Referred by: {by}",
            "",
            "Why:",
            note,
            "",
            f"Please contact {by} for how to reach them. The conversation (staff sign-in): {link}",
        ]
    )
    enqueue(
        session=session,
        vault=services.vault,
        key=f"advocacy:{conversation.id}",
        kind="advocacy",
        channel="email",
        to=address,
        body=body,
        respect_window=False,
        not_before=now,
    )
    conversation.referred_at = now
    conversation.referred_by = by
    conversation.referral_note = note
    conversation.updated_at = now
    session.flush()
    return conversation
