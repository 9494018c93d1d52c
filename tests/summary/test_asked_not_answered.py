"""New-user trial: "Not asked or talked about this round" was said of pledges and messages whose questions the survey
did ask, when nobody answered them. Those are named apart, as asked ("Asked, but nobody answered or wrote about it
this round"), in every page format; "Not asked or talked about" is kept for those the survey has no question about
and nobody wrote about. Pure: hand-made figures."""

from __future__ import annotations

import html

import pytest

from tests.summary.data import figures, summary_of
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures
from voice_service.summary.report import ASKED_NOT_ANSWERED, NOT_EVIDENCED


def _summary():
    # Only "Feeling safe where they live" was answered; the survey asks about school too, but nobody answered it.
    answers = {"safe_home": QuestionFigures("safe_home", 20, {"5": 12, "2": 8})}
    return summary_of(figures({"carers": {"positive": 8}}, questions=answers))


def _named(said: str, prefix: str) -> str:
    """The part of `said` that starts with `prefix`, up to the next sentence."""
    return said.split(prefix, 1)[1].split(". ")[0] if prefix in said else ""


@pytest.mark.parametrize("kind", ["pledge", "message"])
def test_a_pledge_whose_question_nobody_answered_is_said_to_be_asked_not_unasked(kind):
    summary = _summary()
    sections = summary.pledges if kind == "pledge" else summary.messages
    asked = [s for s in sections if not s.has_evidence and s.questions]
    never = [s for s in sections if not s.has_evidence and not s.questions]
    assert asked and never  # the figures have both kinds, so the test can tell them apart
    said = summary.not_evidenced(kind)
    for section in asked:
        name = f"{kind} {section.number} ({section.short})"
        assert name in _named(said, ASKED_NOT_ANSWERED) and name not in _named(said, NOT_EVIDENCED), said
    for section in never:
        name = f"{kind} {section.number} ({section.short})"
        assert name in _named(said, NOT_EVIDENCED) and name not in _named(said, ASKED_NOT_ANSWERED), said


def test_every_page_format_says_it_the_same_way():
    summary = _summary()
    markdown = render(summary, "md").decode()
    page = html.unescape(" ".join(render(summary, "html").decode().split()))
    for kind in ("pledge", "message"):
        said = summary.not_evidenced(kind)
        assert ASKED_NOT_ANSWERED in said
        assert said in markdown and said in page


def test_the_markdown_says_when_it_was_produced_as_the_html_does():
    """New-user trial: a panel paper made from the Markdown did not say when it was produced."""
    for fmt in ("md", "html"):
        text = " ".join(html.unescape(render(_summary(), fmt).decode()).split())
        assert "Produced by Voice Service for " in text and " on 16 March 2026." in text, fmt
