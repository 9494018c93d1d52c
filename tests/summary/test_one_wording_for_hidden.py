"""New-user trial: the summary said why a figure is hidden in more than one way ("hidden to protect a small group"
beside "hidden to protect a smaller group", "numbers under 5" beside "fewer than 5"), and wrote the threshold out
as a number in some of its words. Every such wording now comes from its one home, `summary.disclosure`
(THRESHOLD, SUPPRESSED_LABEL, PROTECTING_WHY, PROTECTING_LABEL). Pure: hand-made figures, and the summary's source."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

import pytest

from tests.summary.data import figures, summary_of
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures
from voice_service.summary.disclosure import PROTECTING_WHY, SUPPRESSED_LABEL, THRESHOLD

SUMMARY = Path(__file__).resolve().parents[2] / "voice_service" / "summary"
# The words that stood for a hidden figure before, and must not come back: only the key's words say it.
OTHER_WORDINGS = re.compile(r"protect (?:a|the) small group\b|numbers under|under \d+ are hidden", re.I)
# The threshold written out as a number in words a reader sees, rather than from disclosure.THRESHOLD.
WRITTEN_THRESHOLD = re.compile(rf"\b(?:fewer than|under|at least) {THRESHOLD}\b|\b{THRESHOLD} or more\b")


def _small_round():
    """Fewer than 5 invited and answered (so the rate is hidden too), and a theme fewer than 5 raised."""
    small = figures(
        {"carers": {"negative": 2}},
        questions={"see_worker": QuestionFigures("see_worker", respondents=3, counts={"yes": 2, "no": 1})},
    )
    return replace(small, invited=3, responded=3, channels={"sms": 3}, age_bands={"11-15": 3})


def _busy_round():
    """A busy round with a theme fewer than 5 raised, beside one 5 or more raised."""
    return figures({"carers": {"negative": 6, "positive": 3}, "education": {"negative": 3}})


@pytest.mark.parametrize("fmt", ["html", "md", "csv", "json"])
@pytest.mark.parametrize("round_", [_small_round, _busy_round])
def test_a_hidden_figure_is_said_in_the_keys_words_only(fmt, round_):
    text = render(summary_of(round_()), fmt).decode()
    assert not OTHER_WORDINGS.search(text), OTHER_WORDINGS.search(text)


def test_the_small_rounds_sentences_use_the_labels():
    summary = summary_of(_small_round())
    assert f"{SUPPRESSED_LABEL}" in " ".join(summary.header.took_part)
    assert summary.header.rate_verdict.startswith(f"hidden {PROTECTING_WHY}")


def _said_in_words(path: Path) -> list[str]:
    """The string constants in a module that a reader may see: every one but docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@pytest.mark.parametrize(
    "module", ["report.py", "formatting.py", "render_text.py", "render_data.py", "render_html.py", "open_round.py"]
)
def test_the_threshold_is_never_written_out_in_the_summarys_words(module):
    found = [words for words in _said_in_words(SUMMARY / module) if WRITTEN_THRESHOLD.search(words)]
    found += [words for words in _said_in_words(SUMMARY / module) if OTHER_WORDINGS.search(words)]
    assert not found, found


def test_the_page_template_writes_no_threshold_either():
    # What the template prints, its {# comments #} aside.
    template = re.sub(
        r"\{#.*?#\}", "", (SUMMARY / "templates" / "summary.html").read_text(encoding="utf-8"), flags=re.S
    )
    assert not WRITTEN_THRESHOLD.search(template) and not OTHER_WORDINGS.search(template)
