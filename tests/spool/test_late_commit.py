"""A text the deadline cuts is either handled in time or not stored at all: never stored after its holding reply.

At the deadline (`spool.deadline_seconds`) the text is spooled and the young person gets the holding
reply; the spool's replay stores it later and queues the replies it should have had (the next
question, say) in the outbox. If the work in flight were let run on past the cut and commit, the text
would be stored while the young person had only the holding reply, and the replay would find it
already stored and (before) send nothing. So the cut ends the work in flight: on PostgreSQL the
statement is cancelled on the server before the socket is shut; on SQLite it is interrupted.

The work is held up for real and released just after the cut, by events (no timing): on PostgreSQL
another connection holds `LOCK TABLE message IN ACCESS EXCLUSIVE MODE` and lets go once the cut has
been made (the text's writing statement, run on its own, would then commit); on SQLite a trigger on
the text's insert waits for the cut, then scans (SQLite checks for an interrupt as it steps).

And when a replay does find a spooled text already stored (its COMMIT was under way at the very
instant of the cut, which no cancel can undo), it queues the replies the text was stored with, once.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid

import pytest
from sqlalchemy import create_engine, event, select, text
from sqlmodel import Session, col
from twilio.request_validator import RequestValidator

from tests import log_guard
from tests.conftest import PUBLIC_URL, make_config
from tests.factories import add_participants, phone_number
from tests.fake_twilio import AUTH_TOKEN
from voice_service import analysis
from voice_service.context import Services
from voice_service.db import Deadline, normalise_url
from voice_service.models import Direction, Message, OutboxMessage
from voice_service.spool.guard import HOLDING_REPLY, sms_record
from voice_service.spool.replay import replay
from voice_service.spool.store import Spool
from voice_service.web import create_app

DEADLINE = 1.5
WAIT = 60  # the longest any event is waited for (a hung test fails rather than hangs)


@pytest.fixture
def services(database_url):
    config = make_config(database_url, spool={"deadline_seconds": DEADLINE})
    services = Services.from_config(config)
    analysis.warm_up(services.conversations_dir)
    yield services
    services.engine.dispose()


def signed_text(client, number: str, body: str, *, query: str = "") -> tuple[list[str], str]:
    from xml.etree import ElementTree

    log_guard.remember(number, body)
    sid = f"SM{uuid.uuid4().hex}"
    form = {"MessageSid": sid, "From": number, "To": "+447700900000", "Body": body}
    path = "/sms/inbound" + (f"?{query}" if query else "")
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + path, form)
    response = client.post(path, data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200
    return [element.text or "" for element in ElementTree.fromstring(response.data).iter("Message")], sid


def stored(services, sid: str) -> Message | None:
    with Session(services.engine) as session:
        query = select(Message).where(col(Message.provider_sid) == sid, col(Message.direction) == Direction.IN)
        return session.execute(query).scalars().first()


def spool_replies(services) -> list[str]:
    with Session(services.engine) as session:
        rows = session.execute(select(OutboxMessage).where(col(OutboxMessage.key).like("spool:%"))).scalars()
        return [row.body for row in sorted(rows, key=lambda row: row.key)]


class PostgresHold:
    """Another connection holds the message table until just after the cut, then waits for the text's work to end."""

    def __init__(self, database_url: str):
        self.engine = create_engine(normalise_url(database_url), isolation_level="AUTOCOMMIT")
        self.connection = self.engine.connect()
        self.connection.execute(text("BEGIN"))
        self.connection.execute(text("LOCK TABLE message IN ACCESS EXCLUSIVE MODE"))

    def after_cut(self) -> None:
        self.connection.execute(text("ROLLBACK"))
        # Granted once the text's transaction has ended, committed or not: then its outcome is known.
        self.connection.execute(text("BEGIN"))
        self.connection.execute(text("LOCK TABLE message IN ACCESS EXCLUSIVE MODE"))
        self.connection.execute(text("ROLLBACK"))

    def close(self) -> None:
        self.connection.close()
        self.engine.dispose()


class SQLiteHold:
    """A trigger on the text's insert that waits for the cut, then steps through a scan."""

    def __init__(self, services, database_url: str):
        self.cut = threading.Event()
        self.engine = services.engine
        self.engine.dispose()  # every connection from here on knows `test_wait()`
        event.listen(self.engine, "connect", self._function)
        self.path = database_url.split("///", 1)[1]
        with sqlite3.connect(self.path, isolation_level=None) as connection:
            connection.execute(
                "CREATE TRIGGER test_slow BEFORE INSERT ON message BEGIN SELECT test_wait(); "
                "SELECT count(*) FROM (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 10000)"
                " SELECT i FROM r); END"
            )

    def _function(self, dbapi_connection, _record) -> None:
        dbapi_connection.create_function("test_wait", 0, lambda: int(self.cut.wait(WAIT)))

    def after_cut(self) -> None:
        self.cut.set()

    def close(self) -> None:
        self.cut.set()
        with sqlite3.connect(self.path, isolation_level=None) as connection:
            connection.execute("DROP TRIGGER test_slow")
        event.remove(self.engine, "connect", self._function)
        self.engine.dispose()


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
@pytest.mark.parametrize("query", ["", "via=route"], ids=["lean-edge", "flask-route"])
def test_a_text_cut_at_its_deadline_is_not_stored_after_its_holding_reply(services, database_url, query, monkeypatch):
    client = create_app(services=services).test_client()
    number = phone_number(72)
    add_participants(services, [{"phone": number}])
    hold = SQLiteHold(services, database_url) if database_url.startswith("sqlite") else PostgresHold(database_url)
    settled = threading.Event()
    cut = Deadline._cut

    def cut_then_release(budget: Deadline) -> None:
        cut(budget)
        try:
            hold.after_cut()
        finally:
            settled.set()

    monkeypatch.setattr(Deadline, "_cut", cut_then_release)
    try:
        replies, sid = signed_text(client, number, "the bus to college never turns up", query=query)
        assert settled.wait(WAIT)
    finally:
        hold.close()
    monkeypatch.undo()

    assert replies == [HOLDING_REPLY]
    # The cut ended the work in flight: the text is the spool's alone, not stored behind the holding reply.
    assert stored(services, sid) is None
    assert Spool.from_config(services.config).depth().pending == 1

    report = replay(services)
    assert (report.stored, report.duplicates, report.failed, report.pending) == (1, 0, 0, 0)
    message = stored(services, sid)
    assert message is not None and message.replies
    # The replies the holding reply stood in for go out now, each once.
    assert spool_replies(services) == list(message.replies)


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_a_spooled_text_found_already_stored_is_answered_with_its_stored_replies_once(services):
    """The cut and a COMMIT at the same instant: the text is stored and spooled, and they had the holding reply."""
    client = create_app(services=services).test_client()
    number = phone_number(73)
    add_participants(services, [{"phone": number}])
    body = "my placement is ok but the wifi is rubbish"
    log_guard.remember(number, body)
    form = {"MessageSid": f"SM{uuid.uuid4().hex}", "From": number, "To": "+447700900000", "Body": body}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + "/sms/inbound", form)
    response = client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200
    message = stored(services, form["MessageSid"])
    assert message is not None and message.replies
    spool = Spool.from_config(services.config)
    spool.append("sms", sms_record("/sms/inbound", "", [[k, v] for k, v in form.items()], signature))

    report = replay(services)
    assert (report.stored, report.duplicates, report.failed, report.pending) == (0, 1, 0, 0)
    assert spool_replies(services) == list(message.replies)
    # Stored once, and a second spooled copy (a replay that stopped before marking it done) sends nothing twice.
    spool.append("sms", sms_record("/sms/inbound", "", [[k, v] for k, v in form.items()], signature))
    assert replay(services).duplicates == 1
    assert spool_replies(services) == list(message.replies)
    assert stored(services, form["MessageSid"]) is not None
