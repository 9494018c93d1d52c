"""A participation worker in Chromium: imports participants and sees the bad rows first, launches a
round with the count previewed, and sees answers arrive from signed webhook posts. axe-core runs on
every page, and screenshots are saved."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.admin.conftest import DESKTOP
from tests.conftest import SmsPhone
from tests.factories import dob, phone_number
from voice_service.models import AuditEvent

pytestmark = pytest.mark.browser

CSV = (
    "phone,first_name,status,date_of_birth,area\n"
    + "".join(f"{phone_number(i)},Young{i},in_care,{dob(12 + i % 5)},North\n" for i in range(1, 7))
    + "07700 9,Broken,in_care,,North\n"
    + f"{phone_number(8)},Nobody,adult,,North\n"
    + f"{phone_number(9)},Old,care_leaver,{dob(20)},South\n"
)


def test_import_then_launch_then_answers_arrive(signed_in_page, client, services, axe, shot, tmp_path):
    upload = tmp_path / "young-people.csv"
    upload.write_text(CSV, encoding="utf-8")
    page = signed_in_page("worker", path="/admin/participants/import", viewport=DESKTOP)
    axe(page)
    shot(page, "participants-import")
    page.set_input_files("#file", str(upload))
    # The form posts to the page it is on, so wait_for_url alone would not wait for it.
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    page.wait_for_url("**/admin/participants/import")

    # The bad rows come first, by line and reason; nothing is saved yet.
    summary = page.locator(".govuk-error-summary")
    assert "2 rows cannot be imported" in summary.inner_text()
    bad = page.locator("#bad-rows tbody tr")
    assert bad.count() == 2
    assert bad.nth(0).inner_text().startswith("8") and "fostered" not in bad.nth(1).inner_text()
    assert "status must be in_care or care_leaver" in bad.nth(1).inner_text()
    assert page.evaluate(
        "document.querySelector('#bad-rows').compareDocumentPosition(document.querySelector('#import-counts'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert phone_number(1) not in page.content()
    axe(page)
    shot(page, "participants-import-bad-rows-first")
    page.get_by_role("button", name="Import 7 rows").click()
    page.wait_for_url("**/admin/participants")
    assert "7 added" in page.inner_text(".govuk-notification-banner")
    assert page.locator("#participants tbody tr").count() == 7
    assert "••••201" in page.inner_text("#participants")
    axe(page)
    shot(page, "participants-list")

    # Launch: 11 to 15 in care; the count is shown before anything is sent.
    page.goto(open_base(page) + "/admin/rounds/new")
    page.select_option("#survey", "pulse")
    page.check("#status-in_care")
    page.fill("#min_age", "11")
    page.fill("#max_age", "15")
    axe(page)
    shot(page, "round-launch-form")
    page.get_by_role("button", name="Count who this reaches").click()
    count = page.inner_text("#cohort-count")
    assert "5 young people" in count  # aged 12 to 16 in the file: the 16-year-old and the care leaver are left out
    axe(page)
    shot(page, "round-launch-preview")
    page.get_by_role("button", name="Launch and send 5 invitations").click()
    page.wait_for_url("**/admin/rounds/1")
    assert "5 invitations queued" in page.inner_text(".govuk-notification-banner")
    assert page.inner_text("[data-count=started]") == "0"
    axe(page)

    # Young people answer by SMS, through the signed webhook.
    for index in (1, 2):
        texter = SmsPhone(client, phone_number(index))
        texter.send("yes")
        texter.send("4")
    page.reload()
    assert page.inner_text("[data-count=started]") == "2"
    shot(page, "round-progress-answers-arrived")
    page.get_by_role("link", name="Answers in this round").click()
    page.wait_for_url("**/admin/responses?round=1")  # count() does not wait
    assert page.locator("#responses tbody tr").count() == 2
    axe(page)
    shot(page, "responses-round")

    page.goto(open_base(page) + "/admin/rounds")
    assert "Round 1: How are things?" in page.inner_text("#rounds")
    axe(page)

    # Close: checked first, with what will be sent (tester F6: it was one click).
    page.goto(open_base(page) + "/admin/rounds/1")
    page.get_by_role("button", name="Close round 1").click()
    page.wait_for_url("**/admin/rounds/1/close")
    assert "2 young people" in page.inner_text("#close-count")
    assert "2 texts" in page.inner_text("#close-texts")
    axe(page)
    shot(page, "round-close-check")
    page.get_by_role("button", name="Close round 1 and send 2 texts").click()
    page.wait_for_url("**/admin/rounds/1")
    assert "Round 1 closed; 2 thank-you texts queued" in page.inner_text(".govuk-notification-banner")
    axe(page)
    with Session(services.engine) as session:
        actions = {e.action for e in session.exec(select(AuditEvent)).all()}
    assert {
        "participant.import_preview",
        "participant.import",
        "round.preview",
        "round.launch",
        "round.view",
        "round.list",
        "round.close",
        "participant.search",
        "response.list",
    } <= actions


def open_base(page) -> str:
    """The live server's address, from the page's own URL."""
    return "/".join(page.url.split("/")[:3])
