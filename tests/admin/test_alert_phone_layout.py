"""The duty page on a phone: the alert's summary and the next thing to do come first, above a long
conversation, so a duty worker out of the office acknowledges without scrolling through it; the
messages that raised the alert are shown up top with a link to their place in the conversation."""

import pytest

from tests.admin.conftest import MOBILE, duty_config

pytestmark = pytest.mark.browser

# A young person who has said a lot before the worrying message makes a long page.
EARLIER = tuple(
    f"message {n}: we went to the park after school and played football, then had chips for tea" for n in range(14)
)


@pytest.fixture
def config(database_url):
    return duty_config(database_url)


def _top(page, selector: str) -> float:
    """Where an element starts, in CSS pixels from the top of the page (not the viewport)."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box["y"] + page.evaluate("window.scrollY")


def test_on_a_phone_the_summary_and_next_step_come_before_the_conversation(signed_in_page, disclose, axe, shot):
    raised = disclose("I want to hurt myself tonight", first_name="Jo", before=EARLIER)
    page = signed_in_page("duty", path=raised.link_path, viewport=MOBILE)
    page.wait_for_url(f"**{raised.link_path}")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > 3 * MOBILE["height"], "the conversation should make this a long page"

    summary = page.inner_text(".app-alert-summary")
    for key in ("Priority", "Category", "Waiting", "Status"):
        assert key in summary
    assert (
        "High priority" in summary
        and "Not acknowledged" in summary
        and "Self harm" in summary
        and "Abuse" not in summary
    )

    acknowledge = f"button:has-text('Acknowledge alert {raised.alert_id}')"
    # The button is within the first screen and a half, and above the conversation.
    assert _top(page, acknowledge) < 1.5 * MOBILE["height"], "acknowledging needs a long scroll"
    assert _top(page, acknowledge) < _top(page, "#conversation")
    assert _top(page, ".app-alert-summary") < _top(page, acknowledge)
    # What they said is shown before the conversation too.
    said = page.inner_text("#what-they-said")
    assert "I want to hurt myself tonight" in said and "message 3:" not in said
    axe(page)
    shot(page, "duty-alert-phone-top")

    # "Jump to" goes to the raising message in the conversation, marked.
    page.get_by_role("link", name="Jump to the message that raised this alert").click()
    assert "#message-" in page.url
    target = page.locator(page.url[page.url.index("#") :])
    assert "app-conversation__item--raised" in (target.get_attribute("class") or "")
    assert "I want to hurt myself tonight" in target.inner_text()
    assert target.is_visible() and target.bounding_box()["y"] < MOBILE["height"]

    # Once acknowledged, the next step (record what was done) takes the top place.
    page.goto(page.url.split("#")[0])
    page.fill("#ack-note", "Calling Jo now")
    # The form redirects to the page it is on, so wait_for_url alone would not wait for it.
    with page.expect_navigation():
        page.click(acknowledge)
    page.wait_for_url(f"**{raised.link_path}")
    assert "In hand" in page.inner_text(".app-alert-summary")
    record = "button:has-text('Record action')"
    assert _top(page, record) < 1.5 * MOBILE["height"]
    assert _top(page, record) < _top(page, "#conversation")
    axe(page)
    shot(page, "duty-alert-phone-acknowledged")

    page.check("#action-called")
    with page.expect_navigation():
        page.click(record)
    page.wait_for_url(f"**{raised.link_path}")
    close = f"button:has-text('Close alert {raised.alert_id}')"
    assert _top(page, close) < 1.5 * MOBILE["height"]
    assert _top(page, close) < _top(page, "#conversation")
