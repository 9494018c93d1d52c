"""Web hardening: security headers on every response, HSTS on https, Leave by POST from our own page only,
and rate limits that hold across workers (shared in Redis) or a warning that they do not."""

from __future__ import annotations

import random

import pytest
from click.testing import CliRunner

from tests.conftest import make_config
from tests.web.test_chat_api import ChatUser
from voice_service.context import Services
from voice_service.web import create_app
from voice_service.web.headers import HSTS

EVERY = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Permissions-Policy",
)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/healthz", 200),
        ("get", "/static/chat/chat.css", 200),
        ("get", "/no-such-page", 404),
        ("get", "/chat", 200),
        ("get", "/chat/leave", 404),  # no GET leave: the address reads as an (unknown) invite
        ("post", "/sms/inbound", 403),
        ("post", "/api/chat/sessions", 403),
    ],
)
def test_every_response_carries_the_security_headers(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    for name in EVERY:
        assert response.headers.get(name), name
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # http://voice.test is not https


def test_the_chat_keeps_its_own_stricter_headers(client):
    response = client.get("/chat")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers.getlist("X-Frame-Options") == ["DENY"]  # set once, not twice


def test_hsts_when_the_public_address_is_https(database_url):
    services = Services.from_config(make_config(database_url, app={"public_url": "https://voice.example.gov.uk"}))
    response = create_app(services=services).test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"] == HSTS
    services.engine.dispose()


def _forgotten(response) -> bool:
    return "voice_chat=;" in " ".join(response.headers.getlist("Set-Cookie"))


def test_another_site_cannot_clear_a_chat(client):
    user = ChatUser(client)
    user.start()
    by_link = client.get("/chat/leave")
    assert by_link.status_code == 404 and not _forgotten(by_link)
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}, {}):
        response = client.post("/chat/leave", headers=headers)
        assert response.status_code == 303 and response.headers["Location"] == "https://www.bbc.co.uk/weather"
        assert not _forgotten(response), headers
    assert 'id="chat"' in client.get("/chat").get_data(as_text=True) or user.session


@pytest.mark.parametrize(
    "how",
    [
        {"headers": {"Sec-Fetch-Site": "same-origin"}},  # the page's script (sendBeacon)
        {"headers": {"Origin": "http://voice.test"}},
        {"csrf": True},  # the button with JavaScript off, in a browser that sends neither header
    ],
)
def test_leaving_from_our_own_page_forgets_the_chat(client, how):
    user = ChatUser(client)
    user.start()
    data = {"csrf": user.csrf} if how.get("csrf") else None
    assert _forgotten(client.post("/chat/leave", headers=how.get("headers", {}), data=data))


def _redis_or_skip(url: str) -> None:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")


def test_two_workers_sharing_redis_hold_one_limit(database_url):
    url = "redis://127.0.0.1:6379/15"
    _redis_or_skip(url)
    config = make_config(database_url, webchat={"rate_limit_storage": url, "sessions_per_address": "3 per hour"})
    services = Services.from_config(config)
    workers = [create_app(services=services).test_client() for _ in range(2)]  # two apps, as two workers are
    # Redis outlives the test: an address of its own keeps its counters its own.
    address = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(1, 254)}"
    users = []
    for worker in workers:
        worker.environ_base["REMOTE_ADDR"] = address
        users.append(ChatUser(worker))
    statuses = [users[i % 2].post("/api/chat/sessions", {}).status_code for i in range(8)]
    assert statuses.count(201) == 3 and statuses.count(429) == 5
    services.engine.dispose()


def test_serve_warns_when_limits_are_counted_per_worker(tmp_path, monkeypatch, database_url):
    from voice_service.cli import main

    started = []
    monkeypatch.setattr("voice_service.cli.serve.run_gunicorn", lambda *a, **k: started.append(k))
    config = make_config(database_url, safeguarding={"duty_emails": ["duty@council.test"]}, smtp={"host": "127.0.0.1"})
    values = config.as_dict()
    path = tmp_path / "config.toml"
    lines = []
    for section in ("app", "database", "privacy", "twilio", "safeguarding", "smtp", "webchat"):
        lines.append(f"[{section}]")
        lines += [f"{key} = {_toml(value)}" for key, value in values[section].items()]
    path.write_text("\n".join(lines) + "\n")
    from voice_service.db import upgrade

    upgrade(database_url)
    result = CliRunner().invoke(main, ["--config", str(path), "serve", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "each of the 2 workers counts on its own" in result.output and started
    one = CliRunner().invoke(main, ["--config", str(path), "serve", "--workers", "1"])
    assert one.exit_code == 0 and "counts on its own" not in one.output


def _toml(value) -> str:
    import json

    return json.dumps(value)
