"""The panel's summary and the young people's page in real headless Chromium: axe-core finds no
serious or critical problems, and the young people's page fits a phone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.browser_fixtures import DESKTOP, MOBILE
from tests.summary import data
from tests.summary.test_loop import _busy_round
from voice_service.db import session_scope
from voice_service.models import Round
from voice_service.summary import render, summarise

pytestmark = pytest.mark.browser


def _two_rounds(services) -> int:
    ids = data.people(services, 30)
    first = data.round_at(services, days_ago=90)
    data.scale_answers(services, first, ids[:20], [5] * 8 + [4] * 4 + [2] * 5 + [1] * 3)
    _, second = _busy_round(services)
    data.scale_answers(services, second, ids[20:30], [3] * 6 + [1] * 4)
    return second


def test_panel_summary_passes_axe_on_desktop_and_phone(browser, services, tmp_path, axe):
    round_id = _two_rounds(services)
    with session_scope(services.engine) as session:
        html = render(summarise(session=session, services=services, round_id=round_id), "html").decode()
    for name, viewport in (("desktop", DESKTOP), ("phone", MOBILE)):
        context = browser.new_context(viewport=viewport, java_script_enabled=True, locale="en-GB")
        context.route("**/*", lambda route: route.abort())  # self-contained: nothing may be fetched
        page = context.new_page()
        page.set_content(html)
        axe(page)
        page.screenshot(path=str(tmp_path / f"summary-{name}.png"), full_page=True)
        assert page.locator("main").count() == 1 and page.locator("h1").count() == 1
        context.close()


def test_young_peoples_page_on_a_phone(open_page, services, tmp_path, axe):
    _, round_id = _busy_round(services)
    with session_scope(services.engine) as session:
        token = session.execute(select(Round.public_token).where(Round.id == round_id)).scalar_one()
    page = open_page(f"/r/{token}", viewport=MOBILE)
    # Loaded again with the console watched: the app's CSP refuses inline styles, and a refused
    # stylesheet leaves the page unstyled (Times New Roman) on a young person's phone.
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(open_page.base + f"/r/{token}")
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    assert "Arial" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") == "rgb(29, 112, 184)"
    axe(page)
    assert page.get_by_role("heading", level=1).inner_text() == "You said, we did"
    # Made for phones: nothing wider than the screen, text big enough to read.
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    assert float(page.evaluate("getComputedStyle(document.body).fontSize").rstrip("px")) >= 16
    page.screenshot(path=str(tmp_path / "young-people-phone.png"), full_page=True)
    if os.environ.get("VOICE_SCREENSHOTS"):  # to look at the page: VOICE_SCREENSHOTS=dir pytest ...
        page.screenshot(path=str(Path(os.environ["VOICE_SCREENSHOTS"]) / "young-people-phone.png"), full_page=True)


def test_young_peoples_page_in_welsh_on_a_phone(open_page, services, axe):
    """The page's Welsh version (trial 13, T13-17), and the English page's link to it in the header: both pass
    axe (the header's link is white on its blue, not the page's blue links' colour) and fit a phone."""
    from sqlmodel import Session

    from voice_service.models import Run

    _, round_id = _busy_round(services)
    with Session(services.engine) as session:
        token = session.execute(select(Round.public_token).where(Round.id == round_id)).scalar_one()
        run = session.execute(select(Run).where(Run.round_id == round_id)).scalars().first()
        run.language = "cy"  # the round reached a Welsh speaker
        session.add(run)
        session.commit()
    for path, heading, other in (
        (f"/r/{token}/cy", "Dywedoch chi, gwnaethon ni", "English"),
        (f"/r/{token}", "You said, we did", "Cymraeg"),
    ):
        page = open_page(path, viewport=MOBILE)
        axe(page)
        assert page.get_by_role("heading", level=1).inner_text() == heading
        link = page.locator("header a")
        assert link.inner_text() == other
        assert page.evaluate("getComputedStyle(document.querySelector('header a')).color") == "rgb(255, 255, 255)"
        assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
