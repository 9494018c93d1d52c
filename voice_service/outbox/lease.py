"""Claiming due rows under a lease, and telling whether the dispatcher holding a row is still alive.

A batch of due rows is claimed in one statement: status "sending", `claimed_by` this process
("host:pid:process-start") and `claimed_at` (the lease). PostgreSQL dispatchers skip each
other's locked rows (`FOR UPDATE SKIP LOCKED`); SQLite serialises writers. A row whose holder
has died (same host, process gone) or whose lease has run out is reconciled (`reconcile.py`).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Table, case, select, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from ..models import OutboxKind, OutboxStatus

OUTBOX: Table = SQLModel.metadata.tables["outboxmessage"]
ALERT_KINDS = tuple(OutboxKind.ALERTS)


@dataclass
class ClaimedRow:
    """The columns of one claimed row the dispatcher needs, read by name."""

    id: int
    key: str
    kind: str
    channel: str
    to_encrypted: str
    to_hash: str | None
    route: str | None
    body: str
    subject: str | None
    html_body: str | None
    attachments: list | None
    alert_id: int | None
    attempt: int | None
    respect_window: bool
    under_16: bool
    attempts: int
    error_code: str | None
    updated_at: datetime | None
    claimed_at: datetime | None
    claimed_by: str | None

    @classmethod
    def from_row(cls, row: Any) -> ClaimedRow:
        """Build from a result row of `COLUMNS`, in their order (by position: a name look-up per column per row
        cost a claim of a few hundred rows more than the statement itself)."""
        return cls(*row)


COLUMN_NAMES = tuple(field.name for field in fields(ClaimedRow))
COLUMNS = tuple(OUTBOX.c[name] for name in COLUMN_NAMES)


def _process_start() -> str:
    """This process's start time in clock ticks (Linux), so a reused pid is not mistaken for us."""
    try:
        with open(f"/proc/{os.getpid()}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return "0"


_WORKER: tuple[int, str] | None = None


def worker_id() -> str:
    """This process's dispatcher identity, "host:pid:start"; recomputed after a fork."""
    global _WORKER
    if _WORKER is None or _WORKER[0] != os.getpid():
        _WORKER = (os.getpid(), f"{socket.gethostname()}:{os.getpid()}:{_process_start()}"[:80])
    return _WORKER[1]


def owner_is_dead(owner: str | None) -> bool:
    """True when the claiming dispatcher certainly no longer runs (same host, process gone)."""
    if not owner:
        return False
    try:
        host, pid_text, start = owner.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if host != socket.gethostname():
        return False  # another machine: only its lease can tell
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read().rsplit(b")", 1)[1].split()
        if stat[0] == b"Z":
            return True
        return start != "0" and stat[19].decode() != start
    except FileNotFoundError:
        return True
    except (OSError, IndexError):
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def priority_order():
    """Alerts first, then oldest due first."""
    return (case((OUTBOX.c.kind.in_(ALERT_KINDS), 0), else_=1), OUTBOX.c.not_before, OUTBOX.c.id)


def claim(connection: Connection, *, me: str, now: datetime, limit: int, postgres: bool) -> list[ClaimedRow]:
    """Claim up to `limit` due pending rows for `me` in one UPDATE ... RETURNING; alerts first."""
    due = (
        select(OUTBOX.c.id)
        .where(OUTBOX.c.status == OutboxStatus.PENDING, OUTBOX.c.not_before <= now)
        .order_by(*priority_order())
        .limit(limit)
    )
    if postgres:
        # Materialised, so it runs once: a plan that re-ran it for each row would skip the rows this
        # very statement had just updated and claim the next ones, past the limit.
        chosen = due.with_for_update(skip_locked=True).cte("due").prefix_with("MATERIALIZED")
        ids = select(chosen.c.id).scalar_subquery()
    else:
        ids = due.scalar_subquery()
    result = connection.execute(
        update(OUTBOX)
        .where(OUTBOX.c.id.in_(ids), OUTBOX.c.status == OutboxStatus.PENDING)
        # updated_at is left alone: it says when the last attempt ended, which a look-up after a time-out needs.
        .values(status=OutboxStatus.SENDING, claimed_by=me, claimed_at=now)
        .returning(*COLUMNS)
    )
    rows = [ClaimedRow.from_row(row) for row in result]
    alerts = set(ALERT_KINDS)
    rows.sort(key=lambda row: (row.kind not in alerts, row.id))
    return rows


def claim_batch(engine: Engine, *, me: str, now: datetime, limit: int) -> list[ClaimedRow]:
    """Claim a batch in its own transaction."""
    with engine.begin() as connection:
        return claim(connection, me=me, now=now, limit=limit, postgres=engine.dialect.name == "postgresql")


def unclaim(engine: Engine, ids: list[int], *, me: str) -> None:
    """Give back rows `me` claimed and never tried, exactly as they were (due, attempts and times kept)."""
    if not ids:
        return
    with engine.begin() as connection:
        connection.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(ids), OUTBOX.c.claimed_by == me, OUTBOX.c.status == OutboxStatus.SENDING)
            .values(status=OutboxStatus.PENDING, claimed_by=None)
        )
