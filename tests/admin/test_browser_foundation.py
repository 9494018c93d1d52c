"""The dashboard's frame in real Chromium: the front page, signing in on a phone, the audit log;
no request leaves the machine, GOV.UK Frontend's script runs under the strict CSP, and axe-core
finds no serious or critical WCAG 2.2 AA problem on any of these pages."""

import pytest

from tests.admin.conftest import DESKTOP, MOBILE

pytestmark = pytest.mark.browser


def _only_local(page, base):
    assert page.requests, "the page loaded nothing?"
    assert all(url.startswith(base) for url in page.requests), [u for u in page.requests if not u.startswith(base)]


@pytest.mark.parametrize("viewport, name", [(MOBILE, "mobile"), (DESKTOP, "desktop")])
def test_front_page_two_doors(open_page, axe, shot, viewport, name):
    page = open_page("/", viewport=viewport)
    assert page.get_by_role("button", name="Start chat", exact=True).get_attribute("href") == "/chat"
    assert page.get_by_role("link", name="Staff sign in").get_attribute("href") == "/admin/sign-in"
    assert "Testshire County Council" in page.inner_text("header")
    axe(page)
    shot(page, f"front-{name}")
    _only_local(page, open_page.base)


def test_sign_in_on_a_phone_then_the_menu_and_sign_out(open_page, users, axe, shot):
    account = users("duty", "worker", "admin", name="Sam Duty")
    errors = []
    page = open_page("/admin/", viewport=MOBILE)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    assert page.url.endswith("/admin/sign-in?next=/admin/")
    axe(page)
    shot(page, "sign-in-mobile")

    page.fill("#email", account.email)
    page.fill("#password", "not my password")
    with page.expect_navigation():  # is_visible() does not wait for the page the form brings
        page.click("button:has-text('Sign in')")
    assert page.locator(".govuk-error-summary").is_visible()
    # GOV.UK Frontend's script (a module, allowed by the CSP) moves focus to the error summary.
    # (Waited for with a selector: wait_for_function would eval in the page, which the CSP forbids.)
    page.locator(".govuk-error-summary:focus").wait_for()
    axe(page)
    shot(page, "sign-in-error-mobile")

    page.fill("#password", account.password)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/admin/")
    assert "Signed in as Sam Duty" in page.inner_text(".govuk-phase-banner")
    # On a phone the navigation folds behind a Menu button, which GOV.UK Frontend's script works.
    menu = page.get_by_role("button", name="Menu")
    assert menu.is_visible()
    menu.click()
    assert page.get_by_role("link", name="Audit log").is_visible()
    axe(page)
    shot(page, "home-mobile-menu-open")

    page.get_by_role("link", name="Audit log").click()
    page.wait_for_url("**/admin/audit")
    assert "auth.sign_in" in page.inner_text("table")
    axe(page)
    shot(page, "audit-log-mobile")

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/admin/sign-in?signed_out=1")
    assert "You have signed out" in page.inner_text("main")
    page.goto(open_page.base + "/admin/")
    assert "/admin/sign-in" in page.url
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    _only_local(page, open_page.base)


def test_a_panel_member_sees_a_403_page_that_passes_axe(signed_in_page, axe, shot):
    page = signed_in_page("panel", path="/admin/audit", viewport=DESKTOP)
    assert "You do not have access to this page" in page.inner_text("h1")
    axe(page)
    shot(page, "forbidden-desktop")


@pytest.mark.parametrize("path", ["/", "/chat", "/admin/sign-in"])
def test_no_console_errors_and_our_own_icon(browser, live_server, path):
    """No page logs an error (a missing /favicon.ico used to), and each page's icon loads."""
    context = browser.new_context(viewport=MOBILE, locale="en-GB")
    try:
        page = context.new_page()
        errors: list[str] = []
        failed: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
        icon = page.locator("link[rel=icon]").last.get_attribute("href")
        assert icon and page.request.get(live_server + icon).ok
        assert page.request.get(live_server + "/favicon.ico").ok
        assert not errors and not failed, (errors, failed)
    finally:
        context.close()


def test_an_unknown_dashboard_address_is_our_404_page(signed_in_page, axe, shot):
    page = signed_in_page("duty", path="/admin/", viewport=MOBILE)
    response = page.goto(page.url.split("/admin/")[0] + "/admin/no-such-page")
    assert response.status == 404
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.inner_text("h1") == "Page not found"
    assert page.get_by_role("button", name="Menu").is_visible()
    axe(page)
    shot(page, "not-found-mobile")
