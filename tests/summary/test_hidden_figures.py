"""Hidden figures read as whole phrases in every format, and hidden themes are never quoted.

Pure: the summary is built from hand-made figures, so every case is exact and fast.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.summary.data import LABELS, figures, summary_of
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures
from voice_service.summary.charts import bar_chart
from voice_service.summary.disclosure import PRIMARY, SECONDARY, is_hidden
from voice_service.summary.formatting import count, counted, figure, points
from voice_service.summary.loop import young_people_text
from voice_service.summary.report import quotable

feelings = st.fixed_dictionaries(
    {"positive": st.integers(0, 12), "neutral": st.integers(0, 12), "negative": st.integers(0, 12)}
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(LABELS)), feelings, min_size=1, max_size=4))
@example({"carers": {"positive": 5, "neutral": 0, "negative": 1}})  # 6 people, hidden to protect the 1
def test_quotes_only_for_themes_whose_count_is_shown_and_at_least_5(themes):
    summary = summary_of(figures(themes))
    for theme in summary.themes:
        if theme.quotes:
            assert not is_hidden(theme.people) and theme.people >= 5, (theme.id, theme.people)
        assert all(q.theme == theme.id for q in theme.quotes)
    quoted = {q.text for t in summary.themes for q in t.quotes}
    markdown = render(summary, "md").decode()
    for theme in summary.themes:
        if not quotable(theme.people):
            # No quote for it anywhere, in any format.
            assert not any(f"about {theme.id} number" in text for text in quoted)
            assert f"about {theme.id} number" not in markdown


def test_a_theme_hidden_to_protect_a_smaller_group_is_not_quoted():
    summary = summary_of(figures({"carers": {"positive": 5, "neutral": 0, "negative": 1}}))
    carers = next(t for t in summary.themes if t.id == "carers")
    assert carers.people == SECONDARY and carers.quotes == []
    shown = summary_of(figures({"carers": {"positive": 6, "neutral": 0, "negative": 0}}))
    assert next(t for t in shown.themes if t.id == "carers").quotes  # the rule still quotes a shown 6


@pytest.mark.parametrize(
    "value, phrase",
    [
        (8, "8 people"),
        (1, "1 person"),
        (0, "0 people"),
        (PRIMARY, "fewer than 5 people"),
        (SECONDARY, "5 or more people (exact number hidden to protect a smaller group)"),
    ],
)
def test_a_count_in_a_sentence_reads_as_a_phrase(value, phrase):
    assert counted(value) == phrase


def test_primary_and_secondary_read_differently_everywhere():
    assert count(PRIMARY) != count(SECONDARY) and figure(PRIMARY) != figure(SECONDARY)
    assert counted(SECONDARY, "positive", "positive", bracketed=False) == (
        "5 or more positive; exact number hidden to protect a smaller group"
    )


GARBLED = re.compile(
    r"hidden to protect a smaller group (people|person|positive|neutral|negative|answered|of)\b"
    r"|fewer than 5 (of\b)|\(\s+fewer|\(\s+hidden|\(\s+5 or more|group people"
)


def _text(html: str) -> str:
    """What a reader sees: tags gone, whitespace collapsed (as a PDF or a screen reader reads it)."""
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_hidden_theme_counts_and_feelings_read_properly_in_every_format():
    themes = {
        "carers": {"positive": 8, "neutral": 0, "negative": 0},
        "having_a_say": {"positive": 5, "neutral": 1, "negative": 1},  # 7, hidden to protect the 1s
        "health": {"positive": 1, "neutral": 1, "negative": 1},  # 3: fewer than 5
    }
    summary = summary_of(figures(themes))
    say = next(t for t in summary.themes if t.id == "having_a_say")
    assert is_hidden(say.people) and say.people.reason == "secondary"
    markdown = render(summary, "md").decode()
    html_text = _text(render(summary, "html").decode())
    for text in (markdown, html_text):
        assert not GARBLED.search(text), GARBLED.search(text)
        assert "5 or more people (exact number hidden to protect a smaller group)" in text
        assert "Feelings: 5 or more positive (exact number hidden to protect a smaller group)" in text
        assert "fewer than 5 neutral, fewer than 5 negative" in text
        assert "fewer than 5 people" in text  # the primary theme, in its own words
    # Inside brackets, no brackets within brackets.
    assert "(5 or more people; exact number hidden to protect a smaller group)" in markdown
    assert young_people_text(summary).count("hidden") == 0


def test_a_hidden_bar_is_described_as_a_phrase():
    svg = bar_chart("Themes", [("Carers", SECONDARY, None), ("Health", PRIMARY, None), ("Safety", 1, None)])
    assert "Carers: 5 or more people (exact number hidden to protect a smaller group)" in svg
    assert "Health: fewer than 5 people" in svg and "Safety: 1 person" in svg


def test_a_hidden_number_answering_a_question_reads_properly():
    # 6 said yes and 3 no: the 3 is fewer than 5 and the 6 is hidden to protect it, and the 9 with them (9 would
    # leave the 3 anything from 1 to 4, but 8 would not, and a count whose every answer is hidden is shown only
    # where they would stay safe were it one more or one fewer).
    answers = {"see_worker": QuestionFigures("see_worker", 9, {"yes": 6, "no": 3})}
    summary = summary_of(figures({}, questions=answers))
    question = next(q for q in summary.questions if q.id == "see_worker")
    assert is_hidden(question.respondents)
    for text in (render(summary, "md").decode(), _text(render(summary, "html").decode())):
        assert not GARBLED.search(text), GARBLED.search(text)


@pytest.mark.parametrize("change, words", [(-0.01, "-1 point"), (0.01, "+1 point"), (0.12, "+12 points")])
def test_points_are_pluralised(change, words):
    assert points(change) == words


def _csv_rows(summary) -> dict[tuple[str, str], dict[str, str]]:
    """The summary's CSV rows of the round, its questions and its themes, by measure and item."""
    import csv
    import io

    rows = csv.DictReader(io.StringIO(render(summary, "csv").decode()))
    return {(row["measure"], row["item"]): row for row in rows if row["section"] in ("round", "question", "theme")}


def test_the_csv_never_leaves_a_hidden_figure_blank():
    """A spreadsheet reader can tell a hidden figure from a zero or from no data (tester T18): hidden counts
    say what the pages say, and a share, average, rate or change hidden with them says so too."""
    from dataclasses import replace

    from voice_service.summary.disclosure import PROTECTING_LABEL

    answers = {
        "see_worker": QuestionFigures("see_worker", 9, {"yes": 6, "no": 3}),  # 3 said no: every figure hidden
        "safe_home": QuestionFigures("safe_home", 9, {"1": 1, "4": 4, "5": 4}, mean=4.0),
    }
    before = {"see_worker": QuestionFigures("see_worker", 12, {"yes": 6, "no": 6})}
    previous = figures({"health": {"positive": 6, "neutral": 0, "negative": 0}}, questions=before, round_id=1)
    current = figures({"health": {"positive": 1, "neutral": 1, "negative": 1}}, questions=answers)
    rows = _csv_rows(summary_of(current, previous))
    assert rows[("answer", "see_worker=No")]["value"] == "fewer than 5"
    assert rows[("respondents", "see_worker")]["value"] == PROTECTING_LABEL
    worker = rows[("share_positive", "see_worker")]
    assert (worker["value"], worker["previous"], worker["change"]) == (PROTECTING_LABEL, "0.5", PROTECTING_LABEL)
    assert rows[("mean", "safe_home")]["value"] == PROTECTING_LABEL  # an average of answers some hidden
    assert rows[("share_positive", "safe_home")]["value"] == PROTECTING_LABEL
    health = rows[("theme_people", "health")]
    assert (health["value"], health["previous"], health["change"]) == ("fewer than 5", "", "")  # not compared
    share = rows[("theme_share", "health")]  # the share of those who commented is: every cell a share
    assert (share["value"], share["previous"], share["change"]) == (PROTECTING_LABEL, "1", PROTECTING_LABEL)
    # Nothing to show is still an empty cell, never the hidden words: nobody answered, no earlier figure.
    assert rows[("mean", "feeling")]["value"] == "" and rows[("mean", "feeling")]["change"] == ""

    few = summary_of(replace(current, responded=3, channels={"sms": 3}, age_bands={"11-15": 3}))
    assert _csv_rows(few)[("response_rate", "")]["value"] == PROTECTING_LABEL
    nobody = summary_of(replace(current, invited=0, responded=0, channels={}, age_bands={}))
    assert _csv_rows(nobody)[("response_rate", "")]["value"] == ""

    for row in _csv_rows(summary_of(current, previous)).values():
        for column in ("value", "previous", "change"):
            assert row[column] in ("", "fewer than 5", PROTECTING_LABEL) or not row[column].isalpha()
