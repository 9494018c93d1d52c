"""Browser fixtures: Debian's headless Chromium through Playwright, and the app on a real loopback server.

Registered once, in tests/conftest.py, so the whole run shares one Playwright and one Chromium
(a second Playwright in the same process refuses to start).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
AXE_SOURCE = Path(__file__).parent / "admin" / "vendor" / "axe.min.js"
# The standards the service promises: WCAG 2.2 AA (which includes 2.0 and 2.1 A and AA).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Best-practice rules that fail the check whatever their impact (both "moderate"): all content is inside a
# landmark, and no two landmarks of one kind share a name (trial finding 35).
AXE_ALWAYS_FAIL = {"region", "landmark-unique"}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The browser is a test tool, not the system under test: it runs on the real clock even when the
# suite is run with the date moved (`faketime -f +365d make test`), where a faked clock stalls it.
BROWSER_ENV = {
    key: value for key, value in os.environ.items() if key != "LD_PRELOAD" and not key.startswith("FAKETIME")
}
MOBILE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (skips, or fails in CI, when it is not installed)."""
    from tests.conftest import skip_or_fail

    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"browser tests need Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("browser tests need the playwright package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, env=BROWSER_ENV
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The app (warmed, see tests/conftest.py's `app`) served over real HTTP on 127.0.0.1 (port chosen by
    the OS), in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def open_page(browser, live_server):
    """Open a page on the live server: `open_page(path, javascript=True, viewport=MOBILE, touch=False)`.

    Every request the page makes is recorded in `page.requests`, and anything not to the
    service itself is refused, so a page that reaches out to a third party is caught.
    """
    contexts = []

    def opener(path: str = "/chat", *, javascript: bool = True, viewport=MOBILE, touch: bool = False):
        """`touch`: a phone with a touch screen and no keyboard or mouse (no hover, a coarse pointer)."""
        context = browser.new_context(
            java_script_enabled=javascript, viewport=viewport, locale="en-GB", has_touch=touch, is_mobile=touch
        )
        contexts.append(context)
        page = context.new_page()
        page.requests = []
        page.dialogs = []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))

        def guard(route):
            if route.request.url.startswith(live_server):
                route.continue_()
            elif route.request.url.startswith("https://www.bbc.co.uk/weather"):
                route.fulfill(status=200, content_type="text/html", body="<title>BBC Weather</title>Weather")
            else:
                route.abort()

        context.route("**/*", guard)
        page.goto(live_server + path)
        return page

    opener.base = live_server
    yield opener
    for context in contexts:
        context.close()


@pytest.fixture
def axe():
    """`axe(page)`: run axe-core in the page; fail on serious or critical WCAG 2.2 AA violations, and on
    content outside a landmark or landmarks with the same name (AXE_ALWAYS_FAIL)."""
    source = AXE_SOURCE.read_text(encoding="utf-8")

    def check(page, *, context: str = "document") -> list[dict]:
        # On a busy machine a page just submitted may not have its styles yet, and axe would measure
        # unstyled links (target-size): wait for the load event and the fonts first.
        page.wait_for_load_state("load")
        page.wait_for_function("() => document.readyState === 'complete' && document.fonts.status === 'loaded'")
        # evaluate() runs through the DevTools protocol, so the page's strict CSP still holds for the page itself.
        page.evaluate(source)
        result = page.evaluate(
            "async (tags) => await axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        bad = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
            if v["impact"] in ("serious", "critical") or v["id"] in AXE_ALWAYS_FAIL
        ]
        assert not bad, f"accessibility violations on {page.url}:\n{json.dumps(bad, indent=2)}"
        return result["violations"]

    return check
