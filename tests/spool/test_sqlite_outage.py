"""SQLite that cannot take a message (locked by another process, disk full): spooled, answered, replayed once."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlmodel import Session

from tests.conftest import SmsPhone, make_config
from tests.support.messages import stored
from voice_service.context import Services
from voice_service.db import retrying
from voice_service.engine import texts
from voice_service.inbound.office import disclosure_reply
from voice_service.models import Alert, Direction, Message, OutboxMessage, utcnow
from voice_service.spool.guard import HOLDING_REPLY
from voice_service.spool.replay import replay
from voice_service.web import create_app


def any_age_help(services) -> str:
    """The help reply now, in the words for someone whose age is not known (the spool cannot look it up)."""
    return texts.for_age(disclosure_reply(services.config, utcnow()), adult=None)


@pytest.fixture
def sqlite_services(tmp_path, sqlite_template):
    path = tmp_path / "voice.db"
    shutil.copy(sqlite_template, path)
    # The office is open one minute a day, so a disclosure is all but always answered out of hours.
    config = make_config(
        f"sqlite:///{path}", spool={"deadline_seconds": 0.5}, safeguarding={"office_hours": "00:00-00:01"}
    )
    services = Services.from_config(config)
    yield services, path
    services.engine.dispose()


def test_locked_database_spools_then_replay_stores_each_message_once(sqlite_services):
    services, path = sqlite_services
    client = create_app(services=services).test_client()
    phone = SmsPhone(client, "+447700900321")
    first = f"SM{uuid.uuid4().hex}"
    assert phone.send("hello", sid=first) != [HOLDING_REPLY]  # the database is fine: an ordinary reply

    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    sids = [f"SM{uuid.uuid4().hex}" for _ in range(3)]
    assert phone.send("more trips out pls", sid=sids[0]) == [HOLDING_REPLY]
    before = any_age_help(services)
    helped = phone.send("i dont see the point anymore", sid=sids[1])
    # The help reply alone, with the office's hours as on the normal path (not "a worker will read this soon").
    assert helped in ([before], [any_age_help(services)])
    assert texts.is_disclosure_reply(helped[0]) and HOLDING_REPLY not in helped
    assert phone.send("more trips out pls", sid=sids[0]) == [HOLDING_REPLY]  # the same MessageSid again
    assert phone.send("camhs is ages", sid=sids[2]) == [HOLDING_REPLY]
    health = client.get("/healthz").get_json()
    # The disclosure: its alert waits (no duty route is configured here, so none heard of it: "unwarned").
    assert health["spool"] == {"pending": 4, "failed": 0, "worrying": 1, "unwarned": 1}

    # Still locked: the replayer stops and keeps everything.
    report = replay(services, seconds=0.5)
    assert report.stopped and report.stored == 0 and report.pending == 4

    locker.execute("ROLLBACK")
    locker.close()
    report = replay(services)
    assert (report.stored, report.duplicates, report.failed, report.pending) == (3, 1, 0, 0)
    assert [stored(services, sid) for sid in sids] == [1, 1, 1]
    assert stored(services, first) == 1
    with Session(services.engine) as session:
        alerts = session.exec(select(Alert)).scalars().all()
        assert len(alerts) == 1 and alerts[0].delayed
        # Stored in arrival order.
        ids = [session.exec(select(Message.id).where(Message.provider_sid == sid)).scalar_one() for sid in sids]
        assert ids == sorted(ids)
        # The replies they did not get then are queued; the help reply (already sent) is not.
        bodies = [row.body for row in session.exec(select(OutboxMessage)).scalars()]
        assert not any(texts.is_disclosure_reply(body) for body in bodies)
    assert client.get("/healthz").get_json()["spool"] == {"pending": 0, "failed": 0, "worrying": 0, "unwarned": 0}
    assert replay(services).stored == 0  # nothing twice


def test_chat_message_is_spooled_and_replayed_once(sqlite_services):
    from tests.web.test_chat_api import ChatUser

    services, path = sqlite_services
    client = create_app(services=services).test_client()
    user = ChatUser(client)
    user.start()
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")
    before = any_age_help(services)
    held = user.say("I want to kill myself", id="m1", expect=202)
    said = [m["text"] for m in held["messages"]]
    assert said in ([before], [any_age_help(services)]) and held["held"]
    locker.execute("ROLLBACK")
    locker.close()
    report = replay(services)
    assert report.stored == 1 and report.pending == 0
    with Session(services.engine) as session:
        inbound = session.exec(
            select(Message).where(Message.channel == "webchat", Message.direction == Direction.IN)
        ).scalars()
        assert [m.body for m in inbound] == ["I want to kill myself"]
        assert session.exec(select(Alert)).scalars().one().delayed
    # The browser retries the same id once the service is back: answered, not stored twice.
    user.say("I want to kill myself", id="m1")
    assert replay(services).stored == 0


def test_a_refused_lock_upgrade_is_retried_on_fresh_data(sqlite_services):
    """Deferred BEGIN: reads take no lock; if another writer commits first, SQLite refuses our upgrade at once
    (SQLITE_BUSY_SNAPSHOT, whatever the busy timeout). `retrying` runs the whole transaction again."""
    services, path = sqlite_services
    attempts = []

    def work():
        with Session(services.engine) as session:
            before = session.exec(select(func.count()).select_from(Message)).scalar_one()
            if not attempts:
                other = sqlite3.connect(path, isolation_level=None)
                other.execute(
                    "INSERT INTO message (direction, channel, body, created_at) "
                    "VALUES ('in', 'sms', 'x', '2026-01-01 00:00:00')"
                )
                other.close()
            attempts.append(before)
            session.add(Message(direction=Direction.IN, channel="sms", body="y"))
            session.commit()

    retrying(work, seconds=5)
    assert attempts == [0, 1]  # the second attempt saw the other writer's row


def _mount_tmpfs(where: Path, size_kib: int) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(where)], capture_output=True
    )
    return result.returncode == 0


@pytest.mark.slow
def test_full_disk_spools_and_replay_stores_every_message_once(tmp_path, sqlite_template):
    """The database's disk fills up: a real tmpfs just big enough for the file where the test may mount one,
    else SQLite's own page limit, which fails a write with the same SQLITE_FULL a full disk gives."""
    disk = tmp_path / "disk"
    size_kib = sqlite_template.stat().st_size // 1024 + 96
    mounted = _mount_tmpfs(disk, size_kib)
    path = disk / "voice.db"
    shutil.copy(sqlite_template, path)
    services = Services.from_config(make_config(f"sqlite:///{path}", spool={"deadline_seconds": 0.5}))
    if not mounted:

        @event.listens_for(services.engine, "connect")
        def _cap(dbapi_connection, _record):
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count={pages + 8}")

    try:
        client = create_app(services=services).test_client()
        phone = SmsPhone(client, "+447700900555")
        sids = [f"SM{uuid.uuid4().hex}" for _ in range(60)]
        answers = [phone.send(f"my sw changed again {n} " + "x" * 400, sid=sid) for n, sid in enumerate(sids)]
        assert all(answers)
        assert any(answer == [HOLDING_REPLY] for answer in answers), "the disk never filled"
        spooled = client.get("/healthz").get_json()["spool"]["pending"]
        assert spooled > 0
        services.engine.dispose()
        if mounted:
            subprocess.run(["mount", "-o", "remount,size=65536k", str(disk)], check=True)
        else:
            event.remove(services.engine, "connect", _cap)
        report = replay(services)
        assert report.stored == spooled and report.pending == 0
        assert [stored(services, sid) for sid in sids] == [1] * len(sids)
    finally:
        services.engine.dispose()
        if mounted:
            subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_view_run_again_by_the_guard_counts_once_against_the_rate_limit(tmp_path, sqlite_template):
    """The guard may run a chat view several times for one request (retries on a busy database): one message."""
    from voice_service.web.chat.security import hit

    path = tmp_path / "voice.db"
    shutil.copy(sqlite_template, path)
    config = make_config(f"sqlite:///{path}", webchat={"rate_limit_per_session": "1 per minute"})
    services = Services.from_config(config)
    app = create_app(services=services)
    try:
        with app.test_request_context("/api/chat/sessions/x/messages", method="POST"):
            assert hit("session", "chat-a") and hit("session", "chat-a")  # the same request, run twice
        with app.test_request_context("/api/chat/sessions/x/messages", method="POST"):
            assert not hit("session", "chat-a")  # a second message in the minute
    finally:
        services.engine.dispose()


def test_while_the_database_fails_each_text_waits_a_shorter_deadline_until_one_is_stored(sqlite_services, monkeypatch):
    """A frozen or locked database kept each of a worker's threads for the whole deadline, text after text, so
    a burst would queue past Twilio's 15 s. After a text the database could not take, the next ones (by either
    way in: the lean edge or the Flask route) wait at most `SUSPECT_DEADLINE_SECONDS`; the first one stored
    ends that, and the window closes by itself `SUSPECT_FOR_SECONDS` after the last failure (a clock passed in)."""
    from voice_service.spool import guard

    services, path = sqlite_services
    seen: list[float] = []
    real = guard.retrying

    def spy(work, *, seconds):
        seen.append(seconds)
        return real(work, seconds=seconds)

    monkeypatch.setattr(guard, "retrying", spy)
    services = Services.from_config(
        make_config(f"sqlite:///{path}", spool={"deadline_seconds": 2.0}, safeguarding={"office_hours": "00:00-00:01"})
    )
    app = create_app(services=services)
    clock = [1000.0]
    deadline = guard.inbound_deadline(app)
    deadline.clock = lambda: clock[0]
    client = app.test_client()
    phone = SmsPhone(client, "+447700900322")
    assert phone.send("hello") != [HOLDING_REPLY] and seen == [2.0]
    from tests.web.test_chat_api import ChatUser

    user = ChatUser(client)
    user.start()
    seen.clear()

    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    sids = [f"SM{uuid.uuid4().hex}" for _ in range(3)]
    assert phone.send("more trips out pls", sid=sids[0]) == [HOLDING_REPLY]
    assert phone.send("camhs is ages", sid=sids[1]) == [HOLDING_REPLY]
    assert user.say("so slow", id="m1", expect=202)["held"]  # the chat, through the guarded Flask view
    assert seen == [2.0, guard.SUSPECT_DEADLINE_SECONDS, guard.SUSPECT_DEADLINE_SECONDS]
    clock[0] += guard.SUSPECT_FOR_SECONDS  # no text for that long: the next is given the whole deadline again
    assert phone.send("still waiting", sid=sids[2]) == [HOLDING_REPLY]
    assert seen[3:] == [2.0]

    locker.execute("ROLLBACK")
    locker.close()
    assert phone.send("its fine now") != [HOLDING_REPLY]  # the database came back within the window: stored
    assert seen[4:] == [guard.SUSPECT_DEADLINE_SECONDS]
    assert phone.send("thanks") != [HOLDING_REPLY]
    assert seen[5:] == [2.0]  # one stored, and the whole deadline again
    assert replay(services).stored == 4
    assert [stored(services, sid) for sid in sids] == [1, 1, 1]
    services.engine.dispose()


def test_while_the_database_fails_one_text_at_a_time_tries_it_and_the_rest_are_spooled_at_once(
    sqlite_services, monkeypatch
):
    """A circuit breaker, so that how fast a failing database's texts are answered does not rest on the number of
    threads: each text that tried it held a thread for up to `SUSPECT_DEADLINE_SECONDS`, so 2 workers of 2
    threads answered 4 a second. Now, while one text is trying the database, the others (by either way in) are
    spooled without trying it; once it is back, the next text is stored as usual, and the replay stores the
    spooled ones once each. A spy holds the trying text until the rest are answered: no clock is timed."""
    from voice_service.spool import guard

    services, path = sqlite_services
    services = Services.from_config(
        make_config(f"sqlite:///{path}", spool={"deadline_seconds": 2.0}, safeguarding={"office_hours": "00:00-00:01"})
    )
    app = create_app(services=services)
    client = app.test_client()
    phone = SmsPhone(client, "+447700900324")
    assert phone.send("hello") != [HOLDING_REPLY]
    from tests.web.test_chat_api import ChatUser

    user = ChatUser(client)
    user.start()

    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    sids = [f"SM{uuid.uuid4().hex}" for _ in range(10)]
    assert phone.send("more trips out pls", sid=sids[0]) == [HOLDING_REPLY]  # the database is suspect now

    trying, release = threading.Event(), threading.Event()
    tries: list[float] = []
    real = guard.retrying

    def spy(work, *, seconds):
        tries.append(seconds)
        if len(tries) == 1:  # the text that tries the database waits here until the others are answered
            trying.set()
            assert release.wait(30)
        return real(work, seconds=seconds)

    monkeypatch.setattr(guard, "retrying", spy)
    answers: dict[str, list[str]] = {}
    prober = threading.Thread(target=lambda: answers.update({sids[1]: phone.send("camhs is ages", sid=sids[1])}))
    prober.start()
    assert trying.wait(30)
    for n, sid in enumerate(sids[2:]):
        answers[sid] = phone.send(f"so slow {n}", sid=sid)
    held = user.say("is anyone there", id="m1", expect=202)  # the chat, through the guarded Flask view
    assert held["held"] and tries == [guard.SUSPECT_DEADLINE_SECONDS], "only one text tried the database"
    release.set()
    prober.join(30)
    assert answers == {sid: [HOLDING_REPLY] for sid in sids[1:]}

    locker.execute("ROLLBACK")
    locker.close()
    assert phone.send("its fine now") != [HOLDING_REPLY]  # the one text that tries it finds it back: stored
    assert phone.send("thanks") != [HOLDING_REPLY] and tries[1:] == [guard.SUSPECT_DEADLINE_SECONDS, 2.0]
    assert replay(services).stored == len(sids) + 1
    assert [stored(services, sid) for sid in sids] == [1] * len(sids)
    services.engine.dispose()
