"""The inbound path's statements are compiled ahead of the first message (in the server's master)."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session

from tests.factories import add_participants, launch, phone_number
from voice_service.inbound import receive
from voice_service.inbound.situation import load_sender
from voice_service.inbound.writes import prepare
from voice_service.models import utcnow
from voice_service.prepared import prepared


def test_what_most_messages_run_is_compiled_before_the_first_of_them(services):
    add_participants(services, [{"phone": phone_number(80)}, {"phone": phone_number(81)}])
    launch(services)  # 80 is invited
    with Session(services.engine) as session:
        load_sender(session, phone_hash="warm-up", lock=False)  # as the server's warm-up does
    prepare(services.engine.dialect)
    compiled = prepared.cache_info().misses
    for text, sid, index in [
        ("yes", "SMprep1", 80),  # starts the survey: the run is locked and changed
        ("4", "SMprep2", 80),  # an answer: a Response and the run
        ("more trips out pls", "SMprep3", 81),  # a text-in: a Response
        ("4", "SMprep2", 80),  # a retry: answered from the stored message
    ]:
        with Session(services.engine, expire_on_commit=False) as session:
            phone = phone_number(index)
            receive(session=session, services=services, channel="sms", text=text, provider_sid=sid, phone=phone)
            session.commit()
    assert prepared.cache_info().misses == compiled


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_on_postgresql_a_statement_goes_to_the_server_as_compiled(services, monkeypatch):
    """psycopg rewrites `%(name)s` placeholders into PostgreSQL's `$1` on every run of a statement longer than
    4,096 characters or with more than 50 parameters (a survey answer's one writing statement): a prepared
    statement is compiled with `$1` placeholders and run on psycopg's RawCursor, which sends it as it is."""
    from psycopg import _queries

    from voice_service.inbound.responses import response_columns
    from voice_service.inbound.writes import _write_chain
    from voice_service.prepared import Prepared

    add_participants(services, [{"phone": phone_number(82)}])
    launch(services)
    dialect = services.engine.dialect
    response = tuple(name for name in response_columns() if name != "message_id")
    answer = Prepared(_write_chain((response,), 1, True, True), dialect)
    placeholders = set(re.findall(r"\$\d+", answer.sql))
    assert len(placeholders) > _queries.MAX_CACHED_STATEMENT_PARAMS  # psycopg rewrote it on every run
    rewrites: list[bytes] = []
    monkeypatch.setattr(_queries, "_query2pg_nocache", lambda query, *a: rewrites.append(query))
    monkeypatch.setattr(_queries, "_query2pg", lambda query, *a: rewrites.append(query))
    for text, sid in [("yes", "SMraw1"), ("4", "SMraw2"), ("more trips out pls", "SMraw3")]:
        with Session(services.engine, expire_on_commit=False) as session:
            phone = phone_number(82)
            receive(session=session, services=services, channel="sms", text=text, provider_sid=sid, phone=phone)
            session.commit()
    assert rewrites == []


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_on_postgresql_a_statement_is_one_prepared_statement_whatever_its_values(services):
    """psycopg prepares a statement per query and per its parameters' types, and types each parameter by its value
    (None: none; an int: the smallest integer type that holds it; a datetime: timestamptz): a message with a run and
    one without, or a number past 32,767, were each a statement of their own on the server, run unprepared until
    their own fifth use. The values a statement casts go as text, so it is one; what is stored is the same."""
    from datetime import UTC, datetime

    from sqlalchemy import text

    from voice_service.inbound.writes import _insert_inbound, _named
    from voice_service.models import Direction
    from voice_service.prepared import Prepared

    add_participants(services, [{"phone": phone_number(83)}])
    launch(services)
    with services.engine.connect() as connection:
        person, run = connection.execute(text("SELECT participant_id, id FROM run")).one()
        connection.commit()
        raw = connection.connection.dbapi_connection
        raw.prepare_threshold = 0  # every statement prepared at its first use, so each type pattern shows
        statement = Prepared(_insert_inbound("postgresql"), connection.dialect)
        at = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)
        messages = [
            {"participant_id": None, "run_id": None, "replies": [], "media_count": 0},
            {"participant_id": person, "run_id": run, "replies": ["Thanks! ✓"], "media_count": 1},
            {"participant_id": person, "run_id": None, "replies": [], "media_count": 40_000},
        ]
        ids = []
        for n, message in enumerate(messages):
            values = {"direction": Direction.IN, "channel": "sms", "provider_sid": f"SMtyped{n}", "body": "hi"}
            values |= {"created_at": at, "wants_person": n == 1, "chat_session_id": None, **message}
            ids.append(statement.scalar(connection, _named("m_", values)))
        shown = connection.execute(
            text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO message %'")
        ).scalar()
        stored = connection.execute(
            text(
                "SELECT participant_id, run_id, replies, media_count, created_at, wants_person FROM message "
                "WHERE id = ANY(:ids) ORDER BY id"
            ),
            {"ids": ids},
        ).all()
        connection.commit()
    assert shown == 1
    assert [tuple(row) for row in stored] == [
        (None, None, [], 0, at, False),
        (person, run, ["Thanks! ✓"], 1, at, True),
        (person, None, [], 40_000, at, False),
    ]


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_on_postgresql_the_texts_on_one_connection_run_on_one_cursor(services, monkeypatch):
    """A new psycopg cursor for each statement looked up its adapters again (about 10 us a statement): each pooled
    connection keeps one, and a cursor whose statement failed is not used again."""
    from sqlalchemy.exc import IntegrityError

    import voice_service.prepared as prepared_module
    from voice_service.inbound.writes import _insert_inbound, _named
    from voice_service.models import Direction
    from voice_service.prepared import Prepared

    made: list[object] = []

    class Counted(prepared_module.RawCursor):  # type: ignore[misc,name-defined]
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(prepared_module, "RawCursor", Counted)
    add_participants(services, [{"phone": phone_number(84)}, {"phone": phone_number(85)}])
    launch(services)  # 84 is invited
    services.engine.dispose()  # one connection from here: the pool opens it again
    for text, sid, index in [
        ("yes", "SMkept1", 84),
        ("4", "SMkept2", 84),
        ("more trips out pls", "SMkept3", 85),
        ("4", "SMkept2", 84),  # a retry
    ]:
        with Session(services.engine, expire_on_commit=False) as session:
            phone = phone_number(index)
            receive(session=session, services=services, channel="sms", text=text, provider_sid=sid, phone=phone)
            session.commit()
    assert len(made) == 1
    with services.engine.connect() as connection:
        statement = Prepared(_insert_inbound("postgresql"), connection.dialect)
        values = {"direction": Direction.IN, "channel": None, "provider_sid": "SMkept4", "body": "hi"}
        values |= {"participant_id": None, "run_id": None, "replies": [], "created_at": utcnow()}
        values |= {"wants_person": False, "media_count": 0, "chat_session_id": None}
        with pytest.raises(IntegrityError):  # no channel
            statement.scalar(connection, _named("m_", values))
        connection.rollback()
        values["channel"] = "sms"
        assert statement.scalar(connection, _named("m_", values)) is not None
        connection.rollback()
    assert len(made) == 2 and made[0].closed
