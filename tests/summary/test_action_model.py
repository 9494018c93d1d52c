"""The Action table: constraints keep impossible records out."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from tests.factories import launch
from voice_service.db import session_scope
from voice_service.models import Action, ActionStatus, utcnow


def test_action_round_trip(services):
    round_id = launch(services)
    with session_scope(services.engine) as session:
        session.add(
            Action(
                round_id=round_id,
                pledge=1,
                said="Buses feel unsafe at night",
                did="Taxi passes for late journeys",
                status=ActionStatus.PLANNED,
            )
        )
    with session_scope(services.engine) as session:
        action = session.exec(Action.__table__.select()).first()
        assert action.pledge == 1 and action.status == "planned"


@pytest.mark.parametrize(
    "fields",
    [
        {"pledge": 1, "status": "finished"},  # not a status
        {"pledge": 1, "status": ActionStatus.DONE},  # done without a done time
        {"status": ActionStatus.PLANNED},  # about nothing
    ],
)
def test_constraints(services, fields):
    round_id = launch(services)
    with pytest.raises(IntegrityError):
        with session_scope(services.engine) as session:
            session.add(Action(round_id=round_id, said="x", did="y", **fields))


def test_done_needs_done_at(services):
    round_id = launch(services)
    with session_scope(services.engine) as session:
        session.add(
            Action(round_id=round_id, theme="safety", said="x", did="y", status=ActionStatus.DONE, done_at=utcnow())
        )
