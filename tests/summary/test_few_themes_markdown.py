"""The Markdown summary lists themes raised by fewer than 5 people in one line, not broken down, as the HTML
does ("Also raised, each by fewer than 5 people (so not broken down or quoted): ..."): it gave each its own
heading and "Feelings: fewer than 5 positive, fewer than 5 neutral, fewer than 5 negative", a sentence
starting in lower case. Pure: hand-made figures."""

from __future__ import annotations

from tests.summary.data import figures, summary_of
from voice_service.summary import render

FEW_LINE = "Also raised, each by fewer than 5 people (so not broken down or quoted):"


def test_themes_raised_by_fewer_than_five_are_one_line_in_markdown_as_in_html():
    summary = summary_of(figures({"carers": {"positive": 6, "negative": 2}, "education": {"negative": 3}}))
    label = next(t.label for t in summary.themes if t.id == "education")
    html = render(summary, "html").decode()
    markdown = render(summary, "md").decode()
    assert FEW_LINE in html and FEW_LINE in markdown
    assert f"### {label}" not in markdown and label.lower() in markdown.split(FEW_LINE)[1].split("\n")[0]
    assert "\nfewer than 5 people" not in markdown
    assert "### " + next(t.label for t in summary.themes if t.id == "carers") in markdown  # 8 people: as before
