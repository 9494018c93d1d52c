"""The panel CSV holds one kind of figure per row (trial finding: a theme's row had its count in `value` and
its share of those who commented in `previous` and `change`, so a spreadsheet reader could not tell what a
figure was). The `unit` column says the kind; a theme's share has a row of its own, hidden as the pages hide
it. Pure: hand-made figures."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from tests.summary.data import figures, summary_of
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures
from voice_service.summary.disclosure import PROTECTING_LABEL

HIDDEN_WORDS = ("fewer than 5", "0 to 4", PROTECTING_LABEL)


def _rows(summary) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(render(summary, "csv").decode())))


def _kind(cell: str) -> str:
    """What a reader can tell of a cell: empty, hidden, a whole number, a share (0 to 1) or another number."""
    if cell in ("",) or cell in HIDDEN_WORDS:
        return "any"
    number = float(cell)
    return "count" if number == int(number) and abs(number) >= 1 or number == 0 else "fraction"


def _two_rounds():
    before = replace(
        figures(
            {
                "carers": {"positive": 4, "neutral": 2, "negative": 2},
                "health": {"positive": 6, "neutral": 0, "negative": 0},
            },
            questions={"see_worker": QuestionFigures("see_worker", 20, {"yes": 12, "no": 8})},
            round_id=1,
        ),
        invited=40,
        responded=20,
    )
    now = replace(
        figures(
            {
                "carers": {"positive": 6, "neutral": 3, "negative": 3},
                "health": {"positive": 1, "neutral": 1, "negative": 1},
            },
            questions={"see_worker": QuestionFigures("see_worker", 24, {"yes": 18, "no": 6})},
        ),
        invited=40,
        responded=24,
    )
    return summary_of(now, before)


def test_a_themes_count_and_its_share_are_separate_rows_each_one_kind():
    rows = {(r["measure"], r["item"]): r for r in _rows(_two_rounds()) if r["section"] == "theme"}
    carers = rows["theme_people", "carers"]
    assert (carers["value"], carers["previous"], carers["change"], carers["unit"]) == ("12", "", "", "people")
    share = rows["theme_share", "carers"]
    assert share["unit"] == "share (0 to 1)" and "(0 to 1)" in share["figure"]
    assert 0 < float(share["value"]) < 1 and 0 < float(share["previous"]) < 1
    assert abs(float(share["change"]) - (float(share["value"]) - float(share["previous"]))) < 0.002
    # A hidden count hides its share in every cell that would give it away, as the pages do.
    health = rows["theme_people", "health"]
    assert (health["value"], health["previous"], health["change"]) == ("fewer than 5", "", "")
    assert (rows["theme_share", "health"]["value"], rows["theme_share", "health"]["change"]) == (
        PROTECTING_LABEL,
        PROTECTING_LABEL,
    )


def test_every_row_says_its_unit_and_its_figures_are_of_that_kind():
    for row in _rows(_two_rounds()):
        unit = row["unit"]
        assert unit in ("people", "alerts", "share (0 to 1)", "average", "words"), row
        if unit in ("people", "alerts"):
            assert {_kind(row[c]) for c in ("value", "previous", "change")} <= {"any", "count"}, row
        if unit == "share (0 to 1)":
            for column in ("value", "previous"):
                assert row[column] in ("", *HIDDEN_WORDS) or 0 <= float(row[column]) <= 1, row
            assert row["change"] in ("", *HIDDEN_WORDS) or -1 <= float(row["change"]) <= 1, row


def test_the_share_row_says_what_the_pages_say_of_the_share():
    """Shown where the Markdown shows "(80% of those who wrote comments)", hidden where it shows none."""
    summary = _two_rounds()
    shown = {r["item"]: r["value"] for r in _rows(summary) if r["measure"] == "theme_share"}
    markdown = render(summary, "md").decode()
    for theme in summary.themes:
        if theme.share is None:
            assert theme.share_hidden and shown[theme.id] == PROTECTING_LABEL
        else:
            assert float(shown[theme.id]) == round(theme.share, 3)
            assert f"{round(theme.share * 100)}% of those who wrote comments" in markdown


def test_every_measure_has_a_unit():
    # A measure with words but no unit would stop the whole CSV download (a KeyError in its writer).
    from voice_service.summary.render_data import MEASURE_UNITS, MEASURE_WORDS

    assert set(MEASURE_UNITS) == set(MEASURE_WORDS)
