"""New-user trial of the demo: the Markdown summary dropped the better, worse or about the same that the HTML gives
a change ("42% positive (+9 points since last round)" beside the HTML's "up 9 points since last round (about the
same)"), on each question's line and on the first page, though the README says that wording holds throughout a
summary. Every page format now says it in the same words (`report.trend_words`); the CSV keeps the change a figure
only (docs/panel-csv.md). Pure: hand-made figures."""

from __future__ import annotations

import re

from tests.summary.data import figures, summary_of
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures


def _round(round_id: int, safe: tuple[int, int], everyday: tuple[int, int]):
    answers = {
        "safe_home": QuestionFigures("safe_home", sum(safe), {"5": safe[0], "2": safe[1]}),
        "everyday": QuestionFigures("everyday", sum(everyday), {"yes": everyday[0], "no": everyday[1]}),
    }
    return figures({}, questions=answers, round_id=round_id)


# Feeling safe: 50% to 48% of 46, about the same. Normal things: 33% to 64%, clearly better.
SUMMARY = summary_of(_round(2, (22, 24), (29, 16)), _round(1, (23, 23), (16, 32)))

SAID = (
    "48% positive, down 2 points since last round (about the same).",
    "52% negative, up 2 points since last round (about the same).",
    "64% positive, up 31 points since last round (better).",
    "36% negative, down 31 points since last round (better).",
    "Doing normal things without waiting: 64% positive, up from 33% (+31 points, better)",
)


def _words(fmt: str) -> str:
    """A format's text as a reader sees it: no tags, no Markdown emphasis, one space between words."""
    text = re.sub(r"<[^>]+>", " ", render(SUMMARY, fmt).decode())
    text = " ".join(text.replace("**", "").split())
    for spaced, tight in ((" .", "."), (" ,", ","), (" )", ")"), ("( ", "(")):
        text = text.replace(spaced, tight)
    return text


def test_each_change_reads_alike_with_its_word_in_every_page_format():
    for fmt in ("html", "md"):
        text = _words(fmt)
        for words in SAID:
            assert words in text, (fmt, words)
    markdown = render(SUMMARY, "md").decode()
    assert "points since last round)" not in markdown.replace("(about the same)", "").replace("(better)", "")
    assert "+31 points\n" not in markdown and ": +31 points" not in markdown


def test_the_csv_keeps_the_change_a_figure_only():
    csv = render(SUMMARY, "csv").decode()
    rows = [line for line in csv.splitlines() if ",share_positive," in line or ",share_negative," in line]
    assert rows and not any(word in line for line in rows for word in ("better", "worse", "about the same"))
