"""The panel's summary as one self-contained HTML file: inline CSS and SVG, nothing fetched."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from . import disclosure, formatting
from .charts import FEELING_TONE, bar_chart
from .disclosure import is_hidden
from .report import (
    ALL_AGES,
    FEELINGS_WITHHELD,
    FEW_THEMES,
    OWN_WORDS_NOTE,
    QuestionResult,
    Summary,
    ThemeResult,
    trend_words,
)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("voice_service.summary", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        count=formatting.count,
        counted=formatting.counted,
        figure=formatting.figure,
        hidden_note=formatting.hidden_note,
        percent=formatting.percent,
        points=formatting.points,
        mean_change=formatting.mean_change,
        day=formatting.day,
    )
    env.tests["hidden"] = is_hidden
    env.globals.update(
        question_chart=question_chart, themes_chart=themes_chart, period=formatting.period, trend_words=trend_words
    )
    return env


def _feeling(question: QuestionResult, label: str) -> str | None:
    """Whether an answer is good news, bad news or neither (yes is good; high on a scale is good)."""
    if question.kind == "yes_no":
        return {"Yes": "positive", "No": "negative"}.get(label)
    if question.scale:
        try:
            value = int(label)
        except ValueError:
            return None
        middle = sum(question.scale) / 2
        return "positive" if value > middle else "negative" if value < middle else "neutral"
    return None


def question_chart(question: QuestionResult) -> Markup:
    """A question's answers as bars, with last round's share beside each when there was one.

    Each bar is named as the question offered the answer ("1 (Not safe)"), in the bars, the chart's
    text alternative and its title, so nobody reads a bare 1 to 5 without knowing which end is good."""
    words = question.answer_words
    rows = [
        (words(label), people, FEELING_TONE.get(_feeling(question, label) or ""))
        for label, people in question.distribution
    ]
    has_previous = bool(question.previous_distribution)
    title = f"Answers to: {question.label}"
    if question.scale_words:
        title += f", from {question.scale_words}"
    return Markup(
        bar_chart(
            title,
            rows,
            total=question.respondents,
            previous=[(words(label), people) for label, people in question.previous_distribution]
            if has_previous
            else None,
            previous_total=question.previous_respondents if has_previous else None,
        )
    )


def themes_chart(title: str, themes: list[ThemeResult], has_previous: bool = False) -> Markup:
    """How many people raised each theme, as bars (grey: a theme is neither good nor bad news)."""
    rows = [(theme.label, theme.people, "neutral") for theme in themes]
    return Markup(bar_chart(title, rows))


def render_html(summary: Summary, *, for_pdf: bool = False) -> str:
    """The summary as one HTML document."""
    return (
        _environment()
        .get_template("summary.html")
        .render(
            s=summary,
            for_pdf=for_pdf,
            all_ages=ALL_AGES,
            feelings_withheld=FEELINGS_WITHHELD,
            few_themes=FEW_THEMES,
            hidden_figures_key=disclosure.HIDDEN_FIGURES_KEY,
            until_closed=disclosure.UNTIL_CLOSED_LABEL,
            own_words_note=OWN_WORDS_NOTE,
        )
    )
