"""The panel CSV's `previous` carries last round's figure wherever the pages compare one (trial finding 29):
each answer's count and the question's respondents (the Markdown's "Last round" column, the chart's grey
bars), and the round's invited, answered and response rate; hidden as last round's own summary hid them.
Pure: hand-made figures."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from tests.summary.data import figures, summary_of
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures

HIDDEN = "hidden to protect a smaller group"


def _safe_home(counts: dict[str, int]) -> QuestionFigures:
    people = sum(counts.values())
    mean = sum(int(k) * v for k, v in counts.items()) / people
    return QuestionFigures(question_id="safe_home", respondents=people, counts=counts, mean=mean)


def _rows(summary) -> dict[tuple[str, str], dict[str, str]]:
    rows = csv.DictReader(io.StringIO(render(summary, "csv").decode()))
    return {(r["measure"], r["item"]): r for r in rows if r["section"] in ("round", "question")}


def test_previous_is_filled_for_every_figure_the_pages_compare():
    before = replace(
        figures({}, questions={"safe_home": _safe_home({"4": 16, "5": 14})}, round_id=1),
        invited=48,
        responded=30,
        channels={"sms": 30},
        age_bands={"11-15": 30},
    )
    now = replace(
        figures({}, questions={"safe_home": _safe_home({"3": 8, "4": 22, "5": 10})}),
        invited=60,
        responded=40,
    )
    rows = _rows(summary_of(now, before))
    assert (rows["invited", ""]["previous"], rows["invited", ""]["change"]) == ("48", "12")
    assert (rows["responded", ""]["previous"], rows["responded", ""]["change"]) == ("30", "10")
    assert rows["response_rate", ""]["previous"] == "0.625" and rows["response_rate", ""]["change"] == "0.042"
    assert (rows["respondents", "safe_home"]["previous"], rows["respondents", "safe_home"]["change"]) == ("30", "10")
    assert (rows["answer", "safe_home=4"]["previous"], rows["answer", "safe_home=4"]["change"]) == ("16", "6")
    assert rows["answer", "safe_home=3"]["previous"] == "0"  # not given last round: 0, as the Markdown says
    markdown = render(summary_of(now, before), "md").decode()
    assert "| 22 | 16 |" in markdown  # the same figure the CSV gives


def test_previous_is_hidden_as_last_rounds_summary_hid_it():
    """Last round: 7 answered, all by text, aged 3 and 4: its summary hid the number who answered (finding 36)."""
    before = replace(
        figures({}, questions={"safe_home": _safe_home({"4": 7})}, round_id=1),
        invited=14,
        responded=7,
        channels={"sms": 7},
        age_bands={"11-15": 3, "16-17": 4},
    )
    rows = _rows(summary_of(figures({}), before))
    assert rows["responded", ""]["previous"] == HIDDEN and rows["responded", ""]["change"] == HIDDEN
    assert rows["response_rate", ""]["previous"] == HIDDEN and rows["response_rate", ""]["change"] == HIDDEN
    assert rows["invited", ""]["previous"] == "14"


def test_no_earlier_round_leaves_previous_empty():
    rows = _rows(summary_of(figures({}, questions={"safe_home": _safe_home({"4": 7})})))
    assert all(r["previous"] == "" and r["change"] == "" for r in rows.values())
