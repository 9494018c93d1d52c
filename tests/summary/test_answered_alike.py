"""Trial 13, T13-14: small-number suppression is never traded away. Where fewer than 20 (`disclosure.GROUP_SIZE`)
answered a question and its figures would show that all of them, or all but one, answered alike ("6 of 6 said No",
"100% positive"), they would tell what each of them said: its answers, shares and average are not broken down,
and every format says why in the council's words, never "to protect a smaller group" (no smaller figure is at
stake). Judged on what would be shown, never on the hidden numbers (the readers who know the rule in
test_hiding_rule.py read every page with it in place). Pure: hand-made figures."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.summary.data import figures, summary_of
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures
from voice_service.summary.disclosure import (
    ALIKE_LABEL,
    FOLLOW_UP,
    GROUP_SIZE,
    HIDDEN_FIGURES_KEY,
    NOT_BROKEN_DOWN_LABEL,
    PROTECTING_LABEL,
    shown,
)
from voice_service.summary.report import ALIKE_RULE, ALL_ANSWERS_ALIKE, ANSWERED_ALIKE
from voice_service.summary.year import ALIKE_POINT, Point, _point


def _yes_no(yes: int, no: int) -> QuestionFigures:
    return QuestionFigures("see_worker", yes + no, {k: v for k, v in (("yes", yes), ("no", no)) if v})


def _scale(counts: dict[str, int], question: str = "safe_home") -> QuestionFigures:
    people = sum(counts.values())
    return QuestionFigures(question, people, counts, mean=sum(int(k) * v for k, v in counts.items()) / people)


def _question(summary, qid: str = "see_worker"):
    return next(q for q in summary.questions if q.id == qid)


def _csv(summary) -> dict[tuple[str, str], dict[str, str]]:
    rows = csv.DictReader(io.StringIO(render(summary, "csv").decode()))
    return {(row["measure"], row["item"]): row for row in rows if row["section"] == "question"}


def test_six_of_six_saying_no_is_not_broken_down_and_says_why_in_every_format():
    summary = summary_of(figures({}, questions={"see_worker": _yes_no(0, 6)}))
    q = _question(summary)
    assert q.respondents == 6 and q.distribution == [(ALL_ANSWERS_ALIKE, 6)]
    assert q.withheld == ANSWERED_ALIKE == ALIKE_LABEL
    assert (q.positive_share, q.negative_share, q.positive, q.negative) == (None, None, None, None)
    assert "fewer than 20 may have answered, and all of them, or all but one, answered alike" in ALIKE_LABEL
    markdown = render(summary, "md").decode()
    part = markdown.split("### Seeing their social worker when needed")[1].split("###")[0]
    assert "6 answered." in part and ALL_ANSWERS_ALIKE in part and ALIKE_LABEL.capitalize() in part
    assert "| No |" not in part and "100%" not in part and "negative" not in part
    assert PROTECTING_LABEL not in part
    html = " ".join(render(summary, "html").decode().split())
    part = html.split('id="q-see_worker"')[1].split('<div class="question"')[0]
    assert ALIKE_LABEL.capitalize() in part and "100%" not in part and PROTECTING_LABEL not in part
    rows = _csv(summary)
    assert rows[("answer", f"see_worker={ALL_ANSWERS_ALIKE}")]["value"] == "6"
    assert ("answer", "see_worker=No") not in rows
    assert rows[("share_positive", "see_worker")]["value"] == NOT_BROKEN_DOWN_LABEL
    assert rows[("share_negative", "see_worker")]["value"] == NOT_BROKEN_DOWN_LABEL
    data = json.loads(render(summary, "json"))
    (asked,) = [x for x in data["questions"] if x["id"] == "see_worker"]
    assert asked["withheld"] == ALIKE_LABEL and asked["positive_share"] is None
    # The rule is said in the methods note of every summary, and the key's "not broken down" allows for it.
    assert ALIKE_RULE in summary.methods and ALIKE_RULE in markdown
    assert '"not broken down" means the same for a split by age, answer or feeling, or what it says' in (
        HIDDEN_FIGURES_KEY
    )
    # Not on the first page either: no "100% negative" under Needs work.
    assert summary.findings.worst == [] and summary.findings.best == []


def test_a_scale_all_on_one_side_is_not_broken_down_though_its_answers_differ():
    summary = summary_of(figures({}, questions={"safe_home": _scale({"4": 6, "5": 7})}))  # 100% positive
    q = _question(summary, "safe_home")
    assert q.withheld == ANSWERED_ALIKE and q.mean is None and q.positive_share is None
    rows = _csv(summary)
    assert rows[("mean", "safe_home")]["value"] == NOT_BROKEN_DOWN_LABEL
    # A follow-up asked after some of those answers is hidden with them: its count would say how many gave them.
    low = figures({}, questions={"safe_home": _scale({"1": 7}), "safe_help": QuestionFigures("safe_help", 6)})
    assert _question(summary_of(low), "safe_help").respondents == FOLLOW_UP


def test_the_group_size_has_one_home_and_mixed_answers_are_shown():
    assert GROUP_SIZE == 20
    under = _question(summary_of(figures({}, questions={"see_worker": _yes_no(GROUP_SIZE - 1, 0)})))
    at = _question(summary_of(figures({}, questions={"see_worker": _yes_no(GROUP_SIZE, 0)})))
    assert under.withheld == ANSWERED_ALIKE
    assert at.withheld == "" and at.positive_share == 1.0  # a group of 20 or more: shown, as before
    mixed = _question(summary_of(figures({}, questions={"see_worker": _yes_no(6, 6)})))
    assert mixed.withheld == "" and mixed.distribution == [("Yes", 6), ("No", 6)]
    # All but one, the one a "fewer than 5": shown as before, since that may be anything from 1 to 4.
    five_and_one = _question(summary_of(figures({}, questions={"see_worker": _yes_no(5, 1)})))
    assert five_and_one.withheld != ANSWERED_ALIKE


def test_a_change_since_last_round_is_not_given_for_answers_not_broken_down():
    before = figures({}, questions={"see_worker": _yes_no(6, 6)}, round_id=1)
    summary = summary_of(figures({}, questions={"see_worker": _yes_no(0, 7)}), before)
    q = _question(summary)
    assert q.withheld == ANSWERED_ALIKE and q.positive_trend is not None and q.positive_trend.change is None
    assert q.previous_distribution == [(ALL_ANSWERS_ALIKE, 12)]
    row = _csv(summary)[("share_positive", "see_worker")]
    assert (row["value"], row["previous"], row["change"]) == (NOT_BROKEN_DOWN_LABEL, "0.5", NOT_BROKEN_DOWN_LABEL)
    # The year's report says why too, never "7 answered" alone in a column of percentages.
    assert _point(Point(2, None, 7, alike=True)) == ALIKE_POINT
    assert _point(Point(2, None, 7), "answered") == "7 answered"


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 24), st.integers(0, 24))
def test_no_yes_or_no_shown_tells_what_each_of_a_small_group_said(yes, no):
    """Whatever a yes/no question's answers, where they are broken down for a group that may be under 20, the
    figures shown leave each answer's others possibly 2 or more: no one can read off that all, or all but one,
    said the same."""
    q = _question(summary_of(figures({}, questions={"see_worker": _yes_no(yes, no)})))
    if q.withheld or not q.distribution or shown(q.respondents) is None:
        return
    total = shown(q.respondents)
    if total is None or total >= GROUP_SIZE or total == 0:
        return
    cells = dict(q.distribution)
    for other in ("No", "Yes"):  # beside each answer, the other
        most_other = shown(cells[other])
        # A hidden other may be 2 or more ("fewer than 5" is 1 to 4, "hidden to protect" 5 or more).
        assert most_other is None or most_other >= 2, (yes, no, q.distribution)
