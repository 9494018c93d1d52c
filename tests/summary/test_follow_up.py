"""A follow-up question's number who answered (asked only after some answers to another) is protected with the
answers it follows, in every format and in the year's report (trial 13, T13-2)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import launch
from tests.summary import data
from voice_service.db import session_scope
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures
from voice_service.summary.disclosure import FOLLOW_UP, FOLLOW_UP_LABEL, is_hidden
from voice_service.summary.report import follow_up_gates
from voice_service.summary.year import render_year, year_report
from voice_service.surveys.registry import parse_stored

FORMATS = ("html", "md", "json", "csv")
# The trial's round: answers 1 and 2 to "Feeling safe where they live" read "fewer than 5" (4 and 3).
SAFE_HOME = {"1": 4, "2": 3, "3": 5, "4": 6, "5": 7}

REPORT_DAY = date(2027, 1, 4)  # the day the report is produced on ("Produced ... on")


def _survey(body: str):
    head = 'id = "s"\ntitle = "S"\nintro = "Hi {first_name}, reply YES"\noutro = "Thanks"\n'
    return parse_stored(head + body, "s.toml")


def _figures(safe_home: dict[str, int], safe_help: int):
    counts = dict(safe_home)
    total = sum(counts.values())
    mean = sum(int(k) * v for k, v in counts.items()) / total
    figures = data.figures({})
    questions = {
        "safe_home": QuestionFigures(question_id="safe_home", respondents=total, counts=counts, mean=mean),
        "safe_help": QuestionFigures(question_id="safe_help", respondents=safe_help),
    }
    return figures.__class__(**{**figures.__dict__, "questions": questions})


def _csv_value(text: str, item: str, measure: str = "respondents") -> str:
    rows = list(csv.DictReader(io.StringIO(text)))
    return next(r["value"] for r in rows if r["item"] == item and r["measure"] == measure)


def test_the_pulse_follow_ups_are_asked_only_after_1_or_2():
    survey = parse_stored(data.PULSE, "pulse.toml")
    gates = follow_up_gates(survey)
    assert gates["safe_help"] == {("safe_home", "1"), ("safe_home", "2")}
    assert gates["feeling_help"] == {("feeling", "1"), ("feeling", "2")}
    # Reached by "any" (so after a skip too) or in file order: asked of anyone who got that far.
    assert "feeling" not in gates and "school" not in gates and "safe_home" not in gates


def test_a_second_follow_up_is_gated_as_the_first_and_a_skip_route_opens_the_gate():
    scale = 'kind = "scale"\ntext = "1 to 5"\nmin = 1\nmax = 5\n'
    survey = _survey(
        f'[[questions]]\nid = "a"\n{scale}'
        '  [[questions.branch]]\n  when = "1-2"\n  goto = "why"\n'
        '  [[questions.branch]]\n  when = "any"\n  goto = "b"\n'
        '[[questions]]\nid = "why"\nkind = "text"\ntext = "Why?"\n'
        '[[questions]]\nid = "more"\nkind = "yes_no"\ntext = "More?"\n'
        '  [[questions.branch]]\n  when = "any"\n  goto = "b"\n'
        f'[[questions]]\nid = "b"\n{scale}'
        '  [[questions.branch]]\n  when = "5"\n  goto = "end"\n'
        '[[questions]]\nid = "c"\nkind = "text"\ntext = "Anything else?"\n'
    )
    gates = follow_up_gates(survey)
    assert gates["why"] == gates["more"] == {("a", "1"), ("a", "2")}
    # "c" follows "b" in file order after any answer but 5, and after a skipped "b": anyone reaching "b" can.
    assert "b" not in gates and "c" not in gates


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_follow_ups_count_beside_a_hidden_answer_it_follows_is_hidden_in_every_format(fmt):
    summary = data.summary_of(_figures(SAFE_HOME, 7))
    questions = {q.id: q for q in summary.questions}
    cells = dict(questions["safe_home"].distribution)
    assert is_hidden(cells["1"]) and is_hidden(cells["2"])
    assert questions["safe_help"].respondents == FOLLOW_UP
    text = render(summary, fmt).decode()
    if fmt == "csv":
        assert _csv_value(text, "safe_help") == FOLLOW_UP_LABEL
    elif fmt == "json":
        found = next(q for q in json.loads(text)["questions"] if q["id"] == "safe_help")
        assert found["respondents"] == {"hidden": "follow_up", "label": FOLLOW_UP_LABEL}
    assert "7 answered" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_whatever_the_follow_up_count_the_pages_read_the_same(fmt):
    """Hidden whatever it is, 0 too: whether it is hidden follows from the answers it follows as shown."""
    pages = {render(data.summary_of(_figures(SAFE_HOME, n)), fmt).decode() for n in range(0, 8)}
    assert len({re.sub(r"chart-\d+", "chart", page) for page in pages}) == 1  # a chart's id counts charts drawn


def test_a_follow_ups_count_is_shown_where_every_answer_it_follows_is():
    shown = {"1": 6, "2": 5, "3": 5, "4": 6, "5": 7}
    summary = data.summary_of(_figures(shown, 9))
    questions = {q.id: q for q in summary.questions}
    assert dict(questions["safe_home"].distribution)["1"] == 6
    assert questions["safe_help"].respondents == 9
    assert _csv_value(render(summary, "csv").decode(), "safe_help") == "9"


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "html"])
def test_the_years_report_hides_it_too(services, fmt):
    opened = datetime(2026, 3, 2, 9, tzinfo=UTC)
    ids = data.people(services, 20)
    round_id = launch(services, now=opened)
    data.scale_answers(services, round_id, ids, [1] * 4 + [2] * 3 + [3] * 5 + [4] * 4 + [5] * 4)
    data.comments(services, round_id, ids[:7], ["more locks on the doors"] * 7, ["safety"], question="safe_home_why")
    data.closed(services, round_id, opened + timedelta(days=1))
    with session_scope(services.engine) as session:
        report = year_report(
            session=session,
            today=REPORT_DAY,
            services=services,
            start=opened.date(),
            end=(opened + timedelta(days=30)).date(),
        )
    pledge = next(c for c in report.pledges if c.number == 1)
    why = next(s for s in pledge.series if s.id == "safe_home_why")
    assert [p.people for p in why.points] == [FOLLOW_UP]
    text = render_year(report, fmt).decode()
    assert "7 answered" not in text and FOLLOW_UP_LABEL in text
