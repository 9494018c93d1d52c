"""Writing what happened to a batch: every outcome in one transaction, one executemany per kind of change.

`block_number` is the one rule for a number that must not be texted again (opted out at the
carrier, or invalid): it goes in the opt-out register and its pending texts are cancelled.
The dispatcher's write path and Twilio's status callbacks both use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Table, bindparam, case, exists, func, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from ..models import OutboxKind, OutboxStatus, RunStatus
from ..models.base import UTCDateTime

OUTBOX: Table = SQLModel.metadata.tables["outboxmessage"]
OPTOUT: Table = SQLModel.metadata.tables["optout"]
RUN: Table = SQLModel.metadata.tables["run"]
# Survey texts that ask them to answer their run: once one has gone, it is the latest thing they were sent,
# so it ends "talking to a person" (`inbound.situation.Sender.talking_to_person` reads the run's `updated_at`).
RUN_TEXTS = (OutboxKind.INVITATION, OutboxKind.REMINDER)


def block_number(connection: Connection, *, phone_hash: str, keyword: str, now: datetime) -> int:
    """Record the number in the opt-out register (keeping an earlier entry) and cancel its pending texts.

    Returns how many pending texts were cancelled.
    """
    exists = connection.execute(select(OPTOUT.c.phone_hash).where(OPTOUT.c.phone_hash == phone_hash)).first()
    if exists is None:
        connection.execute(OPTOUT.insert().values(phone_hash=phone_hash, keyword=keyword, opted_out_at=now))
    result = connection.execute(
        update(OUTBOX)
        .where(
            OUTBOX.c.to_hash == phone_hash,
            OUTBOX.c.status == OutboxStatus.PENDING,
            OUTBOX.c.channel == "sms",
        )
        .values(status=OutboxStatus.CANCELLED, error_message=f"number {keyword}", updated_at=now)
    )
    return result.rowcount or 0


@dataclass
class Outcomes:
    """A batch's outcomes, gathered while sending and written together by `write`."""

    sent: list[dict] = field(default_factory=list)
    released: list[dict] = field(default_factory=list)
    finished: list[dict] = field(default_factory=list)
    blocks: dict[str, str] = field(default_factory=dict)
    run_texts: list[int] = field(default_factory=list)  # ids of sent invitations and reminders

    @property
    def empty(self) -> bool:
        """True when there is nothing to write."""
        return not (self.sent or self.released or self.finished or self.blocks)

    def add(self, other: Outcomes) -> None:
        """Fold in another batch's outcomes (a sending thread's own)."""
        self.sent += other.sent
        self.released += other.released
        self.finished += other.finished
        self.run_texts += other.run_texts
        for phone_hash, keyword in other.blocks.items():
            self.block(phone_hash, keyword)

    def mark_sent(self, row_id: int, *, sid: str | None, when: datetime, attempts: int, kind: str = "") -> None:
        """The provider has it (`kind`: the row's, so an invitation or reminder marks its run as sent to)."""
        self.sent.append({"b_id": row_id, "b_sid": sid, "b_when": when, "b_attempts": attempts})
        if kind in RUN_TEXTS:
            self.run_texts.append(row_id)

    def release(
        self,
        row_id: int,
        *,
        not_before: datetime,
        attempts: int | None = None,
        error_message: str | None = None,
        error_code: str | None = None,
    ) -> None:
        """Back to pending, due again at `not_before`."""
        self.released.append(
            {
                "b_id": row_id,
                "b_not_before": not_before,
                "b_attempts": attempts,
                "b_error_message": error_message,
                "b_error_code": error_code,
            }
        )

    def finish(
        self,
        row_id: int,
        status: str,
        *,
        error_code: str | None = None,
        error_message: str | None = None,
        attempts: int | None = None,
    ) -> None:
        """Failed or cancelled for good."""
        self.finished.append(
            {
                "b_id": row_id,
                "b_status": status,
                "b_error_code": error_code or None,
                "b_error_message": error_message,
                "b_attempts": attempts,
            }
        )

    def block(self, phone_hash: str, keyword: str) -> None:
        """The number must not be texted again (see `block_number`)."""
        self.blocks.setdefault(phone_hash, keyword)


def write(engine: Engine, outcomes: Outcomes, *, me: str, now: datetime) -> None:
    """Write a batch's outcomes in one transaction; only rows still claimed by `me` are touched."""
    if outcomes.empty:
        return
    mine = (OUTBOX.c.id == bindparam("b_id")) & (OUTBOX.c.claimed_by == me)
    with engine.begin() as connection:
        if outcomes.sent and connection.dialect.name == "postgresql":
            _write_sent_postgres(connection, outcomes.sent, me=me, now=now)
        elif outcomes.sent:
            connection.execute(
                update(OUTBOX)
                .where(mine)
                .values(
                    # A status callback may have got here first (delivered, failed): keep what it said.
                    status=case((OUTBOX.c.status == OutboxStatus.SENDING, OutboxStatus.SENT), else_=OUTBOX.c.status),
                    provider_sid=func.coalesce(OUTBOX.c.provider_sid, bindparam("b_sid")),
                    sent_at=func.coalesce(OUTBOX.c.sent_at, bindparam("b_when", type_=UTCDateTime())),
                    attempts=bindparam("b_attempts"),
                    claimed_by=None,
                    error_code=None,
                    error_message=None,
                    updated_at=now,
                ),
                outcomes.sent,
            )
        if outcomes.released:
            connection.execute(
                update(OUTBOX)
                .where(mine & (OUTBOX.c.status == OutboxStatus.SENDING))
                .values(
                    status=OutboxStatus.PENDING,
                    not_before=bindparam("b_not_before"),
                    attempts=func.coalesce(bindparam("b_attempts"), OUTBOX.c.attempts),
                    error_code=bindparam("b_error_code"),
                    error_message=bindparam("b_error_message"),
                    claimed_by=None,
                    updated_at=now,
                ),
                outcomes.released,
            )
        if outcomes.finished:
            connection.execute(
                update(OUTBOX)
                .where(mine & (OUTBOX.c.status == OutboxStatus.SENDING))
                .values(
                    status=bindparam("b_status"),
                    error_code=bindparam("b_error_code"),
                    error_message=bindparam("b_error_message"),
                    attempts=func.coalesce(bindparam("b_attempts"), OUTBOX.c.attempts),
                    claimed_by=None,
                    updated_at=now,
                ),
                outcomes.finished,
            )
        if outcomes.run_texts:
            _runs_sent_to(connection, outcomes.run_texts, now=now)
        for phone_hash, keyword in outcomes.blocks.items():
            block_number(connection, phone_hash=phone_hash, keyword=keyword, now=now)


def _runs_sent_to(connection: Connection, row_ids: list[int], *, now: datetime) -> None:
    """A survey text has gone for these runs: it is now the latest thing they were sent, after any worker's
    reply, so their next message answers the survey again (the run's `updated_at` says when it last moved or
    was sent to)."""
    sent = exists().where(
        OUTBOX.c.id.in_(row_ids),
        OUTBOX.c.round_id == RUN.c.round_id,
        OUTBOX.c.participant_id == RUN.c.participant_id,
    )
    connection.execute(
        update(RUN).where(RUN.c.status.in_(RunStatus.WAITING), RUN.c.updated_at < now, sent).values(updated_at=now)
    )


# The same change as the executemany in `write`, in one statement: PostgreSQL runs one UPDATE joined to the
# batch's arrays instead of one per row (for a batch of 200, about half the time in the server and a third in
# the client). SQLite runs in-process, where the executemany costs as little.
_SENT_POSTGRES = text(
    """
    UPDATE outboxmessage AS o
    SET status = CASE WHEN o.status = :sending THEN :sent ELSE o.status END,
        provider_sid = coalesce(o.provider_sid, v.sid),
        sent_at = coalesce(o.sent_at, v.sent_at),
        attempts = v.attempts,
        claimed_by = NULL,
        error_code = NULL,
        error_message = NULL,
        updated_at = :now
    FROM unnest(
        CAST(:ids AS integer[]), CAST(:sids AS varchar[]), CAST(:whens AS timestamptz[]), CAST(:attempts AS integer[])
    ) AS v(id, sid, sent_at, attempts)
    WHERE o.id = v.id AND o.claimed_by = :me
    """
)


def _write_sent_postgres(connection: Connection, sent: list[dict], *, me: str, now: datetime) -> None:
    utc = UTCDateTime()  # the columns' own type: refuses a naive time, as every other write does
    connection.execute(
        _SENT_POSTGRES,
        {
            "ids": [item["b_id"] for item in sent],
            "sids": [item["b_sid"] for item in sent],
            "whens": [utc.process_bind_param(item["b_when"], connection.dialect) for item in sent],
            "attempts": [item["b_attempts"] for item in sent],
            "sending": OutboxStatus.SENDING,
            "sent": OutboxStatus.SENT,
            "now": utc.process_bind_param(now, connection.dialect),
            "me": me,
        },
    )
