"""Trial 3, F12: the same round reads the same in every format. A one-minute target is "1 minute" in the
CSV too, and an empty "Going well" says why (too few answers, or nothing more positive than negative) in
the Markdown as the HTML and PDF do, never a bare "None to show.". Pure: hand-made figures."""

from __future__ import annotations

from datetime import timedelta

from tests.summary.data import CATALOGUE, CLOSED, LABELS, figures
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures
from voice_service.summary.report import build_summary


def _summary(counts: dict[str, int], *, target: int = 60, alerts=()):
    people = sum(counts.values())
    mean = sum(int(k) * v for k, v in counts.items()) / people
    question = QuestionFigures(question_id="safe_home", respondents=people, counts=counts, mean=mean)
    current = figures({}, questions={"safe_home": question}, alerts=alerts)
    return build_summary(
        current=current,
        previous=None,
        catalogue=CATALOGUE,
        theme_labels=LABELS,
        now=CLOSED,
        alert_target_minutes=target,
    )


def _going_well(summary) -> tuple[str, str]:
    markdown = render(summary, "md").decode()
    html = " ".join(render(summary, "html").decode().split())
    md_part = markdown.split("**Going well**\n\n")[1].split("\n")[0]
    html_part = html.split("<h3>Going well</h3>")[1].split("</div>")[0]
    return md_part, html_part


def test_a_one_minute_target_is_one_minute_in_the_csv_as_in_the_markdown():
    alerts = ((CLOSED - timedelta(minutes=30), CLOSED - timedelta(minutes=29, seconds=30)),) * 6
    summary = _summary({"4": 6, "5": 6}, target=1, alerts=alerts)
    csv = render(summary, "csv").decode()
    assert "acknowledged within the target (1 minute)," in csv and "missed the target (1 minute)," in csv
    assert "(1 minutes)" not in csv
    assert "within 1 minute" in render(summary, "md").decode()
    assert "missed the target (60 minutes)," in render(_summary({"4": 6, "5": 6}), "csv").decode()


def test_an_empty_going_well_says_why_alike_in_markdown_and_html():
    few, few_html = _going_well(_summary({"1": 2, "5": 1}))  # 3 answers: the shares are hidden
    assert few == "Too few answers to show." and "Too few answers to show." in few_html
    bad, bad_html = _going_well(_summary({"1": 20, "2": 10, "4": 6, "5": 6}))  # shown, and mostly negative
    reason = "No question had more than half good answers."
    assert bad == reason and reason in bad_html and "Too few" not in bad_html
    assert "None to show" not in render(_summary({"1": 20, "2": 10, "4": 6, "5": 6}), "md").decode()
