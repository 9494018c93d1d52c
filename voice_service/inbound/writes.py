"""The inbound path's writes, as SQLAlchemy Core statements compiled once per process.

Every message writes the same few rows: the inbound message (its insert is the duplicate
check), perhaps a Response, perhaps the run's new state, and the replies for the
transcript. Written through the ORM these cost a model object, its validation and a flush
each; here each is one statement, compiled once and run on the driver's cursor with the
values as parameters (`voice_service/prepared.py`). The ORM session is still the transaction: these
run on its connection, and everything rarer (alerts, opt-outs, onboarding, new participants)
stays ORM.

`write_message` writes them all. On PostgreSQL that is ONE statement, a chain of data-modifying
CTEs: the inbound insert (ON CONFLICT DO NOTHING RETURNING id) feeds the Response rows, the
transcript's replies and the run's update, each of which takes its rows FROM that insert, so a
duplicate MessageSid writes nothing at all. When the sender has a waiting run, the chain begins
with a guard: the run's row, locked, as it was read (every column); the insert takes its row only
if the guard found it, so a run another message changed since the read writes nothing either, and
the sender is read again (`RunChanged`). A survey answer is then a read and one statement, with no
BEGIN or COMMIT, like a text-in. SQLite has no data-modifying CTEs: there they are one statement
each, in the same transaction, under the write lock (taken before the read, so no guard is needed).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlmodel import Session

from ..models import Direction, Message, OutboxMessage, Response, Run
from ..prepared import prepared
from .responses import previous_scale, response_columns
from .situation import RUN_COLUMNS, RunRow, last_run, run_for_update

_MESSAGE = Message.__table__  # type: ignore[attr-defined]
_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]
_RESPONSE = Response.__table__  # type: ignore[attr-defined]
_RUN = Run.__table__  # type: ignore[attr-defined]

_MESSAGE_COLUMNS = (
    "direction",
    "channel",
    "provider_sid",
    "participant_id",
    "run_id",
    "body",
    "replies",
    "created_at",
    "wants_person",
    "media_count",
    "chat_session_id",
)
_RUN_UPDATE = {  # column -> parameter name in the update
    "status": "new_status",
    "current_question": "new_current",
    "current_asked": "new_asked",
    "reasked": "new_reasked",
    "updated_at": "new_updated_at",
    "started_at": "new_started_at",
    "ended_at": "new_ended_at",
}


class RunChanged(Exception):
    """The sender's waiting run is not as it was read: another message changed it first (PostgreSQL; nothing
    was written). The caller reads the sender again, this time locking the run (`load_sender(lock=True)`)."""


def _params(table, prefix: str, columns) -> dict:
    return {name: bindparam(f"{prefix}{name}", type_=table.c[name].type) for name in columns}


def _named(prefix: str, values: dict[str, Any]) -> dict[str, Any]:
    return {f"{prefix}{name}": value for name, value in values.items()}


def _insert_inbound(dialect: str):
    """INSERT ... ON CONFLICT (channel, provider_sid) DO NOTHING RETURNING id, in this dialect's words."""
    dml = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        dml(_MESSAGE)
        .values(_params(_MESSAGE, "m_", _MESSAGE_COLUMNS))
        .on_conflict_do_nothing(index_elements=["channel", "provider_sid"])
        .returning(_MESSAGE.c.id)
    )


def _insert_reply():
    return insert(_MESSAGE).values(_params(_MESSAGE, "m_", _MESSAGE_COLUMNS))


def _insert_response(columns: tuple[str, ...]):
    return insert(_RESPONSE).values(_params(_RESPONSE, "r_", columns))


def _update_run():
    return (
        update(_RUN)
        .where(_RUN.c.id == bindparam("run_id"))
        .values({column: bindparam(name, type_=_RUN.c[column].type) for column, name in _RUN_UPDATE.items()})
    )


def _replayed_prefix(sid: str) -> str:
    """What every outbox key the spool's replay makes for the text with this MessageSid begins with."""
    return f"spool:{sid}:"


def replayed_key(sid: str, number: int) -> str:
    """The outbox key of the `number`th reply the spool's replay queued for the text with this MessageSid."""
    return f"{_replayed_prefix(sid)}{number}"


def _earlier():
    # Whether the spool's replay queued its replies: a key from "spool:<sid>:" up to (not with) "spool:<sid>;",
    # a range on the outbox key's unique index.
    replayed = exists().where(_OUTBOX.c.key >= bindparam("replayed_from"), _OUTBOX.c.key < bindparam("replayed_to"))
    return select(_MESSAGE.c.replies, _MESSAGE.c.participant_id, replayed).where(
        _MESSAGE.c.channel == bindparam("channel"),
        _MESSAGE.c.provider_sid == bindparam("sid"),
        _MESSAGE.c.direction == Direction.IN,
    )


def prepare(dialect: Dialect) -> None:
    """Compile the statements most messages write, ahead of the first (the server does it in its master,
    before the workers fork, so no worker's first text waits for it)."""
    columns = response_columns()
    if dialect.name == "postgresql":
        without_id = tuple(name for name in columns if name != "message_id")
        for responses in ((), (without_id,)):
            for updates_run in (False, True):
                for guarded in (False, True):
                    prepared(_write_chain, dialect, responses, 1, updates_run, guarded)
        prepared(run_for_update, dialect)
    else:
        prepared(_insert_inbound, dialect, dialect.name)
        prepared(_insert_response, dialect, columns)
        prepared(_update_run, dialect)
        prepared(_insert_reply, dialect)
    prepared(_earlier, dialect)
    prepared(last_run, dialect)
    prepared(previous_scale, dialect)


def earlier_replies(session: Session, *, channel: str, provider_sid: str | None) -> tuple[list[str], int | None]:
    """The replies a retry of a message already stored is answered with, and its sender: those it was stored
    with, or none when the spool's replay stored it and queued them in the outbox (Twilio retried a webhook
    it had spooled): they come from there, once."""
    connection = session.connection()
    values = {
        "channel": channel,
        "sid": provider_sid,
        # Every key `replayed_key` makes for this MessageSid, and no other (";" follows ":" in ASCII).
        "replayed_from": _replayed_prefix(provider_sid or ""),
        "replayed_to": _replayed_prefix(provider_sid or "")[:-1] + ";",
    }
    row = prepared(_earlier, connection.dialect).first(connection, values)
    if row is None:
        raise LookupError("no inbound message with that provider id")
    return ([] if row[2] else list(row[0] or [])), row[1]


def insert_replies(
    session: Session,
    *,
    channel: str,
    participant_id: int | None,
    replies: list[tuple[str, int | None]],
    now: datetime,
    chat_id: int | None = None,
) -> None:
    """The outbound transcript rows: one per (reply, run id), in web chat `chat_id` alone when one is given."""
    rows = _reply_rows(channel, participant_id, replies, now, chat_id)
    if rows:
        connection = session.connection()
        prepared(_insert_reply, connection.dialect).run(connection, [_named("m_", row) for row in rows])


def run_values(
    run: RunRow,
    *,
    status: str,
    current: str | None,
    asked: bool,
    reasked: bool,
    now: datetime,
    started: bool,
    ended: bool,
) -> dict[str, Any]:
    """A run's new state as the columns `write_message` stores (its start and end times kept once set)."""
    return {
        "status": status,
        "current_question": current,
        "current_asked": asked,
        "reasked": reasked,
        "updated_at": now,
        "started_at": run.started_at if run.started_at is not None or not started else now,
        "ended_at": run.ended_at if run.ended_at is not None or not ended else now,
    }


def _write_chain(responses: tuple[tuple[str, ...], ...], replies: int, updates_run: bool, guarded: bool = False):
    """The PostgreSQL statement for one message of this shape (built once per shape, per process):
    `responses`, the columns each Response row gives (the rest take their defaults).

    `guarded`: the message is written only if the sender's waiting run is still as it was read
    (every column the same, `g_` parameters), locking its row while the statement runs; the
    statement's row then says whether it was (id, guard held), so a changed run writes nothing and
    is told apart from a duplicate (None, True)."""
    message = _params(_MESSAGE, "m_", _MESSAGE_COLUMNS)
    if not guarded:
        inbound = (
            postgresql.insert(_MESSAGE)
            .values(message)
            .on_conflict_do_nothing(index_elements=["channel", "provider_sid"])
            .returning(_MESSAGE.c.id)
            .cte("inbound")
        )
        statement = select(inbound.c.id)
    else:
        guard = (
            select(_RUN.c.id)
            .where(
                _RUN.c.id == bindparam("g_id", type_=_RUN.c.id.type),  # by its key (IS NOT DISTINCT FROM is not)
                *(
                    _RUN.c[name].is_not_distinct_from(bindparam(f"g_{name}", type_=_RUN.c[name].type))
                    for name in RUN_COLUMNS
                    if name != "id"
                ),
            )
            .with_for_update()
            .cte("guard")
        )
        held = exists(select(guard.c.id))
        inbound = (
            postgresql.insert(_MESSAGE)
            .from_select(list(message), select(*message.values()).where(held))
            .on_conflict_do_nothing(index_elements=["channel", "provider_sid"])
            .returning(_MESSAGE.c.id)
            .cte("inbound")
        )
        statement = select(select(inbound.c.id).scalar_subquery(), held)
    for n, columns in enumerate(responses):
        values = _params(_RESPONSE, f"r{n}_", columns)
        rows = select(*values.values(), inbound.c.id)
        statement = statement.add_cte(insert(_RESPONSE).from_select([*values, "message_id"], rows).cte(f"response_{n}"))
    for n in range(replies):
        values = _params(_MESSAGE, f"o{n}_", _MESSAGE_COLUMNS)
        rows = select(*values.values()).select_from(inbound)
        statement = statement.add_cte(insert(_MESSAGE).from_select(list(values), rows).cte(f"reply_{n}"))
    if updates_run:
        change = (
            update(_RUN)
            .where(_RUN.c.id == bindparam("run_id"), exists(select(inbound.c.id)))
            .values({column: bindparam(name, type_=_RUN.c[column].type) for column, name in _RUN_UPDATE.items()})
        )
        statement = statement.add_cte(change.cte("run_update"))
    return statement


def _reply_rows(
    channel: str, participant_id: int | None, replies: list[tuple[str, int | None]], now: datetime, chat_id: int | None
) -> list[dict[str, Any]]:
    return [
        {
            "direction": Direction.OUT,
            "channel": channel,
            "provider_sid": None,
            "participant_id": participant_id,
            "run_id": run_id,
            "body": body,
            "replies": None,
            "created_at": now,
            "wants_person": False,
            "media_count": 0,
            "chat_session_id": chat_id,
        }
        for body, run_id in replies
    ]


def write_message(
    session: Session,
    *,
    inbound: dict[str, Any],
    responses: list[dict[str, Any]],
    run: RunRow | None,
    run_changes: dict[str, Any] | None,
    replies: list[tuple[str, int | None]],
    guard: RunRow | None = None,
) -> int | None:
    """Store a message and what it caused; its id, or None (and nothing written) for a provider id this
    channel already has.

    `guard`: the sender's waiting run as it was read, unlocked (PostgreSQL): the message is written only
    if the run is still so, else nothing is and `RunChanged` is raised. (SQLite's transaction holds the
    write lock from its first read, so nothing can have changed it: there it is not checked.)

    `inbound`: the message's columns (`_MESSAGE_COLUMNS` but its direction; `chat_session_id`, the web chat it was
    typed in, is its replies' too, so each is shown in that chat alone from the moment it is stored);
    `responses`: Response values (their message id is filled in here); `run_changes`: `run_values(run, ...)`,
    stored and copied onto `run`; `replies`: (text, run id) for the transcript.
    """
    message = {
        "media_count": 0,
        "chat_session_id": None,
        **inbound,
        "direction": Direction.IN,
        "replies": list(inbound["replies"]),
    }
    reply_rows = _reply_rows(
        message["channel"], message["participant_id"], replies, message["created_at"], message["chat_session_id"]
    )
    connection = session.connection()
    dialect = connection.dialect
    updates_run = run is not None and run_changes is not None
    if dialect.name == "postgresql":
        params: dict[str, Any] = {f"m_{name}": message[name] for name in _MESSAGE_COLUMNS}
        shapes = tuple(tuple(name for name in response if name != "message_id") for response in responses)
        for n, (response, columns) in enumerate(zip(responses, shapes, strict=True)):
            params.update({f"r{n}_{name}": response[name] for name in columns})
        for n, row in enumerate(reply_rows):
            params.update({f"o{n}_{name}": row[name] for name in _MESSAGE_COLUMNS})
        if run is not None and run_changes is not None:
            params["run_id"] = run.id
            params.update({name: run_changes[column] for column, name in _RUN_UPDATE.items()})
        if guard is None:
            message_id = prepared(_write_chain, dialect, shapes, len(reply_rows), updates_run).scalar(
                connection, params
            )
        else:
            params.update({f"g_{name}": getattr(guard, name) for name in RUN_COLUMNS})
            chain = prepared(_write_chain, dialect, shapes, len(reply_rows), updates_run, True)
            written = chain.first(connection, params)
            if written is None or not written[1]:
                raise RunChanged()
            message_id = written[0]
    else:
        message_id = prepared(_insert_inbound, dialect, "sqlite").scalar(
            connection, {f"m_{name}": message[name] for name in _MESSAGE_COLUMNS}
        )
        if message_id is not None:
            for response in responses:
                row = {**response, "message_id": message_id}
                prepared(_insert_response, dialect, tuple(row)).run(connection, _named("r_", row))
            if run is not None and run_changes is not None:
                values = {name: run_changes[column] for column, name in _RUN_UPDATE.items()}
                prepared(_update_run, dialect).run(connection, {"run_id": run.id, **values})
            if reply_rows:
                prepared(_insert_reply, dialect).run(connection, [_named("m_", row) for row in reply_rows])
    if message_id is not None and run is not None and run_changes is not None:
        for name, value in run_changes.items():
            setattr(run, name, value)
    return message_id
