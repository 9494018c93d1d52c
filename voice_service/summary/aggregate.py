"""Count a round's answers in SQL and return plain figures (nothing is suppressed yet).

Every count is of people (distinct participants), because disclosure control is about people.
Answers are never loaded row by row: each figure is one GROUP BY in the database, and only
a handful of candidate quotes per theme come back as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Integer, String, and_, case, cast, func, or_, select, true
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from ..models import Action, Participant, Response, Round, Run, SurveyVersion

QUOTES_PER_THEME = 6
QUOTE_MIN_CHARS, QUOTE_MAX_CHARS = 25, 220
AGE_BAND_ORDER = ("11-15", "16-17", "18-21", "22-25", "other", "not known")


@dataclass(frozen=True)
class QuestionFigures:
    """Answers to one question: people who answered, people per answer, the mean of a scale."""

    question_id: str
    respondents: int
    counts: dict[str, int] = field(default_factory=dict)  # answer ("1".."5", "yes", a choice) -> people
    mean: float | None = None


@dataclass(frozen=True)
class ThemeFigures:
    """People whose comments carried a theme, and how many of them in each sentiment."""

    theme: str
    people: int
    by_sentiment: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class QuoteCandidate:
    """A comment that could be quoted for a theme (raw text: redact before showing)."""

    response_id: int
    participant_id: int
    theme: str
    text: str
    sentiment: str | None
    score: float | None


@dataclass(frozen=True)
class ActionRecord:
    """A "we did / we will" action, as plain data."""

    id: int
    round_id: int
    pledge: int | None
    message: int | None
    theme: str | None
    said: str
    did: str
    owner: str | None
    status: str
    due_on: date | None
    done_at: datetime | None


@dataclass(frozen=True)
class RoundFigures:
    """Everything counted for one round."""

    round_id: int
    survey_id: str
    survey_title: str
    survey_source: str
    status: str
    opens_at: datetime
    closes_at: datetime | None
    closed_at: datetime | None
    invited: int
    responded: int
    commenters: int
    channels: dict[str, int]
    age_bands: dict[str, int]
    questions: dict[str, QuestionFigures]
    themes: dict[str, ThemeFigures]
    quotes: tuple[QuoteCandidate, ...] = ()
    actions: tuple[ActionRecord, ...] = ()


def theme_table(session: Session):
    """The themes JSON list as a table with one `value` per theme: the one dialect-specific piece."""
    if session.get_bind().dialect.name == "postgresql":
        return func.json_array_elements_text(Response.themes).table_valued("value")
    return func.json_each(Response.themes).table_valued("value")


def _age_years(session: Session, born: ColumnElement, on: date) -> ColumnElement:
    """Whole years between a date of birth and a day, in the database's own date functions."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.date_part("year", func.age(on, born)), Integer)
    day = on.isoformat()
    return (
        cast(func.strftime("%Y", day), Integer)
        - cast(func.strftime("%Y", born), Integer)
        - case((func.strftime("%m-%d", day) < func.strftime("%m-%d", born), 1), else_=0)
    )


def _age_band(session: Session, on: date) -> ColumnElement:
    """A participant's age band: the one they told us, else worked out from date of birth."""
    age = _age_years(session, Participant.date_of_birth, on)
    derived = case(
        (Participant.date_of_birth.is_(None), "not known"),
        (age.between(11, 15), "11-15"),
        (age.between(16, 17), "16-17"),
        (age.between(18, 21), "18-21"),
        (age.between(22, 25), "22-25"),
        else_="other",
    )
    return func.coalesce(Participant.age_band, derived)


def _answered(round_id: int):
    """Answers that count in a round: not skipped."""
    return and_(Response.round_id == round_id, Response.skipped.is_(False))


def _comment():
    """Free text: answers to text questions, and anything that couldn't be read as an answer."""
    return or_(Response.kind == "text", Response.free_text.is_(True))


def previous_round_id(*, session: Session, round_id: int) -> int | None:
    """The round of the same survey that opened most recently before this one, if any."""
    current = session.get(Round, round_id)
    if current is None:
        raise LookupError(f"there is no round {round_id}")
    earlier = or_(Round.opens_at < current.opens_at, and_(Round.opens_at == current.opens_at, Round.id < current.id))
    query = (
        select(Round.id)
        .where(Round.survey_id == current.survey_id, Round.id != current.id, earlier)
        .order_by(Round.opens_at.desc(), Round.id.desc())
        .limit(1)
    )
    return session.exec(query).scalar()


def aggregate_round(*, session: Session, round_id: int, quotes: bool = True) -> RoundFigures:
    """Count one round's invitations, respondents, answers and themes in SQL; pick candidate quotes."""
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise LookupError(f"there is no round {round_id}")
    version = session.get(SurveyVersion, round_.survey_version_id)
    answered = _answered(round_id)
    people = func.count(func.distinct(Response.participant_id))

    invited = session.exec(select(func.count(Run.id)).where(Run.round_id == round_id)).scalar_one()
    responded = session.exec(select(people).where(answered)).scalar_one()
    commenters = session.exec(select(people).where(answered, _comment())).scalar_one()

    responders = select(Response.participant_id).where(answered).distinct().subquery()
    channels = dict(
        session.exec(
            select(Run.channel, func.count(func.distinct(Run.participant_id)))
            .join(responders, responders.c.participant_id == Run.participant_id)
            .where(Run.round_id == round_id)
            .group_by(Run.channel)
        ).all()
    )
    band = _age_band(session, round_.opens_at.date()).label("band")
    bands = dict(
        session.exec(
            select(band, func.count(Participant.id))
            .join(responders, responders.c.participant_id == Participant.id)
            .group_by(band)
        ).all()
    )
    age_bands = {name: bands.get(name, 0) for name in AGE_BAND_ORDER if name in bands or name in AGE_BAND_ORDER[:4]}

    answer_key = func.coalesce(cast(Response.value_number, String(200)), Response.value_text)
    # yes/no answers carry both a number and a word; the word is the answer.
    answer_key = case((Response.kind == "yes_no", Response.value_text), else_=answer_key).label("answer")
    per_question = session.exec(
        select(
            Response.question_id, people, func.avg(case((Response.kind == "scale", Response.value_number), else_=None))
        )
        .where(answered, Response.question_id.is_not(None), Response.free_text.is_(False))
        .group_by(Response.question_id)
    ).all()
    distribution: dict[str, dict[str, int]] = {}
    for question_id, answer, count in session.exec(
        select(Response.question_id, answer_key, people)
        .where(
            answered,
            Response.question_id.is_not(None),
            Response.free_text.is_(False),
            Response.kind.in_(("scale", "yes_no", "choice")),
        )
        .group_by(Response.question_id, answer_key)
    ).all():
        if answer is not None:
            distribution.setdefault(question_id, {})[str(answer)] = count
    questions = {
        question_id: QuestionFigures(
            question_id=question_id,
            respondents=count,
            counts=distribution.get(question_id, {}),
            mean=float(mean) if mean is not None else None,
        )
        for question_id, count, mean in per_question
    }

    themes_tv = theme_table(session)
    theme = themes_tv.c.value
    theme_rows = session.exec(
        select(theme, Response.sentiment, people)
        .select_from(Response)
        .join(themes_tv, true())
        .where(answered, _comment())
        .group_by(theme, Response.sentiment)
    ).all()
    theme_people = dict(
        session.exec(
            select(theme, people)
            .select_from(Response)
            .join(themes_tv, true())
            .where(answered, _comment())
            .group_by(theme)
        ).all()
    )
    by_sentiment: dict[str, dict[str, int]] = {}
    for name, sentiment, count in theme_rows:
        cells = by_sentiment.setdefault(name, {})
        cells[sentiment or "neutral"] = cells.get(sentiment or "neutral", 0) + count
    themes = {
        name: ThemeFigures(theme=name, people=count, by_sentiment=by_sentiment.get(name, {}))
        for name, count in theme_people.items()
    }

    return RoundFigures(
        round_id=round_id,
        survey_id=round_.survey_id,
        survey_title=version.title if version else round_.survey_id,
        survey_source=version.source if version else "",
        status=round_.status,
        opens_at=round_.opens_at,
        closes_at=round_.closes_at,
        closed_at=round_.closed_at,
        invited=invited,
        responded=responded,
        commenters=commenters,
        channels=channels,
        age_bands=age_bands,
        questions=questions,
        themes=themes,
        quotes=_quote_candidates(session, round_id) if quotes else (),
        actions=round_actions(session=session, round_id=round_id),
    )


def _quote_candidates(session: Session, round_id: int) -> tuple[QuoteCandidate, ...]:
    """A few comments per theme, best first: neither too short nor too long, clearly felt; never a risk."""
    themes_tv = theme_table(session)
    length = func.length(Response.answer)
    good_length = case((length.between(QUOTE_MIN_CHARS, QUOTE_MAX_CHARS), 0), else_=1)
    rank = (
        func.row_number()
        .over(
            partition_by=themes_tv.c.value,
            order_by=(good_length, func.abs(func.coalesce(Response.score, 0)).desc(), Response.id),
        )
        .label("rank")
    )
    ranked = (
        select(
            Response.id,
            Response.participant_id,
            themes_tv.c.value.label("theme"),
            Response.answer,
            Response.sentiment,
            Response.score,
            rank,
        )
        .select_from(Response)
        .join(themes_tv, true())
        # Safeguarding disclosures are never published, whatever their wording.
        .where(_answered(round_id), _comment(), Response.risk.is_(False), length >= 10)
        .subquery()
    )
    rows = session.exec(
        select(
            ranked.c.id, ranked.c.participant_id, ranked.c.theme, ranked.c.answer, ranked.c.sentiment, ranked.c.score
        )
        .where(ranked.c.rank <= QUOTES_PER_THEME)
        .order_by(ranked.c.theme, ranked.c.rank)
    ).all()
    return tuple(
        QuoteCandidate(response_id=r[0], participant_id=r[1], theme=r[2], text=r[3], sentiment=r[4], score=r[5])
        for r in rows
    )


def round_actions(*, session: Session, round_id: int) -> tuple[ActionRecord, ...]:
    """The round's actions, in the order they were recorded."""
    rows = session.exec(select(Action).where(Action.round_id == round_id).order_by(Action.id)).scalars()
    return tuple(
        ActionRecord(
            id=a.id,
            round_id=a.round_id,
            pledge=a.pledge,
            message=a.message,
            theme=a.theme,
            said=a.said,
            did=a.did,
            owner=a.owner,
            status=a.status,
            due_on=a.due_on,
            done_at=a.done_at,
        )
        for a in rows
    )
