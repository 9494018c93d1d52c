"""The duty worker's journey in real Chromium on a phone-sized screen: from the link in the duty
notice, sign in, read the conversation, reveal the number, acknowledge with a note, record the
action and close; axe-core on every page; screenshots saved; an audit row for each view and change."""

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from tests.admin.conftest import DESKTOP, MOBILE, audit_rows, duty_config
from tests.support.alert_record import notes_of
from voice_service.models import Alert, AlertStatus

pytestmark = pytest.mark.browser


@pytest.fixture
def config(database_url):
    return duty_config(database_url)


def test_duty_worker_on_a_phone_from_the_notice_link_to_closed(open_page, users, disclose, services, axe, shot):
    raised = disclose("I want to hurt myself tonight", first_name="Jo", before=("hi", "things are bad at home"))
    account = users("duty", name="Priya Duty")
    users("duty", name="Alex Colleague")

    # The notice's link, opened on the phone: sign in first, then straight to the alert.
    page = open_page(raised.link_path, viewport=MOBILE)
    assert "/admin/sign-in" in page.url
    page.fill("#email", account.email)
    page.fill("#password", account.password)
    with page.expect_navigation():  # the sign-in page's ?next= ends with the alert's path too
        page.click("button:has-text('Sign in')")
    page.wait_for_url(f"**{raised.link_path}")
    assert page.inner_text("h1") == f"Alert {raised.alert_id}"
    conversation = page.inner_text(".app-conversation")
    assert "things are bad at home" in conversation and "I want to hurt myself tonight" in conversation
    assert page.locator(".app-conversation__item--raised").count() == 1
    assert page.inner_text("#masked-number") == "••••321"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    axe(page)
    shot(page, "duty-alert-mobile")

    page.get_by_role("button", name=f"Show full number for alert {raised.alert_id}").click()
    assert page.inner_text("#full-number") == "+447700900321"
    axe(page)
    shot(page, "duty-alert-number-revealed-mobile")

    page.fill("#ack-note", "Calling Jo now")
    page.get_by_role("button", name=f"Acknowledge alert {raised.alert_id}").click()
    page.wait_for_url(f"**{raised.link_path}")
    assert f"Alert {raised.alert_id} acknowledged" in page.inner_text(".govuk-notification-banner")
    assert "+447700900321" not in page.content(), "the number is not shown again"
    axe(page)

    # Closing without saying what was done is refused, with the error linked to the question.
    with page.expect_navigation():
        page.get_by_role("button", name=f"Close alert {raised.alert_id}").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Select what was done before you close the alert" in page.inner_text(".govuk-error-summary")
    axe(page)
    shot(page, "duty-close-error-mobile")

    page.check("#close-called")
    page.fill("#close-note", "Spoke to Jo, safe tonight, visit booked")
    page.get_by_role("button", name=f"Close alert {raised.alert_id}").click()
    page.wait_for_url(f"**{raised.link_path}")
    assert "This alert is closed" in page.inner_text("main")
    axe(page)
    shot(page, "duty-alert-closed-mobile")

    with page.expect_navigation():  # every page has a <main>: read the new one
        page.get_by_role("link", name="All alerts").click()
    assert "There are no open alerts" in page.inner_text("main")
    axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Closed").click()
    assert f"Alert {raised.alert_id}" in page.inner_text("main")
    axe(page)
    shot(page, "duty-closed-queue-mobile")
    assert all(url.startswith(open_page.base) for url in page.requests)

    with Session(services.engine) as session:
        alert = session.get(Alert, raised.alert_id)
        assert alert.status == AlertStatus.CLOSED and alert.action_taken == "called"
        assert notes_of(session, raised.alert_id) == "Calling Jo now\nSpoke to Jo, safe tonight, visit booked"
    me, alert_id = account.email, str(raised.alert_id)
    with Session(services.engine) as session:
        participant_id = str(session.get(Alert, raised.alert_id).participant_id)
    assert audit_rows(services, prefix="a") == [
        (me, "auth.sign_in", None),
        (me, "alert.view", alert_id),
        (me, "alert.reveal_number", participant_id),
        (me, "alert.acknowledge", alert_id),
        (me, "alert.view", alert_id),
        (me, "alert.view", alert_id),  # after the refused close, the page is shown again with its error
        (me, "alert.close", alert_id),
        (me, "alert.view", alert_id),
        (me, "alerts.view_queue", None),
        (me, "alerts.view_queue", None),
    ]


def test_queue_and_hand_over_on_a_desktop(signed_in_page, users, disclose, services, axe, shot):
    first = disclose("I want to hurt myself tonight", number="+447700900311", first_name="Ana")
    disclose("my foster dad hits me when he is drunk", number="+447700900312", first_name="Bo")
    colleague = users("duty", name="Alex Colleague")
    page = signed_in_page("duty", path="/admin/alerts", viewport=DESKTOP)
    assert page.locator(".govuk-summary-card").count() == 2
    axe(page)
    shot(page, "duty-queue-desktop")
    page.get_by_role("link", name=f"Alert {first.alert_id}").click()
    page.wait_for_url(f"**{first.link_path}")
    hand_over = page.locator("details", has=page.locator("#to"))
    hand_over.locator("summary").click()
    expect(hand_over).to_have_attribute("open", "")  # on a slow machine, open before choosing from it
    page.select_option("#to", colleague.email)
    page.fill("#handover-note", "Please visit tomorrow")
    axe(page)
    page.get_by_role("button", name="Hand over").click()
    assert "handed over to Alex Colleague" in page.inner_text(".govuk-notification-banner")
    assert "Alex Colleague" in page.inner_text(".govuk-summary-list")
    shot(page, "duty-handed-over-desktop")
    with Session(services.engine) as session:
        assert session.get(Alert, first.alert_id).assigned_to == colleague.email
