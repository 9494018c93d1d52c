"""A change is called better or worse only when it is clear of chance with the numbers behind it (trial 10,
T10-11: "down 2 points (worse)" on 46 answers): otherwise "about the same", the figure kept, in the pledge
report and on the summary's first page alike. The rule's one home is `formatting.change_called`."""

from __future__ import annotations

from tests.summary.data import figures, summary_of
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures
from voice_service.summary.disclosure import PRIMARY
from voice_service.summary.formatting import CHANGE_RULE
from voice_service.summary.year import Point, Series, _trend_words


def _series(before: float, after: float, people_before, people_after) -> Series:
    return Series(
        "question", "q", "Feeling safe", "positive", [Point(1, before, people_before), Point(2, after, people_after)]
    )


def test_the_pledge_report_calls_a_small_move_on_few_answers_about_the_same():
    assert _trend_words(_series(0.50, 0.48, 46, 46)) == "down 2 points (about the same)"
    assert _trend_words(_series(0.33, 0.43, 10, 10)) == "up 10 points (about the same)"
    # Many answers: the same 2 points is still chance at 400 each, 10 points is not.
    assert _trend_words(_series(0.50, 0.48, 400, 400)) == "down 2 points (about the same)"
    assert _trend_words(_series(0.50, 0.40, 400, 400)) == "down 10 points (worse)"
    assert _trend_words(_series(0.30, 0.60, 46, 46)) == "up 30 points (better)"
    # A number behind it the summary hides is never used: not called, whatever the shares.
    assert _trend_words(_series(0.10, 0.90, PRIMARY, 46)) == "up 80 points (about the same)"


def _safe_home(positive: int, other: int, round_id: int):
    answers = {"safe_home": QuestionFigures("safe_home", positive + other, {"5": positive, "2": other})}
    return figures({}, questions=answers, round_id=round_id)


def test_the_first_page_calls_a_small_move_on_few_answers_about_the_same():
    summary = summary_of(_safe_home(22, 24, 2), _safe_home(23, 23, 1))  # 50% to 48% of 46
    (move,) = summary.findings.moves
    assert (move.figure, move.tone) == ("-2 points, about the same", "neutral")
    assert "(-2 points, about the same)" in render(summary, "html").decode()
    assert "-2 points, about the same" in render(summary, "md").decode()
    clear = summary_of(_safe_home(120, 280, 2), _safe_home(200, 200, 1)).findings.moves  # 50% to 30% of 400
    assert [(m.figure, m.tone) for m in clear] == [("-20 points, worse", "worse")]


def test_the_rule_is_said_where_changes_are_worded():
    compared = summary_of(_safe_home(22, 24, 2), _safe_home(23, 23, 1))
    assert any(CHANGE_RULE in line for line in compared.methods)
    assert CHANGE_RULE in " ".join(render(compared, "md").decode().split())
    assert not any(CHANGE_RULE in line for line in summary_of(_safe_home(22, 24, 2)).methods)


def test_each_questions_shares_are_called_by_the_same_rule_and_an_average_by_none():
    """A reviewer's finding: the first page and the year report used the rule, but each question's own line in the
    HTML and PDF still said "down 2 points since last round (worse)" on 46 answers. Its shares now use the one rule
    (the negative share's sense turned: down is better), and an average's move is a figure only."""
    summary = summary_of(_safe_home(22, 24, 2), _safe_home(23, 23, 1))  # 50% to 48% of 46
    question = next(q for q in summary.questions if q.id == "safe_home")
    assert (question.positive_trend.called, question.negative_trend.called) == ("about the same",) * 2
    page = " ".join(render(summary, "html").decode().split())
    assert "(worse)" not in page and "(better)" not in page
    assert "down 2 points since last round (about the same)" in page
    assert "up 2 points since last round (about the same)" in page
    clear = summary_of(_safe_home(120, 280, 2), _safe_home(200, 200, 1))  # 50% to 30% of 400: worse both ways
    question = next(q for q in clear.questions if q.id == "safe_home")
    assert (question.positive_trend.called, question.negative_trend.called) == ("worse", "worse")
    page = " ".join(render(clear, "html").decode().split())
    assert 'class="worse">down 20 points since last round (worse)' in page
    assert 'class="worse">up 20 points since last round (worse)' in page
    assert "(better)" not in page and "(about the same)" not in page


def _themes(safety: int, education: int, round_id: int):
    """A round where `safety` and `education` people raised those themes (one theme each): its commenters."""
    return figures({"safety": {"negative": safety}, "education": {"neutral": education}}, round_id=round_id)


def test_a_themes_move_within_chance_reads_about_the_same_and_is_never_better_or_worse():
    """A trial's finding: a theme's share said "up 3 points" where a question's said "(about the same)", under a
    rule on the same page that says a change within chance reads "about the same". A theme's share (of those who
    commented) is now judged by the same test; it is never called better or worse, as a theme is neither."""
    small = summary_of(_themes(7, 43, 2), _themes(5, 45, 1))  # 10% to 14% of 50
    theme = next(t for t in small.themes if t.id == "safety")
    assert theme.trend.called == "about the same"
    page = " ".join(render(small, "html").decode().split())
    assert "up 4 points since last round (about the same)" in page
    assert "+4 points, about the same" in [m.figure for m in small.findings.moves]
    assert "up 4 points since last round (about the same)" in " ".join(render(small, "md").decode().split())

    clear = summary_of(_themes(30, 20, 2), _themes(5, 45, 1))  # 10% to 60% of 50
    page = " ".join(render(clear, "html").decode().split())
    assert "up 50 points since last round" in page
    assert "up 50 points since last round (" not in page
    assert "(better)" not in page and "(worse)" not in page
    assert "+50 points" in [m.figure for m in clear.findings.moves]


def test_the_pledge_report_judges_a_themes_move_by_those_who_commented():
    """10% to 25% of 100 who commented is clear of chance; judged (wrongly) on the 10 and 25 who raised it, it
    would not be."""

    def theme(before: Point, after: Point) -> Series:
        return Series("theme", "bullying", "Bullying", "raised by", [before, after])

    assert _trend_words(theme(Point(1, 0.10, 10, of=100), Point(2, 0.25, 25, of=100))) == "up 15 points"
    assert _trend_words(theme(Point(1, 0.20, 2, of=10), Point(2, 0.30, 3, of=10))) == "up 10 points (about the same)"
    # Those who commented hidden in a round: the move is not judged, as a question's is not.
    assert (
        _trend_words(theme(Point(1, 0.10, 10, of=PRIMARY), Point(2, 0.60, 60, of=100)))
        == "up 50 points (about the same)"
    )
