"""The remaining participation pages in Chromium, on a phone and a desktop: surveys previewed as
conversations, a participant with an invite link, forms with errors; axe-core on every one."""

from __future__ import annotations

import pytest

from tests.admin.conftest import DESKTOP, MOBILE
from tests.factories import add_participants, launch, phone_number

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport, name", [(MOBILE, "mobile"), (DESKTOP, "desktop")])
def test_every_other_worker_page_passes_axe(signed_in_page, services, axe, shot, viewport, name):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava", "age": 14}])
    launch(services)
    page = signed_in_page("worker", path="/admin/surveys", viewport=viewport)
    base = "/".join(page.url.split("/")[:3])
    assert "pulse" in page.inner_text("#surveys")
    axe(page)
    shot(page, f"surveys-{name}")

    page.goto(base + "/admin/surveys/pulse")
    assert "Question 1" in page.inner_text("#conversation") and "Hi Sam" in page.inner_text("#conversation")
    axe(page)
    shot(page, f"survey-preview-{name}")

    page.goto(base + "/admin/participants/1")
    assert "Can be texted" in page.inner_text("#opt-out")
    page.get_by_role("button", name="Make a web chat link").click()
    assert page.inner_text("#invite-link").startswith("http://voice.test/chat/")
    axe(page)
    shot(page, f"participant-invite-{name}")

    page.goto(base + "/admin/participants/import")
    page.get_by_role("button", name="Check the file").click()
    assert "Choose a CSV file" in page.inner_text(".govuk-error-summary")
    axe(page)

    page.goto(base + "/admin/rounds/new")
    page.fill("#min_age", "twelve")
    page.get_by_role("button", name="Count who this reaches").click()
    assert "Choose a survey" in page.inner_text(".govuk-error-summary")
    axe(page)
    shot(page, f"round-form-error-{name}")
    page.select_option("#survey", "care-leavers")
    page.fill("#min_age", "")
    page.check("#status-in_care")
    with page.expect_navigation():  # this page has an error summary too
        page.get_by_role("button", name="Count who this reaches").click()
    assert "written for care leavers, not young people in care" in page.inner_text(".govuk-error-summary")
    axe(page)
    shot(page, f"round-audience-refused-{name}")

    for path in (
        "/admin/rounds",
        "/admin/rounds/1",
        "/admin/responses",
        "/admin/actions",
        "/admin/actions/new",
        "/admin/summaries",
        "/admin/summaries/report",
        "/admin/summaries/report?from=1%2F4%2F26&to=",
        "/admin/inbox",
    ):
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        axe(page)
    shot(page, f"inbox-empty-{name}")
