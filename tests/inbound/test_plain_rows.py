"""The inbound path reads its sender as plain values: ORM objects only on the rarer paths."""

from __future__ import annotations

from sqlalchemy import event
from sqlmodel import Session, select

from tests.factories import add_participants, launch, phone_number
from voice_service.inbound import receive
from voice_service.models import Participant, Response, Run


def _receive(session: Session, services, text: str, sid: str, index: int):
    return receive(
        session=session, services=services, channel="sms", text=text, provider_sid=sid, phone=phone_number(index)
    )


def _loading(session: Session) -> list[str]:
    """The names of the ORM classes this session loads from the database from now on."""
    loaded: list[str] = []
    event.listen(session, "loaded_as_persistent", lambda _session, item: loaded.append(type(item).__name__))
    return loaded


def test_a_text_in_and_an_answer_load_no_orm_participant_or_run(services):
    add_participants(services, [{"phone": phone_number(70)}, {"phone": phone_number(71)}])
    launch(services)  # both are invited to the survey
    with Session(services.engine, expire_on_commit=False) as session:
        loaded = _loading(session)
        started = _receive(session, services, "yes", "SMplain1", 70)  # starts the survey: the run changes
        answered = _receive(session, services, "4", "SMplain2", 70)  # a scale answer: a Response and the run
        _receive(session, services, "more trips out pls", "SMplain4", 71)  # a text-in while invited
        assert loaded == []
        session.commit()
    assert started.replies and answered.replies
    with Session(services.engine) as session:
        run = session.exec(select(Run).where(Run.participant_id == _id(session, services, 70))).one()
        assert run.status == "active" and run.started_at is not None and run.current_question != "safe_home"
        assert sorted((r.kind, r.value_number) for r in session.exec(select(Response)).all()) == [
            ("scale", 4),
            ("text", None),
        ]


def test_a_disclosure_raises_its_alert_for_the_participant_without_loading_their_orm_row(services):
    from voice_service.models import Alert

    add_participants(services, [{"phone": phone_number(72)}])
    with Session(services.engine, expire_on_commit=False) as session:
        loaded = _loading(session)
        result = _receive(session, services, "i want to kill myself", "SMplain3", 72)
        assert result.alert_id is not None
        assert "Participant" not in loaded  # the alert needs only the id, which the plain read has
        session.commit()
    with Session(services.engine) as session:
        alert = session.get(Alert, result.alert_id)
        assert alert is not None and alert.participant_id == _id(session, services, 72) == result.participant_id
        # The first round of notices is recorded as before: attempt 0, at the time it was raised.
        assert alert.notified_count == 0 and alert.last_notified_at == alert.created_at


def _id(session: Session, services, index: int) -> int:
    phone_hash = services.vault.hash(phone_number(index))
    return session.exec(select(Participant.id).where(Participant.phone_hash == phone_hash)).one()


def test_on_postgresql_a_message_and_all_it_causes_are_one_writing_statement(services):
    from voice_service.models import Message

    add_participants(services, [{"phone": phone_number(73)}])
    launch(services)
    writes: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "WITH")):
            writes.append(statement)

    event.listen(services.engine, "before_cursor_execute", record)
    try:
        with Session(services.engine, expire_on_commit=False) as session:
            _receive(session, services, "yes", "SMone1", 73)  # the run starts: the message, its reply, the run
            writes.clear()
            _receive(session, services, "4", "SMone2", 73)  # an answer: message, Response, reply, run
            answer_writes = list(writes)
            session.commit()
        with Session(services.engine, expire_on_commit=False) as session:
            writes.clear()
            assert _receive(session, services, "4", "SMone2", 73).duplicate  # a retry writes nothing
            assert len(writes) == 1  # only the insert that found the message already there
            session.commit()
    finally:
        event.remove(services.engine, "before_cursor_execute", record)
    expected = 1 if services.engine.dialect.name == "postgresql" else 4
    assert len(answer_writes) == expected, answer_writes
    with Session(services.engine) as session:
        rows = session.exec(select(Message).where(Message.participant_id == _id(session, services, 73))).all()
        rows = sorted(rows, key=lambda m: m.id)
        # The transcript reads in order: each text comes before the reply it got.
        assert [m.direction for m in rows] == ["in", "out", "in", "out"]
        assert [m.body for m in rows if m.direction == "in"] == ["yes", "4"]
        assert len(session.exec(select(Response)).all()) == 1


def test_on_postgresql_a_text_in_needs_no_transaction_but_what_writes_more_does(client, services):
    """psycopg's BEGIN and the COMMIT are a round trip each: a read and one writing statement go without them."""
    from tests.conftest import SmsPhone

    if services.engine.dialect.name != "postgresql":
        return  # SQLite has no round trips to save (and takes its write lock up front)
    add_participants(services, [{"phone": phone_number(74)}])
    launch(services)  # 74 is invited: their texts go to the waiting run
    add_participants(services, [{"phone": phone_number(75)}])  # 75 is not: their texts are texts-in
    in_transaction: list[bool] = []

    def committing(connection):
        raw = connection.connection.dbapi_connection
        in_transaction.append(raw.info.transaction_status != raw.info.transaction_status.IDLE)

    def sent(number: int, body: str) -> list[bool]:
        in_transaction.clear()
        SmsPhone(client, phone_number(number)).send(body)
        return list(in_transaction)

    event.listen(services.engine, "commit", committing)
    try:
        assert sent(75, "more trips out pls") == [False]  # the read, then one statement that writes it all
        assert sent(75, "can someone call me") == [False]
        # A survey answer too: its one statement writes only if the waiting run is still as it was read.
        assert sent(74, "yes") == [False]
        assert sent(75, "i want to kill myself") == [True]  # the alert is stored with the message
        assert sent(99, "hello") == [True]  # a number never seen: a new participant
        assert sent(75, "STOP") == [True]  # an opt-out row
    finally:
        event.remove(services.engine, "commit", committing)
    with Session(services.engine) as session:
        kept = session.exec(select(Response).where(Response.participant_id == _id(session, services, 75))).all()
        assert sorted(r.answer for r in kept) == ["can someone call me", "i want to kill myself", "more trips out pls"]


def test_on_postgresql_a_run_changed_after_the_read_writes_nothing_then_is_read_again_locked(client, services):
    """Another message changes the waiting run between this one's read and its write: the write stores
    nothing, and the message is handled again from a fresh read, under the run's row lock, once."""
    from sqlalchemy import update

    from tests.conftest import SmsPhone

    if services.engine.dialect.name != "postgresql":
        return  # SQLite holds its write lock from the first read: nothing can change in between
    add_participants(services, [{"phone": phone_number(76)}])
    launch(services)
    with Session(services.engine) as session:
        run = session.exec(select(Run).where(Run.participant_id == _id(session, services, 76))).one()
        run_id, reasked = run.id, run.reasked
    chains: list[str] = []
    in_transaction: list[bool] = []

    def before(connection, _cursor, statement, *_args):
        if not statement.startswith("WITH "):  # the write chain, guarded ("WITH guard AS") or not
            return
        chains.append(statement.split(" AS")[0])
        if len(chains) == 1:  # another message's change, committed just before this one's write
            with services.engine.begin() as other:
                other.execute(update(Run).where(Run.id == run_id).values(reasked=not reasked))

    def committing(connection):
        raw = connection.connection.dbapi_connection
        in_transaction.append(raw.info.transaction_status != raw.info.transaction_status.IDLE)

    event.listen(services.engine, "before_cursor_execute", before)
    event.listen(services.engine, "commit", committing)
    try:
        SmsPhone(client, phone_number(76)).send("yes", sid="SMguarded")
    finally:
        event.remove(services.engine, "before_cursor_execute", before)
        event.remove(services.engine, "commit", committing)
    # Written only the second time, which needs no guard: it read the run under its lock.
    assert chains == ["WITH guard", "WITH inbound"]
    assert in_transaction[-1] is True  # ... with the run locked from its read to the commit (the other's is first)
    with Session(services.engine) as session:
        from voice_service.models import Message

        stored = session.exec(select(Message).where(Message.provider_sid == "SMguarded")).all()
        run = session.get(Run, run_id)
        assert len(stored) == 1 and stored[0].run_id == run_id
        assert run is not None and run.started_at is not None  # the YES was applied to the run as changed


def test_on_postgresql_the_sender_read_visits_the_run_table_once_for_their_waiting_run(services):
    """The sender's waiting run is found once (a lateral join), not once to join it by id and again for the
    id (PostgreSQL ran that subquery twice, and hashed the run table to join it): half the server's time."""
    from voice_service.inbound.situation import _sender_by_phone_hash
    from voice_service.prepared import prepared

    if services.engine.dialect.name != "postgresql":
        return  # SQLite looks the waiting run up by its key
    add_participants(services, [{"phone": phone_number(200 + i)} for i in range(30)])
    launch(services)  # a run each
    with Session(services.engine) as session:
        connection = session.connection()
        statement = prepared(_sender_by_phone_hash, connection.dialect, "postgresql")
        cursor = statement.cursor(connection.connection.dbapi_connection)
        arguments = statement.arguments({"key": services.vault.hash(phone_number(200))})
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement.sql, arguments)
        plan = cursor.fetchone()[0][0]["Plan"]

    def visits(node: dict) -> int:
        own = node["Actual Loops"] if node.get("Relation Name") == "run" else 0
        return own + sum(visits(child) for child in node.get("Plans", []))

    assert visits(plan) == 2  # their waiting run, and their runs again for the last one a round closed
