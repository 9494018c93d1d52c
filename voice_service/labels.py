"""Human labels: a worker's correction of a response's themes or sentiment, kept beside the machine's.

The machine's tags are never overwritten: the difference between the two is what the
analysis can learn from (`corrections` writes it in the labelled-set format of
`tests/data/messages.jsonl`, so `make eval`-style scoring can read it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, String, case, cast, func
from sqlmodel import Session, col, select

from .models import Participant, Response, utcnow

SENTIMENTS = ("positive", "neutral", "negative")


class LabelError(ValueError):
    """A correction that cannot be kept; the message says why, in plain words."""


@dataclass(frozen=True)
class Correction:
    """What a correction changed, for the audit log and the page's confirmation."""

    response_id: int
    themes_changed: bool
    sentiment_changed: bool


# The one rule for which tags count, everywhere (the dashboard's lists, filters and counts; the panel's
# summary; exports of corrections): a worker's correction where there is one, else the machine's. A worker
# who took every theme off leaves [], which stands. Below in Python for one answer, and in SQL for queries.


def effective_themes(response: Response) -> list[str]:
    """The themes to trust: a worker's correction where there is one, else the machine's."""
    return list(response.human_themes if response.human_themes is not None else (response.themes or []))


def effective_sentiment(response: Response) -> str | None:
    """The sentiment to trust: a worker's correction where there is one, else the machine's."""
    return response.human_sentiment if response.human_sentiment is not None else response.sentiment


def judged_themes(r) -> ColumnElement:
    """`effective_themes` in SQL, as JSON text, for `r` the response table's columns."""
    return func.coalesce(cast(r.human_themes, String), cast(r.themes, String))


def judged_feeling(r) -> ColumnElement:
    """`effective_sentiment` in SQL, for `r` the response table's columns."""
    return func.coalesce(r.human_sentiment, r.sentiment)


def effective_theme_sentiment(response: Response, theme: str) -> str | None:
    """The feeling to trust for one theme: the machine's own for that theme (`theme_sentiments`), unless a
    worker corrected the sentiment (their word is for the whole message) or the machine has none for it."""
    own = response.theme_sentiments if response.human_sentiment is None else None
    found = own.get(theme) if isinstance(own, dict) else None
    return found if found in SENTIMENTS else effective_sentiment(response)


def judged_theme_feelings(r) -> ColumnElement:
    """The machine's per-theme feelings as JSON text, in SQL, where they stand (`effective_theme_sentiment`):
    None once a worker has corrected the sentiment, whose label then holds for every theme."""
    return case((r.human_sentiment.is_(None), cast(r.theme_sentiments, String)), else_=None)


def has_theme(r, theme: str) -> ColumnElement:
    """True in SQL when the judged themes (`judged_themes`) include `theme`: ids are quoted words in the
    JSON text, so the quoted id is looked for (LIKE's wildcards in it escaped)."""
    escaped = theme.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace('"', "")
    return judged_themes(r).like(f'%"{escaped}"%', escape="\\")


def correct_labels(
    *,
    session: Session,
    response_id: int,
    themes: Iterable[str] | None,
    sentiment: str | None,
    known_themes: Iterable[str],
    by: str,
    now: datetime | None = None,
) -> Correction:
    """Keep a worker's themes and/or sentiment for one response (None leaves that tag as it is).

    Giving the machine's own value back clears the correction for that tag, so "undo" is
    just choosing the machine's answer again.
    """
    if not by.strip():
        raise LabelError("say who is making the correction")
    response = session.get(Response, response_id)
    if response is None:
        raise LookupError(f"there is no response {response_id}")
    themes_changed = sentiment_changed = False
    if themes is not None:
        chosen = sorted(set(themes))
        unknown = sorted(set(chosen) - set(known_themes))
        if unknown:
            raise LabelError(f"unknown theme(s): {', '.join(unknown)}")
        new = None if chosen == sorted(response.themes or []) else chosen
        themes_changed = new != response.human_themes
        response.human_themes = new
    if sentiment is not None:
        if sentiment not in SENTIMENTS:
            raise LabelError(f"sentiment must be one of {', '.join(SENTIMENTS)}")
        new_sentiment = None if sentiment == response.sentiment else sentiment
        sentiment_changed = new_sentiment != response.human_sentiment
        response.human_sentiment = new_sentiment
    if response.human_themes is None and response.human_sentiment is None:
        response.labelled_by = response.labelled_at = None
    elif themes_changed or sentiment_changed:
        response.labelled_by = by.strip()[:254]
        response.labelled_at = now or utcnow()
    session.flush()
    return Correction(response_id=response_id, themes_changed=themes_changed, sentiment_changed=sentiment_changed)


def corrections(*, session: Session, round_id: int | None = None) -> list[dict]:
    """Every corrected response (oldest first) as a labelled example: the worker's labels, the machine's beside.

    Shaped like `tests/data/messages.jsonl` ("id", "text", "themes", "sentiment") so the
    analysis can be scored or tuned on it; the id is the participant's pseudonym and the
    response id, never a name or number.
    """
    query = (
        select(Response, col(Participant.pseudonym))
        .join(Participant, col(Participant.id) == col(Response.participant_id))
        .where(col(Response.labelled_at).is_not(None))
        .order_by(col(Response.id))
    )
    if round_id is not None:
        query = query.where(col(Response.round_id) == round_id)
    rows = []
    for response, pseudonym in session.exec(query).all():
        rows.append(
            {
                "id": f"{pseudonym}-r{response.id}",
                "text": response.answer,
                "themes": effective_themes(response),
                "sentiment": effective_sentiment(response),
                "machine_themes": list(response.themes or []),
                "machine_sentiment": response.sentiment,
                "round": response.round_id,
                "question_id": response.question_id,
                "labelled_at": response.labelled_at.isoformat() if response.labelled_at else None,
            }
        )
    return rows
