"""The summary's comparison round and its suppressed-rate sentence read as a councillor expects."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tests.factories import launch
from tests.summary import data
from tests.summary.data import figures, summary_of
from voice_service.db import session_scope
from voice_service.summary import render, summarise
from voice_service.summary.aggregate import QuestionFigures, previous_round_id
from voice_service.summary.disclosure import PRIMARY
from voice_service.summary.render_html import render_html
from voice_service.summary.report import Header
from voice_service.summary.year import Point, Series, _measure_words, _trend_words


def test_a_suppressed_rate_reads_properly_in_every_format():
    hidden = Header(invited=40, responded=None, response_rate=None, channels={}, age_bands={}, minimum_rate=0.3)
    assert hidden.rate_verdict == (
        "hidden to protect a smaller group, so it cannot be compared with our minimum of 30%"
    )
    assert "not shown our minimum" not in hidden.rate_verdict
    shown = Header(invited=40, responded=20, response_rate=0.5, channels={}, age_bands={}, minimum_rate=0.3)
    assert shown.rate_verdict == "reached our minimum of 30%"


def test_suppressed_rate_sentence_in_markdown_and_html(services):
    ids = data.people(services, 3)
    round_id = data.round_at(services)
    data.comments(services, round_id, ids, ["not safe on the bus"] * 3, ["safety"])
    data.closed(services, round_id)
    with session_scope(services.engine) as session:
        summary = summarise(session=session, services=services, round_id=round_id)
    for fmt in ("md", "html"):
        text = render(summary, fmt).decode()
        assert "not shown our minimum" not in text and "not shown: not shown" not in text
        assert "so it cannot be compared with our minimum of 30%" in text


def test_an_open_round_is_never_the_comparison(services):
    closed = data.round_at(services, days_ago=90)
    current = data.round_at(services, days_ago=30)  # closed after the first
    still_open = data.round_at(services)  # opened later, still open
    with session_scope(services.engine) as session:
        assert previous_round_id(session=session, round_id=current) == closed
        assert previous_round_id(session=session, round_id=still_open) == current
        # An earlier-opened round that is still open is not a comparison for anything.
        assert previous_round_id(session=session, round_id=closed) is None


def test_a_round_opened_earlier_but_still_open_is_not_the_comparison(services):
    earlier_but_open = launch(services, now=datetime.now(UTC) - timedelta(days=60))
    this = data.round_at(services, days_ago=30)
    with session_scope(services.engine) as session:
        assert earlier_but_open != this
        assert previous_round_id(session=session, round_id=this) is None


def test_a_choice_question_is_listed_with_how_many_answered_not_a_bare_label():
    answers = {"listened": QuestionFigures("listened", 46, {"Always": 30, "Sometimes": 16})}
    summary = summary_of(figures({}, questions=answers))
    listened = next(q for q in summary.questions if q.id == "listened")
    assert listened.evidence == "46 answered"
    assert "Asked: Feeling listened to in decisions (46 answered)" in render(summary, "md").decode()
    html = " ".join(render(summary, "html").decode().split())
    assert "Feeling listened to in decisions</a> (46 answered)" in html
    assert not re.search(r"decisions</a>\s*;", html)


def test_the_pledge_report_says_1_point_and_n_points():
    def series(before: float, after: float, kind: str = "question") -> Series:
        return Series(kind, "q", "Feeling safe", "positive", [Point(1, before, 10), Point(2, after, 10)])

    # On 10 answers neither is clear of chance (`formatting.change_called`, trial 10, T10-11).
    assert _trend_words(series(0.67, 0.66)) == "down 1 point (about the same)"
    assert _trend_words(series(0.33, 0.43)) == "up 10 points (about the same)"
    assert _trend_words(series(0.20, 0.21, "theme")) == "up 1 point (about the same)"
    assert _measure_words(Series("question", "listened", "Listened", "answered", [])) == "how many answered"


def _words(html: str) -> str:
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_round_with_fewer_than_5_invited_says_some_of_them_answered_in_every_format(services):
    """Not "Fewer than 5 of fewer than 5 young people invited answered.", and every sentence starts with a
    capital. The number invited, 4, is a group of fewer than 5 too (with 1 to 3 invited, a "fewer than 5"
    under it would be pinned to at most that many)."""
    ids = data.people(services, 4)
    round_id = data.round_at(services)
    data.scale_answers(services, round_id, ids[:3], [1, 2, 3])
    data.closed(services, round_id)
    with session_scope(services.engine) as session:
        summary = summarise(session=session, services=services, round_id=round_id)
    assert summary.header.invited == PRIMARY
    said = "Some of the young people invited answered (both numbers are fewer than 5, so they are hidden)"
    markdown = render(summary, "md").decode()
    html = _words(render(summary, "html").decode())
    pdf = _words(render_html(summary, for_pdf=True))  # what the PDF prints
    for text in (markdown, html, pdf):
        assert said in re.sub(r"\s+", " ", text)
        assert "4 young people" not in text and "fewer than 5 of" not in text.lower()
        assert "Fewer than 5 answered." in re.sub(r"\s+", " ", text)
        assert "fewer than 5 answered." not in text  # the sentence has its capital
        assert not re.search(r"(^|[.!?]\s+|^- )fewer than 5", text, re.M)
    assert f"- {said}." in markdown


def test_a_hidden_count_of_those_answering_a_bigger_round_keeps_its_words_and_capital():
    header = Header(invited=40, responded=None, response_rate=None, channels={}, age_bands={}, minimum_rate=0.3)
    assert header.took_part == ("Fewer than 5", "answered, of 40 young people invited")
    assert Header(invited=40, responded=12, response_rate=0.3, channels={}, age_bands={}).took_part == (
        "12",
        "answered, of 40 young people invited",
    )
    # Nobody answering a small round is still said as a number: nothing is hidden.
    assert Header(invited=3, responded=0, response_rate=0.0, channels={}, age_bands={}).took_part[0] == "0"
