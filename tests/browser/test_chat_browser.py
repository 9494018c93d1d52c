"""The web chat in real headless Chromium: whole surveys with and without JavaScript, escaping,
the risk reply, leaving quickly, resuming, keyboard use; screenshots saved in the test's tmp dir."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.browser_fixtures import DESKTOP, MOBILE
from tests.factories import add_participants, launch, phone_number
from tests.web.test_disclosure import _close_alerts
from voice_service.engine.texts import PAUSED_WAITING, WEBCHAT, chat_refusals, for_channel, is_disclosure_reply
from voice_service.inbound.receive import receive
from voice_service.models import Alert, Message, Participant, Response, Run
from voice_service.web.chat.invites import invite_token
from voice_service.web.chat.sessions import MAX_TEXT

pytestmark = pytest.mark.browser

EXIT_URL = "https://www.bbc.co.uk/weather"


def invited(services, *, first_name="Amira") -> str:
    """A participant in an open round, and their chat path."""
    add_participants(services, [{"phone": phone_number(60), "first_name": first_name, "age": 14}])
    launch(services)
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).scalars().one()
        return f"/chat/{invite_token(services.config, participant)}"


def log_texts(page) -> list[str]:
    return [text.strip() for text in page.locator("#chat-log .msg__text").all_inner_texts()]


def wait_for_reply(page, fragment: str) -> None:
    page.locator("#chat-log .msg--service .msg__text", has_text=fragment).last.wait_for(timeout=10_000)


def quick(page, name: str):
    return page.locator("#quick-list").get_by_role("button", name=name, exact=True)


def type_and_send(page, text: str, *, enter: bool = False) -> None:
    page.fill("#chat-text", text)
    if enter:
        page.press("#chat-text", "Enter")
    else:
        page.click("#send-button")


def answers(services) -> dict:
    with Session(services.engine) as session:
        rows = session.exec(select(Response).where(Response.question_id.is_not(None))).scalars()
        return {row.question_id: row for row in rows}


def only_own_requests(page, base: str) -> None:
    outside = [url for url in page.requests if not url.startswith(base) and not url.startswith(EXIT_URL)]
    assert outside == [], f"the page reached out to: {outside}"


def test_whole_survey_by_quick_replies_and_typing_with_javascript(open_page, services, tmp_path):
    page = open_page(invited(services), viewport=MOBILE)
    page.get_by_role("button", name="Start chat").click()
    wait_for_reply(page, "Hi Amira")
    quick(page, "Yes, let's start").click()
    wait_for_reply(page, "How safe do you feel")
    # The scale's faces are decoration: each button's name is its number and meaning.
    assert quick(page, "1 - not safe").count() == 1 and quick(page, "5 - totally safe").count() == 1
    quick(page, "2").click()
    wait_for_reply(page, "What would help you feel safer")
    type_and_send(page, "if the older kids were quieter at night", enter=True)
    wait_for_reply(page, "Do you feel listened to")
    quick(page, "No").click()
    wait_for_reply(page, "How often do you see your family")
    quick(page, "About right").click()
    wait_for_reply(page, "change one thing")
    assert page.locator("#quick-list button").all_inner_texts() == ["Skip this one"]
    type_and_send(page, "more trips out pls")
    wait_for_reply(page, "Thank you!")
    assert page.locator("#quick-form").is_hidden()
    page.screenshot(path=str(tmp_path / "chat-js-mobile.png"), full_page=True)
    assert (tmp_path / "chat-js-mobile.png").stat().st_size > 10_000
    got = answers(services)
    assert got["safe_home"].value_number == 2
    assert got["safe_home_why"].answer == "if the older kids were quieter at night"
    assert got["listened"].value_text == "no" and got["contact"].value_text == "About right"
    assert got["one_thing"].answer == "more trips out pls"
    only_own_requests(page, open_page.base)


def test_whole_survey_with_javascript_off(open_page, services, tmp_path):
    launch(services)  # an open round for anyone, offered after onboarding
    page = open_page("/chat", javascript=False, viewport=MOBILE)
    page.get_by_role("button", name="Start chat").click()
    page.wait_for_url(re.compile(r"/chat#latest$"))
    assert "Tap Yes to go on" in log_texts(page)[0]
    # Each answer posts a form: wait for the page it brings (wait_for_load_state is met by the one before).
    for name in ("Yes, go on", "In care", "11-15", "Yes, let's start", "4"):
        with page.expect_navigation():
            quick(page, name).click()
    assert "Do you feel listened to" in log_texts(page)[-1]
    quick(page, "Yes").click()
    with page.expect_navigation():  # the box is on this page too
        quick(page, "Not enough").click()
    page.fill("#chat-text", "more say in where I live")
    with page.expect_navigation():
        page.click("#send-button")
    assert log_texts(page)[-1].startswith("Thank you!")
    page.screenshot(path=str(tmp_path / "chat-nojs-mobile.png"), full_page=True)
    got = answers(services)
    assert got["safe_home"].value_number == 4 and got["listened"].value_text == "yes"
    assert got["contact"].value_text == "Not enough" and got["one_thing"].answer == "more say in where I live"
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).scalars().one()
    assert (participant.source, participant.status, participant.age_band) == ("webchat", "in_care", "11-15")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_xss_payload_is_shown_as_text(open_page, services, javascript):
    page = open_page("/chat", javascript=javascript)
    page.get_by_role("button", name="Start chat").click()
    wait_for_reply(page, "Tap Yes")
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script><b>bold</b>'
    type_and_send(page, payload)
    page.locator("#chat-log .msg--you .msg__text").last.wait_for()
    wait_for_reply(page, "Sorry, we didn't catch that")
    page.reload()
    assert payload in log_texts(page)
    assert page.locator("#chat-log img, #chat-log script, #chat-log b").count() == 0
    assert page.dialogs == []
    only_own_requests(page, open_page.base)


def disclose(open_page, text: str):
    """A new anonymous chat in which the young person says something worrying; the page, with the help reply."""
    page = open_page("/chat")
    page.get_by_role("button", name="Start chat").click()
    wait_for_reply(page, "Tap Yes")
    type_and_send(page, text)
    wait_for_reply(page, "Childline 0800 1111")
    return page


def test_risky_message_gets_the_help_reply(open_page, services):
    page = disclose(open_page, "i want to kill myself")
    assert any(is_disclosure_reply(text) for text in log_texts(page))
    with Session(services.engine) as session:
        assert session.exec(select(Alert)).scalars().one().channel == "webchat"


def _duty_reply(services, text: str, token: str) -> None:
    """A duty worker answers the chats' young person from the dashboard's inbox."""
    from voice_service.db import session_scope
    from voice_service.inbox import reply
    from voice_service.models import ChatSession

    with session_scope(services.engine) as session:
        chat = session.exec(select(ChatSession)).scalars().first()
        reply(session=session, services=services, participant_id=chat.participant_id, text=text, by="duty", token=token)


def test_duty_reply_appears_on_the_open_chat_without_a_reload(open_page, services):
    page = disclose(open_page, "honestly whats the point of me being alive")
    before = log_texts(page)
    page.evaluate("window.loaded = true")  # gone if the page reloads

    _duty_reply(services, "Hi, I'm Sam from the duty team. Are you safe right now?", "t1")
    wait_for_reply(page, "Sam from the duty team")
    type_and_send(page, "yes im ok")
    page.locator("#send-button:enabled").wait_for()
    _duty_reply(services, "Thank you for telling me. I'm here.", "t2")
    wait_for_reply(page, "I'm here.")
    page.wait_for_timeout(6_000)  # one more check: nothing already shown comes again

    texts = log_texts(page)
    assert page.evaluate("window.loaded") is True
    assert texts[: len(before)] == before
    assert [text for text in texts if "Sam from the duty team" in text] == [
        "Hi, I'm Sam from the duty team. Are you safe right now?"
    ]
    assert texts.count("yes im ok") == 1 and texts.count("Thank you for telling me. I'm here.") == 1
    with Session(services.engine) as session:
        stored = session.exec(select(Message).where(Message.channel == "webchat")).scalars().all()
    assert len(texts) == len(stored)  # each stored message shown once
    assert page.locator("#chat-log-region[aria-live='polite'] > #chat-log").count() == 1
    only_own_requests(page, open_page.base)


def test_closing_the_alert_shows_carry_on_on_the_open_chat_without_a_reload(open_page, services):
    """Trial 9, T9-17: a disclosure paused her survey; the duty worker closed the alert while her chat was open,
    and the "Carry on with the survey" button came only with a reload. Its next check for news shows it."""
    page = open_page(invited(services, first_name="Zoe"))
    page.get_by_role("button", name="Start chat").click()
    wait_for_reply(page, "Hi Zoe")
    quick(page, "Yes, let's start").click()
    wait_for_reply(page, "How safe")
    type_and_send(page, "i want to kill myself")
    wait_for_reply(page, "Childline 0800 1111")
    page.locator("#send-button:enabled").wait_for()
    assert page.locator("#quick-list button").count() == 0  # nothing offered while the alert is live
    page.evaluate("window.loaded = true")  # gone if the page reloads

    _close_alerts(services)
    quick(page, "Carry on with the survey").wait_for(timeout=15_000)
    waiting = for_channel(PAUSED_WAITING, WEBCHAT)
    assert page.evaluate("window.loaded") is True
    assert log_texts(page)[-1] == waiting  # the words saying what the button is for, above it
    page.wait_for_timeout(6_000)  # one more check: nothing shown again
    assert log_texts(page).count(waiting) == 1 and page.locator("#quick-list button").count() == 1
    quick(page, "Carry on with the survey").click()
    # The question she was on, asked again (the first "How safe" is the one asked before she disclosed).
    page.locator("#chat-log .msg--service .msg__text", has_text="How safe").nth(1).wait_for(timeout=10_000)
    with Session(services.engine) as session:
        assert session.exec(select(Run)).scalars().one().status == "active"
    only_own_requests(page, open_page.base)


def test_an_answer_by_text_moves_the_open_chat_on_and_keeps_her_place(open_page, services):
    """Review of T9-17: new buttons came under the old question when the page already showed buttons, and
    someone on a button that went lost their place. She answers the first question by text while her chat is
    open on it: its next check shows the next question above its buttons, once, and the focus she had on a
    button moves to the first new one, with the status saying so."""
    page = open_page(invited(services, first_name="Zoe"))
    page.get_by_role("button", name="Start chat").click()
    wait_for_reply(page, "Hi Zoe")
    quick(page, "Yes, let's start").click()
    wait_for_reply(page, "How safe")
    page.locator("#quick-list button").first.focus()
    page.evaluate("window.loaded = true")  # gone if the page reloads

    with Session(services.engine) as session:
        receive(
            session=session, services=services, channel="sms", text="4", provider_sid="SMzoe1", phone=phone_number(60)
        )
        session.commit()
    wait_for_reply(page, "listened to at your reviews")
    quick(page, "Yes").wait_for(timeout=15_000)
    assert page.evaluate("window.loaded") is True
    assert page.evaluate("document.activeElement === document.querySelector('#quick-list button')")
    assert page.locator("#chat-status").inner_text() == "New answer buttons are ready."
    page.wait_for_timeout(6_000)  # one more check: the question is not shown again
    assert sum("listened to at your reviews" in text for text in log_texts(page)) == 1
    quick(page, "Yes").click()
    wait_for_reply(page, "How often do you see your family")
    only_own_requests(page, open_page.base)


def test_leave_quickly_clears_the_chat_and_history(open_page, services):
    page = open_page("/chat")
    page.get_by_role("button", name="Start chat").click()
    wait_for_reply(page, "Tap Yes")
    page.evaluate("localStorage.setItem('draft', 'something private')")
    page.get_by_role("button", name="Emergency Leave this page").click()
    page.wait_for_url(EXIT_URL)
    assert "Weather" in page.content()
    page.wait_for_load_state()
    cookies = {cookie["name"] for cookie in page.context.cookies()}
    for _ in range(20):
        if "voice_chat" not in cookies:
            break
        page.wait_for_timeout(100)
        cookies = {cookie["name"] for cookie in page.context.cookies()}
    assert "voice_chat" not in cookies
    page.go_back()
    assert not page.url.startswith(open_page.base + "/chat") or page.locator("#start-form").count() == 1
    fresh = page.context.new_page()
    fresh.goto(open_page.base + "/chat")
    assert fresh.locator("#start-form").count() == 1 and log_texts(fresh) == []
    assert fresh.evaluate("localStorage.length") == 0


def test_shift_three_times_leaves(open_page):
    page = open_page("/chat")
    assert page.locator("[data-word=leave_by_shift]").is_visible()  # a keyboard's way out, said where one is
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)


def test_a_touch_phone_is_not_told_to_press_shift(open_page):
    """A trial finding: "or press the Shift key 3 times" was shown on phones, which have no Shift key to press.
    The button to leave is still there."""
    page = open_page("/chat", touch=True)
    assert page.evaluate("matchMedia('(hover: none) and (pointer: coarse)').matches")
    assert not page.locator("[data-word=leave_by_shift]").is_visible()
    assert page.get_by_role("button", name="Leave this page").first.is_visible()
    # No gap where the hidden words were (a trial read "press Leave this page ."), and a keyboard's page reads whole.
    said = " ".join(page.locator("p:has([data-word=leave_quickly])").inner_text().split())
    assert "Leave this page. " in said and "Leave this page ." not in said, said
    keyboard = open_page("/chat")
    said = " ".join(keyboard.locator("p:has([data-word=leave_quickly])").inner_text().split())
    assert "Leave this page or press the Shift key 3 times. " in said, said


def test_chat_resumes_after_reload(open_page, services):
    page = open_page(invited(services, first_name="Jo"))
    page.get_by_role("button", name="Start chat").click()
    wait_for_reply(page, "Hi Jo")
    quick(page, "Yes, let's start").click()
    wait_for_reply(page, "How safe")
    type_and_send(page, "hmm")
    wait_for_reply(page, "Sorry, we didn't get that")
    page.goto(open_page.base + "/chat")
    texts = log_texts(page)
    assert texts[0].startswith("Hi Jo") and "hmm" in texts
    # A reload is no return: the question again, with no "Welcome back!" (a trial finding).
    assert texts[-1].startswith("Here's where we were: ") and "How safe" in texts[-1]
    quick(page, "3").click()
    wait_for_reply(page, "Do you feel listened to")
    with Session(services.engine) as session:
        assert session.exec(select(Run)).scalars().one().current_question == "listened"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_not_now_shows_as_tapped_and_the_way_back_starts_the_survey(open_page, services, javascript):
    """Trial 5, F9: the log says "Not now", not "No"; a button and the hint offer the survey again."""
    page = open_page(invited(services, first_name="Jo"), javascript=javascript)
    page.get_by_role("button", name="Start chat").click()
    wait_for_reply(page, "Hi Jo")
    quick(page, "Not now").click()
    wait_for_reply(page, "No problem")
    assert "Not now" in log_texts(page) and "No" not in log_texts(page)
    assert page.locator("#quick-list button").all_inner_texts() == ["Yes, let's start"]
    assert page.locator("#chat-text-hint").inner_text() == "Changed your mind? Tap Yes to start the survey."
    page.goto(open_page.base + "/chat")  # reloaded: the same
    assert "Not now" in log_texts(page) and log_texts(page)[-1].startswith("No problem")
    quick(page, "Yes, let's start").click()
    wait_for_reply(page, "How safe")
    assert log_texts(page)[-2] == "Yes, let's start"
    with Session(services.engine) as session:
        assert session.exec(select(Run)).scalars().one().current_question == "safe_home"


def test_one_link_on_two_devices_keeps_each_chat_to_itself(open_page, services):
    """A shared tablet's chat opened first, then the young person's phone from the same link: what is typed on
    the phone is never shown on the tablet, open or reloaded; a duty worker's reply is shown on both."""
    path = invited(services, first_name="Kai")
    tablet = open_page(path)
    tablet.get_by_role("button", name="Start chat").click()
    wait_for_reply(tablet, "Hi Kai")
    phone = open_page(path)  # a browser of its own: its own cookies
    phone.get_by_role("button", name="Start chat").click()
    wait_for_reply(phone, "Hi Kai")
    type_and_send(phone, "he hits me")
    phone.locator("#chat-log .msg__text").filter(has_text=re.compile("Childline")).last.wait_for(timeout=10_000)
    help_reply = log_texts(phone)[-1]

    _duty_reply(services, "Hello, it's Sam from the duty team.", "t1")
    wait_for_reply(tablet, "Sam from the duty team")  # the tablet has checked for news since the disclosure
    wait_for_reply(phone, "Sam from the duty team")
    texts = log_texts(tablet)
    assert "he hits me" not in texts and help_reply not in texts
    assert sum(text.startswith("Hi Kai") for text in texts) == 1  # its own opening, not the phone's
    reloaded = tablet.context.new_page()
    reloaded.goto(open_page.base + "/chat")
    texts = log_texts(reloaded)
    assert "he hits me" not in texts and help_reply not in texts and "Hello, it's Sam from the duty team." in texts
    phone.goto(open_page.base + "/chat")
    assert "he hits me" in log_texts(phone)


def test_keyboard_only_with_visible_focus(open_page, services):
    page = open_page("/chat")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.get_by_role("button", name="Start chat").focus()
    page.keyboard.press("Enter")
    wait_for_reply(page, "Tap Yes")
    focused = page.evaluate("document.activeElement.textContent").strip()
    assert focused == "Yes, go on"  # focus moves to the first answer
    background = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert background == "rgb(255, 221, 0)"  # GOV.UK's yellow focus state
    page.keyboard.press("Enter")
    wait_for_reply(page, "Are you in care, a care leaver")
    assert page.evaluate("document.activeElement.textContent").strip() == "In care"
    assert page.get_attribute("#chat-log-region", "aria-live") == "polite"
    label = page.locator("label[for=chat-text]")
    assert label.inner_text() == "Your message"


def test_a_chat_with_messages_passes_axe_on_a_phone(open_page, services, axe):
    # The empty page is not enough: the log's messages are what a screen reader must hear as a list.
    page = open_page(invited(services), viewport=MOBILE)
    axe(page)
    page.get_by_role("button", name="Start chat").click()
    wait_for_reply(page, "Hi Amira")
    quick(page, "Yes, let's start").click()
    wait_for_reply(page, "How safe")
    axe(page)
    assert page.get_by_role("log", name="Messages").get_by_role("list").get_by_role("listitem").count() >= 3
    type_and_send(page, "3")
    page.locator("#chat-log .msg--you").last.wait_for(timeout=10_000)
    axe(page)


@pytest.mark.parametrize("viewport,name", [(MOBILE, "mobile"), (DESKTOP, "desktop")])
def test_screenshots(open_page, services, tmp_path, viewport, name):
    page = open_page(invited(services), viewport=viewport)
    page.screenshot(path=str(tmp_path / f"start-{name}.png"), full_page=True)
    page.get_by_role("button", name="Start chat").click()
    wait_for_reply(page, "Hi Amira")
    quick(page, "Yes, let's start").click()
    wait_for_reply(page, "How safe")
    page.locator("#quick-list button").first.focus()
    page.screenshot(path=str(tmp_path / f"chat-{name}.png"), full_page=True)
    no_horizontal_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_horizontal_scroll
    # Kept for people to look at: copy out of the tmp dir with VOICE_SCREENSHOT_DIR.
    import os
    import shutil

    if os.environ.get("VOICE_SCREENSHOT_DIR"):
        for png in tmp_path.glob("*.png"):
            shutil.copy(png, os.path.join(os.environ["VOICE_SCREENSHOT_DIR"], png.name))


def invited_in_welsh(services, *, language: str = "cy", launched: bool = True) -> str:
    """A young person whose language is `language` (Welsh), invited to a survey written in Welsh too (`launched`);
    their chat path."""
    from tests.web.test_chat_buttons import SURVEY

    add_participants(services, [{"phone": phone_number(61), "first_name": "Cai", "age": 14, "language": language}])
    if launched:
        launch(services, survey_source=SURVEY)
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).scalars().one()
        return f"/chat/{invite_token(services.config, participant)}"


def status_words(page) -> list[str]:
    """From now on, every word the status line under Send shows is kept in `window.said` (read it with this)."""
    return page.evaluate("window.said || []")


def keep_status_words(page) -> None:
    page.evaluate(
        "window.said = []; new MutationObserver(function () {"
        " window.said.push(document.getElementById('chat-status').textContent); })"
        ".observe(document.getElementById('chat-status'), {childList: true, characterData: true, subtree: true})"
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_welsh_chat_page_is_in_welsh(open_page, services, javascript, axe):
    """A Welsh conversation's page is Welsh round its Welsh messages: lang, title, buttons, label, the words its
    script shows (Yn anfon..., "Teipia neges yn gyntaf."), what a screen reader hears before each message, and what
    the service says when it refuses a message, with where help is."""
    page = open_page(invited_in_welsh(services), javascript=javascript)
    assert page.get_attribute("html", "lang") == "cy" and page.title() == "Sgwrsio gyda thîm Voice"
    page.get_by_role("button", name="Dechrau sgwrsio").click()
    wait_for_reply(page, "Helo Cai")
    assert page.locator("#send-button").inner_text() == "Anfon"
    assert page.locator("label[for=chat-text]").inner_text() == "Dy neges"
    assert page.get_by_role("button", name="Argyfwng Gadael y dudalen hon").count() == 1
    assert page.get_attribute("html", "lang") == "cy"
    if javascript:
        page.click("#send-button")  # nothing typed: the script's own words say so
        assert page.locator("#chat-text-error-text").inner_text() == "Teipia neges yn gyntaf."
        assert page.get_attribute("#chat-text-error-text", "lang") is None
    # A message only the server sees is empty (a zero-width space): its refusal is Welsh, JavaScript on or off.
    page.fill("#chat-text", "\u200b")
    page.click("#send-button")
    error = page.locator("#chat-text-error-text")
    error.filter(has_text="Help nawr?").wait_for(timeout=10_000)
    assert error.inner_text() == chat_refusals("cy", longest=MAX_TEXT)["empty"]
    assert error.get_attribute("lang") is None and page.get_attribute("html", "lang") == "cy"
    assert "Type a message" not in page.locator("body").inner_text()
    if javascript:
        assert "Heb ei anfon" in page.locator("#chat-log .msg--not-sent").last.inner_text()
        keep_status_words(page)
    quick(page, "Ie, dechrau").click()
    wait_for_reply(page, "Sut wyt ti?")
    if javascript:
        assert "Yn anfon…" in status_words(page)
        axe(page)
    mine = page.locator("#chat-log .msg--you").last
    assert mine.locator(".govuk-visually-hidden").text_content() == "Dywedaist ti:"
    assert page.locator("#send-button").inner_text() == "Anfon"


def test_an_open_chat_turns_welsh_when_its_conversation_does(open_page, services):
    """Her chat is open in English (nothing waits); her language is then Welsh and a survey in Welsh is sent to her:
    the page's next check for news brings its Welsh buttons and turns the page's own words Welsh, with no reload."""
    page = open_page(invited_in_welsh(services, language="en", launched=False))
    page.get_by_role("button", name="Start chat").click()
    wait_for_reply(page, "There's no survey waiting")
    assert page.get_attribute("html", "lang") == "en-GB" and page.locator("#send-button").inner_text() == "Send"
    page.evaluate("window.loaded = true")  # gone if the page reloads

    with Session(services.engine) as session:
        session.exec(select(Participant)).scalars().one().language = "cy"
        session.commit()
    from tests.web.test_chat_buttons import SURVEY

    launch(services, survey_source=SURVEY)
    quick(page, "Ie, dechrau").wait_for(timeout=15_000)
    assert page.evaluate("window.loaded") is True
    assert page.get_attribute("html", "lang") == "cy" and page.title() == "Sgwrsio gyda thîm Voice"
    assert page.locator("#send-button").inner_text() == "Anfon"
    assert page.locator("label[for=chat-text]").inner_text() == "Dy neges"
    keep_status_words(page)
    quick(page, "Ie, dechrau").click()
    wait_for_reply(page, "Sut wyt ti?")
    assert "Yn anfon…" in status_words(page)
    assert page.locator("#chat-log .msg--you .govuk-visually-hidden").last.text_content() == "Dywedaist ti:"
