"""Every figure the summary counts, checked against its definition worked out the slow, obvious way
from every stored row: people counted once however often they answered, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlmodel import select

from tests.summary import data
from voice_service.db import session_scope
from voice_service.models import Response, Run
from voice_service.summary.aggregate import aggregate_rounds

THEMES = ["safety", "carers", "education", "leisure", "having_a_say"]
FEELINGS = ["positive", "neutral", "negative", None]


@dataclass
class Expected:
    """A round's figures by definition: sets of people, turned into counts at the end."""

    took_part: set[int] = field(default_factory=set)
    commenters: set[int] = field(default_factory=set)
    asked: dict[str, set[int]] = field(default_factory=dict)
    values: dict[str, list[int]] = field(default_factory=dict)
    answers: dict[str, dict[str, set[int]]] = field(default_factory=dict)
    feelings: dict[str, dict[int, int]] = field(default_factory=dict)  # theme -> person -> strongest feeling


RANK = {"negative": 3, "positive": 2}
FEELING_OF = {3: "negative", 2: "positive", 1: "neutral"}


def _expected(rows: list[Response]) -> Expected:
    out = Expected()
    for row in rows:
        if row.skipped:
            continue
        person = row.participant_id
        if row.question_id is not None:
            out.took_part.add(person)
        if row.kind == "text" or row.free_text:
            out.commenters.add(person)
            for theme in row.themes:
                mine = out.feelings.setdefault(theme, {})
                mine[person] = max(mine.get(person, 0), RANK.get(row.sentiment or "", 1))
        if row.question_id is None or row.free_text:
            continue
        out.asked.setdefault(row.question_id, set()).add(person)
        if row.kind == "scale" and row.value_number is not None:
            out.values.setdefault(row.question_id, []).append(row.value_number)
        if row.kind in ("scale", "yes_no", "choice"):
            if row.kind == "yes_no":
                key = row.value_text
            else:
                key = str(row.value_number) if row.value_number is not None else row.value_text
            if key is not None:
                out.answers.setdefault(row.question_id, {}).setdefault(key, set()).add(person)
    return out


def _store_answers(session, rng: random.Random, round_id: int, people: list[int]) -> None:
    """Answers of every shape, with people answering the same question more than once."""
    for _ in range(260):
        person = rng.choice(people)
        shape = rng.randrange(9)
        if shape == 0:
            data.answer(session, round_id, person, "safe_home", kind="scale", number=rng.randint(1, 5))
        elif shape == 1:
            # A scale answer kept as its word (no number), and one that couldn't be read at all.
            data.answer(session, round_id, person, "safe_home", kind="scale", text=rng.choice(["four", "4"]))
            data.answer(
                session, round_id, person, "safe_home", kind="scale", answer="dunno really", free_text=True,
                themes=rng.sample(THEMES, 1), sentiment=rng.choice(FEELINGS),
            )  # fmt: skip
        elif shape == 2:
            said = rng.choice(["yes", "no"])
            data.answer(session, round_id, person, "listened", kind="yes_no", number=int(said == "yes"), text=said)
        elif shape == 3:
            data.answer(session, round_id, person, "school", kind="choice", text=rng.choice(["Always", "Never"]))
        elif shape == 4:
            # Theme lists with a theme twice, and feelings that disagree between one person's comments.
            themes = rng.sample(THEMES, rng.randint(0, 3))
            data.answer(
                session, round_id, person, "one_thing", text="something I wanted to say about this",
                themes=themes + themes[:1], sentiment=rng.choice(FEELINGS),
            )  # fmt: skip
        elif shape == 5:
            # Texted in outside a question: a comment, but not taking part.
            data.answer(session, round_id, person, None, text="hello is anyone there", themes=rng.sample(THEMES, 1))
        elif shape == 6:
            data.answer(session, round_id, person, "safe_home", kind="scale", number=3, skipped=True)
        else:
            data.answer(session, round_id, person, "safe_home", kind="scale", number=rng.choice([1, 5]))


def test_every_figure_matches_its_definition(services):
    rng = random.Random(14)
    people = data.people(services, 40)
    before = data.round_at(services, days_ago=30)
    current = data.round_at(services)
    with session_scope(services.engine) as session:
        for round_id in (before, current):
            # Most people answer; a few are invited and never do.
            _store_answers(session, rng, round_id, people[:34])
    with session_scope(services.engine) as session:
        figures = aggregate_rounds(session=session, round_ids=[current, before])
        rows = session.exec(select(Response)).all()
        runs = session.exec(select(Run)).all()

    for round_id in (current, before):
        got = figures[round_id]
        want = _expected([r for r in rows if r.round_id == round_id])
        assert got.responded == len(want.took_part) > 0
        assert got.commenters == len(want.commenters) > 0
        assert {q: f.respondents for q, f in got.questions.items()} == {q: len(p) for q, p in want.asked.items()}
        assert {q: f.counts for q, f in got.questions.items() if f.counts} == {
            q: {key: len(p) for key, p in answers.items()} for q, answers in want.answers.items()
        }
        for question, values in want.values.items():
            assert got.questions[question].mean == sum(values) / len(values)
        assert {t: (f.people, f.by_sentiment) for t, f in got.themes.items()} == {
            theme: (
                len(by_person),
                {
                    FEELING_OF[rank]: sum(1 for r in by_person.values() if r == rank)
                    for rank in (3, 2, 1)
                    if rank in by_person.values()
                },
            )
            for theme, by_person in want.feelings.items()
            if by_person
        }
        invited = [run for run in runs if run.round_id == round_id]
        assert got.invited == len(invited)
        assert got.channels == {"sms": len({run.participant_id for run in invited} & want.took_part)}
        assert got.age_bands["11-15"] == got.channels["sms"]
