"""Count a round's answers and return plain figures (nothing is suppressed yet).

Every count is of people (distinct participants), because disclosure control is about people.
Answers are never loaded row by row: the database groups identical answers (comments by their
theme list and feeling) in one pass, and the runs in another, and returns for each group the ids
of the people in it; people are counted from those ids here. Only a handful of candidate quotes
per theme come back as text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import sqlmodel
from sqlalchemy import (
    Date,
    Integer,
    LargeBinary,
    String,
    and_,
    case,
    cast,
    func,
    inspect,
    literal_column,
    not_,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Mapped
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from ..labels import SENTIMENTS, judged_feeling, judged_theme_feelings, judged_themes
from ..models import Action, Alert, Message, Participant, Response, Round, RoundStatus, Run, SurveyVersion
from ..participants.groups import AGE_BAND_RANGES, AGE_BANDS, AGE_NOT_KNOWN, OTHER_AGES, area_key
from ..rounds.membership import Cohort

QUOTES_PER_THEME = 6
THRESHOLD_FOR_QUOTES = 5  # a theme is quoted only when at least this many people raised it
QUOTE_MIN_CHARS, QUOTE_MAX_CHARS = 25, 220
AGE_BAND_ORDER = (*AGE_BANDS, OTHER_AGES, AGE_NOT_KNOWN)
SMS, WEBCHAT = "sms", "webchat"  # the channels a young person's answer comes in on
CHANNELS = (None, SMS, WEBCHAT)  # None: the answer's message is not kept, or it never had one


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
    # People who took part, each once, by the channel their answers came in on ("sms", "webchat"),
    # or the channels joined by "+" ("sms+webchat") for someone who answered in more than one.
    channels: dict[str, int]
    age_bands: dict[str, int]
    questions: dict[str, QuestionFigures]
    themes: dict[str, ThemeFigures]
    quotes: tuple[QuoteCandidate, ...] = ()
    # The council's own area names (as its young people were imported with them), which redaction hides in
    # quotes as it hides the towns it knows: read only when quotes are.
    areas: tuple[str, ...] = ()
    actions: tuple[ActionRecord, ...] = ()
    # (raised, acknowledged or None) for each safeguarding alert: the summary judges them against
    # the target at the time it is made, so one still inside the target is not counted as missed.
    alerts: tuple[tuple[datetime, datetime | None], ...] = ()


def _age_years(session: Session, born: ColumnElement | Mapped, on: date | ColumnElement | Mapped) -> ColumnElement:
    """Whole years between a date of birth and a day (a date, or a timestamp column: its UTC day, as
    `Round.opened_on` and the runs' stored bands take it), in the database's own date functions."""
    if session.get_bind().dialect.name == "postgresql":
        # A timestamptz cast to a date takes the session's time zone: the UTC day is asked for.
        when = on if isinstance(on, date) else cast(func.timezone("UTC", on), Date)
        return cast(func.date_part("year", func.age(when, born)), Integer)
    day = on.isoformat() if isinstance(on, date) else func.date(on)
    return (
        cast(func.strftime("%Y", day), Integer)
        - cast(func.strftime("%Y", born), Integer)
        - case((func.strftime("%m-%d", day) < func.strftime("%m-%d", born), 1), else_=0)
    )


def _age_band(session: Session, on: date | ColumnElement | Mapped) -> ColumnElement:
    """A participant's age band: the one they told us, else worked out from date of birth."""
    age = _age_years(session, col(Participant.date_of_birth), on)
    # `participants.groups.band_on` in the database's terms.
    derived = case(
        (col(Participant.date_of_birth).is_(None), AGE_NOT_KNOWN),
        *((age.between(low, high), band) for band, (low, high) in AGE_BAND_RANGES.items()),
        else_=OTHER_AGES,
    )
    return func.coalesce(Participant.age_band, derived)


def _answered(round_id: int):
    """Answers that count in a round: not skipped."""
    return and_(col(Response.round_id) == round_id, col(Response.skipped).is_(False))


def _comment():
    """Free text: answers to text questions, and anything that couldn't be read as an answer."""
    return or_(Response.kind == "text", Response.free_text.is_(True))


def same_cohort(one: dict | None, other: dict | None) -> bool:
    """True when two rounds asked the same group of young people: status, area (whatever its case), ages and any
    explicit list of participants alike."""

    def key(cohort: dict | None) -> Cohort:
        values = Cohort.from_dict(cohort)
        area = area_key(values.area) if values.area and values.area.strip() else None
        chosen = tuple(sorted(values.participant_ids)) if values.participant_ids is not None else None
        return replace(values, area=area, participant_ids=chosen)

    return key(one) == key(other)


def previous_round_id(*, session: Session, round_id: int) -> int | None:
    """The closed round of the same survey and the same cohort (`same_cohort`) that closed most recently before
    this one, if any: like is compared with like, never North's figures with West's or with everyone's.

    A round still open (or one that closed after this one) is never the comparison: its figures
    are not final, and "compared with" a later round would read backwards.
    """
    current = session.get(Round, round_id)
    if current is None:
        raise LookupError(f"there is no round {round_id}")
    conditions = [
        col(Round.survey_id) == current.survey_id,
        col(Round.id) != current.id,
        col(Round.status) == RoundStatus.CLOSED,
        col(Round.closed_at).is_not(None),
    ]
    if current.closed_at is not None:
        conditions.append(col(Round.closed_at) < current.closed_at)
    query = (
        sqlmodel.select(col(Round.id), col(Round.cohort))
        .where(*conditions)
        .order_by(col(Round.closed_at).desc(), col(Round.id).desc())
    )
    for earlier_id, cohort in session.exec(query):
        if same_cohort(cohort, current.cohort):
            return earlier_id
    return None


FEELING_RANK = {"negative": 3, "positive": 2}  # one feeling per person per theme: a worry outranks praise


def aggregate_round(*, session: Session, round_id: int, quotes: bool = True) -> RoundFigures:
    """Count one round's invitations, respondents, answers and themes in SQL; pick candidate quotes."""
    return aggregate_rounds(session=session, round_ids=[round_id], quotes=quotes)[round_id]


def aggregate_rounds(
    *,
    session: Session,
    round_ids: list[int],
    quotes: bool = True,
    quotes_for: set[int] | None = None,
) -> dict[int, RoundFigures]:
    """Count several rounds at once (a round and the one before it, or a year of rounds).

    The answers are read in one pass over the response table, whatever the number of rounds, for
    respondents, commenters, each question's people, means and answers, and the themes (one
    feeling per person per theme, so the feelings add up); then one pass over the runs.
    """
    if session.get_bind().dialect.name == "postgresql":
        # A few big scans: the JIT compiler would spend longer compiling than the queries take.
        session.execute(text("SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)"))
    rounds = {
        r.id: r for r in session.exec(sqlmodel.select(Round).where(col(Round.id).in_(round_ids))) if r.id is not None
    }
    missing = [r for r in round_ids if r not in rounds]
    if missing:
        raise LookupError(f"there is no round {missing[0]}")
    versions = {
        v.id: v
        for v in session.exec(
            sqlmodel.select(SurveyVersion).where(
                col(SurveyVersion.id).in_({r.survey_version_id for r in rounds.values()})
            )
        )
    }
    with _hashing_groups(session):
        groups = _answer_groups(session, round_ids)
        answers = _answer_figures(groups)
        themes = _theme_figures(groups)
        people = _people_figures(session, rounds, answers)
    alerts = _alert_times(session, rounds)
    areas = _area_names(session) if quotes else ()
    out = {}
    for round_id in round_ids:
        round_ = rounds[round_id]
        version = versions.get(round_.survey_version_id)
        a = answers.get(round_id, _Answers())
        invited, channels, age_bands = people.get(round_id, (0, {}, {}))
        out[round_id] = RoundFigures(
            round_id=round_id,
            survey_id=round_.survey_id,
            survey_title=version.title if version else round_.survey_id,
            survey_source=version.source if version else "",
            status=round_.status,
            opens_at=round_.opens_at,
            closes_at=round_.closes_at,
            closed_at=round_.closed_at,
            invited=invited,
            responded=a.responded,
            commenters=a.commenters,
            channels=channels,
            age_bands=age_bands,
            questions={
                qid: QuestionFigures(
                    question_id=qid, respondents=n, counts=a.distribution.get(qid, {}), mean=a.means.get(qid)
                )
                for qid, n in a.question_people.items()
            },
            themes=themes.get(round_id, {}),
            quotes=_quote_candidates(session, round_id)
            if quotes and (quotes_for is None or round_id in quotes_for)
            else (),
            actions=round_actions(session=session, round_id=round_id),
            alerts=alerts.get(round_id, ()),
            areas=areas,
        )
    return out


def _area_names(session: Session) -> tuple[str, ...]:
    """Every area name young people were imported with ("North Worcester", "Redditch"), each once."""
    found = session.execute(select(col(Participant.area)).where(col(Participant.area).is_not(None)).distinct())
    return tuple(sorted({name.strip() for (name,) in found if name and name.strip()}))


Ids = npt.NDArray[np.int64]
_NO_IDS: Ids = np.empty(0, dtype=np.int64)
CLOSED_KINDS = ("scale", "yes_no", "choice")


@contextmanager
def _hashing_groups(session: Session) -> Iterator[None]:
    """Group by hashing while the answers, themes and runs are gathered (PostgreSQL).

    The planner can't know that a round's answers fall into a handful of groups: it may guess
    hundreds of thousands and sort every answer (spilling to disk; or, reading by the round's
    index, sort within each round) instead of hashing them into those few groups. Sorting is
    switched back on afterwards, for the quotes and the rest.
    """
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    sort, incremental = session.execute(
        text(
            "SELECT current_setting('enable_sort'), current_setting('enable_incremental_sort'),"
            " set_config('enable_sort', 'off', true), set_config('enable_incremental_sort', 'off', true)"
        )
    ).one()[:2]
    yield
    # Not on an error: the transaction is then rolled back, and the settings with it.
    session.execute(
        text(
            "SELECT set_config('enable_sort', :sort, true), set_config('enable_incremental_sort', :incremental, true)"
        ),
        {"sort": sort, "incremental": incremental},
    )


@dataclass
class _Answers:
    responded: int = 0
    commenters: int = 0
    question_people: dict[str, int] = field(default_factory=dict)
    means: dict[str, float] = field(default_factory=dict)
    distribution: dict[str, dict[str, int]] = field(default_factory=dict)
    took_part: Ids = field(default_factory=lambda: _NO_IDS)  # who answered a question, for the people figures
    # Who answered a question by each channel; None: answers whose message is gone (retention), or
    # that never had one, which count under the channel of the person's run.
    took_part_by: dict[str | None, Ids] = field(default_factory=dict)


def _gathered_ids(session: Session, column: ColumnElement | Mapped) -> tuple[ColumnElement, Callable[[Any], Ids]]:
    """An aggregate that gathers a group's participant ids into one value, and the reader of that value.

    Counting people is counting distinct ids: the database groups identical answers (a handful of
    groups) and hands back who gave each, and the ids are de-duplicated here, where a sort of a
    million integers takes milliseconds. `count(DISTINCT ...)` per group cost the database a sort or
    a hash table of every answer, several times over (issue 14).
    """
    if session.get_bind().dialect.name == "postgresql":
        # Four big-endian bytes per id: nothing to parse.
        gathered = func.string_agg(func.int4send(column), literal_column("''::bytea"), type_=LargeBinary)
        return gathered, lambda value: np.frombuffer(value, dtype=">i4").astype(np.int64)
    gathered = func.group_concat(column, ",", type_=String)
    # Read in numpy's C parser: ten times faster than int() on each id.
    return gathered, lambda value: np.fromstring(value, dtype=np.int64, sep=",")


def _distinct(groups: list[Ids]) -> Ids:
    """The distinct ids in these groups, sorted."""
    if not groups:
        return _NO_IDS
    ids = np.sort(np.concatenate(groups) if len(groups) > 1 else groups[0])
    if len(ids) < 2:
        return ids
    first = np.empty(len(ids), dtype=bool)
    first[0] = True
    np.not_equal(ids[1:], ids[:-1], out=first[1:])
    return ids[first]


def _among(ids: Ids, known: Ids) -> npt.NDArray[np.bool_]:
    """Which of `ids` are in `known` (sorted, distinct)."""
    if not len(known):
        return np.zeros(len(ids), dtype=bool)
    at = np.minimum(np.searchsorted(known, ids), len(known) - 1)
    return known[at] == ids


@dataclass(frozen=True)
class _Group:
    """Identical answers in one round, and who gave them (a comment's text is not part of what is identical)."""

    round_id: int
    question_id: str | None
    kind: str
    free_text: bool
    number: int | None
    word: str | None  # a closed answer's word (yes/no, a choice)
    themes: str | None  # a comment's stored theme list, as JSON text
    sentiment: str | None  # a comment's feeling
    theme_feelings: str | None  # a comment's feeling per theme, as JSON text (None: `sentiment` for each)
    answers: int
    people: Ids  # who gave each answer (a person once per answer)
    # The channel each answer came in on, beside `people`, as its index in CHANNELS: "sms", "webchat",
    # or None when the answer's message is not kept (retention) or it never had one.
    channels: npt.NDArray[np.int8]

    @property
    def comment(self) -> bool:
        """Free text: an answer to a text question, or one that couldn't be read as an answer."""
        return self.kind == "text" or self.free_text


def _answer_groups(session: Session, round_ids: list[int]) -> list[_Group]:
    """One pass over the rounds' answers: identical answers grouped, with the ids of who gave them.

    The groups are (round, question, kind, readable or not, number, word) and, for comments, their
    theme list and feeling: a handful, whatever the number of answers. Theme lists are grouped as
    stored, without opening them in the database: there are few distinct lists, each read once here.

    Each answer's channel is the one it came in on: web chat when its message is a web chat message,
    else a text message; none when it has no message (the channel of the person's run then stands).
    Beside who gave each answer, the group brings back each answer's message id, and those are
    looked up here among the ids of the web chat messages in their range, read once: looking up
    every answer's message in the database (a hash probe per answer, of a table of every web chat
    message) took more than half of a round's counting (issue 14).
    """
    r = inspect(Response).local_table.c
    comment = or_(r.kind == "text", r.free_text.is_(True))
    word = case((and_(r.free_text.is_(False), r.kind != "text"), r.value_text), else_=None)
    listed = case((comment, judged_themes(r)), else_=None)
    feeling = case((comment, judged_feeling(r)), else_=None)
    per_theme = case((comment, judged_theme_feelings(r)), else_=None)
    ids, read_ids = _gathered_ids(session, r.participant_id)
    # 0 for no message (never an id), so that the two lists stay side by side.
    messages, read_messages = _gathered_ids(session, func.coalesce(r.message_id, 0))
    keys = (r.round_id, r.question_id, r.kind, r.free_text, r.value_number, word, listed, feeling, per_theme)
    rows = session.execute(
        select(*keys, func.count(), ids, messages)
        # A message that raised an alert belongs with the duty team, not among the panel's comments,
        # themes or counts (docs/conversations.md); a low score at a question with a `concern` is an answer, and counts.
        .where(col(r.round_id).in_(round_ids), r.skipped.is_(False), not_(and_(r.risk.is_(True), comment)))
        .group_by(*keys)
    ).all()
    came_in = [read_messages(row[-1]) for row in rows]
    webchat = _webchat_messages(session, came_in)
    return [
        _Group(round_id, question, kind, free, number, word_, themes, sentiment, own, n, read_ids(people), channels)
        for (round_id, question, kind, free, number, word_, themes, sentiment, own, n, people, _), channels in zip(
            rows, (_channels(message_ids, webchat) for message_ids in came_in), strict=True
        )
    ]


def _webchat_messages(session: Session, came_in: list[Ids]) -> Ids:
    """The ids of the web chat messages among those from the lowest to the highest in `came_in`, sorted
    (gathered into one value, as people's ids are: there may be hundreds of thousands)."""
    answered = [ids[ids > 0] for ids in came_in]
    if not any(len(ids) for ids in answered):
        return _NO_IDS
    lowest = min(int(ids.min()) for ids in answered if len(ids))
    highest = max(int(ids.max()) for ids in answered if len(ids))
    gathered, read_ids = _gathered_ids(session, col(Message.id))
    found = session.execute(
        select(gathered).where(col(Message.channel) == WEBCHAT, col(Message.id).between(lowest, highest))
    ).scalar()
    return np.sort(read_ids(found)) if found else _NO_IDS


def _channels(message_ids: Ids, webchat: Ids) -> npt.NDArray[np.int8]:
    """Each answer's channel from its message id, as its index in CHANNELS."""
    out = np.full(len(message_ids), CHANNELS.index(SMS), dtype=np.int8)
    out[_among(message_ids, webchat)] = CHANNELS.index(WEBCHAT)
    out[message_ids == 0] = CHANNELS.index(None)
    return out


def _answer_figures(groups: list[_Group]) -> dict[int, _Answers]:
    """Each figure is the number of distinct people across its groups: took part (answered any
    question), commented, each question's people and mean (readable answers), and each answer's
    people (readable scale, yes/no and choice answers)."""
    took: dict[int, list[Ids]] = {}
    took_by: dict[tuple[int, str | None], list[Ids]] = {}
    commented: dict[int, list[Ids]] = {}
    asked: dict[tuple[int, str], list[Ids]] = {}
    answered: dict[tuple[int, str, str], list[Ids]] = {}
    totals: dict[tuple[int, str], list[int]] = {}  # (round, scale question) -> [sum, count]
    for g in groups:
        if g.question_id is not None:
            took.setdefault(g.round_id, []).append(g.people)
            for code, channel in enumerate(CHANNELS):
                by_it = g.people[g.channels == code]
                if len(by_it):
                    took_by.setdefault((g.round_id, channel), []).append(by_it)
        if g.comment:
            commented.setdefault(g.round_id, []).append(g.people)
        if g.question_id is None or g.free_text:
            continue
        asked.setdefault((g.round_id, g.question_id), []).append(g.people)
        if g.kind == "scale" and g.number is not None:
            running = totals.setdefault((g.round_id, g.question_id), [0, 0])
            running[0] += g.number * g.answers
            running[1] += g.answers
        if g.kind in CLOSED_KINDS:
            # yes/no answers carry both a number and a word; the word is the answer.
            key = g.word if g.kind == "yes_no" else str(g.number) if g.number is not None else g.word
            if key is not None:
                answered.setdefault((g.round_id, g.question_id, key), []).append(g.people)
    out: dict[int, _Answers] = {}
    for round_id, people in took.items():
        figures = out.setdefault(round_id, _Answers())
        figures.took_part = _distinct(people)
        figures.responded = len(figures.took_part)
    for (round_id, channel), people in took_by.items():
        out[round_id].took_part_by[channel] = _distinct(people)
    for round_id, people in commented.items():
        out.setdefault(round_id, _Answers()).commenters = len(_distinct(people))
    for (round_id, question_id), people in asked.items():
        out.setdefault(round_id, _Answers()).question_people[question_id] = len(_distinct(people))
    for (round_id, question_id), (total, count) in totals.items():
        out[round_id].means[question_id] = total / count  # as exact as the database's avg()
    for (round_id, question_id, key), people in answered.items():
        out[round_id].distribution.setdefault(question_id, {})[key] = len(_distinct(people))
    return out


def _theme_figures(groups: list[_Group]) -> dict[int, dict[str, ThemeFigures]]:
    """People per theme in the comments and, for each person, one feeling per theme (so the feelings
    add up to the people). A comment's feeling about a theme is its own for that theme where the
    analysis found one ("I love my carer but I hate school": praise for carers, a worry for education),
    else the comment's one sentiment."""
    lists: dict[str | None, list[str]] = {}
    feelings: dict[str | None, dict[str, str]] = {}
    raised: dict[tuple[int, str], dict[int, list[Ids]]] = {}
    for g in groups:
        if not g.comment:
            continue
        if g.themes not in lists:
            lists[g.themes] = _theme_list(g.themes)
        if g.theme_feelings not in feelings:
            feelings[g.theme_feelings] = _theme_feelings(g.theme_feelings)
        own = feelings[g.theme_feelings]
        for theme in lists[g.themes]:
            rank = FEELING_RANK.get(own.get(theme) or g.sentiment or "", 1)
            raised.setdefault((g.round_id, theme), {}).setdefault(rank, []).append(g.people)
    names = {value: name for name, value in FEELING_RANK.items()}
    out: dict[int, dict[str, ThemeFigures]] = {}
    for (round_id, theme), by_rank in raised.items():
        by: dict[str, int] = {}
        counted = _NO_IDS
        # Each person's strongest feeling about the theme: a worry outranks praise, praise the rest.
        for rank in sorted(by_rank, reverse=True):
            people = _distinct(by_rank[rank])
            people = people[~_among(people, counted)]
            if len(people):
                by[names.get(rank, "neutral")] = len(people)
                counted = np.sort(np.concatenate([counted, people]))
        out.setdefault(round_id, {})[theme] = ThemeFigures(theme=theme, people=sum(by.values()), by_sentiment=by)
    return out


def _theme_feelings(feelings_json: str | None) -> dict[str, str]:
    """The theme -> feeling pairs in a stored per-theme feelings mapping (anything else is left out)."""
    try:
        found = json.loads(feelings_json) if feelings_json else {}
    except ValueError:
        return {}
    if not isinstance(found, dict):
        return {}
    return {k: v for k, v in found.items() if isinstance(k, str) and v in SENTIMENTS}


def _theme_list(themes_json: str | None) -> list[str]:
    """The theme ids in a stored themes list (ids are words; anything else in a list is not a theme)."""
    try:
        themes = json.loads(themes_json) if themes_json else []
    except ValueError:
        return []
    return [t for t in themes if isinstance(t, str)] if isinstance(themes, list) else []


def _people_figures(
    session: Session, rounds: dict[int, Round], answers: dict[int, _Answers]
) -> dict[int, tuple[int, dict, dict]]:
    """Invited, and the people who took part (answered a question, as in `responded`) by channel and
    by age band (age on the day the round opened), for each round: one pass over the rounds' runs.

    The channel is the one their answers came in on, not the one they were invited by: someone
    texted an invitation who answered in the web chat took part by web chat (`_answer_channels`)."""
    ids = list(rounds)
    gathered, read_ids = _gathered_ids(session, col(Run.participant_id))
    # The band kept on the run when it was made (as on the day the round opened), so that retention, which removes
    # a date of birth, leaves an older round's bands as they were; else worked out from them as that day.
    band = func.coalesce(col(Run.age_band), _age_band(session, col(Round.opens_at))).label("band")
    rows = session.execute(
        select(col(Run.round_id), col(Run.channel), band, func.count(), gathered)
        .join(Participant, col(Participant.id) == col(Run.participant_id))
        .join(Round, col(Round.id) == col(Run.round_id))
        .where(col(Run.round_id).in_(ids))
        .group_by(col(Run.round_id), col(Run.channel), band)
    ).all()
    out: dict[int, tuple[int, dict, dict]] = {}
    for rid in ids:
        took = answers[rid].took_part if rid in answers else _NO_IDS
        took_by = answers[rid].took_part_by if rid in answers else {}
        invited = 0
        channels: dict[str, int] = {}
        bands: dict[str, int] = {}
        invited_bands: set[str] = set()
        for _, invited_by, age_band, n, people in (row for row in rows if row[0] == rid):
            invited += n
            invited_bands.add(age_band)
            ids_here = read_ids(people)
            answered_here = _among(ids_here, took)
            answered = int(np.count_nonzero(answered_here))
            if answered:
                for channel, k in _answer_channels(ids_here[answered_here], took_by, invited_by).items():
                    channels[channel] = channels.get(channel, 0) + k
                bands[age_band] = bands.get(age_band, 0) + answered
        out[rid] = (
            invited,
            channels,
            # Only the bands the round invited anyone from: "Aged 18-21: fewer than 5" would be untrue
            # of a round for 11 to 17 year olds.
            {name: bands.get(name, 0) for name in AGE_BAND_ORDER if name in invited_bands},
        )
    return out


def _answer_channels(people: Ids, took_by: dict[str | None, Ids], invited_by: str) -> dict[str, int]:
    """How many of `people` (who all took part, and were invited by `invited_by`) answered by each
    channel, each person once: under their one channel, or under "sms+webchat" (the channels in
    order, joined by "+") when they answered by both. Answers with no message count as `invited_by`."""
    names = sorted({invited_by, *(name for name in took_by if name is not None)})
    used = np.zeros(len(people), dtype=np.int64)  # a bit per channel in `names`
    for bit, name in enumerate(names):
        by_it = _among(people, took_by.get(name, _NO_IDS))
        if name == invited_by:
            by_it |= _among(people, took_by.get(None, _NO_IDS))
        used |= by_it.astype(np.int64) << bit
    # Everyone here answered something, so has at least one channel; were one missed, their run's stands.
    used[used == 0] = 1 << names.index(invited_by)
    codes, counts = np.unique(used, return_counts=True)
    return {
        "+".join(name for bit, name in enumerate(names) if code >> bit & 1): int(k)
        for code, k in zip(codes.tolist(), counts.tolist())
    }


def _alert_times(session: Session, rounds: dict[int, Round]) -> dict[int, tuple[tuple[datetime, datetime | None], ...]]:
    """When each safeguarding alert raised by the round's participants while it was open was raised,
    and acknowledged (None: not yet)."""
    out = {}
    for rid, round_ in rounds.items():
        took_part = select(col(Run.participant_id)).where(col(Run.round_id) == rid)
        until = round_.closed_at or round_.closes_at
        conditions = [col(Alert.participant_id).in_(took_part), col(Alert.created_at) >= round_.opens_at]
        if until is not None:
            conditions.append(col(Alert.created_at) <= until)
        rows = session.exec(sqlmodel.select(col(Alert.created_at), col(Alert.acknowledged_at)).where(*conditions)).all()
        out[rid] = tuple((created, acked) for created, acked in rows)
    return out


QUOTE_POOL = 400  # the strongest comments looked at first; themes they miss are looked up one by one


def _quote_candidates(session: Session, round_id: int, wanted: set[str] | None = None) -> tuple[QuoteCandidate, ...]:
    """A few comments per theme, best first: neither too short nor too long, clearly felt; never a risk.

    One sorted read of the round's strongest comments (a top-N, not a sort of every comment per
    theme); then, for each theme in `wanted` (raised by enough people to be quoted) that read did
    not reach, a small look-up of that theme's own best comments.
    """
    length = func.length(Response.answer)
    good_length = case((length.between(QUOTE_MIN_CHARS, QUOTE_MAX_CHARS), 0), else_=1)
    order = (good_length, func.abs(func.coalesce(Response.score, 0)).desc(), col(Response.id))
    # Safeguarding disclosures are never published, whatever their wording.
    r = inspect(Response).local_table.c
    themes_text = judged_themes(r)
    base = select(
        col(Response.id),
        col(Response.participant_id),
        themes_text,
        col(Response.answer),
        judged_feeling(r),
        col(Response.score),
        judged_theme_feelings(r),
    ).where(_answered(round_id), _comment(), col(Response.risk).is_(False), length >= 10)
    found: dict[str, list[QuoteCandidate]] = {}

    def take(rows, only: str | None = None) -> None:
        for rid, pid, themes, text_, sentiment, score, own in rows:
            feelings = _theme_feelings(own)  # a quote under a theme carries its feeling about that theme
            for theme in _theme_list(themes):
                if only is not None and theme != only:
                    continue
                bucket = found.setdefault(theme, [])
                if len(bucket) < QUOTES_PER_THEME and all(c.response_id != rid for c in bucket):
                    bucket.append(QuoteCandidate(rid, pid, theme, text_, feelings.get(theme, sentiment), score))

    take(session.execute(base.order_by(*order).limit(QUOTE_POOL)).all())
    for theme in sorted((wanted or set()) - set(found)):
        # Theme ids are plain words ([a-z_]+), so the stored JSON text holds them in quotes.
        pattern = f'%"{theme}"%'
        take(
            session.execute(base.where(themes_text.like(pattern)).order_by(*order).limit(QUOTES_PER_THEME)).all(),
            only=theme,
        )
    return tuple(candidate for theme in sorted(found) for candidate in found[theme])


def round_actions(*, session: Session, round_id: int) -> tuple[ActionRecord, ...]:
    """The round's actions, in the order they were recorded."""
    rows = session.exec(sqlmodel.select(Action).where(col(Action.round_id) == round_id).order_by(col(Action.id)))
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
        if a.id is not None  # stored rows always have one
    )
