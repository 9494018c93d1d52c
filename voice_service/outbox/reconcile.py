"""Settling rows whose send may or may not have reached the provider, before anything is sent again.

A row still "sending" whose dispatcher has died (same host, process gone) or whose lease has
run out is ambiguous. Its channel's sender is asked for copies accepted since the claim
(`Sender.find_sent`): found means sent (its provider id is recorded), not found means pending
again. A status callback carrying `?outbox=<id>` settles it too (`status.py`). A send that
timed out is equally ambiguous, so the dispatcher looks it up the same way before retrying.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Table, or_, select, update
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from ..models import OutboxStatus
from .channels import Outgoing, Sender, TransientFailure
from .lease import COLUMNS, ClaimedRow, owner_is_dead

log = logging.getLogger(__name__)

OUTBOX: Table = SQLModel.metadata.tables["outboxmessage"]


def unclaimed_sid(engine: Engine, *, row_id: int, sids: list[str]) -> str | None:
    """The first of `sids` no other outbox row has recorded, so one message never answers for two rows."""
    if not sids:
        return None
    with engine.connect() as connection:
        taken = set(
            connection.execute(
                select(OUTBOX.c.provider_sid).where(OUTBOX.c.provider_sid.in_(sids), OUTBOX.c.id != row_id)
            ).scalars()
        )
    return next((sid for sid in sids if sid not in taken), None)


def already_sent(engine: Engine, sender: Sender, row: ClaimedRow, message: Outgoing, since: datetime) -> str | None:
    """The provider id of this row's message if the provider has it; TransientFailure when it cannot say."""
    return unclaimed_sid(engine, row_id=row.id, sids=sender.find_sent(message, since))


def stale_rows(engine: Engine, *, me: str, now: datetime, lease: timedelta) -> tuple[list[ClaimedRow], int]:
    """Rows left "sending" by a dead dispatcher or past their lease, and how many live ones are left alone."""
    with engine.connect() as connection:
        found = connection.execute(
            select(*COLUMNS).where(
                OUTBOX.c.status == OutboxStatus.SENDING,
                # Our own rows too once their lease is out: a batch this process abandoned
                # after an error (a locked database, say) is never claimed again otherwise.
                or_(OUTBOX.c.claimed_by.is_(None), OUTBOX.c.claimed_by != me, OUTBOX.c.claimed_at <= now - lease),
            )
        ).all()
    candidates, waiting = [], 0
    for record in found:
        row = ClaimedRow.from_row(record)
        claimed_at = row.claimed_at or now - lease
        if claimed_at <= now - lease or owner_is_dead(row.claimed_by):
            candidates.append(row)
        else:
            waiting += 1
    return candidates, waiting


def settle(
    engine: Engine,
    row: ClaimedRow,
    *,
    sender: Sender | None,
    message: Callable[[ClaimedRow], Outgoing],
    now: datetime,
    lease: timedelta,
) -> str | None:
    """Settle one stale row: "sent" (the provider had it), "pending" (queued again), "unreadable" (queued
    again, still to be looked up, because no configured phone key opens its address), or None (cannot tell yet)."""
    since = row.claimed_at or now - lease
    condition = (OUTBOX.c.id == row.id) & (OUTBOX.c.status == OutboxStatus.SENDING)
    condition &= OUTBOX.c.claimed_by.is_(None) if row.claimed_by is None else (OUTBOX.c.claimed_by == row.claimed_by)
    sid = None
    if sender is not None:
        try:
            outgoing = message(row)
        except ValueError:
            # The wrong phone key: the provider cannot be asked, so the row is queued again marked
            # unconfirmed, and is looked up before any resend once the right key is configured.
            with engine.begin() as connection:
                connection.execute(
                    update(OUTBOX)
                    .where(condition)
                    .values(
                        status=OutboxStatus.PENDING,
                        claimed_by=None,
                        updated_at=now,
                        # dispatch.UNCONFIRMED (not imported: dispatch imports this module)
                        error_code="unconfirmed" if row.channel == "sms" else row.error_code,
                    )
                )
            return "unreadable"
        try:
            sid = already_sent(engine, sender, row, outgoing, since)
        except TransientFailure as exc:
            log.warning("outbox %s: cannot reconcile yet (%s)", row.id, exc)
            return None
    with engine.begin() as connection:
        if sid is not None:
            connection.execute(
                update(OUTBOX)
                .where(condition)
                .values(
                    status=OutboxStatus.SENT,
                    provider_sid=sid,
                    sent_at=now,
                    updated_at=now,
                    claimed_by=None,
                    error_code=None,
                    error_message=None,
                )
            )
            return "sent"
        # Not at the provider (or a channel with no look-up, where a repeat notice is harmless).
        connection.execute(
            update(OUTBOX).where(condition).values(status=OutboxStatus.PENDING, claimed_by=None, updated_at=now)
        )
    return "pending"
