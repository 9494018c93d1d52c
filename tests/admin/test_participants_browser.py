"""The participants list in Chromium: sorted on the server by a column's heading, the sorted column
marked with aria-sort (govuk-frontend's sortable-table convention), the search kept, and no WCAG failures."""

from __future__ import annotations

import pytest

from tests.admin.conftest import MOBILE
from tests.admin.test_participants_service import _people_with_replies

pytestmark = pytest.mark.browser


def _sorted(page) -> dict[str, str]:
    """Each sortable heading's aria-sort."""
    headers = page.locator("#participants th[aria-sort]")
    return {
        headers.nth(i).locator("a").get_attribute("id"): headers.nth(i).get_attribute("aria-sort")
        for i in range(headers.count())
    }


def _names(page) -> list[str]:
    return [text.strip() for text in page.locator("#participants tbody tr td:first-child").all_inner_texts()]


def test_sort_by_last_reply_then_back_by_name(signed_in_page, services, axe, shot):
    _people_with_replies(services)
    page = signed_in_page("worker", path="/admin/participants", viewport=MOBILE)
    assert _names(page) == ["Ava", "ben", "Cal"]
    marks = _sorted(page)
    assert marks["sort-name"] == "ascending" and marks["sort-last_reply"] == "none" and len(marks) == 6
    axe(page)

    page.locator("#sort-last_reply").click()
    page.wait_for_url("**sort=last_reply**")
    assert "order=descending" in page.url
    assert _names(page) == ["ben", "Ava", "Cal"]  # newest reply first, never written last
    assert _sorted(page)["sort-last_reply"] == "descending" and _sorted(page)["sort-name"] == "none"
    assert "Never" in page.locator("#participants tbody tr").nth(2).inner_text()
    axe(page)
    shot(page, "participants-sorted-mobile")

    page.locator("#sort-last_reply").click()  # the same heading again: the other way round
    page.wait_for_url("**order=ascending**")
    assert _names(page) == ["Ava", "ben", "Cal"] and _sorted(page)["sort-last_reply"] == "ascending"

    page.select_option("#status", "in_care")  # a new search starts in name order
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**status=in_care**")
    assert _names(page) == ["Ava", "Cal"]
    page.locator("#sort-age").click()
    page.wait_for_url("**sort=age**")
    assert "status=in_care" in page.url and _names(page) == ["Ava", "Cal"]  # the search is kept, youngest first
