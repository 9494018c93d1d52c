"""Closing a round withdraws what would still ask people into it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from tests.factories import add_participants, launch, phone_number
from voice_service.db import session_scope
from voice_service.models import OutboxKind, OutboxMessage, OutboxStatus
from voice_service.summary.loop import close_and_tell

LAUNCHED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CLOSED = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)


def _rows(services) -> list[OutboxMessage]:
    with Session(services.engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_closing_a_round_cancels_its_unsent_invitations_but_not_what_has_gone(services):
    add_participants(services, [{"phone": phone_number(i), "age": 15} for i in range(70, 73)])
    round_id = launch(services, now=LAUNCHED)
    first, *waiting = [row.id for row in _rows(services)]
    with session_scope(services.engine) as session:
        session.get(OutboxMessage, first).status = OutboxStatus.SENT  # one invitation went out before closing
    close_and_tell(services, round_id, now=CLOSED)

    by_id = {row.id: row for row in _rows(services)}
    assert by_id[first].status == OutboxStatus.SENT
    for row_id in waiting:
        assert (by_id[row_id].status, by_id[row_id].error_message) == (OutboxStatus.CANCELLED, "round closed")
    invitations = [row for row in by_id.values() if row.kind == OutboxKind.INVITATION]
    assert [row.status for row in invitations].count(OutboxStatus.PENDING) == 0

    close_and_tell(services, round_id, now=CLOSED)  # closing again changes nothing
    assert {row.id: row.status for row in _rows(services)} == {row.id: row.status for row in by_id.values()}
