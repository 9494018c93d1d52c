"""Turn what a young person said into a Response row: a survey answer, or a message texted in.

Free text is analysed (themes, sentiment) with the screen it already had on arrival, so
nothing is screened twice. The inbound path analyses the text before it reads or writes
anything (`receive`), and passes that analysis in here; only an answer to a question a scale
answer branched to (pulse's "what would help?" after a low rating) is analysed again, with
that rating as a hint (`follow_up_hint`). These functions return the row's values: the
inbound path writes them with its other rows (`inbound/writes.py`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session

from .. import analysis
from ..analysis import Analysis
from ..engine.answers import ANY, chosen_branch
from ..engine.types import Answer
from ..models import Response, RunStatus
from ..prepared import prepared
from ..surveys.model import Catalogue, Question, Survey
from ..surveys.scoring import question_themes, scale_score, scale_sentiment
from .situation import RunRow


def previous_scale():
    """A run's latest scale answer (question id, value)."""
    response = Response.__table__
    return (
        sa_select(response.c.question_id, response.c.value_number)
        .where(
            response.c.run_id == bindparam("run_id"),
            response.c.kind == "scale",
            response.c.value_number.is_not(None),
        )
        .order_by(response.c.id.desc())
        .limit(1)
    )


def _branched_to(question: Question, value: int, question_id: str) -> bool:
    """True when answering `question` with `value` asks `question_id` because of that answer: the first branch
    the answer meets goes there and is a condition, not "any" (which goes there whatever the answer)."""
    branch = chosen_branch(question, value)
    return branch is not None and branch.goto == question_id and branch.when.strip().lower() != ANY


def follow_up_hint(session: Session, run: RunRow, survey: Survey, question: Question) -> float | None:
    """The scale answer that `question` was asked because of, as [-1, 1], to inform the sentiment of the answer
    to it; None for any other question, however recent a rating (trial 13, T13-11: a rating of school three
    questions back made the same wish positive for one young person and negative for another).

    The run's latest scale answer, read in one statement compiled once per process (no ORM session is made),
    and only for a question some scale question branches to."""
    if not any(q.kind == "scale" and any(b.goto == question.id for b in q.branches) for q in survey.questions):
        return None
    connection = session.connection()
    previous = prepared(previous_scale, connection.dialect).first(connection, {"run_id": run.id})
    if previous is None:
        return None
    question_id, value = previous
    if question_id is None or value is None:
        return None
    try:
        rated = survey.question(question_id)
    except KeyError:
        return None
    if rated.kind != "scale" or not _branched_to(rated, value, question.id):
        return None
    return scale_score(value, rated)


def _row(
    *,
    participant_id: int,
    run: RunRow | None,
    question_id: str | None,
    kind: str,
    answer: str,
    now: datetime,
) -> dict[str, Any]:
    """Every column of a new Response, with the defaults the model gives (the row is inserted by Core)."""
    return {
        "participant_id": participant_id,
        "run_id": run.id if run else None,
        "round_id": run.round_id if run else None,
        "message_id": None,  # filled in by `write_message`, from the message's insert
        "question_id": question_id,
        "during_question": None,
        "kind": kind,
        "answer": answer,
        "value_number": None,
        "value_text": None,
        "skipped": False,
        "free_text": False,
        "themes": [],
        "sentiment": None,
        "score": None,
        "risk": False,
        "risk_categories": [],
        "theme_sentiments": None,
        "created_at": now,
    }


def response_columns() -> tuple[str, ...]:
    """The columns of every Response row these functions return, in order (the rows' one shape)."""
    return tuple(_row(participant_id=0, run=None, question_id=None, kind="text", answer="", now=datetime.now(UTC)))


def _analysed(row: dict[str, Any], result: Analysis) -> None:
    row["themes"] = list(result.themes)
    row["theme_sentiments"] = dict(result.theme_sentiments) or None
    row["sentiment"], row["score"] = result.sentiment, result.score
    row["risk"], row["risk_categories"] = result.risk, list(result.risk_categories)


def answer_response(
    *,
    session: Session,
    catalogue: Catalogue,
    survey: Survey,
    run: RunRow,
    participant_id: int,
    answer: Answer,
    screen,
    analysed: Analysis | None,
    now: datetime,
    directory: Path | None = None,
) -> dict[str, Any]:
    """The Response values for one engine answer, with themes, sentiment and risk (`screen`: the arrival
    screen; `analysed`: the arrival analysis of the message, which is the whole answer)."""
    question = survey.question(answer.question_id)
    row = _row(
        participant_id=participant_id,
        run=run,
        question_id=answer.question_id,
        kind=answer.kind,
        answer=answer.raw,
        now=now,
    )
    row["skipped"], row["free_text"] = answer.skipped, answer.free_text
    if answer.skipped:
        # A skip says nothing about the question's themes: none, and no feeling (never a mention of a theme).
        return row
    if answer.kind == "text" or answer.free_text:
        # The answer is the whole inbound message, already screened (and analysed) on arrival.
        hint = follow_up_hint(session, run, survey, question)
        if hint is not None or analysed is None:
            analysed = analysis.analyse(answer.raw, scale_hint=hint, risk=screen, directory=directory)
        # Free text gets the themes found in it; the question's pledges stay reachable through question_id.
        _analysed(row, analysed)
        row["value_text"] = answer.raw[:200] if answer.kind == "text" else None
    else:
        row["themes"] = question_themes(question, catalogue)
        if isinstance(answer.value, bool):
            row["value_text"] = "yes" if answer.value else "no"
            row["value_number"] = int(answer.value)
        elif isinstance(answer.value, int):
            row["value_number"] = answer.value
            row["score"] = scale_score(answer.value, question)
            row["sentiment"] = scale_sentiment(row["score"])
        else:
            row["value_text"] = str(answer.value)
        # The message was screened on arrival; a structured answer is the whole message.
        row["risk"], row["risk_categories"] = screen.risk, list(screen.categories)
    return row


def text_in_response(
    *,
    participant_id: int,
    text: str,
    screen,
    analysed: Analysis | None,
    now: datetime,
    run: RunRow | None = None,
    during: RunRow | None = None,
    directory: Path | None = None,
) -> dict[str, Any] | None:
    """The values to keep a message sent outside a survey question, analysed like any free text; None for
    an empty one (`analysed`: the arrival analysis of `text`, else it is analysed here). `run`: the survey run it
    counts towards, if any; `during`: their waiting run as it stood when it came, whose question it came at."""
    if not text.strip():
        return None
    if analysed is None:
        analysed = analysis.analyse(text, risk=screen, directory=directory)
    row = _row(
        participant_id=participant_id,
        run=run,
        question_id=None,
        kind="text",
        answer=text,
        now=now,
    )
    row["value_text"] = text[:200]
    row["during_question"] = waiting_on(during)
    _analysed(row, analysed)
    return row


def waiting_on(run: RunRow | None) -> str | None:
    """The question a run had asked them and was waiting on: one started, going or paused, whose current
    question was sent (`current_asked`); None otherwise."""
    if run is None or run.started_at is None or run.status not in (RunStatus.ACTIVE, RunStatus.PAUSED):
        return None
    return run.current_question if run.current_asked else None
