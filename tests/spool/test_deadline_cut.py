"""A text whose database work the inbound deadline cuts is spooled, once, and the connection it cut is clean after.

The deadline (`spool.deadline_seconds`, `db.retrying`) ends work the database does not finish in time: on
PostgreSQL its watchdog shuts the connection's socket (and the server's statement and lock timeouts cancel a
statement), on SQLite the wait for the write lock gives up. Either way the database could not take the text:
it is spooled and answered with the holding reply, by the lean edge and by the Flask route alike, never handed
on to be handled a second time, and the next text on the same pool is handled as usual. The database is made
slow for real: another connection holds a lock the text needs, or (PostgreSQL) a trigger sleeps in its insert.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid

import pytest
from flask import request_started
from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator

from tests import log_guard
from tests.conftest import PUBLIC_URL, make_config
from tests.factories import add_participants, phone_number
from tests.fake_twilio import AUTH_TOKEN
from tests.support.messages import stored
from voice_service import analysis
from voice_service.context import Services
from voice_service.db import normalise_url
from voice_service.spool.guard import HOLDING_REPLY
from voice_service.spool.replay import replay
from voice_service.web import create_app

DEADLINE = 1.5  # long enough for an ordinary text on a busy machine, short enough to wait out a few times


@pytest.fixture
def slow_services(database_url):
    config = make_config(database_url, spool={"deadline_seconds": DEADLINE})
    services = Services.from_config(config)
    analysis.warm_up(services.conversations_dir)
    yield services
    services.engine.dispose()


class Texter:
    """Signed webhooks from one phone, to the lean edge or (with a query string) the Flask route."""

    def __init__(self, client, number: str):
        self.client = client
        self.number = number

    def send(self, body: str, *, sid: str | None = None, query: str = "") -> tuple[int, bytes, str]:
        log_guard.remember(self.number, body)
        sid = sid or f"SM{uuid.uuid4().hex}"
        form = {"MessageSid": sid, "From": self.number, "To": "+447700900000", "Body": body}
        path = "/sms/inbound" + (f"?{query}" if query else "")
        signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + path, form)
        response = self.client.post(path, data=form, headers={"X-Twilio-Signature": signature})
        return response.status_code, response.data, sid


class Blocker:
    """Another connection that makes the text's database work wait past the deadline, until `release()`."""

    def __init__(self, database_url: str, how: str):
        self.how = how
        self.url = database_url
        if how == "sqlite-lock":
            self.connection = sqlite3.connect(database_url.split("///", 1)[1], isolation_level=None)
            self.connection.execute("BEGIN IMMEDIATE")  # another process holds the write lock
            return
        self.engine = create_engine(normalise_url(database_url), isolation_level="AUTOCOMMIT")
        self.pg = self.engine.connect()
        if how == "pg-lock":
            self.pg.execute(text("BEGIN"))
            self.pg.execute(text("LOCK TABLE message IN ACCESS EXCLUSIVE MODE"))
        else:  # pg-sleep: the server is slow, not locked
            self.pg.execute(
                text(
                    "CREATE FUNCTION test_slow_insert() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$"
                )
            )
            self.pg.execute(
                text(
                    "CREATE TRIGGER test_slow BEFORE INSERT ON message FOR EACH ROW EXECUTE FUNCTION test_slow_insert()"
                )
            )

    def release(self) -> None:
        if self.how == "sqlite-lock":
            self.connection.execute("ROLLBACK")
            self.connection.close()
            return
        if self.how == "pg-lock":
            self.pg.execute(text("ROLLBACK"))
        else:
            self.pg.execute(text("DROP TRIGGER test_slow ON message"))
            self.pg.execute(text("DROP FUNCTION test_slow_insert()"))
        self.pg.close()
        self.engine.dispose()


def replies(body: bytes) -> list[str]:
    from xml.etree import ElementTree

    return [element.text or "" for element in ElementTree.fromstring(body).iter("Message")]


@pytest.mark.parametrize(
    ("database_url", "how"),
    [("sqlite", "sqlite-lock"), ("postgres", "pg-lock"), ("postgres", "pg-sleep")],
    indirect=["database_url"],
)
def test_a_text_the_deadline_cuts_is_spooled_once_and_the_next_is_handled_as_usual(
    slow_services, database_url, how, caplog
):
    services = slow_services
    app = create_app(services=services)
    dispatched: list[str] = []

    def started(sender, **extra):
        dispatched.append("flask")

    request_started.connect(started, app)
    client = app.test_client()
    add_participants(services, [{"phone": phone_number(71)}])
    texter = Texter(client, phone_number(71))
    status, body, first = texter.send("hello there, is anyone about")
    assert status == 200 and HOLDING_REPLY not in replies(body)
    assert dispatched == []

    caplog.set_level(logging.INFO)
    blocker = Blocker(database_url, how)
    try:
        lean = [texter.send(f"wifi at my placement is rubbish {n}") for n in range(2)]
        routed = texter.send("my social worker changed again", query="via=route")
    finally:
        blocker.release()
    for status, body, _ in [*lean, routed]:
        assert (status, replies(body)) == (200, [HOLDING_REPLY])
    # Each lean text was spooled by the lean edge itself, not handed on to Flask to be handled again.
    assert dispatched == ["flask"]  # the one sent to the route
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert not [w for w in warnings if "handed a text" in w], warnings
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], warnings
    assert client.get("/healthz").get_json()["spool"] == {"pending": 3, "failed": 0, "worrying": 0, "unwarned": 0}

    # The pool is clean again: the next texts are handled as usual, the first of them on the connection the
    # deadline cut (one connection: the test client answers one request at a time).
    for n in range(3):
        status, body, sid = texter.send(f"camhs is ages {n}")
        assert status == 200 and HOLDING_REPLY not in replies(body), replies(body)
        assert stored(services, sid) == 1

    report = replay(services)
    # On PostgreSQL a statement still waiting on the server when its socket was shut may yet commit (the text-in
    # is one statement, on its own): then the replay finds it stored. Either way each is stored exactly once.
    assert (report.stored + report.duplicates, report.failed, report.pending) == (3, 0, 0)
    assert [stored(services, sid) for _, _, sid in [*lean, routed]] == [1, 1, 1]
    assert stored(services, first) == 1
    assert replay(services).stored == 0  # nothing twice
    request_started.disconnect(started, app)
