"""WCAG 1.4.10 reflow in Chromium: at 320 CSS pixels wide a dashboard page scrolls only up and down. A wide
table scrolls sideways inside its own wrapper, never the page (trial 11, T11-6)."""

from __future__ import annotations

import pytest

from tests.admin.test_participants_service import _people_with_replies

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
