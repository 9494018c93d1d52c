"""An answer inside a group that is itself "fewer than 5" reads "0 to 4", never "fewer than 5" (trial2 finding).

Disclosure control hides everything inside a count of 1 to 4, zeros too (a zero would tell the split of a small
group), and checks the page on the footing that a reader knows such a part may be 0 to 4. The page called those
parts "fewer than 5", which its methods note says is "1 to 4 people": a round in which nobody said "1 (Not safe)"
told the panel that some young people did, and a reader taking the note at its word could narrow the parts
further than the check allowed (five answers of "fewer than 5" adding up to 6 are each 1 or 2).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from tests.summary import data
from voice_service.summary import formatting, render, report
from voice_service.summary.aggregate import QuestionFigures
from voice_service.surveys.loader import load_survey

PULSE = Path(__file__).resolve().parents[2] / "conversations" / "surveys" / "pulse.toml"


def _figures(counts: dict[str, int]) -> QuestionFigures:
    return QuestionFigures(question_id="safe_home", respondents=sum(counts.values()), counts=counts, mean=3.0)


def _safe_home(counts: dict[str, int]) -> report.QuestionResult:
    question = next(q for q in load_survey(PULSE).questions if q.id == "safe_home")
    return report._question_result(question, _figures(counts))


def test_nobody_at_not_safe_is_not_published_as_fewer_than_5():
    result = _safe_home({"2": 1, "3": 1, "4": 2, "5": 1})  # nobody answered 1 (Not safe)
    cells = {answer: formatting.count(value) for answer, value in result.distribution}
    # 1 and 2 are the negative band's parts (1 person): each reads "0 to 4", so the zero is not told apart.
    assert cells["1"] == cells["2"] == "0 to 4"
    # The neutral band's only answer, 3, is 1 to 4, but reads "0 to 4" like the others (trial 6, F5).
    assert cells["3"] == "0 to 4"
    assert formatting.counted(result.distribution[0][1]) == "0 to 4 people"


def test_what_the_labels_say_leaves_each_answer_anything_its_label_allows():
    # 7 answered, each band "fewer than 5" (6 is hidden now: at 5, three such bands would each be 1 to 3, so
    # a 5 is hidden, and a 6 beside it too, lest "hidden" say 5 to a reader who knows the rule; trial 6b, N1).
    result = _safe_home({"1": 1, "2": 1, "3": 1, "4": 2, "5": 2})
    assert result.respondents == 7  # shown: 7 answered
    cells = [value for _, value in result.distribution]
    allowed = [range(0, 5) if formatting.count(v) == "0 to 4" else range(1, 5) for v in cells]
    fits = [combo for combo in itertools.product(*allowed) if sum(combo) == 7]
    # Each answer could still be anything its label allows: none is narrowed (each was 1 or 2 when all read
    # "fewer than 5", which the methods note said is 1 to 4).
    for index, box in enumerate(allowed):
        assert {combo[index] for combo in fits} == set(box)


def test_the_methods_note_says_what_0_to_4_means():
    note = " ".join(report.methods_note(False))
    assert '"0 to 4"' in note and "1 to 4 people" in note


def test_the_only_part_of_a_part_that_may_be_none_may_be_none_too():
    # 2 answered, both 4 or 5: the neutral band (a part of the "fewer than 5" total) may be 0, and so may its
    # only answer, 3: it reads "0 to 4" with it, not "fewer than 5" (which says 1 to 4, and here it is none).
    result = _safe_home({"4": 1, "5": 1})
    cells = {answer: formatting.count(value) for answer, value in result.distribution}
    assert formatting.count(result.respondents) == "fewer than 5"
    assert cells == dict.fromkeys(("1", "2", "3", "4", "5"), "0 to 4")


def test_a_true_zero_beside_hidden_parts_reads_0_to_4_like_the_others():
    """Trial 3, F21: 5 answered (1: 0, 2: 3, 3: 0, 4: 2, 5: 0) read "0 to 4" for the zeros at 1 and 5 (inside a
    small band) and "0" for 3 (a band of nobody). One rule for the reader: every part of the question reads
    "0 to 4" when any does, and the bands are as before."""
    result = _safe_home({"2": 3, "4": 2})
    cells = {answer: formatting.count(value) for answer, value in result.distribution}
    assert set(cells.values()) == {"0 to 4"}, cells
    assert formatting.count(result.positive) == "fewer than 5"
    # The 5 itself is hidden now (trial 6b, N1): at 6, its two "fewer than 5" bands would each be 2 to 4, so a
    # 6 is hidden, and a shown 5 would tell a reader who knows the rule that a hidden one was not 5.
    assert formatting.count(result.respondents) == "hidden to protect a smaller group"
    # A question with no part hidden still shows its zeros.
    shown = _safe_home({"2": 6, "4": 5})
    assert [formatting.count(v) for _, v in shown.distribution] == ["0", "6", "0", "5", "0"]


def test_no_answer_reads_fewer_than_5_beside_answers_reading_0_to_4_in_any_format():
    """Trial 6, F5: 7 answered 1: 0, 2: 3, 3: 1, 4: 2, 5: 1. The table read "0 to 4" for every answer but the middle
    one, which read "fewer than 5" (1 to 4): the one person who answered 3 stood out, and the busiest answer (3
    people) looked as if it might be empty. Every answer reads "0 to 4", in every format."""
    result = _safe_home({"2": 3, "3": 1, "4": 2, "5": 1})
    assert result.respondents == 7
    cells = {answer: formatting.count(value) for answer, value in result.distribution}
    assert cells == dict.fromkeys("12345", "0 to 4")
    summary = data.summary_of(data.figures({}, questions={"safe_home": _figures({"2": 3, "3": 1, "4": 2, "5": 1})}))
    for fmt in ("md", "html", "csv"):  # the question's count, then its answers, then its average
        answers = render(summary, fmt).decode("utf-8").split("Feeling safe where they live", 1)[1].split("Average")[0]
        assert answers.count("0 to 4") >= 5 and "fewer than 5" not in answers, fmt
    rows = [line for line in render(summary, "csv").decode().splitlines() if ",answer,safe_home=" in line]
    assert len(rows) == 5 and all(",0 to 4," in row for row in rows), rows
    question = next(q for q in json.loads(render(summary, "json"))["questions"] if q["id"] == "safe_home")
    assert {cell["people"]["label"] for cell in question["distribution"]} == {"0 to 4"}
