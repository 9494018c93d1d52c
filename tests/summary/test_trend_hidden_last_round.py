"""A figure compared with last round's, when last round's summary hid it, says so: "last round hidden to protect
a smaller group", as the chart and the CSV do, never "no comparable figure last round" (which reads as if the
question was not asked or not answered). Pure: hand-made figures."""

from __future__ import annotations

from dataclasses import replace

from tests.summary.data import figures, summary_of
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures

HIDDEN_BEFORE = "last round hidden to protect a smaller group"
NONE_BEFORE = "no comparable figure last round"


def _safe_home(counts: dict[str, int]) -> QuestionFigures:
    people = sum(counts.values())
    mean = sum(int(k) * v for k, v in counts.items()) / people
    return QuestionFigures(question_id="safe_home", respondents=people, counts=counts, mean=mean)


def _rounds(before_counts: dict[str, int]):
    before = replace(
        figures({}, questions={"safe_home": _safe_home(before_counts)}, round_id=1), invited=60, responded=40
    )
    now = replace(
        figures({}, questions={"safe_home": _safe_home({"1": 6, "2": 5, "4": 22, "5": 10})}),
        invited=60,
        responded=43,
    )
    return summary_of(now, before)


def _negative_sentence(text: str) -> str:
    """The question's 'N% negative, ...' clause (HTML) or 'N% negative (...)' (Markdown), to its full stop."""
    start = min(i for i in (text.find("% negative,"), text.find("% negative (")) if i >= 0)
    return text[start : text.index(".", start)]


def test_a_share_hidden_last_round_reads_hidden_not_missing():
    summary = _rounds({"1": 2, "2": 2, "4": 20, "5": 16})  # 4 negative last round: 'fewer than 5'
    question = next(q for q in summary.questions if q.id == "safe_home")
    assert question.negative_trend is not None and question.negative_trend.previous_hidden
    for fmt in ("html", "md"):
        sentence = _negative_sentence(render(summary, fmt).decode())
        assert HIDDEN_BEFORE in sentence and NONE_BEFORE not in sentence, (fmt, sentence)


def test_a_share_shown_last_round_still_reads_its_change():
    summary = _rounds({"1": 5, "2": 5, "4": 15, "5": 15})
    for fmt in ("html", "md"):
        sentence = _negative_sentence(render(summary, fmt).decode())
        assert "since last round" in sentence and HIDDEN_BEFORE not in sentence, (fmt, sentence)
