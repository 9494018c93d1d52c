"""`voice-service report --year`: pledge coverage across the year's rounds."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner

from tests.factories import launch
from tests.summary import data
from tests.summary.test_render import _env
from voice_service.cli import main
from voice_service.db import session_scope
from voice_service.models import Action, ActionStatus, utcnow
from voice_service.summary.disclosure import PRIMARY, SECONDARY
from voice_service.summary.formatting import CHANGE_RULE
from voice_service.summary.render_data import HIDDEN_FIGURE
from voice_service.summary.year import Point, _point, render_year, year_report

NOW = datetime.now(UTC)

REPORT_DAY = NOW.date()  # the day the report is produced on ("Produced ... on")


def _year(services):
    ids = data.people(services, 20)
    spring = launch(services, now=NOW - timedelta(days=120))
    data.scale_answers(services, spring, ids[:10], [5] * 5 + [1] * 5)
    autumn = launch(services, now=NOW - timedelta(days=10))
    data.scale_answers(services, autumn, ids[:20], [5] * 15 + [1] * 5)
    data.comments(services, autumn, ids[:3], ["the bus home at night is scary"] * 3, ["safety"])
    # A round's figures are shown once it is closed (`summary.open_round`), in its summary and so in the year's.
    data.closed(services, spring, NOW - timedelta(days=119))
    data.closed(services, autumn, NOW - timedelta(days=9))
    with session_scope(services.engine) as session:
        session.add(
            Action(
                round_id=spring,
                pledge=1,
                said="Home does not feel safe",
                did="Every home checked by the IRO",
                status=ActionStatus.DONE,
                done_at=utcnow(),
            )
        )
    return spring, autumn


def _report(services, start=None, end=None):
    with session_scope(services.engine) as session:
        return year_report(
            session=session,
            today=REPORT_DAY,
            services=services,
            start=start or (NOW - timedelta(days=365)).date(),
            end=end or NOW.date(),
        )


def test_each_pledge_has_its_rounds_trend_and_actions(services):
    spring, autumn = _year(services)
    report = _report(services)
    assert [r.id for r in report.rounds] == [spring, autumn]
    pledge = next(c for c in report.pledges if c.number == 1)
    assert pledge.rounds == [spring, autumn]
    question = next(s for s in pledge.series if s.id == "safe_home")
    assert [p.value for p in question.points] == [0.5, 0.75] and question.change == 0.25
    # 3 people wrote about safety in autumn: hidden there, and so here; never added across rounds.
    safety = next(s for s in pledge.series if s.id == "safety")
    assert [p.people for p in safety.points] == [PRIMARY] and safety.points[0].value is None
    assert [a.did for a in pledge.actions] == ["Every home checked by the IRO"]
    # Pledges nothing evidenced this year are listed plainly.
    silent = {c.number for c in report.without_evidence}
    assert 1 not in silent and 9 not in silent and 4 in silent and 5 in silent


def test_a_period_without_rounds_lists_every_pledge_as_without_evidence(services):
    _year(services)
    report = _report(services, (NOW - timedelta(days=100)).date(), (NOW - timedelta(days=50)).date())
    assert report.rounds == [] and len(report.without_evidence) == len(report.pledges)


@pytest.mark.parametrize("fmt", ["html", "md", "json", "csv", "pdf"])
def test_every_format(services, fmt):
    _year(services)
    content = render_year(_report(services), fmt)
    if fmt == "pdf":
        assert content.startswith(b"%PDF")
    elif fmt == "json":
        document = json.loads(content)
        assert document["schema"] == "voice-service/pledge-coverage" and 4 in document["without_evidence"]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(content.decode())))
        assert any(r["measure"] == "question_positive" and r["value"] == "75%" for r in rows)
    else:
        text = content.decode()
        assert "no evidence in this period" in text.lower() and "fewer than 5" in text and "Pledge 1" in text
        assert CHANGE_RULE in html.unescape(" ".join(text.split()))  # when a change is called better or worse


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_headings_name_the_period_asked_for(services, fmt):
    """`--from`/`--to` is not a year: the headings say the dates, never "this year"; `--year` says which year."""
    spring = datetime(2026, 4, 1, tzinfo=UTC)
    with session_scope(services.engine) as session:
        financial = year_report(
            session=session,
            today=REPORT_DAY,
            services=services,
            start=spring.date(),
            end=spring.date().replace(year=2027) - timedelta(days=1),
        )
        calendar = year_report(
            session=session,
            today=REPORT_DAY,
            services=services,
            start=datetime(2026, 1, 1).date(),
            end=datetime(2026, 12, 31).date(),
        )
    text = render_year(financial, fmt).decode()
    assert "this year" not in text and "Annual report" not in text
    assert "Pledges and top-ten messages with no evidence from 1 April 2026 to 31 March 2027" in text
    whole = render_year(calendar, fmt).decode()
    assert "this year" not in whole and "Pledges and top-ten messages with no evidence in 2026" in whole


def test_report_command(services, tmp_path):
    _year(services)
    out = tmp_path / "year.md"
    env = _env(services, tmp_path)
    result = CliRunner().invoke(main, ["report", "--year", str(NOW.year), "--format", "md", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("# Pledge coverage")
    since = (NOW - timedelta(days=400)).date().isoformat()
    result = CliRunner().invoke(
        main, ["report", "--from", since, "--to", NOW.date().isoformat(), "--format", "csv"], env=env
    )
    assert result.exit_code == 0 and "has_evidence" in result.output
    bad = CliRunner().invoke(main, ["report", "--format", "md"], env=env)
    assert bad.exit_code == 2 and "--year" in bad.output
    backwards = CliRunner().invoke(main, ["report", "--from", "2026-05-01", "--to", "2026-01-01"], env=env)
    assert backwards.exit_code == 2 and "before" in backwards.output


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_a_share_hidden_for_a_small_group_says_too_few_answers_not_fewer_than_5(services, fmt):
    """A share column never reads "fewer than 5" (read as "fewer than 5%"): a round where 1 to 4 answered says
    "too few answers", as the summary's "Too few answers to show" (trial 3, F23)."""
    ids = data.people(services, 13)
    spring = launch(services, now=datetime(2026, 3, 2, 10, tzinfo=UTC))
    data.scale_answers(services, spring, ids[:3], [5, 4, 1])
    autumn = launch(services, now=datetime(2026, 9, 7, 10, tzinfo=UTC))
    data.scale_answers(services, autumn, ids[3:13], [5] * 5 + [1] * 5)
    data.closed(services, spring, datetime(2026, 3, 3, 10, tzinfo=UTC))
    data.closed(services, autumn, datetime(2026, 9, 8, 10, tzinfo=UTC))
    report = _report(services, datetime(2026, 1, 1).date(), datetime(2026, 12, 31).date())
    text = render_year(report, fmt).decode()
    if fmt == "csv":
        values = [r["value"] for r in csv.DictReader(io.StringIO(text)) if r["measure"] == "question_positive"]
        assert "too few answers" in values and "50%" in values and "fewer than 5" not in values
    else:
        assert "too few answers" in text and "50%" in text
        assert "| fewer than 5 |" not in text and ">fewer than 5<" not in text


def test_a_theme_hidden_at_5_or_more_does_not_read_raised_by_fewer_than_5():
    """Trial 6b, N1: a theme whose count is hidden to protect a smaller group (5 or more) read "raised by fewer
    than 5" in the year's trend, beside the round's summary's "5 or more people"; a small one still does."""
    assert _point(Point(2, None, SECONDARY), "raised by") == "hidden to protect a smaller group"
    assert _point(Point(2, None, SECONDARY), "positive") == "hidden to protect a smaller group"
    assert _point(Point(2, None, PRIMARY), "raised by") == "raised by fewer than 5"
    assert _point(Point(2, None, PRIMARY), "positive") == "too few answers"


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_a_hidden_share_reads_as_the_round_summary_says_never_how_many_answered(services, fmt):
    """New-user trial, B: a share hidden while the number who answered is shown (here 3 positive of 23: their
    share would give the "fewer than 5" away) read "23 answered" in a column of positive shares. It now says what
    the round's own summary says of such a share (`render_data.HIDDEN_FIGURE`); a question with no good or bad
    answers is still counted by how many answered."""
    ids = data.people(services, 23)
    autumn = launch(services, now=datetime(2026, 9, 7, 10, tzinfo=UTC))
    data.scale_answers(services, autumn, ids, [5] * 3 + [3] * 10 + [1] * 10)
    data.closed(services, autumn, datetime(2026, 9, 8, 10, tzinfo=UTC))
    report = _report(services, datetime(2026, 1, 1).date(), datetime(2026, 12, 31).date())
    question = next(s for c in report.pledges for s in c.series if s.id == "safe_home")
    assert [(p.value, p.people) for p in question.points] == [(None, 23)]
    text = render_year(report, fmt).decode()
    assert "23 answered" not in text
    if fmt == "csv":
        rows = [r for r in csv.DictReader(io.StringIO(text)) if r["item"] == "safe_home"]
        assert {r["value"] for r in rows} == {HIDDEN_FIGURE}
    else:
        row = (
            next(line for line in text.splitlines() if question.label in line and "|" in line)
            if fmt == "md"
            else " ".join(text.split()).split(question.label)[1].split("</tr>")[0]
        )
        assert HIDDEN_FIGURE in row
    assert _point(Point(2, None, 23), "answered") == "23 answered"


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_the_no_evidence_box_names_top_ten_messages_too(services, fmt):
    """New-user trial, C: the box of what had no evidence covered pledges only, so with every pledge evidenced it
    said "every pledge had evidence" while a top-ten message had none, and the panel saw no gap. It names both."""
    _year(services)
    report = _report(services)
    quiet = [c for c in report.messages if not c.has_evidence]
    assert quiet and [c for _, c in report.gaps] == report.without_evidence + quiet
    text = render_year(report, fmt).decode()
    if fmt == "json":
        assert json.loads(text)["messages_without_evidence"] == [c.number for c in quiet]
        return
    box = html.unescape(" ".join(text.split())).split("top-ten messages with no evidence ")[1].split("Our pledges")[0]
    box = box.split("## Pledges")[0]
    for c in quiet:
        assert f"Message {c.number}" in box and c.short in box
    assert "every pledge had evidence" not in text.lower()


def test_a_round_still_open_reads_shown_when_it_closes_never_too_few(services):
    """A round still open shows nothing about answers (`summary.open_round`): the year's report says so in its
    words, never "too few answers" of a round 20 answered."""
    ids = data.people(services, 20)
    spring = launch(services, now=NOW - timedelta(days=120))
    data.scale_answers(services, spring, ids[:10], [5] * 5 + [1] * 5)
    data.closed(services, spring, NOW - timedelta(days=119))
    autumn = launch(services, now=NOW - timedelta(days=10))
    data.scale_answers(services, autumn, ids[:20], [5] * 15 + [1] * 5)
    pledge = next(c for c in _report(services).pledges if c.number == 1)
    question = next(s for s in pledge.series if s.id == "safe_home")
    assert [p.round_id for p in question.points] == [spring, autumn]
    assert [_point(p) for p in question.points] == ["50%", "shown when the round closes"]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_each_round_says_who_it_asked_and_a_trend_names_its_rounds_beside_a_later_one(services, fmt):
    """New-user trial, 6 December: a round of one area sat beside rounds of everyone with nothing saying so, and
    the trend (round 1 to round 2) sat beside round 3's "too few answers" as if it were round 3's."""
    from voice_service.rounds.membership import Cohort

    ids = data.people(services, 25)
    spring = launch(services, now=datetime(2026, 3, 2, 10, tzinfo=UTC))
    data.scale_answers(services, spring, ids[:10], [5] * 5 + [1] * 5)
    summer = launch(services, now=datetime(2026, 6, 1, 10, tzinfo=UTC))
    data.scale_answers(services, summer, ids[10:22], [5] * 7 + [1] * 5)
    autumn = launch(services, cohort=Cohort(min_age=14, max_age=15), now=datetime(2026, 9, 7, 10, tzinfo=UTC))
    data.scale_answers(services, autumn, ids[22:25], [5, 4, 1])
    for rid, day in ((spring, 3), (summer, 2), (autumn, 8)):
        data.closed(services, rid, datetime(2026, 3 if rid == spring else 6 if rid == summer else 9, day, tzinfo=UTC))
    report = _report(services, datetime(2026, 1, 1).date(), datetime(2026, 12, 31).date())
    assert [r.asked for r in report.rounds] == ["everyone", "everyone", "everyone, aged 14 to 15"]
    text = html.unescape(render_year(report, fmt).decode())
    assert f"Round {autumn}: " in text and ", asked everyone, aged 14 to 15" in text
    pledge = next(c for c in report.pledges if c.number == 1)
    assert pledge.rounds == [spring, summer, autumn]
    assert f"up 8 points from round {spring} to round {summer}" in text


def test_the_year_runs_on_the_council_days_not_utc(services):
    # New-user trial, A: councils report from 1 April, in British Summer Time. A round opened at 00:30 BST on
    # 1 April (23:30 UTC on 31 March) is in the year from 1 April, and shown as opened that day; one opened at
    # 00:30 BST on 1 April the next year is not. In winter UK time is UTC: 23:30 on 31 December is that day.
    data.people(services, 2)
    first = launch(services, now=datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    data.closed(services, first, datetime(2026, 4, 14, 23, 30, tzinfo=UTC))
    winter = launch(services, now=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    data.closed(services, winter, datetime(2027, 1, 10, tzinfo=UTC))
    launch(services, now=datetime(2027, 3, 31, 23, 30, tzinfo=UTC))
    with session_scope(services.engine) as session:
        report = year_report(
            session=session, services=services, start=date(2026, 4, 1), end=date(2027, 3, 31), today=date(2027, 4, 2)
        )
    assert [(r.id, r.period_start, r.period_end) for r in report.rounds] == [
        (first, date(2026, 4, 1), date(2026, 4, 15)),
        (winter, date(2026, 12, 31), date(2027, 1, 10)),
    ]
    text = render_year(report, "md").decode()
    assert "1 April 2026 to 15 April 2026" in text and "31 March 2026" not in text
