"""Dates in the dashboard's forms are typed as a UK council worker types them (tester T12): GOV.UK's day, month
and year boxes (the month as a number or a word), or a whole date in one box (30/11/2026, 30 Nov 2026,
30 November 2026, 2026-11-30). A 2-digit year is refused, as the importer refuses one; each mistake is a
GOV.UK error summary on a 400, linked to the box that is wrong, which is marked."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from tests.factories import TODAY, add_participants, launch, phone_number
from voice_service.dates import uk_date
from voice_service.models import Action, Round

# A closing date ahead of whenever the test runs (a round cannot close in the past).
LATER = TODAY + timedelta(days=40)


def _summary(page: bytes) -> list[tuple[str, str]]:
    """The error summary's links: (target, words)."""
    html = page.decode()
    block = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert block, "no GOV.UK error summary"
    return re.findall(r'<a href="#([^"]+)">(.*?)</a>', block.group(0))


def _marked(page: bytes) -> set[str]:
    """The date boxes marked as wrong."""
    return set(re.findall(r'govuk-input--error" id="([a-z]+-(?:day|month|year))"', page.decode()))


@pytest.mark.parametrize(
    "boxes",
    [
        {"closes-day": str(LATER.day), "closes-month": str(LATER.month), "closes-year": str(LATER.year)},
        {"closes-day": str(LATER.day), "closes-month": f"{LATER:%b}", "closes-year": str(LATER.year)},
        {"closes-day": str(LATER.day), "closes-month": f"{LATER:%B}".lower(), "closes-year": str(LATER.year)},
        {"closes-day": f"{LATER.day}/{LATER.month}/{LATER.year}", "closes-month": "", "closes-year": ""},
        {"closes-day": f"{LATER.day} {LATER:%b} {LATER.year}", "closes-month": "", "closes-year": ""},
        {"closes-day": f"{LATER.day} {LATER:%B} {LATER.year}", "closes-month": "", "closes-year": ""},
        {"closes-day": LATER.isoformat(), "closes-month": "", "closes-year": ""},
    ],
)
def test_the_closing_date_is_read_as_typed_and_launched_as_previewed(services, admin_client, boxes):
    add_participants(services, [{"phone": phone_number(1)}])
    worker = admin_client("worker")
    preview = worker.post_form("/admin/rounds/new", {"survey": "pulse", **boxes})
    assert preview.status_code == 200, _summary(preview.data)
    assert f'<dd class="govuk-summary-list__value">{uk_date(LATER)}</dd>'.encode() in preview.data
    carried = re.search(rb'name="closes" value="([^"]*)"', preview.data).group(1).decode()
    assert carried == LATER.isoformat()
    assert worker.post_form("/admin/rounds/launch", {"survey": "pulse", "closes": carried}).status_code == 303
    with Session(services.engine) as session:
        launched = session.get(Round, 1)
        assert launched is not None and launched.closes_at is not None
        assert uk_date(launched.closes_at) == uk_date(LATER)  # the end of that day, in the council's zone


@pytest.mark.parametrize(
    ("boxes", "target", "words", "marked"),
    [
        (
            {"closes-day": "30", "closes-month": "11", "closes-year": "26"},
            "closes-year",
            "The closing date must have the year in full, with 4 numbers: for example 30/11/2026, not 30/11/26",
            {"closes-year"},
        ),
        (
            {"closes-day": "30/11/26"},
            "closes-day",
            "The closing date must have the year in full, with 4 numbers: for example 30/11/2026, not 30/11/26",
            {"closes-day"},
        ),
        (
            {"closes-day": "30", "closes-year": "2026"},
            "closes-month",
            "The closing date must include a month",
            {"closes-month"},
        ),
        (
            {"closes-day": "31", "closes-month": "Nov", "closes-year": "2026"},
            "closes-day",
            "The closing date must be a real date",
            {"closes-day"},
        ),
        (
            {"closes-day": "11/30/2026"},
            "closes-day",
            "The closing date must be a real date, day first: for example 30/11/2026",
            {"closes-day"},
        ),
        (
            {"closes-day": "1", "closes-month": "1", "closes-year": "2000"},
            "closes-day",
            "The closing date must be today or in the future",
            {"closes-day", "closes-month", "closes-year"},
        ),
    ],
)
def test_a_wrong_closing_date_is_a_govuk_error_summary_linked_to_the_box(admin_client, boxes, target, words, marked):
    page = admin_client("worker").post_form("/admin/rounds/new", {"survey": "pulse", **boxes})
    assert page.status_code == 400
    assert _summary(page.data) == [(target, words)]
    assert _marked(page.data) == marked
    assert b"<title>Error: " in page.data
    for name, value in boxes.items():  # what they typed is kept, to correct
        assert (
            f'id="{name}" name="{name}" type="text"'.encode() in page.data and f'value="{value}"'.encode() in page.data
        )


def test_the_due_date_of_an_action_is_read_as_typed(services, admin_client):
    add_participants(services, [{"phone": phone_number(1)}])
    round_id = launch(services)
    worker = admin_client("worker")
    form = {"round": str(round_id), "pledge": "1", "said": "More to do", "did": "A youth club", "status": "planned"}
    # Next year's: a planned action may not be due before its round opened (the round opens today).
    year = TODAY.year + 1
    saved = worker.post_form(
        "/admin/actions/new", form | {"due-day": "31", "due-month": "March", "due-year": str(year)}
    )
    assert saved.status_code == 303
    whole = worker.post_form("/admin/actions/new", form | {"due-day": f"30 November {year}"})
    assert whole.status_code == 303
    with Session(services.engine) as session:
        dues = sorted(str(a.due_on) for a in session.exec(select(Action)).all())
    assert dues == [f"{year}-03-31", f"{year}-11-30"]
    page = worker.get("/admin/actions/1")  # the saved date comes back in its boxes
    assert b'id="due-day" name="due-day" type="text" inputmode="numeric" value="31"' in page.data
    assert b'id="due-month" name="due-month" type="text" value="3"' in page.data

    short = worker.post_form("/admin/actions/new", form | {"due-day": "31", "due-month": "3", "due-year": "27"})
    assert short.status_code == 400
    assert _summary(short.data) == [
        ("due-year", "The due date must have the year in full, with 4 numbers: for example 31/3/2027, not 31/3/27")
    ]
    assert _marked(short.data) == {"due-year"}


@pytest.mark.browser
def test_a_worker_types_a_closing_date_in_chromium(signed_in_page, services, axe, shot):
    """GOV.UK's date boxes in a real browser: a 2-digit year is refused with the error summary focused and
    linked to the year box; the month as a word is read; the preview says the date in words."""
    from playwright.sync_api import expect

    from tests.admin.conftest import DESKTOP

    add_participants(services, [{"phone": phone_number(1)}])
    page = signed_in_page("worker", path="/admin/rounds/new", viewport=DESKTOP)
    page.select_option("#survey", "pulse")
    closing = page.get_by_role("group", name="Closing date")
    assert closing.is_visible()
    closing.get_by_label("Day", exact=True).fill(str(LATER.day))
    closing.get_by_label("Month", exact=True).fill(f"{LATER:%b}")
    closing.get_by_label("Year", exact=True).fill(f"{LATER:%y}")
    page.get_by_role("button", name="Count who this reaches").click()
    summary = page.locator(".govuk-error-summary")
    assert "must have the year in full, with 4 numbers" in summary.inner_text()
    expect(summary).to_be_focused()  # govuk-frontend's error summary takes the focus
    axe(page)
    shot(page, "round-launch-closing-date-error")
    summary.get_by_role("link").click()
    expect(page.locator("#closes-year")).to_be_focused()
    page.get_by_role("group", name="Closing date").get_by_label("Year", exact=True).fill(str(LATER.year))
    page.get_by_role("button", name="Count who this reaches").click()
    assert uk_date(LATER) in page.inner_text(".govuk-summary-list")
    axe(page)


def test_the_command_line_reads_dates_the_same_way(services, tmp_path):
    """`round launch --closes`, `action add --due` and `report --from/--to` read dates as the forms do
    (`voice_service.dates`), and refuse a 2-digit year with the same words."""
    from click.testing import CliRunner

    from tests.summary.test_render import _env
    from voice_service.cli import main

    add_participants(services, [{"phone": phone_number(1)}])
    env = _env(services, tmp_path)
    run = CliRunner().invoke
    launch_args = ["round", "launch", "--survey", "pulse", "--closes"]
    launched = run(main, [*launch_args, f"{LATER.day} {LATER:%B} {LATER.year}"], env=env)
    assert launched.exit_code == 0, launched.output
    round_id = launched.output.strip().splitlines()[-1]
    short = run(main, [*launch_args, f"{LATER.day}/{LATER.month}/{LATER:%y}"], env=env)
    assert short.exit_code == 2 and "must have the year in full, with 4 numbers" in short.output
    added = run(
        main,
        [
            "action",
            "add",
            "--round",
            round_id,
            "--pledge",
            "1",
            "--said",
            "s",
            "--did",
            "d",
            "--due",
            f"31/3/{LATER.year + 1}",
        ],
        env=env,
    )
    assert added.exit_code == 0, added.output
    with Session(services.engine) as session:
        launched_round = session.get(Round, int(round_id))
        assert launched_round is not None and uk_date(launched_round.closes_at) == uk_date(LATER)
        assert [str(a.due_on) for a in session.exec(select(Action)).all()] == [f"{LATER.year + 1}-03-31"]
    listed = run(main, ["action", "list"], env=env)  # the due date as the dashboard shows it (a trial)
    assert listed.exit_code == 0 and f"due 31 March {LATER.year + 1}" in listed.output, listed.output
    year = run(main, ["report", "--from", "1/1/2026", "--to", "31 December 2026", "--format", "md"], env=env)
    assert year.exit_code == 0 and "1 January 2026 to 31 December 2026" in year.output
