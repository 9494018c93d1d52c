"""Handle one message from a young person, whatever the channel: the service's main path.

Order matters and is fixed: de-duplicate by provider id, screen for risk (before
anything else), then keywords (STOP, START), onboarding, the waiting survey run,
or a message texted in. Everything a message causes commits in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from . import analysis
from .engine import copy
from .engine.conversation import handle
from .engine.keywords import classify
from .engine.onboarding import OnboardingState, begin_onboarding, handle_onboarding
from .engine.types import Answer
from .models import (
    Direction,
    Message,
    OptOut,
    Participant,
    Response,
    Round,
    RoundStatus,
    Run,
    RunStatus,
    SurveyVersion,
    utcnow,
)
from .rounds.launch import run_state
from .safeguarding import RISK_REPLY, raise_alert
from .surveys.model import Catalogue, Question, Survey
from .surveys.registry import pinned_survey

CLOSED_REPLY_DAYS = 30


@dataclass
class InboundResult:
    """The replies to send back, and what happened."""

    replies: list[str]
    duplicate: bool = False
    alert_id: int | None = None
    participant_id: int | None = None
    events: list[str] = field(default_factory=list)


def find_duplicate(*, session: Session, channel: str, provider_sid: str | None) -> InboundResult | None:
    """The earlier result for a message we have already handled (a webhook retry), if any."""
    if not provider_sid:
        return None
    earlier = (
        session.exec(
            select(Message).where(
                Message.channel == channel,
                Message.provider_sid == provider_sid,
                Message.direction == Direction.IN,
            )
        )
        .scalars()
        .first()
    )
    if earlier is None:
        return None
    return InboundResult(replies=list(earlier.replies or []), duplicate=True, participant_id=earlier.participant_id)


def receive(
    *,
    session: Session,
    services,
    channel: str,
    text: str,
    participant: Participant,
    provider_sid: str | None = None,
    new_participant: bool = False,
    now: datetime | None = None,
) -> InboundResult:
    """Handle one inbound text from a participant (`new_participant` when the caller just created them)."""
    now = now or utcnow()
    text = text or ""
    screen = analysis.screen(text, directory=services.conversations_dir)  # first, before anything else
    message = Message(
        direction=Direction.IN,
        channel=channel,
        provider_sid=provider_sid,
        participant_id=participant.id,
        body=text,
        created_at=now,
    )
    session.add(message)
    session.flush()
    result = InboundResult(replies=[], participant_id=participant.id)
    if screen.risk:
        alert = raise_alert(
            session=session,
            vault=services.vault,
            config=services.config,
            message=message,
            participant=participant,
            categories=screen.categories,
            now=now,
        )
        result.alert_id = alert.id
        result.replies.append(RISK_REPLY)
        result.events.append("alert")

    _route(session, services, participant, message, text, now, result, new_participant, screen)

    message.replies = list(result.replies)
    for reply in result.replies:
        session.add(
            Message(
                direction=Direction.OUT,
                channel=channel,
                participant_id=participant.id,
                run_id=message.run_id,
                body=reply,
                created_at=now,
            )
        )
    session.flush()
    return result


def _route(session, services, participant, message, text, now, result, new_participant, screen) -> None:
    """Decide what the message is: a keyword, onboarding, a survey answer, or a text-in."""
    keyword = classify(text)
    opt_out = session.get(OptOut, participant.phone_hash) if participant.phone_hash else None
    opted_out = opt_out is not None
    if keyword == "stop":
        _opt_out(session, participant, text, now)
        if not opted_out:
            result.replies.append(copy.STOP_CONFIRMED)
        result.events.append("opted_out")
        return
    if keyword == "start":
        if opt_out is not None:
            session.delete(opt_out)
        result.replies.append(copy.START_WELCOME_BACK)
        result.events.append("opted_in")
        return
    if opted_out and message.channel == "sms":
        # Still kept (and screened above), but no more texts to someone who said STOP. In the web chat
        # they are talking to us on purpose, so the chat goes on.
        _store_text_in(session, participant, message, text, screen, directory=services.conversations_dir)
        result.events.append("opted_out_text")
        return
    if new_participant:
        # Someone we have never heard from: keep what they said, then ask consent before anything else.
        _store_text_in(session, participant, message, text, screen, directory=services.conversations_dir)
        result.replies.append(start_onboarding(session=session, services=services, participant=participant))
        result.events.append("onboarding")
        return
    if participant.onboarding is not None and participant.onboarding.get("step") not in ("done", "declined"):
        _onboard(session, participant, text, message, screen, services, result)
        return
    run = waiting_run(session, participant)
    if run is not None:
        _answer(session, services, participant, run, message, text, now, result, screen)
        return
    _store_text_in(session, participant, message, text, screen, directory=services.conversations_dir)
    if keyword == "help":
        result.replies.append(copy.HELP)
    elif result.alert_id is None:
        # After a risk reply, a thank-you would be one text too many.
        result.replies.append(copy.CLOSED if _recently_closed(session, participant, now) else copy.TEXT_IN_THANKS)
    result.events.append("text_in")


def participant_for_phone(*, session: Session, services, phone: str) -> tuple[Participant, bool]:
    """The participant with this E.164 number, creating one (to be onboarded) if we have never seen it."""
    vault = services.vault
    phone_hash = vault.hash(phone)
    participant = session.exec(select(Participant).where(Participant.phone_hash == phone_hash)).scalars().first()
    if participant is not None:
        return participant, False
    participant = Participant(phone_hash=phone_hash, phone_encrypted=vault.encrypt(phone), source="text_in")
    session.add(participant)
    session.flush()
    return participant, True


def start_onboarding(*, session: Session, services, participant: Participant) -> str:
    """Begin consent-first onboarding for someone new; returns the first reply."""
    state, reply = begin_onboarding(council=services.config.app.council_name)
    participant.onboarding = state.to_dict()
    session.flush()
    return reply


def _onboard(session, participant, text, message, screen, services, result) -> None:
    """One step of onboarding; a finished onboarding fills in status and age band."""
    state = OnboardingState.from_dict(participant.onboarding)
    step = handle_onboarding(state, text)
    participant.onboarding = step.state.to_dict()
    if step.profile:
        if step.profile.get("status"):
            participant.status = step.profile["status"]
        participant.age_band = step.profile.get("age_band")
    if step.declined:
        result.events.append("declined")
    result.replies.extend(step.replies)
    result.events.append("onboarding")
    if step.state == state and classify(text) is None:
        # Not an answer to the onboarding question: keep it, it may matter.
        _store_text_in(session, participant, message, text, screen, directory=services.conversations_dir)


def waiting_run(session: Session, participant: Participant) -> Run | None:
    """The newest run waiting for this participant whose round (if any) is still open."""
    query = (
        select(Run)
        .outerjoin(Round, Round.id == Run.round_id)
        .where(
            Run.participant_id == participant.id,
            Run.status.in_(RunStatus.WAITING),
            (Run.round_id.is_(None)) | (Round.status == RoundStatus.OPEN),
        )
        .order_by(Run.created_at.desc(), Run.id.desc())
    )
    return session.exec(query).scalars().first()


def _recently_closed(session: Session, participant: Participant, now: datetime) -> bool:
    """True when a run of theirs was closed by its round lately (they may be answering it)."""
    run = (
        session.exec(
            select(Run)
            .where(Run.participant_id == participant.id, Run.status == RunStatus.CLOSED)
            .order_by(Run.ended_at.desc())
            .limit(1)
        )
        .scalars()
        .first()
    )
    return run is not None and run.ended_at is not None and now - run.ended_at < timedelta(days=CLOSED_REPLY_DAYS)


def _answer(session, services, participant, run, message, text, now, result, screen) -> None:
    """Drive the engine for the waiting run and store its answer."""
    version = session.get(SurveyVersion, run.survey_version_id)
    survey = pinned_survey(version)
    step = handle(survey, run_state(run, survey), text)
    message.run_id = run.id
    run.status = step.state.status
    run.current_question = step.state.current
    run.reasked = step.state.reasked
    run.updated_at = now
    if "started" in step.events and run.started_at is None:
        run.started_at = now
    if run.status not in RunStatus.WAITING and run.ended_at is None:
        run.ended_at = now
    if step.answer is not None:
        _store_answer(
            session,
            services.catalogue,
            survey,
            run,
            participant,
            message,
            step.answer,
            screen,
            directory=services.conversations_dir,
        )
    elif "started" not in step.events and text.strip() and classify(text) is None and run.status == RunStatus.INVITED:
        # Not a yes or no to the invitation: keep what they said as a text-in.
        _store_text_in(session, participant, message, text, screen, run=run, directory=services.conversations_dir)
    result.replies.extend(step.replies)
    result.events.extend(step.events)


def question_themes(question: Question, catalogue: Catalogue) -> list[str]:
    """The themes a structured answer inherits from its question's pledges and top-ten messages."""
    themes: set[str] = set()
    for number in question.pledges:
        if number in catalogue.pledges:
            themes.update(catalogue.pledges[number].themes)
    for number in question.messages:
        if number in catalogue.messages:
            themes.update(catalogue.messages[number].themes)
    return sorted(themes)


def scale_score(value: int, question: Question) -> float:
    """A scale answer mapped onto [-1, 1]."""
    return round((value - question.min) / (question.max - question.min) * 2 - 1, 3)


def _previous_scale_hint(session, run: Run, survey: Survey) -> float | None:
    """The run's latest scale answer as [-1, 1], to inform the sentiment of a follow-up."""
    previous = (
        session.exec(
            select(Response)
            .where(Response.run_id == run.id, Response.kind == "scale", Response.value_number.is_not(None))
            .order_by(Response.id.desc())
            .limit(1)
        )
        .scalars()
        .first()
    )
    if previous is None:
        return None
    try:
        return scale_score(previous.value_number, survey.question(previous.question_id))
    except KeyError:
        return None


def _store_answer(
    session, catalogue, survey, run, participant, message, answer: Answer, screen, *, directory: Path
) -> Response:
    """Store one engine answer with themes, sentiment and risk."""
    question = survey.question(answer.question_id)
    response = Response(
        participant_id=participant.id,
        run_id=run.id,
        round_id=run.round_id,
        message_id=message.id,
        question_id=answer.question_id,
        kind=answer.kind,
        answer=answer.raw,
        skipped=answer.skipped,
        free_text=answer.free_text,
    )
    if answer.skipped:
        response.themes = question_themes(question, catalogue)
    elif answer.kind == "text" or answer.free_text:
        # The answer is the whole inbound message, already screened on arrival.
        result = analysis.analyse(
            answer.raw, scale_hint=_previous_scale_hint(session, run, survey), risk=screen, directory=directory
        )
        # Free text gets the themes found in it; the question's pledges stay reachable through question_id.
        response.themes = list(result.themes)
        response.sentiment, response.score = result.sentiment, result.score
        response.risk, response.risk_categories = result.risk, list(result.risk_categories)
        response.value_text = answer.raw[:200] if answer.kind == "text" else None
    else:
        response.themes = question_themes(question, catalogue)
        if isinstance(answer.value, bool):
            response.value_text = "yes" if answer.value else "no"
            response.value_number = int(answer.value)
        elif isinstance(answer.value, int):
            response.value_number = answer.value
            score = scale_score(answer.value, question)
            response.score = score
            response.sentiment = "positive" if score > 0.2 else "negative" if score < -0.2 else "neutral"
        else:
            response.value_text = str(answer.value)
        # The message was screened on arrival; a structured answer is the whole message.
        response.risk, response.risk_categories = screen.risk, list(screen.categories)
    session.add(response)
    session.flush()
    return response


def _store_text_in(session, participant, message, text, screen, *, directory: Path, run: Run | None = None) -> None:
    """Keep a message sent outside a survey question, analysed like any free text (`screen`: its arrival screen)."""
    if not text.strip():
        return
    result = analysis.analyse(text, risk=screen, directory=directory)
    session.add(
        Response(
            participant_id=participant.id,
            run_id=run.id if run else None,
            round_id=run.round_id if run else None,
            message_id=message.id,
            question_id=None,
            kind="text",
            answer=text,
            value_text=text[:200],
            themes=list(result.themes),
            sentiment=result.sentiment,
            score=result.score,
            risk=result.risk,
            risk_categories=list(result.risk_categories),
        )
    )
    session.flush()


def _opt_out(session: Session, participant: Participant, keyword: str, now: datetime) -> None:
    """Record STOP for this number and stop every waiting run."""
    if participant.phone_hash and session.get(OptOut, participant.phone_hash) is None:
        session.add(OptOut(phone_hash=participant.phone_hash, keyword=keyword.strip().upper()[:20], opted_out_at=now))
    for run in session.exec(
        select(Run).where(Run.participant_id == participant.id, Run.status.in_(RunStatus.WAITING))
    ).scalars():
        run.status = RunStatus.STOPPED
        run.ended_at = now
        run.updated_at = now
    session.flush()
