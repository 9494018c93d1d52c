"""The first page's verdicts: alerts judged against the target at the summary's own clock, and
themes raised in praise shown as going well, not as problems waiting for action."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from dataclasses import replace
from datetime import timedelta

import pytest

from tests.summary.data import CLOSED, figures, summary_of
from voice_service.summary import render
from voice_service.summary.aggregate import ActionRecord, QuestionFigures
from voice_service.summary.disclosure import PRIMARY, SECONDARY
from voice_service.summary.loop import top_things, young_people_text
from voice_service.summary.report import TOO_FEW_ANSWERS, ThemeResult, alert_figures

MINUTE = timedelta(minutes=1)


def test_alerts_a_minute_old_are_still_within_target_not_missed():
    alerts = tuple((CLOSED - MINUTE, None) for _ in range(7))
    figures_now = alert_figures(alerts, 60, CLOSED)
    assert (figures_now.raised, figures_now.in_time, figures_now.late, figures_now.waiting) == (7, 0, 0, 7)
    # The same alerts, still unacknowledged two hours on, have missed it.
    later = alert_figures(alerts, 60, CLOSED + 120 * MINUTE)
    assert (later.in_time, later.late, later.waiting) == (0, 7, 0)


def test_alerts_split_three_ways_in_every_format():
    alerts = (
        ((CLOSED - 300 * MINUTE, CLOSED - 290 * MINUTE),) * 5  # acknowledged in 10 minutes
        + ((CLOSED - 300 * MINUTE, CLOSED - 200 * MINUTE),) * 6  # acknowledged after 100 minutes
        + ((CLOSED - 90 * MINUTE, None),) * 5  # never acknowledged, 90 minutes old
        + ((CLOSED - MINUTE, None),) * 7  # a minute old
    )
    summary = summary_of(figures({}, alerts=alerts), now=CLOSED)
    a = summary.alerts
    assert (a.raised, a.in_time, a.late, a.waiting) == (23, 5, 11, 7)
    words = (
        "23 safeguarding alerts raised: 5 acknowledged within 60 minutes, 11 missed that target "
        "and 7 not yet acknowledged, still within the 60 minutes"
    )
    markdown = render(summary, "md").decode()
    assert words in markdown
    html = " ".join(render(summary, "html").decode().split())
    assert "<b>23</b>" + words[3:] in html
    csv = render(summary, "csv").decode()
    # Each figure's row: its words, its value, then its code (the measure column) for joining.
    assert "Safeguarding alerts that missed the target (60 minutes),,11,,,alerts_missed_target," in csv
    assert 'still within the target (60 minutes)",,7,,,alerts_open_within_target,' in csv


def test_alert_figures_are_protected_and_read_as_phrases():
    alerts = ((CLOSED - 300 * MINUTE, CLOSED - 290 * MINUTE),) * 6 + ((CLOSED - 300 * MINUTE, None),) * 2
    a = alert_figures(alerts, 60, CLOSED)
    assert (a.in_time, a.late) == (SECONDARY, PRIMARY)
    assert a.outcome == (
        "5 or more acknowledged within 60 minutes (exact number hidden to protect a smaller group) "
        "and fewer than 5 missed that target"
    )
    # None raised reads as 1 to 4 do (new-user trial, B): "0" beside "fewer than 5" would tell a disclosure.
    none = alert_figures((), 60, CLOSED)
    one = alert_figures(alerts[:1], 60, CLOSED)
    assert none.raised_words == one.raised_words == "safeguarding alerts raised"
    assert (
        none.outcome
        == one.outcome
        == (
            "0 to 4 acknowledged within 60 minutes, 0 to 4 missed that target and 0 to 4 not yet acknowledged, still "
            "within the 60 minutes"
        )
    )


def test_each_part_of_a_few_alerts_reads_0_to_4_in_every_format():
    """Trial 6, F5: "Fewer than 5 safeguarding alerts raised: 0 acknowledged within 15 minutes, 0 missed that
    target and fewer than 5 not yet acknowledged", and 0 in the CSV, where every part of a hidden figure reads
    "0 to 4" (README). Three alerts, all acknowledged in 10 minutes, in a round that closed hours ago: none can
    still be within the target, so that part is no part of the total and reads 0 (nothing else is said of it)."""
    alerts = ((CLOSED - 300 * MINUTE, CLOSED - 290 * MINUTE),) * 3
    a = alert_figures(alerts, 60, CLOSED + 120 * MINUTE, counted_until=CLOSED)
    assert (a.raised, a.in_time, a.late, a.waiting) == (PRIMARY, PRIMARY, PRIMARY, 0)
    assert a.outcome == "0 to 4 acknowledged within 60 minutes and 0 to 4 missed that target"
    summary = summary_of(figures({}, alerts=alerts), now=CLOSED + 120 * MINUTE)
    line = "0 to 4 safeguarding alerts raised: 0 to 4 acknowledged within 60 minutes and 0 to 4 missed that"
    assert line in render(summary, "md").decode()
    html = " ".join(render(summary, "html").decode().split())
    assert '<span class="hidden-count">0 to 4</span></b>' + line[7:] in html
    csv = render(summary, "csv").decode()
    assert "(60 minutes),,0 to 4,,,alerts_acknowledged_in_time," in csv
    assert "(60 minutes),,0 to 4,,,alerts_missed_target," in csv
    assert '(60 minutes)",,0,,,alerts_open_within_target,' in csv
    # While the round is open, or its close is inside the target, any part may still be waiting: 0 to 4 too.
    open_ = alert_figures(alerts[:2] + ((CLOSED - MINUTE, None),), 60, CLOSED)
    assert [x.label for x in (open_.in_time, open_.late, open_.waiting)] == ["0 to 4"] * 3  # type: ignore[union-attr]
    assert open_.outcome.endswith("and 0 to 4 not yet acknowledged, still within the 60 minutes")


def _theme(positive, neutral, negative) -> ThemeResult:
    return ThemeResult(
        id="carers",
        label="Carers",
        people=8,
        share=None,
        sentiment={"positive": positive, "neutral": neutral, "negative": negative},
    )


def test_mostly_positive_is_judged_on_what_is_shown():
    assert _theme(8, 0, 0).mostly_positive
    assert _theme(SECONDARY, 0, PRIMARY).mostly_positive  # 5 or more against at most 4
    assert not _theme(PRIMARY, 0, PRIMARY).mostly_positive  # could be 1 against 4
    assert not _theme(5, 0, 5).mostly_positive
    assert not _theme(0, 0, 10).mostly_positive


def test_a_theme_raised_in_praise_is_going_well_not_waiting_for_action():
    themes = {
        "carers": {"positive": 8, "neutral": 0, "negative": 0},
        "mental_health": {"positive": 0, "neutral": 0, "negative": 10},
        "social_workers": {"positive": 0, "neutral": 0, "negative": 5},
    }
    summary = summary_of(figures(themes))
    assert [t.id for t in summary.still_open] == ["mental_health", "social_workers"]
    assert [x.text for x in summary.findings.open] == [
        "Emotional health and wellbeing",
        "Social workers and personal advisers",
    ]
    assert [(x.text, x.figure) for x in summary.findings.praised] == [("Carers", "8 people, mostly positive")]
    markdown = render(summary, "md").decode()
    going_well = markdown.split("**Going well**")[1].split("**Needs work**")[0]
    assert "- Carers: 8 people, mostly positive" in going_well
    open_now = markdown.split("**Raised most, with no action yet**")[1].split("## Who took part")[0]
    assert "Carers" not in open_now
    still_open = markdown.split("## Still open")[1].split("## How we did this")[0]
    assert "Carers" not in still_open and "- Emotional health and wellbeing: 10 people" in still_open
    html = render(summary, "html").decode()
    assert 'Carers</a>: <strong class="better">8 people, mostly positive</strong>' in html
    # Young people hear it as going well, never "still working out what to do".
    carers = next(t for t in top_things(summary) if t.theme == "carers")
    assert carers.going_well
    text = young_people_text(summary)
    about_carers = text.split("You talked about your carers.")[1].split("\n\n")[0]
    assert "still working out" not in about_carers and "good" in about_carers
    assert text.count("We are still working out what to do") == 2  # the two problems with no action


def test_a_praised_theme_with_an_action_still_shows_the_action():
    action = ActionRecord(
        id=1,
        round_id=2,
        pledge=None,
        message=None,
        theme="carers",
        said="Carers listen",
        did="We thanked every foster carer",
        owner=None,
        status="done",
        due_on=None,
        done_at=CLOSED,
    )
    summary = summary_of(figures({"carers": {"positive": 8, "neutral": 0, "negative": 0}}, actions=(action,)))
    assert "We thanked every foster carer" in young_people_text(summary)


def test_the_young_peoples_version_fits_those_who_chat_as_well_as_those_who_text():
    """It goes to web chatters too (and the /r/ page says the same): not only "send us a text"."""
    summary = summary_of(figures({"carers": {"positive": 8, "neutral": 0, "negative": 0}}))
    assert "Just send us a text, or chat with us." in young_people_text(summary)


def test_a_hidden_figure_starting_a_sentence_has_its_capital_and_one_minute_is_singular():
    alerts = ((CLOSED - 10 * MINUTE, None),) * 3
    summary = summary_of(replace(figures({}, alerts=alerts), responded=3, channels={"sms": 3}, age_bands={"11-15": 3}))
    markdown = render(summary, "md").decode()
    assert "\n- Fewer than 5 answered" in markdown and "\n- fewer than" not in markdown
    one = alert_figures(alerts, 1, CLOSED)
    assert "within 1 minute" in one.outcome and "1 minutes" not in one.outcome


def test_going_well_holds_only_results_with_more_good_than_bad():
    answers = {
        "school": QuestionFigures("school", 7, {"3": 7}, mean=3.0),  # all in the middle: 0% positive
        "home": QuestionFigures("home", 20, {"4": 8, "2": 12}, mean=2.8),  # more bad than good
    }
    summary = summary_of(figures({}, questions=answers))
    assert summary.findings.best == []
    going_well = render(summary, "md").decode().split("**Going well**")[1].split("**Needs work**")[0]
    assert "positive" not in going_well
    better = {"school": QuestionFigures("school", 20, {"4": 12, "2": 8}, mean=3.2)}
    assert [x.ref for x in summary_of(figures({}, questions=better)).findings.best] == ["q-school"]


def _chosen_two(alerts=(), themes=None):
    """New-user trial: a round launched for 2 chosen young people; 1 answered, and wrote about school."""
    answers = {"feeling": QuestionFigures(question_id="feeling", respondents=1, counts={"2": 1})}
    round_ = figures(themes or {"school": {"negative": 1}}, questions=answers, alerts=alerts)
    return summary_of(
        replace(round_, invited=2, responded=1, commenters=1, channels={"sms": 1}, age_bands={"11-15": 1})
    )


def _pdf_words(summary, tmp_path) -> str:
    path = tmp_path / "summary.pdf"
    path.write_bytes(render(summary, "pdf"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv", "pdf"])
def test_a_small_round_with_a_disclosure_reads_as_one_without(fmt, tmp_path):
    """New-user trial, B: in a round for 2 chosen young people, "Fewer than 5 safeguarding alerts raised" beside
    another round's "0 safeguarding alerts raised" told that one of them disclosed. With none or one, every format
    reads the same, word for word (the dashboard shows the HTML)."""
    one = ((CLOSED - 300 * MINUTE, CLOSED - 295 * MINUTE),)
    none, disclosed = _chosen_two(), _chosen_two(alerts=one)
    if fmt == "pdf":
        assert _pdf_words(none, tmp_path) == _pdf_words(disclosed, tmp_path)
        return
    # Each chart's id counts the charts drawn so far in this process: not part of what is read.
    ids = lambda summary: re.sub(rb"chart-\d+", b"chart-N", render(summary, fmt))  # noqa: E731
    assert ids(none) == ids(disclosed)
    if fmt == "md":
        line = "- 0 to 4 safeguarding alerts raised: 0 to 4 acknowledged within 60 minutes"
        assert line in render(none, fmt).decode()


def test_when_too_few_answered_the_first_page_says_so_in_every_list():
    """New-user trial, C: "Going well" said "Too few answers to show" while "Needs work" said "No question had enough
    negative answers to show", as if nothing needed work; and "Raised most, with no action yet" listed "School:
    fewer than 5 people", what one of the 2 chosen young people wrote. Each now says there were too few answers."""
    summary = _chosen_two(themes={"school": {"negative": 1}, "carers": {"positive": 1}})
    f = summary.findings
    assert f is not None and not f.open and not f.praised and not f.best and not f.worst
    assert [f.none_words(section, False) for section in ("well", "worst", "open")] == [TOO_FEW_ANSWERS] * 3
    text = render(summary, "md").decode()
    first_page = text.split("**Going well**")[1].split("## Who took part")[0]
    assert first_page.count("Too few answers to show.") == 3
    assert "No question had enough negative answers" not in first_page and "School" not in first_page
    html = " ".join(render(summary, "html").decode().split())
    # The first page's three, and What young people wrote about and Still open (below).
    assert html.count(f'<p class="none">{TOO_FEW_ANSWERS}</p>') == 5


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv", "pdf"])
def test_when_too_few_answered_no_theme_is_named_anywhere(fmt, tmp_path):
    """New-user trial: in a round for 2 chosen young people, both of whom answered and one of whom wrote about
    school, "Also raised, each by fewer than 5 people ...: school" and "Still open: School: fewer than 5 people" told
    the panel what that one wrote. Where fewer than 5 answered, no theme is named in any format: What young people
    wrote about and Still open say there were too few answers, in the first page's words; the pledges it would be
    evidence for say only that they were asked (the dashboard shows the HTML)."""
    answers = {"feeling": QuestionFigures(question_id="feeling", respondents=2, counts={"2": 1, "4": 1})}

    def two(themes):
        round_ = figures(themes, questions=answers)
        return replace(round_, invited=2, responded=2, commenters=1, channels={"sms": 2}, age_bands={"11-15": 2})

    wrote, nothing = summary_of(two({"school": {"negative": 1}, "carers": {"positive": 1}})), summary_of(two({}))
    if fmt == "pdf":
        assert _pdf_words(wrote, tmp_path) == _pdf_words(nothing, tmp_path)
        return
    # Word for word as a round where nobody wrote about any theme (each chart's id counts the charts drawn so far).
    ids = lambda summary: re.sub(rb"chart-\d+", b"chart-N", render(summary, fmt))  # noqa: E731
    assert ids(wrote) == ids(nothing)
    assert wrote.too_few_answered and wrote.themes == wrote.still_open == []
    words = render(wrote, fmt).decode()
    assert "School" not in words and "Carers" not in words and "theme-" not in words
    if fmt == "md":
        assert "## What young people wrote about\n\nToo few answers to show.\n" in words
        assert "## Still open\n\nToo few answers to show.\n" in words
        assert "Also raised" not in words and "No comments" not in words and "No problems were raised" not in words
    if fmt == "html":
        flat = " ".join(words.split())
        assert flat.count(f'<p class="none">{TOO_FEW_ANSWERS}</p>') == 5  # the first page's three, and these two
    if fmt == "json":
        document = json.loads(words)
        assert document["too_few_answered"] is True and document["themes"] == document["still_open"] == []
    if fmt == "csv":
        rows = [row for row in csv.DictReader(io.StringIO(words)) if row["measure"] == "themes_not_shown"]
        assert [(row["section"], row["value"]) for row in rows] == [
            ("theme", TOO_FEW_ANSWERS),
            ("still_open", TOO_FEW_ANSWERS),
        ]
    # A round where 5 answered names them as before.
    five = replace(
        two({"school": {"negative": 1}}), invited=5, responded=5, channels={"sms": 5}, age_bands={"11-15": 5}
    )
    assert [t.label for t in summary_of(five).still_open] == ["School"]
