"""The inbound path's writes, as SQLAlchemy Core statements built once per process.

Every message writes the same few rows: the inbound message (its insert is the duplicate
check), perhaps a Response, perhaps the run's new state, and the replies for the
transcript. Written through the ORM these cost a model object, its validation and a flush
each; here each is one statement whose compiled form and cache key are made once, and the
values go in as parameters. The ORM session is still the transaction: these run on its
connection, and everything rarer (alerts, opt-outs, onboarding, new participants) stays ORM.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from ..models import Direction, Message, Response, Run
from .situation import RunRow

_MESSAGE = Message.__table__  # type: ignore[attr-defined]
_RESPONSE = Response.__table__  # type: ignore[attr-defined]
_RUN = Run.__table__  # type: ignore[attr-defined]


@functools.cache
def _insert_inbound(dialect: str):
    """INSERT ... ON CONFLICT (channel, provider_sid) DO NOTHING RETURNING id, in this dialect's words."""
    dml = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return dml(_MESSAGE).on_conflict_do_nothing(index_elements=["channel", "provider_sid"]).returning(_MESSAGE.c.id)


@functools.cache
def _insert(table_name: str):
    return insert({"message": _MESSAGE, "response": _RESPONSE}[table_name])


@functools.cache
def _update_run():
    return (
        update(_RUN)
        .where(_RUN.c.id == bindparam("run_id"))
        .values(
            status=bindparam("new_status"),
            current_question=bindparam("new_current"),
            current_asked=bindparam("new_asked"),
            reasked=bindparam("new_reasked"),
            updated_at=bindparam("new_updated_at"),
            started_at=bindparam("new_started_at"),
            ended_at=bindparam("new_ended_at"),
        )
    )


@functools.cache
def _earlier():
    return select(_MESSAGE.c.replies, _MESSAGE.c.participant_id).where(
        _MESSAGE.c.channel == bindparam("channel"),
        _MESSAGE.c.provider_sid == bindparam("sid"),
        _MESSAGE.c.direction == Direction.IN,
    )


def insert_inbound(
    session: Session,
    *,
    channel: str,
    provider_sid: str | None,
    participant_id: int | None,
    run_id: int | None,
    body: str,
    replies: list[str],
    now: datetime,
    wants_person: bool = False,
) -> int | None:
    """Store an inbound message; its id, or None when this channel already has this provider id.

    The duplicate check is the insert itself (ON CONFLICT DO NOTHING RETURNING), on both databases.
    """
    values = {
        "direction": Direction.IN,
        "channel": channel,
        "provider_sid": provider_sid,
        "participant_id": participant_id,
        "run_id": run_id,
        "body": body,
        "replies": list(replies),
        "created_at": now,
        "wants_person": wants_person,
    }
    statement = _insert_inbound(session.get_bind().dialect.name)
    return session.connection().execute(statement, values).scalar_one_or_none()


def earlier_replies(session: Session, *, channel: str, provider_sid: str | None) -> tuple[list[str], int | None]:
    """The replies a message already stored was answered with, and its sender."""
    row = session.connection().execute(_earlier(), {"channel": channel, "sid": provider_sid}).one()
    return list(row[0] or []), row[1]


def insert_replies(
    session: Session, *, channel: str, participant_id: int | None, replies: list[tuple[str, int | None]], now: datetime
) -> None:
    """The outbound transcript rows: one per (reply, run id), in one statement."""
    if not replies:
        return
    rows = [
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
        }
        for body, run_id in replies
    ]
    session.connection().execute(_insert("message"), rows if len(rows) > 1 else rows[0])


def insert_response(session: Session, values: dict[str, Any]) -> None:
    """One Response row (values from `inbound/responses.py`)."""
    session.connection().execute(_insert("response"), values)


def update_run(
    session: Session,
    run: RunRow,
    *,
    status: str,
    current: str | None,
    asked: bool,
    reasked: bool,
    now: datetime,
    started: bool,
    ended: bool,
) -> None:
    """Store a run's new state, and keep `run` (plain values read with the sender) the same as the row."""
    values = {
        "status": status,
        "current_question": current,
        "current_asked": asked,
        "reasked": reasked,
        "updated_at": now,
        "started_at": run.started_at if run.started_at is not None or not started else now,
        "ended_at": run.ended_at if run.ended_at is not None or not ended else now,
    }
    session.connection().execute(
        _update_run(),
        {
            "run_id": run.id,
            "new_status": values["status"],
            "new_current": values["current_question"],
            "new_asked": values["current_asked"],
            "new_reasked": values["reasked"],
            "new_updated_at": values["updated_at"],
            "new_started_at": values["started_at"],
            "new_ended_at": values["ended_at"],
        },
    )
    for name, value in values.items():
        setattr(run, name, value)
