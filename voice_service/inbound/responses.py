"""Turn what a young person said into Response rows: a survey answer, or a message texted in.

Free text is analysed (themes, sentiment) with the screen it already had on arrival, so
nothing is screened twice. Rows are added to the session, not flushed: the inbound path
flushes everything a message causes once.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, col, select

from .. import analysis
from ..engine.types import Answer
from ..models import Response, Run
from ..surveys.model import Catalogue, Survey
from ..surveys.scoring import question_themes, scale_score, scale_sentiment


def previous_scale_hint(session: Session, run: Run, survey: Survey) -> float | None:
    """The run's latest scale answer as [-1, 1], to inform the sentiment of a follow-up."""
    previous = session.exec(
        select(col(Response.question_id), col(Response.value_number))
        .where(
            col(Response.run_id) == run.id,
            col(Response.kind) == "scale",
            col(Response.value_number).is_not(None),
        )
        .order_by(col(Response.id).desc())
        .limit(1)
    ).first()
    if previous is None:
        return None
    question_id, value = previous
    if question_id is None or value is None:
        return None
    try:
        return scale_score(value, survey.question(question_id))
    except KeyError:
        return None


def answer_response(
    *,
    session: Session,
    catalogue: Catalogue,
    survey: Survey,
    run: Run,
    participant_id: int,
    message_id: int,
    answer: Answer,
    screen,
    directory: Path | None = None,
) -> Response:
    """The Response for one engine answer, with themes, sentiment and risk (`screen`: the arrival screen)."""
    question = survey.question(answer.question_id)
    response = Response(
        participant_id=participant_id,
        run_id=run.id,
        round_id=run.round_id,
        message_id=message_id,
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
        hint = previous_scale_hint(session, run, survey)
        result = analysis.analyse(answer.raw, scale_hint=hint, risk=screen, directory=directory)
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
            response.score = scale_score(answer.value, question)
            response.sentiment = scale_sentiment(response.score)
        else:
            response.value_text = str(answer.value)
        # The message was screened on arrival; a structured answer is the whole message.
        response.risk, response.risk_categories = screen.risk, list(screen.categories)
    session.add(response)
    return response


def text_in_response(
    *,
    session: Session,
    participant_id: int,
    message_id: int,
    text: str,
    screen,
    run: Run | None = None,
    directory: Path | None = None,
) -> Response | None:
    """Keep a message sent outside a survey question, analysed like any free text; None for an empty one."""
    if not text.strip():
        return None
    result = analysis.analyse(text, risk=screen, directory=directory)
    response = Response(
        participant_id=participant_id,
        run_id=run.id if run else None,
        round_id=run.round_id if run else None,
        message_id=message_id,
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
    session.add(response)
    return response
