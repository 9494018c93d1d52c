"""The dashboard home page's big figure in real Chromium: in the GOV.UK font, like the words around it,
not the browser's serif default (trial U16)."""

import pytest

from tests.admin.conftest import DESKTOP

pytestmark = pytest.mark.browser


def _style(page, selector: str, prop: str) -> str:
    return page.evaluate(f"getComputedStyle(document.querySelector({selector!r})).{prop}")


def test_the_big_figure_on_the_home_page_is_in_the_gov_uk_font(open_page, users):
    account = users("worker", name="Sam Worker")
    page = open_page("/admin/", viewport=DESKTOP)
    page.fill("#email", account.email)
    page.fill("#password", account.password)
    with page.expect_navigation():  # "**/admin/" matches the sign-in page's own ?next=/admin/ too
        page.click("button:has-text('Sign in')")
    page.wait_for_url("**/admin/")
    figure = _style(page, ".app-card__figure", "fontFamily")
    words = _style(page, ".app-card .govuk-body:not(.app-card__figure)", "fontFamily")
    assert "GDS Transport" in figure and "arial" in figure.lower(), figure
    assert figure == words
    assert _style(page, ".app-card__figure", "fontWeight") == "700"
    assert _style(page, ".app-card__figure", "fontSize") == "48px"  # still the big figure
