"""Two copies of an open round's summary, taken before and after one more answer came in, must not tell that answer
(new-user trial: comparing two downloads told one young person's answer, however each copy was protected alone).
While a round is open, every figure about answers reads "shown when the round closes" (`summary.open_round`); once
it is closed, the figures are shown in full. Pure: hand-made figures."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.summary.data import CLOSED, figures, summary_of
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures
from voice_service.summary.disclosure import UNTIL_CLOSED_LABEL
from voice_service.summary.open_round import OPEN_ROUND_NOTE

FORMATS = ("html", "md", "json", "csv")


def _round(yes: int, no: int, *, carers: int, responded: int = 40, status: str = "open"):
    """A round of the pulse survey: `yes`/`no` to its yes/no question, a scale, and a theme raised by `carers`."""
    counts = {"yes": yes, "no": no}
    found = figures(
        {"carers": {"negative": carers}},
        questions={
            "see_worker": QuestionFigures("see_worker", respondents=yes + no, counts=counts),
            "safe_home": QuestionFigures("safe_home", respondents=12, counts={"4": 6, "5": 6}, mean=4.5),
        },
    )
    found = replace(found, responded=responded, alerts=((CLOSED, None),) * carers)
    if status == "open":
        return replace(found, status="open", closed_at=None)
    return found


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_more_answer_from_someone_who_had_taken_part_changes_nothing_in_an_open_rounds_summary(fmt):
    # Someone who had already answered another question answers "No" and writes about carers: the number who took
    # part is the same, and so, word for word, must be every copy of the summary.
    before = summary_of(_round(9, 6, carers=5))
    after = summary_of(_round(9, 7, carers=6))
    assert render(before, fmt) == render(after, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_more_young_person_answering_an_open_round_changes_only_how_many_answered(fmt):
    # A new young person answers "No" and writes about carers: the copy after reads exactly as the copy before would
    # have read with one more who answered and no answer at all, so it tells that someone answered, never what.
    after = render(summary_of(_round(9, 7, carers=6, responded=41)), fmt)
    assert after == render(summary_of(_round(9, 6, carers=5, responded=41)), fmt)
    assert after == render(summary_of(_round(10, 6, carers=5, responded=41)), fmt)
    assert after != render(summary_of(_round(9, 6, carers=5, responded=40)), fmt)


def test_an_open_round_says_why_its_figures_are_not_shown_yet_in_every_format():
    summary = summary_of(_round(9, 6, carers=5))
    for fmt in FORMATS:
        text = render(summary, fmt).decode()
        assert UNTIL_CLOSED_LABEL in text, fmt
    for fmt in ("html", "md"):
        text = render(summary, fmt).decode()
        assert OPEN_ROUND_NOTE.split(":")[0] in text.replace("&#39;", "'"), fmt
        assert "Carers" not in text.split("What young people wrote about")[1].split("our pledges")[0], fmt
    assert "see_worker=Yes" not in render(summary, "csv").decode()


def test_once_the_round_is_closed_its_figures_are_shown_in_full():
    summary = summary_of(_round(9, 6, carers=5, status="closed"))
    csv = render(summary, "csv").decode()
    assert "see_worker=Yes" in csv and "see_worker=No" in csv
    assert UNTIL_CLOSED_LABEL not in csv
    assert "carers" in csv
    assert OPEN_ROUND_NOTE not in render(summary, "md").decode()


@pytest.mark.parametrize("responded", [2, 0])
def test_an_open_round_with_fewer_than_5_answers_lists_no_channel_as_0(responded):
    """New-user trial, 6 December: with 2 answered while the round was open, every format said "Text message: 0"
    beside "Fewer than 5 answered". How they answered is shown when the round closes, as for more answers."""
    summary = summary_of(_round(1, 1, carers=0, responded=responded))
    assert summary.header.channels == {} and summary.header.age_bands == {}
    md = render(summary, "md").decode()
    taking_part = md.split("## Who took part")[1].split("## What we asked")[0]
    assert "Text message" not in taking_part and ": 0" not in taking_part, taking_part
    assert f"How they answered, and their ages, are {UNTIL_CLOSED_LABEL}." in md
