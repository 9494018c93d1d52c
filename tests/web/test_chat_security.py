"""Web chat safety: CSRF, strict headers, escaping, rate limits, leaving quickly, and bad input that never 500s."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from tests.conftest import PUBLIC_URL, make_config
from tests.web.test_chat_api import ChatUser
from voice_service.context import Services
from voice_service.engine.texts import is_disclosure_reply
from voice_service.models import Alert, ChatSession, Message, Participant, Response


def count(services, model):
    with Session(services.engine) as session:
        return session.exec(select(func.count()).select_from(model)).scalar_one()


def stored(services) -> tuple[int, int, int, int]:
    return tuple(count(services, model) for model in (Message, Response, Participant, ChatSession))


@pytest.fixture
def limited_app(database_url):
    """An app with tight chat limits, built per test so counters never leak between tests."""

    def build(**webchat):
        services = Services.from_config(make_config(database_url, webchat=webchat))
        from voice_service.web import create_app

        built.append(services)
        return create_app(services=services)

    built = []
    yield build
    for services in built:
        services.engine.dispose()


def test_pages_and_api_send_strict_headers(client):
    page = client.get("/chat")
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page.headers["Cache-Control"]
    user = ChatUser(client)
    response = user.post("/api/chat/sessions", {}, expect=201)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    # The page loads nothing from anywhere else.
    html = page.get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', html.replace('data-exit-url="https://www.bbc.co.uk/weather"', ""))


def test_session_cookie_is_httponly_and_token_is_long(client):
    user = ChatUser(client)
    response = user.post("/api/chat/sessions", {}, expect=201)
    cookie = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("voice_chat=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert len(response.get_json()["session"]) >= 43  # 32 random bytes


CROSS_SITE = [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Referer": "https://evil.example/page"},
    {"Origin": PUBLIC_URL, "Referer": "http://voice.test.evil.example/"},
    {"Sec-Fetch-Site": "cross-site"},
]


@pytest.mark.parametrize("headers", CROSS_SITE, ids=["origin", "null-origin", "referer", "lookalike", "fetch-site"])
def test_cross_origin_json_without_token_is_refused_and_stores_nothing(client, services, headers):
    ChatUser(client)  # has the cookie, but sends no token
    before = stored(services)
    response = client.post("/api/chat/sessions", json={}, headers=headers)
    assert response.status_code == 403 and response.get_json()["error"] == "csrf"
    user = ChatUser(client)
    user.start()
    before = stored(services)
    response = client.post(f"/api/chat/sessions/{user.session}/messages", json={"text": "hi"}, headers=headers)
    assert response.status_code == 403
    # A token from another browser (another cookie) is no good either.
    other = ChatUser(client.application.test_client())
    response = client.post(
        f"/api/chat/sessions/{user.session}/messages",
        json={"text": "hi"},
        headers={"X-CSRF-Token": other.csrf + "x", **headers},
    )
    assert response.status_code == 403
    assert stored(services) == before


def test_a_non_json_post_without_token_is_refused_even_from_our_origin(client, services):
    """Only JSON is exempt: a form or text/plain body is what a cross-site form can send. It is refused as not
    JSON (415, trial 3, F10: "This page has expired" misled), before the token is looked at; nothing is done."""
    for kwargs in ({"data": {"text": "hi"}}, {"data": b'{"text": "hi"}', "content_type": "text/plain"}):
        response = client.post("/api/chat/sessions", headers={"Origin": PUBLIC_URL}, **kwargs)
        assert response.status_code == 415 and response.get_json()["error"] == "json_required"
    response = client.post("/api/chat/sessions", headers={"Origin": PUBLIC_URL})  # no body, no token
    assert response.status_code == 403 and response.get_json()["error"] == "csrf"
    assert count(services, ChatSession) == 0


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": PUBLIC_URL}, {"Origin": "http://localhost"}, {"Referer": PUBLIC_URL + "/chat"}],
    ids=["no-headers", "public-url", "request-host", "referer"],
)
def test_same_origin_or_headerless_json_works_per_contract_without_token(services, headers):
    """Design contract 4: POST /api/chat/sessions -> 201 {session, messages}; POST .../messages {text} -> {messages}."""
    from voice_service.web import create_app

    client = create_app(services=services).test_client()  # a fresh client: no cookie, no page visited
    started = client.post("/api/chat/sessions", json={}, headers=headers)
    assert started.status_code == 201, started.get_data(as_text=True)
    body = started.get_json()
    assert body["session"] and body["messages"]
    reply = client.post(f"/api/chat/sessions/{body['session']}/messages", json={"text": "yes"}, headers=headers)
    assert reply.status_code == 200, reply.get_data(as_text=True)
    assert reply.get_json()["messages"]


def test_form_post_without_csrf_is_refused(client, services):
    client.get("/chat")
    response = client.post("/chat/start", data={})
    assert response.status_code == 403
    assert count(services, ChatSession) == 0


BAD_BODIES = [
    ("empty text", {"json": {"text": ""}}, 400, "empty"),
    ("only spaces", {"json": {"text": "   \n "}}, 400, "empty"),
    ("only zero-width spaces", {"json": {"text": "\u200b\u200b \u2060"}}, 400, "empty"),
    ("no text", {"json": {}}, 400, "text_required"),
    ("text not a string", {"json": {"text": 12}}, 400, "text_required"),
    ("text is null", {"json": {"text": None}}, 400, "text_required"),
    ("10,000 characters", {"json": {"text": "a" * 10_000}}, 413, "too_long"),
    ("malformed JSON", {"data": b'{"text": "hi"', "content_type": "application/json"}, 400, "malformed_json"),
    ("JSON array", {"json": ["hi"]}, 400, "malformed_json"),
    ("binary body", {"data": bytes(range(256)) * 4, "content_type": "application/json"}, 400, "malformed_json"),
    (
        "binary as octets",
        {"data": b"\x00\xff\xfe" * 100, "content_type": "application/octet-stream"},
        415,
        "json_required",
    ),
    ("form-encoded", {"data": {"text": "hi"}}, 415, "json_required"),
    ("NUL in text", {"json": {"text": "hi\u0000there"}}, 400, "not_text"),
    ("lone surrogate", {"data": b'{"text": "\\ud800"}', "content_type": "application/json"}, 400, "not_text"),
    ("bad client id", {"json": {"text": "hi", "id": "<script>"}}, 400, "bad_id"),
    ("client id too long", {"json": {"text": "hi", "id": "a" * 41}}, 400, "bad_id"),
]


@pytest.mark.parametrize("name,kwargs,status,code", BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_bad_input_is_a_clear_4xx_and_nothing_is_stored(client, services, name, kwargs, status, code):
    user = ChatUser(client)
    user.start()
    before = stored(services)
    response = client.post(f"/api/chat/sessions/{user.session}/messages", headers={"X-CSRF-Token": user.csrf}, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["error"] == code and body["message"]
    assert stored(services) == before


def test_bad_start_bodies_are_4xx(client, services):
    user = ChatUser(client)
    assert user.post("/api/chat/sessions", data=b"{nope", content_type="application/json").status_code == 400
    assert user.post("/api/chat/sessions", {"invite": 5}).status_code == 400
    assert user.post("/api/chat/sessions", data=b"\xff" * 70_000, content_type="application/json").status_code == 413
    assert count(services, ChatSession) == 0


def test_xss_is_shown_as_text_in_the_page(client):
    user = ChatUser(client)
    user.start()
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    user.say(payload)
    html = client.get("/chat").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_per_session_rate_limit(limited_app):
    client = limited_app(rate_limit_per_session="3 per minute").test_client()
    user = ChatUser(client)
    user.start()
    for _ in range(3):
        user.say("hello")
    data = user.say("hello", expect=429)
    assert data["error"] == "rate_limited"


def test_per_address_rate_limit(limited_app):
    client = limited_app(rate_limit_per_address="4 per minute").test_client()
    for _ in range(4):
        assert client.get("/chat").status_code == 200
    assert client.get("/chat").status_code == 429
    other = client.post("/api/chat/sessions", json={})
    assert other.status_code == 429 and other.get_json()["error"] == "rate_limited"


def test_leave_this_page_works_over_the_address_limit(limited_app):
    """With JavaScript off, "Leave this page" is a form POST: over its address's limit it was refused (429) with an
    error page, where someone who must leave the page now has to be taken off it."""
    app = limited_app(rate_limit_per_address="2 per minute")
    client = app.test_client()
    assert [client.get("/chat").status_code for _ in range(3)] == [200, 200, 429]
    for _ in range(3):
        left = client.post("/chat/leave")
        assert left.status_code == 303 and left.headers["Location"] == app.extensions["voice"].config.webchat.exit_url
    assert client.get("/chat").status_code == 429  # leaving counted nothing, and the limit still holds


def test_waiting_for_news_does_not_use_up_a_shared_address(limited_app):
    """Open chats checking for a worker's reply have limits of their own: on a care home's or school's one
    address, young people just waiting are never refused, and the others there can still chat."""
    client = limited_app(rate_limit_per_address="4 per minute", poll_limit_per_chat="6 per minute").test_client()
    user = ChatUser(client)  # the page: one request against the address
    user.start()  # two
    poll = f"/api/chat/sessions/{user.session}/messages?after=0"
    for _ in range(6):  # more checks than the address allows requests: none count against it
        assert client.get(poll).status_code == 200
    refused = client.get(poll)  # the chat's own limit: checking for news every 10 seconds, here
    assert refused.status_code == 429 and refused.get_json()["error"] == "rate_limited"
    user.say("hello")  # three
    assert client.get("/chat").status_code == 200  # four: the address's own limit is untouched by the checks
    assert client.get("/chat").status_code == 429


def test_checks_for_news_are_limited_per_address_and_guessed_chats_count_as_chatter(limited_app):
    client = limited_app(
        rate_limit_per_address="3 per minute", poll_limit_per_address="5 per minute", poll_limit_per_chat="9 per minute"
    ).test_client()
    user = ChatUser(client)  # one request against the address
    user.start()  # two
    guessed = client.get("/api/chat/sessions/" + "x" * 43 + "/messages?after=0")
    assert guessed.status_code == 404  # three: a check naming no chat counts against the address
    assert client.get("/api/chat/sessions/" + "y" * 43 + "/messages?after=0").status_code == 429
    poll = f"/api/chat/sessions/{user.session}/messages?after=0"
    assert [client.get(poll).status_code for _ in range(4)] == [200, 200, 200, 429]  # five checks per address


RISKY = "i am going to kill myself tonight"


def _alerts(app) -> int:
    with Session(app.extensions["voice"].engine) as session:
        return session.exec(select(func.count()).select_from(Alert)).scalar_one()


@pytest.mark.parametrize(
    "limits", [{"rate_limit_per_session": "3 per minute"}, {"rate_limit_per_address": "5 per minute"}]
)
def test_a_rate_limited_disclosure_still_gets_the_help_reply_and_an_alert(limited_app, limits):
    """A limit refuses chatter, never a disclosure: a distressed young person typing many short lines is
    exactly who reaches it (a care home's shared Wi-Fi reaches the per-address one sooner)."""
    app = limited_app(**limits)
    user = ChatUser(app.test_client())  # the page: one request against the address
    user.start()
    for _ in range(3):
        user.say("hello")
    refused = user.say("hello again", expect=429)
    assert refused["error"] == "rate_limited" and "0800 1111" in refused["message"] and "999" in refused["message"]
    turn = user.say(RISKY)
    said = [message["text"] for message in turn["messages"]]
    assert len(said) == 1 and is_disclosure_reply(said[0]) and turn["quick_replies"] == []
    assert _alerts(app) == 1
    with Session(app.extensions["voice"].engine) as session:
        kept = session.exec(select(Message.body).where(Message.direction == "in")).scalars().all()
    assert RISKY in kept and "hello again" not in kept
    assert user.say("hello", expect=429)["error"] == "rate_limited"  # still over: chatter is still refused


def test_a_rate_limited_disclosure_in_the_no_javascript_chat_is_still_handled(limited_app):
    app = limited_app(rate_limit_per_session="1 per minute")
    client = app.test_client()
    page = client.get("/chat").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    assert client.post("/chat/start", data={"csrf": csrf}).status_code == 303
    assert client.post("/chat/send", data={"csrf": csrf, "text": "hello"}).status_code == 303
    refused = client.post("/chat/send", data={"csrf": csrf, "text": "hello again"})
    assert refused.status_code == 429 and "0800 1111" in refused.get_data(as_text=True)
    assert client.post("/chat/send", data={"csrf": csrf, "text": RISKY}).status_code == 303
    assert _alerts(app) == 1


def test_too_many_new_chats_still_says_where_help_is(limited_app):
    client = limited_app(sessions_per_address="1 per hour").test_client()
    user = ChatUser(client)
    user.start()
    refused = user.post("/api/chat/sessions", {}, expect=429).get_json()
    assert "0800 1111" in refused["message"] and "999" in refused["message"]


def test_twilios_webhooks_are_neither_limited_nor_counted_by_the_chat_limit(limited_app):
    from tests.conftest import SmsPhone
    from tests.factories import phone_number

    client = limited_app(rate_limit_per_address="2 per minute").test_client()
    phone = SmsPhone(client, phone_number(80))
    for n in range(4):  # one address (Twilio's), more texts than the chat allows
        assert phone.send(f"hello {n}")
    for _ in range(2):  # the chat from that address still has its whole allowance
        assert client.get("/chat").status_code == 200
    assert client.get("/chat").status_code == 429


def test_new_chats_per_address_are_limited(limited_app):
    client = limited_app(sessions_per_address="2 per hour").test_client()
    user = ChatUser(client)
    user.start()
    user.start()
    assert user.post("/api/chat/sessions", {}).status_code == 429


def test_limits_can_live_in_redis(limited_app):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    client = limited_app(
        rate_limit_storage="redis://127.0.0.1:6379/15", rate_limit_per_session="2 per minute"
    ).test_client()
    # Redis outlives the test: a loopback address of its own keeps its counters its own.
    import random

    client.environ_base["REMOTE_ADDR"] = (
        f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(1, 254)}"
    )
    user = ChatUser(client)
    user.start()
    user.say("one")
    user.say("two")
    user.say("three", expect=429)


def test_a_redis_outage_does_not_stop_young_people_reaching_us(limited_app):
    client = limited_app(rate_limit_storage="redis://127.0.0.1:1/0").test_client()
    user = ChatUser(client)
    user.start()
    assert user.say("hello")["messages"]


def test_bad_limit_setting_names_the_key(limited_app):
    from voice_service.config import ConfigError

    with pytest.raises(ConfigError, match="webchat.rate_limit_per_session"):
        limited_app(rate_limit_per_session="lots")


def test_leave_forgets_the_device_and_goes_somewhere_neutral(client):
    user = ChatUser(client)
    user.start()
    response = client.post("/chat/leave", data={"csrf": user.csrf})
    assert response.status_code == 303
    assert response.headers["Location"] == "https://www.bbc.co.uk/weather"
    cleared = " ".join(response.headers.getlist("Set-Cookie"))
    assert "voice_chat=;" in cleared and "voice_chat_csrf=;" in cleared
    assert "storage" in response.headers["Clear-Site-Data"]
    page = client.get("/chat").get_data(as_text=True)
    assert 'id="start-form"' in page  # the chat is no longer shown on this device


def test_a_room_of_young_people_on_one_wifi_can_all_start_a_chat_with_the_shipped_limits(limited_app):
    """Trial finding 31: with 20 new chats an hour from one address, the 21st young person at a Children in
    Care Council meeting or a participation day (one venue Wi-Fi) was turned away. The shipped default allows
    60 an hour, and still refuses a script opening chats without end."""
    user = ChatUser(limited_app().test_client())
    for _ in range(60):  # each a young person's own new chat, from the venue's one address
        user.start()
    user.post("/api/chat/sessions", {}, expect=429)


def _started(client) -> str:
    """A chat started with the no-JavaScript form; the page's csrf token."""
    page = client.get("/chat").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    assert client.post("/chat/start", data={"csrf": csrf}).status_code == 303
    return csrf


def _box(page: str) -> str:
    return re.search(r'<textarea [^>]*id="chat-text"[^>]*>([^<]*)</textarea>', page).group(1)


@pytest.mark.parametrize(
    "headers",
    [{}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://elsewhere.example"}, {"Sec-Fetch-Site": "same-site"}],
    ids=["no headers", "cross-site", "another origin", "same-site"],
)
def test_an_expired_page_keeps_the_message_in_the_box_and_says_where_help_is(client, services, headers):
    """Trial 11, T11-5: a no-JavaScript Send on an expired page emptied the box. Not shown to come from our own
    page, nothing is done with it, a disclosure included (another site may have sent it): put back, with the
    help line."""
    _started(client)
    before = stored(services)
    for text in ("can i change my social worker", RISKY):
        refused = client.post("/chat/send", data={"csrf": "bad", "text": text}, headers=headers)
        assert refused.status_code == 403
        page = refused.get_data(as_text=True)
        assert _box(page) == text
        assert "send your message again" in page and "0800 1111" in page and "999" in page
    assert stored(services) == before and count(services, Alert) == 0


@pytest.mark.parametrize(
    "headers", [{"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://localhost"}], ids=["same-origin", "our origin"]
)
def test_a_disclosure_sent_from_our_own_page_with_an_expired_token_is_still_handled(client, services, headers):
    """Our own page (the browser says so) and this chat's own cookie: a worrying message goes on down the normal
    path, as one over the length or rate limits does; chatter is still refused, kept in the box."""
    _started(client)
    ordinary = client.post("/chat/send", data={"csrf": "bad", "text": "hello"}, headers=headers)
    assert ordinary.status_code == 403 and _box(ordinary.get_data(as_text=True)) == "hello"
    assert count(services, Alert) == 0
    assert client.post("/chat/send", data={"csrf": "bad", "text": RISKY}, headers=headers).status_code == 303
    assert count(services, Alert) == 1
    with Session(services.engine) as session:
        assert RISKY in session.exec(select(Message.body).where(Message.direction == "in")).scalars().all()


def test_a_disclosure_with_an_expired_token_and_no_chat_here_stores_nothing(client, services):
    """Without this device's chat cookie there is no chat to put it in: nothing is stored, however it came."""
    _started(client)
    client.delete_cookie("voice_chat")
    before = stored(services)
    refused = client.post("/chat/send", data={"csrf": "bad", "text": RISKY}, headers={"Sec-Fetch-Site": "same-origin"})
    assert refused.status_code in (403, 409)
    assert count(services, Alert) == 0 and stored(services) == before
