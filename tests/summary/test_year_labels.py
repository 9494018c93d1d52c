"""The year's report never shows two rows of one name under a pledge or top-ten message: a question label asked
in two surveys (or two versions of one) is told apart by the rounds and the survey that asked it; one question
across rounds stays one row, its name as it is."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.factories import launch
from tests.summary import data
from voice_service.db import session_scope
from voice_service.summary.year import render_year, year_report

SPRING = datetime(2026, 3, 2, 10, tzinfo=UTC)
AUTUMN = datetime(2026, 9, 7, 10, tzinfo=UTC)
SURVEYS = data.CONVERSATIONS / "surveys"

REPORT_DAY = date(2027, 1, 4)  # the day the report is produced on ("Produced ... on")


def _report(services):
    with session_scope(services.engine) as session:
        return year_report(
            session=session, today=REPORT_DAY, services=services, start=date(2026, 1, 1), end=date(2026, 12, 31)
        )


def test_a_question_label_asked_in_two_surveys_is_told_apart_by_round_and_survey(services):
    """Pulse and the care leavers' survey both ask "How they have been feeling" (pledge 2), of different young
    people: two rows, never one trend, and never two rows of the same name."""
    ids = data.people(services, 20)
    pulse = launch(services, survey_source=(SURVEYS / "pulse.toml").read_text(encoding="utf-8"), now=SPRING)
    data.scale_answers(services, pulse, ids[:10], [5] * 6 + [3] * 4, question="feeling")
    leavers = launch(services, survey_source=(SURVEYS / "care-leavers.toml").read_text(encoding="utf-8"), now=AUTUMN)
    data.scale_answers(services, leavers, ids[10:], [5] * 8 + [3] * 2, question="feeling")
    report = _report(services)
    pledge = next(c for c in report.pledges if c.number == 2)
    # Each survey's open question under pledge 2 ("What would help with how they feel") is a row too, asked but
    # not answered here; the rows that share a name are the scale questions.
    labels = [s.label for s in pledge.series if s.kind == "question" and s.measure == "positive"]
    assert labels == [
        f"How they have been feeling (round {pulse}: How are things?)",
        f"How they have been feeling (round {leavers}: How's life after care?)",
    ]
    text = render_year(report, "md").decode()
    pledge_2 = text.split("### Pledge 2:")[1].split("### Pledge 3:")[0]
    rows = [line.split(" (positive answers)")[0] for line in pledge_2.splitlines() if "(positive answers)" in line]
    assert rows == [f"| {label}" for label in labels]
    # Message 6 has the care leavers' question alone: its name is left as it is.
    message = next(c for c in report.messages if c.number == 6)
    assert [s.label for s in message.series if s.kind == "question" and s.id == "feeling"] == [
        "How they have been feeling"
    ]


def test_a_label_used_once_under_a_pledge_is_left_as_it_is(services):
    ids = data.people(services, 20)
    spring = launch(services, now=SPRING)
    data.scale_answers(services, spring, ids[:10], [5] * 5 + [1] * 5)
    autumn = launch(services, now=AUTUMN)
    data.scale_answers(services, autumn, ids[10:], [5] * 8 + [1] * 2)
    pledge = next(c for c in _report(services).pledges if c.number == 1)
    [question] = [s for s in pledge.series if s.id == "safe_home"]
    assert "(round" not in question.label and question.label
    assert [p.round_id for p in question.points] == [spring, autumn]


def test_the_report_says_the_day_it_was_produced_on_as_given(services):
    """The clock is passed in (`year_report(today=...)`), never read inside: the report of a year produced on
    another day says that day."""
    for fmt in ("html", "md"):
        text = " ".join(render_year(_report(services), fmt).decode().split())
        assert "Produced by Voice Service for " in text and " on 4 January 2027." in text, fmt
