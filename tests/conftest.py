"""Fixtures: a database per test (SQLite always, PostgreSQL when VOICE_TEST_DATABASE_URL is set),
services and a Flask app built on it, a fake Twilio API on loopback, and signed webhook posts."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import tempfile
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator

from tests import log_guard
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilioServer
from tests.faketime import libfaketime_sleep
from voice_service.config import load
from voice_service.context import Services
from voice_service.db import normalise_url, upgrade

# Browser fixtures for every folder (tests/browser, tests/admin, ...), registered once so the
# run shares one Playwright and one Chromium.
pytest_plugins = ["tests.browser_fixtures"]

PG_URL = os.environ.get("VOICE_TEST_DATABASE_URL")
# CI sets this so a skipped PostgreSQL or browser test is an error, not a quiet pass.
REQUIRE_ALL = os.environ.get("VOICE_TEST_REQUIRE_ALL") == "1"
PUBLIC_URL = "http://voice.test"
# Where Twilio keeps an MMS's pictures (the service never fetches them or stores these addresses).
MEDIA_BASE = "https://api.twilio.com/2010-04-01/Accounts"


def skip_or_fail(reason: str) -> None:
    """Skip with a reason locally; fail in CI, where everything must run."""
    if REQUIRE_ALL:
        pytest.fail(f"required in CI but unavailable: {reason}")
    pytest.skip(reason)


FAKETIME_SITE = Path(__file__).parent / "faketime"


def pytest_configure(config):
    """A year ahead (`faketime -f '+365d' make test`), every process must be able to wait.

    `time.sleep`, which libfaketime 0.9.10 breaks when the monotonic clock is left real, is mended
    here and, through `sitecustomize` on PYTHONPATH, in every process the tests start (where it
    does nothing unless libfaketime is preloaded: tests/faketime/libfaketime_sleep.py says why).
    The monotonic clock must be left real, or the first timed wait on a lock hangs for a year: say
    so at once instead.
    """
    paths = [str(FAKETIME_SITE), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    if not libfaketime_sleep.preloaded():
        return
    if not libfaketime_sleep.monotonic_left_real():
        pytest.exit(
            "libfaketime is faking the monotonic clock too, so timed waits would hang: run "
            "`faketime -f '+365d' make test`, or set FAKETIME_DONT_FAKE_MONOTONIC=1 as the Makefile does "
            "(`FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f '+365d' .venv/bin/python -m pytest`)",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )
    libfaketime_sleep.mend()


def pytest_sessionfinish(session, exitstatus):
    """In CI any skip at all fails the run, whatever skipped it: a skipped test proves nothing."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if REQUIRE_ALL and skipped and exitstatus == 0:
        reporter.write_line(f"VOICE_TEST_REQUIRE_ALL: {len(skipped)} test(s) skipped; CI runs everything", red=True)
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def no_personal_data_in_logs():
    """Fail a test whose log lines carry a phone number, or a name or message text it used (tests/log_guard.py)."""
    log_guard.forget_all()
    recorder = log_guard.Recorder()
    root = logging.getLogger()
    previous = root.level
    # Whatever an earlier test (or a library it ran) left: no logging.disable(), and the service's own
    # loggers at the production default, so the guard sees every INFO line the service writes here.
    service = logging.getLogger("voice_service")
    left = (logging.root.manager.disable, service.level, service.disabled)
    logging.disable(logging.NOTSET)
    service.setLevel(logging.NOTSET)
    service.disabled = False
    # At least INFO, the production default, whatever the test or a library set.
    root.setLevel(min(previous, logging.INFO) if previous else logging.INFO)
    root.addHandler(recorder)
    try:
        yield recorder
    finally:
        root.removeHandler(recorder)
        root.setLevel(previous)
        logging.disable(left[0])
        service.setLevel(left[1])
        service.disabled = left[2]
    leaks = recorder.leaks()
    if leaks:
        shown = "\n".join(f"  {line[:300]}" for line in leaks[:10])
        pytest.fail(f"{len(leaks)} log line(s) carry a phone number, name or message text:\n{shown}", pytrace=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, copied for each test (migrating once keeps the suite fast)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    # Fold the WAL back into the one file, so a plain copy is the whole database.
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    return path


@pytest.fixture(scope="session")
def postgres_template():
    """A migrated PostgreSQL template database (only when VOICE_TEST_DATABASE_URL is set)."""
    if not PG_URL:
        return None
    admin = create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    name = f"voice_tpl_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = _with_database(PG_URL, name)
    upgrade(url)
    yield name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _with_database(url: str, name: str) -> str:
    base, _, _ = normalise_url(url).rpartition("/")
    return f"{base}/{name}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path, sqlite_template):
    """A fresh, migrated database for this test: every test owns its data."""
    if request.param == "sqlite":
        path = tmp_path / "voice.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        log_guard.harvest(f"sqlite:///{path}")
        return
    if not PG_URL:
        skip_or_fail("PostgreSQL tests need VOICE_TEST_DATABASE_URL")
    template = request.getfixturevalue("postgres_template")
    admin = create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    name = f"voice_t_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield _with_database(PG_URL, name)
    log_guard.harvest(_with_database(PG_URL, name))
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fake_twilio():
    """The fake Twilio REST API, running on loopback for this test."""
    with FakeTwilioServer() as api:
        yield api


@pytest.fixture
def api_services(database_url, fake_twilio):
    """Services sending through the fake Twilio API (a module may override it with more settings)."""
    config = make_config(database_url, sms={"provider": "twilio"}, twilio={"api_base_url": fake_twilio.url})
    services = Services.from_config(config)
    yield services
    services.engine.dispose()


def make_config(database_url: str, **sections):
    """A production-shaped configuration with real (random) keys for one test."""
    base = {
        "app": {
            "public_url": PUBLIC_URL,
            "secret_key": "test-" + uuid.uuid4().hex,
            "council_name": "Testshire County Council",
        },
        "database": {"url": database_url},
        # Each test's own spool folder, never the working directory's instance/spool. The longest
        # deadline: on a loaded machine a slow write must not spool a message a test expects stored
        # (the spool's own tests set a short one).
        "spool": {"dir": tempfile.mkdtemp(prefix="voice-spool-"), "deadline_seconds": 10.0},
        "privacy": {"phone_key": Fernet.generate_key().decode(), "hash_key": uuid.uuid4().hex},
        "safeguarding": {"webhook_secret": "hook-" + uuid.uuid4().hex},
        "twilio": {"account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN, "from_number": "+447700900000"},
        "schedule": {
            "weekday_window": "00:00-24:00",
            "weekend_window": "00:00-24:00",
            "reply_hours": "00:00-24:00",
            # Off: with every window open all day, a test's texts go whenever it runs. The rule
            # that keeps school hours free for under-16s is tested with its clock pinned
            # (tests/test_windows.py, tests/outbox/test_windows_and_routes.py); left on here, a
            # test that launches to a 14-year-old and flushes fails on weekdays 08:30-15:30.
            "school_hours": "off",
            "rate_per_second": 1000.0,
        },
    }
    for name, values in sections.items():
        base.setdefault(name, {}).update(values)
    config = load(None, environ={})
    return config.with_overrides(**base)


@pytest.fixture
def config(database_url):
    """Configuration for this test's database."""
    return make_config(database_url)


@pytest.fixture
def services(config):
    """Services on this test's database."""
    services = Services.from_config(config)
    yield services
    services.engine.dispose()


@pytest.fixture
def app(services):
    """A Flask app on this test's services, warmed as `voice-service serve` warms one before it answers
    anyone (the word lists are built once per process): on a busy machine, building them inside a
    test's first message can outlast the inbound deadline, and the message would be spooled."""
    from voice_service import analysis
    from voice_service.web import create_app

    analysis.warm_up(services.conversations_dir)
    return create_app(services=services)


@pytest.fixture
def client(app):
    """Flask's test client."""
    return app.test_client()


class SmsPhone:
    """Plays a young person's phone: posts signed inbound webhooks and reads the TwiML replies."""

    def __init__(self, client, number: str, auth_token: str = AUTH_TOKEN):
        self.client = client
        self.number = number
        self.validator = RequestValidator(auth_token)
        self.count = 0

    def send(self, body: str, *, sid: str | None = None, expect: int = 200, media: int = 0) -> list[str]:
        """Text the service (with `media` pictures, as Twilio posts an MMS); return the reply texts."""
        from xml.etree import ElementTree

        self.count += 1
        log_guard.remember(self.number, body)
        sid = sid or f"SM{uuid.uuid4().hex}"
        form = {
            "MessageSid": sid,
            "From": self.number,
            "To": "+447700900000",
            "Body": body,
            "AccountSid": ACCOUNT_SID,
            "NumMedia": str(media),
        }
        for n in range(media):
            form[f"MediaUrl{n}"] = f"{MEDIA_BASE}/{ACCOUNT_SID}/Messages/{sid}/Media/ME{n:032d}"
            form[f"MediaContentType{n}"] = "image/jpeg"
        signature = self.validator.compute_signature(PUBLIC_URL + "/sms/inbound", form)
        response = self.client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": signature})
        assert response.status_code == expect, response.data
        if expect != 200:
            return []
        assert response.mimetype == "application/xml"
        root = ElementTree.fromstring(response.data)
        return [element.text or "" for element in root.iter("Message")]


@pytest.fixture
def phone(client):
    """A young person's phone texting the app (a new number per test)."""
    return SmsPhone(client, "+447700900123")
