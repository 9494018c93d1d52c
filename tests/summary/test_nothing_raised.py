"""Outside trial T5: a round where nobody raised a problem says so ("No problems were raised in comments this round."),
never "Every problem raised has an action recorded."; that is said only when at least one problem was raised
and each has an action. The sentence has one home (`report.nothing_still_open`) and every format (Markdown,
HTML and the PDF printed from it) reads it from there, on the first page and under "Still open". Pure:
hand-made figures."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from tests.summary.data import figures, summary_of
from voice_service.summary import render
from voice_service.summary.aggregate import ActionRecord
from voice_service.summary.report import EVERY_PROBLEM_ACTED_ON, NO_PROBLEMS_RAISED

NONE_RAISED = "No problems were raised in comments this round."
ALL_ACTED_ON = "Every problem raised in comments this round has an action recorded."


def _action(theme: str) -> ActionRecord:
    return ActionRecord(
        id=1,
        round_id=2,
        pledge=None,
        message=None,
        theme=theme,
        said="Waiting lists are long",
        did="A drop-in every Thursday",
        owner=None,
        status="in_progress",
        due_on=None,
        done_at=None,
    )


def _parts(summary, fmt: str, tmp_path) -> tuple[str, str]:
    """The first page's "Raised most, with no action yet" and the "Still open" section, as the reader sees them."""
    if fmt == "md":
        text = render(summary, "md").decode()
        first = text.split("**Raised most, with no action yet**")[1].split("## Who took part")[0]
        still = text.split("## Still open")[1].split("## How we did this")[0]
        return first, still
    if fmt == "html":
        html = " ".join(render(summary, "html").decode().split())
        first = html.split("<h3>Raised most, with no action yet</h3>")[1].split("</div>")[0]
        still = html.split('<h2 id="still-open">Still open</h2>')[1].split("</section>")[0]
        return first, still
    path = tmp_path / "summary.pdf"
    path.write_bytes(render(summary, "pdf"))
    words = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    first = words.split("Raised most, with no action yet")[1].split("Who took part")[0]
    still = words.split("Still open")[-1].split("How we did this")[0]
    return first, still


FORMATS = ["md", "html", "pdf"]


def test_the_sentences_are_the_councils_words():
    assert (NO_PROBLEMS_RAISED, EVERY_PROBLEM_ACTED_ON) == (NONE_RAISED, ALL_ACTED_ON)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_round_with_no_comments_says_no_problems_were_raised(fmt, tmp_path):
    summary = summary_of(figures({}))
    assert summary.still_open == [] and summary.nothing_still_open == NONE_RAISED
    first, still = _parts(summary, fmt, tmp_path)
    assert NONE_RAISED in first and NONE_RAISED in still
    assert "Every problem" not in first + still


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_round_raising_only_praise_says_no_problems_were_raised(fmt, tmp_path):
    summary = summary_of(figures({"carers": {"positive": 8, "neutral": 0, "negative": 0}}))
    first, still = _parts(summary, fmt, tmp_path)
    assert NONE_RAISED in first and NONE_RAISED in still
    assert "Every problem" not in first + still


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_problem_has_an_action_only_when_one_was_raised_and_acted_on(fmt, tmp_path):
    themes = {"mental_health": {"positive": 0, "neutral": 0, "negative": 10}}
    summary = summary_of(figures(themes, actions=(_action("mental_health"),)))
    assert summary.still_open == []
    first, still = _parts(summary, fmt, tmp_path)
    assert ALL_ACTED_ON in first and ALL_ACTED_ON in still
    assert "No problems were raised" not in first + still


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_problem_with_no_action_is_listed_with_neither_sentence(fmt, tmp_path):
    themes = {"mental_health": {"positive": 0, "neutral": 0, "negative": 10}}
    summary = summary_of(figures(themes))
    first, still = _parts(summary, fmt, tmp_path)
    assert "Emotional health and wellbeing" in first and "Emotional health and wellbeing" in still
    for words in (NONE_RAISED, ALL_ACTED_ON):
        assert words not in first and words not in still
    # A problem raised by fewer than 5 is still a problem raised (its count is hidden, not its existence).
    few = summary_of(figures({"mental_health": {"positive": 0, "neutral": 0, "negative": 2}}))
    assert [t.id for t in few.still_open] == ["mental_health"]
    acted = summary_of(
        figures({"mental_health": {"positive": 0, "neutral": 0, "negative": 2}}, actions=(_action("mental_health"),))
    )
    assert acted.nothing_still_open == ALL_ACTED_ON and acted.findings.none_words("open", False) == ALL_ACTED_ON


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_round_with_alerts_but_no_problems_in_comments_never_reads_as_nothing_worrying(fmt, tmp_path):
    """Outside trial 5, F10: "No problems were raised this round." sat under "6 safeguarding alerts raised" and
    read as "nothing worrying happened". What the duty team holds is not in the comments: the sentence says so."""
    raised = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    summary = summary_of(figures({}, alerts=tuple((raised, raised + timedelta(minutes=5)) for _ in range(6))))
    assert summary.alerts is not None and summary.alerts.raised == 6
    first, still = _parts(summary, fmt, tmp_path)
    for part in (first, still):
        assert "No problems were raised in comments this round." in part
        assert "No problems were raised this round" not in part
