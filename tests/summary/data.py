"""Test data for summaries: participants through the real importer, answers inserted as Response rows;
and hand-made round figures for the pure summary code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.factories import add_participants, launch
from tests.factories import phone_number as phone
from voice_service.db import session_scope
from voice_service.models import Participant, Response, Run
from voice_service.rounds.launch import close_round
from voice_service.summary import theme_labels
from voice_service.summary.aggregate import (
    ActionRecord,
    QuestionFigures,
    QuoteCandidate,
    RoundFigures,
    ThemeFigures,
)
from voice_service.summary.report import build_summary
from voice_service.surveys.loader import load_catalogue


def people(services, count: int, *, start: int = 0, age: int = 14, status: str = "in_care") -> list[int]:
    """Import `count` participants and return their ids."""
    add_participants(
        services, [{"phone": phone(start + i), "first_name": "Sam", "age": age, "status": status} for i in range(count)]
    )
    with session_scope(services.engine) as session:
        rows = session.exec(Participant.__table__.select().order_by(Participant.id)).all()
        wanted = {services.vault.hash(phone(start + i)) for i in range(count)}
        return [row.id for row in rows if row.phone_hash in wanted]


def round_at(services, days_ago: int = 0) -> int:
    """Launch a round of the small test survey, opened `days_ago` days ago.

    A round opened in the past is closed a day after it opened: only a closed round that closed
    before another is that round's comparison (`previous_round_id`).
    """
    opened = datetime.now(UTC) - timedelta(days=days_ago)
    round_id = launch(services, now=opened)
    if days_ago > 1:
        with session_scope(services.engine) as session:
            close_round(session=session, round_id=round_id, now=opened + timedelta(days=1))
    return round_id


def closed(services, round_id: int, now: datetime | None = None) -> int:
    """Close the round (by `now`, else the time now), as its summary shows its figures only once it is closed
    (`summary.open_round`); the round's id. Closing twice is harmless."""
    with session_scope(services.engine) as session:
        close_round(session=session, round_id=round_id, now=now)
    return round_id


def answer(
    session,
    round_id: int,
    participant_id: int,
    question_id: str | None,
    *,
    kind: str = "text",
    number: int | None = None,
    text: str | None = None,
    answer: str | None = None,
    themes=(),
    sentiment: str | None = None,
    score: float | None = None,
    risk: bool = False,
    skipped: bool = False,
    free_text: bool = False,
    theme_sentiments: dict | None = None,
) -> None:
    """Store one answer as the inbound path would."""
    run = session.exec(
        Run.__table__.select().where(Run.round_id == round_id, Run.participant_id == participant_id)
    ).first()
    session.add(
        Response(
            participant_id=participant_id,
            round_id=round_id,
            run_id=run.id if run else None,
            question_id=question_id,
            kind=kind,
            answer=answer or text or str(number),
            value_number=number,
            value_text=text,
            themes=list(themes),
            sentiment=sentiment,
            score=score,
            risk=risk,
            skipped=skipped,
            free_text=free_text,
            theme_sentiments=theme_sentiments,
        )
    )


def scale_answers(
    services, round_id: int, participants: list[int], values: list[int], question: str = "safe_home"
) -> None:
    """One scale answer per participant, in order."""
    with session_scope(services.engine) as session:
        for pid, value in zip(participants, values):
            answer(session, round_id, pid, question, kind="scale", number=value)


def comments(
    services,
    round_id: int,
    participants: list[int],
    texts: list[str],
    themes,
    *,
    sentiment: str = "negative",
    question: str = "one_thing",
) -> None:
    """One free-text comment per participant with these themes."""
    with session_scope(services.engine) as session:
        for pid, text in zip(participants, texts):
            answer(
                session,
                round_id,
                pid,
                question,
                kind="text",
                text=text,
                themes=themes,
                sentiment=sentiment,
                score=-0.6 if sentiment == "negative" else 0.6 if sentiment == "positive" else 0.0,
            )


# --- Hand-made figures, for the pure summary code -------------------------------------------

CONVERSATIONS = Path(__file__).resolve().parents[2] / "conversations"
CATALOGUE = load_catalogue(CONVERSATIONS)
LABELS = theme_labels(CONVERSATIONS)
PULSE = (CONVERSATIONS / "surveys" / "pulse.toml").read_text(encoding="utf-8")
WORDS = "apple bramble cedar daisy elder fern gorse hazel iris juniper kale larch moss nettle oak poppy".split()


CLOSED = datetime(2026, 3, 16, 9, tzinfo=UTC)


def figures(
    themes: dict[str, dict[str, int]],
    *,
    questions: dict[str, QuestionFigures] | None = None,
    round_id: int = 2,
    alerts: tuple[tuple[datetime, datetime | None], ...] = (),
    actions: tuple[ActionRecord, ...] = (),
) -> RoundFigures:
    """A round with these themes (people per feeling) and a quotable comment from each person."""
    quotes = []
    participant = 0
    for theme, feelings in themes.items():
        for feeling, people in feelings.items():
            for _ in range(people):
                participant += 1
                word = WORDS[participant % len(WORDS)]
                quotes.append(
                    QuoteCandidate(
                        response_id=participant,
                        participant_id=participant,
                        theme=theme,
                        text=f"the {word} thing about {theme} number {participant} matters to me",
                        sentiment=feeling,
                        score=0.5,
                    )
                )
    opened = datetime(2026, 3, 2, 9, tzinfo=UTC)
    return RoundFigures(
        round_id=round_id,
        survey_id="pulse",
        survey_title="How are things?",
        survey_source=PULSE,
        status="closed",
        opens_at=opened,
        closes_at=None,
        closed_at=CLOSED,
        invited=60,
        responded=40,
        commenters=max(participant, 1),
        channels={"sms": 40},
        age_bands={"11-15": 40},
        questions=questions or {},
        themes={
            theme: ThemeFigures(theme=theme, people=sum(feelings.values()), by_sentiment=dict(feelings))
            for theme, feelings in themes.items()
        },
        quotes=tuple(quotes),
        alerts=alerts,
        actions=actions,
    )


def summary_of(current: RoundFigures, previous: RoundFigures | None = None, *, now: datetime = CLOSED):
    """The summary of hand-made figures, as it stands at `now` (by default when the round closed)."""
    return build_summary(current=current, previous=previous, catalogue=CATALOGUE, theme_labels=LABELS, now=now)
