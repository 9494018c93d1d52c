"""The panel's summary as one self-contained HTML file: inline CSS and SVG, nothing fetched."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from . import formatting
from .charts import bar_chart
from .report import QuestionResult, Summary, ThemeResult


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("voice_service.summary", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        count=formatting.count,
        percent=formatting.percent,
        points=formatting.points,
        mean_change=formatting.mean_change,
        day=formatting.day,
    )
    env.globals.update(question_chart=question_chart, themes_chart=themes_chart, period=formatting.period)
    return env


def _feeling(question: QuestionResult, label: str) -> str | None:
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
    """A question's answers as bars."""
    rows = [(label, people, _feeling(question, label)) for label, people in question.distribution]
    return Markup(bar_chart(f"Answers to: {question.text}", rows))


def themes_chart(title: str, themes: list[ThemeResult]) -> Markup:
    """How many people raised each theme, as bars."""
    rows = [(theme.label, theme.people, None) for theme in themes]
    return Markup(bar_chart(title, rows))


def render_html(summary: Summary, *, for_pdf: bool = False) -> str:
    """The summary as one HTML document."""
    return _environment().get_template("summary.html").render(s=summary, for_pdf=for_pdf)
