"""WCAG 1.4.10 reflow in Chromium: at 320 CSS pixels wide a dashboard page scrolls only up and down. A wide
table scrolls sideways inside its own wrapper, never the page (trial 11, T11-6)."""

from __future__ import annotations

import pytest

from tests.admin.test_participants_service import _people_with_replies
from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from voice_service.db import session_scope
from voice_service.rounds.launch import close_round
from voice_service.summary.disclosure import PROTECTING_LABEL

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


@pytest.mark.parametrize("path", ["/admin/participants", "/admin/accounts", "/admin/participants/import"])
def test_a_page_fits_320_pixels_wide(signed_in_page, users, services, path):
    _people_with_replies(services)
    users("worker", name="Priya Worker")
    page = signed_in_page("admin", "worker", path=path, viewport=NARROW)
    assert page.url.endswith(path)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.evaluate("window.scrollTo(400, 0)")
    assert width <= NARROW["width"] and page.evaluate("window.scrollX") == 0, f"{path} is {width}px wide"


def test_the_summary_fits_320_pixels_wide_with_a_count_hidden_to_protect_a_smaller_group(
    signed_in_page, client, services
):
    """Trial 11, T11-6: the summary read in the browser was 353px wide. A table's number column kept
    "hidden to protect a smaller group" on one line. Here 7 of 14 answer, 3 and 4 by age band, so the total
    and its breakdowns are hidden."""
    add_participants(services, [{"phone": phone_number(n), "age": 17 if 4 <= n <= 7 else 14} for n in range(1, 15)])
    launch(services, survey_source=services.survey_source("pulse")[1])
    for n in range(1, 8):
        texter = SmsPhone(client, phone_number(n))
        for text in ("yes", "4"):
            texter.send(text)
    with session_scope(services.engine) as session:  # an open round's summary shows no figures yet
        close_round(session=session, round_id=1)
    path = "/admin/summaries/1/summary.html"
    page = signed_in_page("worker", path=path, viewport=NARROW)
    assert page.url.endswith(path)
    assert PROTECTING_LABEL in page.inner_text("td.n >> nth=0")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.evaluate("window.scrollTo(400, 0)")
    assert width <= NARROW["width"] and page.evaluate("window.scrollX") == 0, f"the summary is {width}px wide"
