"""What the responses page needs: answers filtered by round, pledge, theme, sentiment, risk and language, and
searched for by their words.

Theme and sentiment filters use the tags to trust (a worker's correction where there is
one, else the machine's). A pledge matches an answer when its question is asked for that
pledge, or the answer's themes are among the pledge's themes. A search finds answers whose
text contains every one of its words, in any case, anywhere (part of a word counts).

A safeguarding disclosure (a response flagged as a risk) is the duty team's to read
(`accounts.may_see_disclosure`): for anyone else (`disclosures=False`) its row shows
`accounts.WITHHELD_DISCLOSURE` in place of its words and nothing of its themes or feeling (`accounts.withholds`),
and neither a search (by its words) nor a theme, sentiment or pledge filter (by its tags) finds it. So does an answer
flagged only because the screen could not read it (not in English: `Response.unread`), under
`accounts.WITHHELD_UNREAD`: it may be a disclosure no screen has read, but it is not called one. So the risk
filter means a safeguarding risk as the export's `risk` does (`models.response.disclosure_sql`, the rule of
`Response.unread`), and answers not in English have a filter of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, false, func, inspect, not_, or_
from sqlmodel import Session, col, select

from ...accounts import disclosure_words, withholds
from ...labels import effective_sentiment, effective_themes, has_theme, judged_feeling
from ...models import Message, Participant, Response, Round, SurveyVersion
from ...models.response import disclosure_sql, flagged_unread_sql
from ...surveys.model import Catalogue, Survey
from ...surveys.registry import pinned_survey
from .ids import record_id

PAGE_SIZE = 50
# A search longer than this is cut (no answer a worker is looking for needs more), and at most this many
# of its words are matched, so one pasted paragraph cannot become a query of hundreds of LIKEs.
MAX_SEARCH = 200
MAX_SEARCH_WORDS = 12
NOT_IN_ENGLISH = "not-english"  # the language filter's one value (`?language=not-english`)


@dataclass(frozen=True)
class ResponseFilter:
    """The page's filters; None means "any"."""

    round_id: int | None = None
    pledge: int | None = None
    theme: str | None = None
    sentiment: str | None = None
    risk: bool | None = None  # a safeguarding risk (`disclosure_sql`), not an answer flagged only as not in English
    not_in_english: bool = False  # only the answers flagged because the screen could not read them
    words: str | None = None  # the search: answers containing every one of these words

    @property
    def searched_words(self) -> list[str]:
        """The search's words, as matched (each at most once, in the order typed)."""
        return list(dict.fromkeys((self.words or "").split()))[:MAX_SEARCH_WORDS]

    @property
    def narrowed(self) -> bool:
        """True when anything but the round narrows the answers (a round's download then says so)."""
        narrowing = (self.pledge, self.theme, self.sentiment, self.risk, self.words)
        return self.not_in_english or any(value is not None for value in narrowing)

    def as_args(self) -> dict[str, str]:
        """The filters as the page's query string names them, for links that keep them (paging, downloads)."""
        values = {
            "round": self.round_id,
            "pledge": self.pledge,
            "theme": self.theme,
            "sentiment": self.sentiment,
            "risk": None if self.risk is None else ("yes" if self.risk else "no"),
            "language": NOT_IN_ENGLISH if self.not_in_english else None,
            "q": self.words,
        }
        return {name: str(value) for name, value in values.items() if value is not None}

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
            not_in_english=(args.get("language") or "").strip() == NOT_IN_ENGLISH,
            words=" ".join((args.get("q") or "")[:MAX_SEARCH].split()) or None,
        )


@dataclass(frozen=True)
class ResponseRow:
    """One answer as the page shows it."""

    response: Response
    answer: str  # the words this member of staff may see (`accounts.disclosure_words`): show these
    pseudonym: str
    question: str
    themes: list[str]  # none when withheld
    sentiment: str | None  # none when withheld
    corrected: bool
    created_at: datetime
    withheld: bool = False  # held for the duty team: nothing of it is shown but that (`accounts.withholds`)


@dataclass
class ResponsePage:
    """One page of matching answers and how many matched."""

    rows: list[ResponseRow]
    total: int


# What a message that answered no question is called, by the channel it came in on: a chat message was never
# "texted in". One whose message is gone (retention, erasure) says neither.
SENT_IN = {"sms": "Texted in", "webchat": "Sent in the web chat"}
SENT_IN_UNKNOWN = "Sent to us"


def _question_label(survey: Survey | None, question_id: str | None, channel: str | None = None) -> str:
    if question_id is None:
        return SENT_IN.get(channel or "", SENT_IN_UNKNOWN)
    if survey is None:
        return question_id
    try:
        question = survey.question(question_id)
    except KeyError:
        return question_id
    return getattr(question, "label", None) or question.id.replace("_", " ")


def question_label(session: Session, response: Response) -> str:
    """The question an answer was given to, as the Responses list names it (for none, how it came: `SENT_IN`)."""
    survey = None
    if response.question_id is None:
        message = session.get(Message, response.message_id) if response.message_id is not None else None
        return _question_label(None, None, message.channel if message is not None else None)
    if response.question_id is not None and response.round_id is not None:
        round_ = session.get(Round, response.round_id)
        version = session.get(SurveyVersion, round_.survey_version_id) if round_ is not None else None
        survey = pinned_survey(version) if version is not None else None
    return _question_label(survey, response.question_id)


def filter_responses(
    *,
    session: Session,
    catalogue: Catalogue,
    filters: ResponseFilter,
    offset: int = 0,
    limit: int = PAGE_SIZE,
    disclosures: bool = False,
) -> ResponsePage:
    """The answers matching the filters, newest first: one page of them, and how many matched in all.

    Every filter runs in the database, by the tags to trust (`labels`: a worker's correction over the
    machine's), so the count is of every matching answer, however many there are. `disclosures`: whether
    the one looking may read a safeguarding disclosure (`accounts.may_see_disclosure`); if not, its words
    are withheld and the search does not look in them."""
    matching = matching_ids(session=session, catalogue=catalogue, filters=filters, disclosures=disclosures)
    total = session.scalar(select(func.count()).select_from(matching.subquery())) or 0
    page = (
        select(Response, col(Participant.pseudonym), SurveyVersion, col(Message.channel))
        .join(Participant, col(Participant.id) == col(Response.participant_id))
        .outerjoin(Message, col(Message.id) == col(Response.message_id))
        .outerjoin(Round, col(Round.id) == col(Response.round_id))
        .outerjoin(SurveyVersion, col(SurveyVersion.id) == col(Round.survey_version_id))
        .where(col(Response.id).in_(matching.order_by(col(Response.id).desc()).offset(offset).limit(limit)))
        .order_by(col(Response.id).desc())
    )
    rows: list[ResponseRow] = []
    surveys: dict[int, Survey] = {}
    for response, pseudonym, version, channel in session.exec(page).all():
        survey = None
        if version is not None and version.id is not None:
            if version.id not in surveys:
                surveys[version.id] = pinned_survey(version)
            survey = surveys[version.id]
        withheld = withholds(risk=response.risk, may_see=disclosures)
        rows.append(
            ResponseRow(
                response=response,
                answer=disclosure_words(
                    response.answer, risk=response.risk, may_see=disclosures, unread=response.unread
                ),
                pseudonym=pseudonym,
                question=_question_label(survey, response.question_id, channel),
                themes=[] if withheld else effective_themes(response),
                sentiment=None if withheld else effective_sentiment(response),
                corrected=not withheld and response.labelled_at is not None,
                created_at=response.created_at,
                withheld=withheld,
            )
        )
    return ResponsePage(rows=rows, total=total)


def matching_ids(
    *, session: Session, catalogue: Catalogue, filters: ResponseFilter, disclosures: bool = False
) -> Select:
    """The ids of the answers matching the filters, as a query (for the page, and for its round's download);
    a search looks in a disclosure's words only for one who may read them (`disclosures`)."""
    r = inspect(Response).local_table.c
    return (
        select(col(Response.id))
        .outerjoin(Round, col(Round.id) == col(Response.round_id))
        .where(*_conditions(session, catalogue, filters, r, disclosures=disclosures))
    )


def _conditions(
    session: Session, catalogue: Catalogue, filters: ResponseFilter, r, *, disclosures: bool
) -> list[ColumnElement]:
    """The filters as SQL conditions on a query of responses outer-joined to their round."""
    conditions: list[ColumnElement] = []
    if filters.round_id is not None:
        conditions.append(col(Response.round_id) == filters.round_id)
    if (filters.sentiment or filters.theme) and not disclosures:
        # A withheld answer's tags are not shown, so no filter finds it by them (it would tell its theme or feeling).
        conditions.append(col(Response.risk).is_(False))
    if filters.sentiment:
        conditions.append(judged_feeling(r) == filters.sentiment)
    if filters.risk is not None:
        # A safeguarding risk, as the export's `risk` column says: never an answer flagged only as not in English.
        conditions.append(disclosure_sql(r) if filters.risk else not_(disclosure_sql(r)))
    if filters.not_in_english:
        conditions.append(flagged_unread_sql(r))
    if filters.theme:
        conditions.append(has_theme(r, filters.theme))
    if filters.pledge is not None:
        conditions.append(_about_pledge(session, catalogue, filters.pledge, r, disclosures=disclosures))
    if filters.searched_words and not disclosures:
        # Words withheld are not searched either: finding a disclosure by its words would tell them.
        conditions.append(col(Response.risk).is_(False))
    for word in filters.searched_words:
        # Bound as a parameter, with LIKE's % and _ escaped: a word is only ever matched as itself.
        conditions.append(func.lower(col(Response.answer)).contains(word.lower(), autoescape=True))
    return conditions


def _about_pledge(session: Session, catalogue: Catalogue, pledge: int, r, *, disclosures: bool) -> ColumnElement:
    """An answer is about a pledge when its question is asked for the pledge (in the survey version its
    round is pinned to), or its judged themes are among the pledge's (not for an answer withheld from the one
    looking, `disclosures` False: its themes are not theirs to see)."""
    either: list[ColumnElement] = []
    if pledge in catalogue.pledges:
        themes = [has_theme(r, theme) for theme in catalogue.pledges[pledge].themes]
        if themes:
            either.append(or_(*themes) if disclosures else and_(col(Response.risk).is_(False), or_(*themes)))
    for version in session.exec(select(SurveyVersion)).all():
        asked = [q.id for q in pinned_survey(version).questions if pledge in q.pledges]
        if asked:
            either.append(and_(col(Round.survey_version_id) == version.id, col(Response.question_id).in_(asked)))
    return or_(false(), *either)
