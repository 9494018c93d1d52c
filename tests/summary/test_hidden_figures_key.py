"""Every panel summary says once, near the top, what its words for hidden figures mean (trial finding: "fewer
than 5", "0 to 4", "5 or more", "hidden to protect a smaller group" and "not broken down" had no key), in the
same words whatever the figures, so the key itself gives nothing away. Pure: hand-made figures; the PDF's words
by pdftotext."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.summary.data import figures, summary_of
from voice_service.summary import disclosure, render
from voice_service.summary.aggregate import QuestionFigures
from voice_service.summary.disclosure import HIDDEN_FIGURES_KEY

HIDDEN = figures(
    {"carers": {"positive": 5, "neutral": 0, "negative": 1}},  # 6 people, hidden to protect the 1
    questions={"see_worker": QuestionFigures("see_worker", 12, {"yes": 9, "no": 3})},
)
NOTHING_HIDDEN = figures(
    {"carers": {"positive": 6, "neutral": 6, "negative": 6}},
    questions={"see_worker": QuestionFigures("see_worker", 12, {"yes": 6, "no": 6})},
)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_key_names_every_wording_for_a_hidden_figure():
    for words in ("fewer than 5", "0 to 4", "5 or more", "hidden to protect a smaller group", "not broken down"):
        assert f'"{words}"' in HIDDEN_FIGURES_KEY
    assert len(HIDDEN_FIGURES_KEY) < 400  # one short line
    assert not any(
        ch.isdigit() for ch in HIDDEN_FIGURES_KEY.replace("5", "").replace("0 to 4", "").replace("1 to 4", "")
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_each_summary_carries_the_key_once_before_its_first_figure(fmt):
    for round_figures in (HIDDEN, NOTHING_HIDDEN):
        text = html.unescape(render(summary_of(round_figures), fmt).decode())
        # Word for word, once, whether anything is hidden or not: the key tells nothing of this round's figures.
        assert text.count(HIDDEN_FIGURES_KEY) == 1
        assert text.index(HIDDEN_FIGURES_KEY) < text.index("Who took part" if fmt == "md" else 'id="who"')


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_carries_the_key_once(tmp_path):
    path = tmp_path / "summary.pdf"
    path.write_bytes(render(summary_of(HIDDEN), "pdf"))
    text = _words(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)
    assert text.count(_words(HIDDEN_FIGURES_KEY)) == 1


def test_every_output_says_the_key_in_the_same_words():
    """The key has one home, `disclosure.HIDDEN_FIGURES_KEY`, built from the labels the figures themselves carry:
    the HTML, PDF and Markdown print it (above), the JSON carries it in `hidden_means`, the CSV's readers find it
    in docs/panel-csv.md, and the methods note and `hidden_means` use the same labels."""
    for label in (disclosure.SUPPRESSED_LABEL, disclosure.INSIDE_LABEL, disclosure.PROTECTING_LABEL):
        assert f'"{label}"' in HIDDEN_FIGURES_KEY
    means = json.loads(render(summary_of(HIDDEN), "json"))["hidden_means"]
    assert means["key"] == HIDDEN_FIGURES_KEY
    assert disclosure.SUPPRESSED_LABEL in means["primary"] and f'"{disclosure.INSIDE_LABEL}"' in means["primary"]
    assert disclosure.SECONDARY_LABEL in means["secondary"]
    doc = (Path(__file__).parents[2] / "docs" / "panel-csv.md").read_text()
    panel_csv = _words(re.sub(r"^> ", "", doc, flags=re.M))  # quoted there, a line at a time
    assert _words(HIDDEN_FIGURES_KEY) in panel_csv
    methods = " ".join(summary_of(HIDDEN).methods)
    for label in (disclosure.SUPPRESSED_LABEL, disclosure.INSIDE_LABEL, disclosure.PROTECTING_LABEL):
        assert f'"{label}"' in methods
