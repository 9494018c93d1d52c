"""What the responses page needs: answers filtered by round, pledge, theme, sentiment and risk.

Theme and sentiment filters use the tags to trust (a worker's correction where there is
one, else the machine's). A pledge matches an answer when its question is asked for that
pledge, or the answer's themes are among the pledge's themes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from ...labels import effective_sentiment, effective_themes
from ...models import Participant, Response, Round, SurveyVersion
from ...surveys.model import Catalogue, Survey
from ...surveys.registry import pinned_survey
from .ids import record_id

PAGE_SIZE = 50
# Enough to filter by theme in Python after SQL has narrowed by round, sentiment and risk.
SCAN_LIMIT = 5000


@dataclass(frozen=True)
class ResponseFilter:
    """The page's filters; None means "any"."""

    round_id: int | None = None
    pledge: int | None = None
    theme: str | None = None
    sentiment: str | None = None
    risk: bool | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ResponseFilter:
        """Read the filters from a query string, ignoring anything that is not a valid value."""

        def number(name: str) -> int | None:
            return record_id(args.get(name))

        risk = {"yes": True, "no": False}.get((args.get("risk") or "").strip())
        sentiment = (args.get("sentiment") or "").strip() or None
        if sentiment not in (None, "positive", "neutral", "negative"):
            sentiment = None
        return cls(
            round_id=number("round"),
            pledge=number("pledge"),
            theme=(args.get("theme") or "").strip() or None,
            sentiment=sentiment,
            risk=risk,
        )


@dataclass(frozen=True)
class ResponseRow:
    """One answer as the page shows it."""

    response: Response
    pseudonym: str
    question: str
    themes: list[str]
    sentiment: str | None
    corrected: bool
    created_at: datetime


@dataclass
class ResponsePage:
    """One page of matching answers and how many matched."""

    rows: list[ResponseRow]
    total: int


def _question_label(survey: Survey | None, question_id: str | None) -> str:
    if question_id is None:
        return "Texted in"
    if survey is None:
        return question_id
    try:
        question = survey.question(question_id)
    except KeyError:
        return question_id
    return getattr(question, "label", None) or question.id.replace("_", " ")


def filter_responses(
    *, session: Session, catalogue: Catalogue, filters: ResponseFilter, offset: int = 0, limit: int = PAGE_SIZE
) -> ResponsePage:
    """The answers matching the filters, newest first."""
    query = (
        select(Response, col(Participant.pseudonym), SurveyVersion)
        .join(Participant, col(Participant.id) == col(Response.participant_id))
        .outerjoin(Round, col(Round.id) == col(Response.round_id))
        .outerjoin(SurveyVersion, col(SurveyVersion.id) == col(Round.survey_version_id))
        .order_by(col(Response.id).desc())
    )
    if filters.round_id is not None:
        query = query.where(col(Response.round_id) == filters.round_id)
    if filters.sentiment:
        query = query.where(func.coalesce(Response.human_sentiment, Response.sentiment) == filters.sentiment)
    if filters.risk is not None:
        query = query.where(col(Response.risk).is_(filters.risk))
    pledge_themes: set[str] = set()
    if filters.pledge is not None and filters.pledge in catalogue.pledges:
        pledge_themes = set(catalogue.pledges[filters.pledge].themes)
    rows: list[ResponseRow] = []
    surveys: dict[int, Survey] = {}
    for response, pseudonym, version in session.exec(query.limit(SCAN_LIMIT)).all():
        survey = None
        if version is not None and version.id is not None:
            if version.id not in surveys:
                surveys[version.id] = pinned_survey(version)
            survey = surveys[version.id]
        themes = effective_themes(response)
        if filters.theme and filters.theme not in themes:
            continue
        if filters.pledge is not None and not _about_pledge(filters.pledge, pledge_themes, themes, survey, response):
            continue
        rows.append(
            ResponseRow(
                response=response,
                pseudonym=pseudonym,
                question=_question_label(survey, response.question_id),
                themes=themes,
                sentiment=effective_sentiment(response),
                corrected=response.labelled_at is not None,
                created_at=response.created_at,
            )
        )
    return ResponsePage(rows=rows[offset : offset + limit], total=len(rows))


def _about_pledge(pledge: int, pledge_themes: set[str], themes: list[str], survey: Survey | None, response) -> bool:
    """True when the answer's question is asked for the pledge, or its themes are the pledge's."""
    if pledge_themes & set(themes):
        return True
    if survey is not None and response.question_id:
        try:
            return pledge in survey.question(response.question_id).pledges
        except KeyError:
            return False
    return False
