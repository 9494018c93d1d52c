"""A change in a share is the change between the two percentages the reader sees (trial 9, T9-9): 67% then 65% read
"down 1 point", worked out from the unrounded 66.7% and 65.2%. The round summary, its chart and CSV, and the year
report all take it from `formatting.share_change`."""

from __future__ import annotations

from voice_service.summary.formatting import percent, points, share_change
from voice_service.summary.report import ThemeResult, _theme_trend
from voice_service.summary.year import Point, Series


def test_a_change_is_between_the_whole_percentages_shown():
    before, now = 2 / 3, 0.652
    assert (percent(before), percent(now)) == ("67%", "65%")
    assert points(share_change(now, before)) == "-2 points"
    assert share_change(0.664, 0.656) == 0.0 and points(share_change(0.664, 0.656)) == "no change"  # 66% and 66%
    assert share_change(None, 0.5) is None and share_change(0.5, None) is None


def test_the_year_report_and_a_themes_trend_use_it():
    series = Series("theme", "carers", "Carers", "raised by", [Point(1, 2 / 3, 8), Point(2, 0.652, 9)])
    assert series.change == -0.02
    now = ThemeResult(id="carers", label="Carers", people=9, share=0.652, sentiment={})
    before = ThemeResult(id="carers", label="Carers", people=8, share=2 / 3, sentiment={})
    assert _theme_trend(now, before, 1).trend.change == -0.02


def test_themes_rank_by_what_a_reader_sees_of_each_count():
    """Trial 9, T9-8: "fewer than 5" themes were listed above themes hidden at "5 or more"."""
    from voice_service.summary.disclosure import PRIMARY, SECONDARY
    from voice_service.summary.report import _top_themes

    def theme(label, people):
        return ThemeResult(id=label, label=label, people=people, share=None, sentiment={})

    ranked = _top_themes(
        [theme("a few", PRIMARY), theme("nine", 9), theme("some", SECONDARY), theme("five", 5), theme("none", 0)], 5
    )
    assert [t.label for t in ranked] == ["nine", "five", "some", "a few"]
