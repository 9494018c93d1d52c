"""Web chat over the one inbound path: start a chat, find it again, send a message, read it back.

No Flask here: the routes translate HTTP to these functions, and these call
`inbound.receive` with channel "webchat" exactly as the SMS webhook does, so
screening, alerts, keywords, onboarding and surveys behave the same in both.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from ...engine.conversation import begin, intro_text, resume_prompt
from ...engine.onboarding import ASK_AGE, ASK_STATUS, WELCOME
from ...inbound import find_duplicate, receive, start_onboarding, waiting_run
from ...models import (
    ChatSession,
    Direction,
    Message,
    OptOut,
    Participant,
    Round,
    RoundStatus,
    Run,
    RunStatus,
    SurveyVersion,
    utcnow,
)
from ...rounds.launch import Cohort, run_state
from ...surveys.model import Survey
from ...surveys.registry import pinned_survey
from .quick_replies import QuickReply, invitation_replies, onboarding_replies, question_replies

CHANNEL = "webchat"
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 100
# Twilio's own ceiling for one message; a longer chat message is refused, not cut short.
MAX_TEXT = 1600
GREETING = (
    "Hi! There's no survey waiting for you right now, but you can tell us anything "
    "about your care here. The Voice team reads every message."
)
WELCOME_BACK = "Welcome back! Here's where we were: "


@dataclass
class Waiting:
    """What a chat is waiting for: the prompt to re-ask ("" if nothing) and its quick replies."""

    prompt: str = ""
    quick_replies: list[QuickReply] = field(default_factory=list)


@dataclass
class StartedChat:
    """A new chat: the token for the device (shown once, never stored) and the opening messages."""

    chat: ChatSession
    token: str
    replies: list[str]
    quick_replies: list[QuickReply]


@dataclass
class ChatTurn:
    """The service's answer to one message from the young person."""

    replies: list[str]
    quick_replies: list[QuickReply]
    duplicate: bool = False
    alert: bool = False


def hash_token(token: str) -> str:
    """The stored form of a chat token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _add_outbound(
    session: Session, participant: Participant, text: str, now: datetime, run_id: int | None = None
) -> None:
    """Keep a message the service sent in the chat, for the transcript."""
    session.add(
        Message(
            direction=Direction.OUT,
            channel=CHANNEL,
            participant_id=participant.id,
            run_id=run_id,
            body=text,
            created_at=now,
        )
    )


def start_chat(
    *, session: Session, services, invited: Participant | None = None, now: datetime | None = None
) -> StartedChat:
    """Start a chat: anonymous (a new participant, consent first) or bound to an invited participant."""
    now = now or utcnow()
    if invited is None:
        participant = Participant(source=CHANNEL, created_at=now, updated_at=now)
        session.add(participant)
        session.flush()
        opening = start_onboarding(session=session, services=services, participant=participant)
    else:
        participant = invited
        opening = _opening_for(session, services, participant)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    chat = ChatSession(
        token_hash=hash_token(token),
        participant_id=participant.id,
        via_invite=invited is not None,
        created_at=now,
        last_seen_at=now,
    )
    session.add(chat)
    _add_outbound(session, participant, opening, now)
    session.flush()
    waiting = waiting_for(session=session, services=services, participant=participant)
    return StartedChat(chat=chat, token=token, replies=[opening], quick_replies=waiting.quick_replies)


def _opening_for(session: Session, services, participant: Participant) -> str:
    """The first message of an invited chat: their survey's invitation, where they were, or a hello."""
    run = waiting_run(session, participant)
    if run is not None and not _onboarding_pending(participant):
        survey = _survey_of(session, run)
        if run.status == RunStatus.INVITED:
            return intro_text(survey, participant.first_name)
        return resume_prompt(survey, run_state(run, survey))
    waiting = waiting_for(session=session, services=services, participant=participant)
    return waiting.prompt or GREETING


def find_chat(*, session: Session, config, token: str | None, now: datetime | None = None) -> ChatSession | None:
    """The live chat this token opens, or None (unknown, or unused for longer than the session lifetime)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    chat = session.exec(select(ChatSession).where(ChatSession.token_hash == hash_token(token))).scalars().first()
    if chat is None:
        return None
    now = now or utcnow()
    if now - chat.last_seen_at > timedelta(days=config.webchat.session_max_age_days):
        return None
    return chat


def _survey_of(session: Session, run: Run) -> Survey:
    return pinned_survey(session.get(SurveyVersion, run.survey_version_id))


def _onboarding_pending(participant: Participant) -> bool:
    return participant.onboarding is not None and participant.onboarding.get("step") not in ("done", "declined")


def _opted_out(session: Session, participant: Participant) -> bool:
    return participant.phone_hash is not None and session.get(OptOut, participant.phone_hash) is not None


def waiting_for(*, session: Session, services, participant: Participant) -> Waiting:
    """What the participant's next message will answer, in the order `inbound.receive` decides it."""
    if _opted_out(session, participant):
        return Waiting()
    if _onboarding_pending(participant):
        step = participant.onboarding["step"]
        prompts = {
            "consent": WELCOME.format(council=services.config.app.council_name),
            "status": ASK_STATUS,
            "age": ASK_AGE,
        }
        return Waiting(prompts.get(step, ""), onboarding_replies(step))
    run = waiting_run(session, participant)
    if run is None:
        return Waiting()
    survey = _survey_of(session, run)
    prompt = resume_prompt(survey, run_state(run, survey))
    if run.status == RunStatus.INVITED:
        return Waiting(prompt, invitation_replies())
    return Waiting(prompt, question_replies(survey.question(run.current_question)))


def deliver(*, services, token: str | None, text: str, client_id: str | None) -> ChatTurn | None:
    """Send one message to the chat this token opens, in its own transaction; None if the chat has ended.

    A retry of the same client id racing the first (a double-tapped Send) loses on the unique
    message id, and is then answered with what the first one stored.
    """
    for attempt in range(2):
        with Session(services.engine, expire_on_commit=False) as session:
            chat = find_chat(session=session, config=services.config, token=token)
            if chat is None:
                return None
            try:
                turn = send(session=session, services=services, chat=chat, text=text, client_id=client_id)
                session.commit()
                return turn
            except IntegrityError:
                session.rollback()
                if attempt:
                    raise
    raise AssertionError("unreachable")


def send(
    *,
    session: Session,
    services,
    chat: ChatSession,
    text: str,
    client_id: str | None = None,
    now: datetime | None = None,
) -> ChatTurn:
    """Handle one message typed or tapped in a chat; a retried `client_id` gets the same replies."""
    now = now or utcnow()
    participant = session.get(Participant, chat.participant_id)
    # Scoped to the chat, so two devices can't collide on the same client id.
    sid = f"chat{chat.id}:{client_id or secrets.token_hex(12)}"
    earlier = find_duplicate(session=session, channel=CHANNEL, provider_sid=sid)
    if earlier is not None:
        waiting = waiting_for(session=session, services=services, participant=participant)
        return ChatTurn(replies=earlier.replies, quick_replies=waiting.quick_replies, duplicate=True)
    result = receive(
        session=session,
        services=services,
        channel=CHANNEL,
        text=text,
        participant=participant,
        provider_sid=sid,
        now=now,
    )
    replies = list(result.replies)
    if _just_onboarded(participant, result.events) and services.config.webchat.join_open_rounds:
        joined = offer_open_round(session=session, participant=participant, now=now)
        if joined is not None:
            run, intro = joined
            replies.append(intro)
            _add_outbound(session, participant, intro, now, run.id)
            inbound = (
                session.exec(
                    select(Message).where(
                        Message.channel == CHANNEL,
                        Message.provider_sid == sid,
                        Message.direction == Direction.IN,
                    )
                )
                .scalars()
                .one()
            )
            inbound.replies = list(replies)  # a retry must get the invitation too
    chat.last_seen_at = now
    session.flush()
    waiting = waiting_for(session=session, services=services, participant=participant)
    # After STOP nothing more is asked, whatever the stored state still says.
    quick = [] if "opted_out" in result.events else waiting.quick_replies
    return ChatTurn(replies=replies, quick_replies=quick, alert=result.alert_id is not None)


def _just_onboarded(participant: Participant, events: list[str]) -> bool:
    """True when this message finished an anonymous chatter's onboarding."""
    return (
        participant.source == CHANNEL
        and "onboarding" in events
        and (participant.onboarding or {}).get("step") == "done"
    )


def fits(participant: Participant, survey: Survey, cohort: Cohort, today: date) -> bool:
    """True when a round's cohort and its survey's audience certainly include this participant."""
    if survey.audience and participant.status not in survey.audience:
        return False
    survey_ages = Cohort(min_age=survey.min_age, max_age=survey.max_age)
    return cohort.matches(participant, today) and survey_ages.matches(participant, today)


def offer_open_round(*, session: Session, participant: Participant, now: datetime) -> tuple[Run, str] | None:
    """Invite a newly onboarded web chatter into the newest open round meant for them: (run, invitation)."""
    rounds = (
        session.exec(
            select(Round)
            .where(
                Round.status == RoundStatus.OPEN,
                (Round.closes_at.is_(None)) | (Round.closes_at > now),
            )
            .order_by(Round.opens_at.desc(), Round.id.desc())
        )
        .scalars()
        .all()
    )
    known = Cohort.__dataclass_fields__
    for round_ in rounds:
        already = session.exec(
            select(Run.id).where(Run.round_id == round_.id, Run.participant_id == participant.id)
        ).first()
        if already is not None:
            continue
        version = session.get(SurveyVersion, round_.survey_version_id)
        survey = pinned_survey(version)
        cohort = Cohort(**{key: value for key, value in (round_.cohort or {}).items() if key in known})
        if not fits(participant, survey, cohort, now.date()):
            continue
        step = begin(survey, first_name=None, language=participant.language)
        run = Run(
            participant_id=participant.id,
            round_id=round_.id,
            survey_version_id=version.id,
            channel=CHANNEL,
            status=step.state.status,
            language=step.state.language,
            created_at=now,
            updated_at=now,
        )
        session.add(run)
        session.flush()
        return run, step.replies[0]
    return None


def transcript(*, session: Session, chat: ChatSession) -> list[dict]:
    """The chat so far, oldest first: `{"from": "service" | "you", "text": ...}`."""
    rows = session.exec(
        select(Message)
        .where(
            Message.participant_id == chat.participant_id,
            Message.channel == CHANNEL,
            Message.created_at >= chat.created_at,
        )
        .order_by(Message.id)
    ).scalars()
    return [{"from": "service" if row.direction == Direction.OUT else "you", "text": row.body} for row in rows]


def resume(*, session: Session, services, chat: ChatSession, now: datetime | None = None) -> tuple[list[dict], Waiting]:
    """Reopening a chat: the transcript, with the waiting question asked again if it isn't the last thing said."""
    chat.last_seen_at = now or utcnow()
    participant = session.get(Participant, chat.participant_id)
    messages = transcript(session=session, chat=chat)
    waiting = waiting_for(session=session, services=services, participant=participant)
    last_said = messages[-1]["text"] if messages and messages[-1]["from"] == "service" else None
    if waiting.prompt and waiting.prompt != last_said:
        messages.append({"from": "service", "text": WELCOME_BACK + waiting.prompt, "resumed": True})
    return messages, waiting
