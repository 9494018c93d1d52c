"""New-user trial, C: a top-ten message nothing evidenced this round was left out of the Markdown summary (messages
1 to 8 and 10, and nothing of 9), where the HTML named it. Every page format now names the pledges and messages
nothing evidenced, in the council's words and one wording (`Summary.not_evidenced`). Pure: hand-made figures."""

from __future__ import annotations

import html
from dataclasses import replace

from tests.summary.data import CATALOGUE, figures, summary_of
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures
from voice_service.summary.report import ASKED_NOT_ANSWERED, NOT_EVIDENCED


def test_a_message_with_no_evidence_is_named_in_every_page_format():
    answers = {"safe_home": QuestionFigures("safe_home", 20, {"5": 12, "2": 8})}
    summary = summary_of(figures({"carers": {"positive": 8, "neutral": 0, "negative": 0}}, questions=answers))
    quiet = [s for s in summary.messages if not s.has_evidence]
    assert quiet and any(s.has_evidence for s in summary.messages)
    said = summary.not_evidenced("message")
    assert said.startswith((ASKED_NOT_ANSWERED, NOT_EVIDENCED))
    for section in quiet:
        assert f"message {section.number} ({CATALOGUE.messages[section.number].short or section.short})" in said
    markdown = render(summary, "md").decode()
    page = html.unescape(" ".join(render(summary, "html").decode().split()))
    for text in (markdown, page):
        assert said in text
        assert summary.not_evidenced("pledge") in text
    # After the messages that were evidenced, before what comes next.
    messages = markdown.split("## The top ten messages")[1].split("## Still open")[0]
    assert said in messages


def test_nothing_is_said_when_every_message_had_evidence():
    answers = {"safe_home": QuestionFigures("safe_home", 20, {"5": 12, "2": 8})}
    summary = summary_of(figures({"carers": {"positive": 8, "neutral": 0, "negative": 0}}, questions=answers))
    evidenced = replace(summary, messages=[s for s in summary.messages if s.has_evidence])
    assert evidenced.not_evidenced("message") == ""
    messages = render(evidenced, "md").decode().split("## The top ten messages")[1].split("## Still open")[0]
    assert NOT_EVIDENCED not in messages
