"""Actions page functions: the form checked against the council's pledges and themes; done dates kept right."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from tests.factories import add_participants, launch, phone_number
from voice_service.db import session_scope
from voice_service.web.admin.actions_service import ActionFormError, actions_by_pledge, read_action_form, save_action

NOW = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
TODAY = NOW.date()
OPENED = NOW - timedelta(days=20)  # the round's: the clock is passed in, never read


def test_add_then_finish_then_reopen(services):
    add_participants(services, [{"phone": phone_number(1)}])
    round_id = launch(services, now=OPENED)
    form = {
        "round": str(round_id),
        "pledge": "1",
        "said": "Feel unsafe at night",
        "did": "Night checks",
        "owner": "Head of service",
        "due": "2027-01-31",
    }
    with session_scope(services.engine) as session:
        fields = read_action_form(
            form, catalogue=services.catalogue, themes={"safety": "Safety"}, session=session, today=TODAY
        )
        action = save_action(session=session, fields=fields, now=NOW)
        action_id = action.id
        assert action.status == "planned" and action.done_at is None
        done = read_action_form(
            form | {"status": "done"}, catalogue=services.catalogue, themes={}, session=session, today=TODAY
        )
        assert save_action(session=session, fields=done, action_id=action_id, now=NOW).done_at == NOW
        again = read_action_form(
            form | {"status": "in_progress"}, catalogue=services.catalogue, themes={}, session=session, today=TODAY
        )
        assert save_action(session=session, fields=again, action_id=action_id, now=NOW).done_at is None
    with Session(services.engine) as session:
        grouped = actions_by_pledge(session=session)
        assert [a.id for a in grouped[1]] == [action_id]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"round": "999"}, "round"),
        ({"pledge": "99"}, "pledge"),
        ({"pledge": "", "theme": ""}, "pledge"),
        ({"theme": "pets"}, "theme"),
        ({"said": " "}, "said"),
        ({"status": "finished"}, "status"),
        ({"due": "soon"}, "due"),
        ({"said": "s" * 501}, "said"),
        ({"did": "d" * 1001}, "did"),
        ({"owner": "o" * 121}, "owner"),
        ({"due": "2026-11-10"}, "due"),  # the day before the round opened
        ({"due": "2025-11-30", "status": "in_progress"}, "due"),
    ],
)
def test_a_bad_form_names_its_field(services, change, field):
    add_participants(services, [{"phone": phone_number(1)}])
    round_id = launch(services, now=OPENED)
    form = {"round": str(round_id), "pledge": "1", "said": "s", "did": "d"} | change
    with Session(services.engine) as session, pytest.raises(ActionFormError) as caught:
        read_action_form(form, catalogue=services.catalogue, themes={"safety": "Safety"}, session=session, today=TODAY)
    assert caught.value.field == field


def test_a_due_date_more_than_a_year_ago_is_refused_unless_the_action_is_done(services):
    """New-user trial: "due 1 January 1990" was saved as planned. An action not yet done may be overdue, but
    not due more than a year before today (the round, here, opened longer ago than that)."""
    add_participants(services, [{"phone": phone_number(1)}])
    round_id = launch(services, now=NOW - timedelta(days=400))  # opened 27 October 2025
    form = {"round": str(round_id), "pledge": "1", "said": "s", "did": "d", "status": "planned"}

    def read(**change):
        with Session(services.engine) as session:
            return read_action_form(
                form | change, catalogue=services.catalogue, themes={}, session=session, today=TODAY
            )

    with pytest.raises(ActionFormError) as caught:
        read(due="2025-11-01")
    assert caught.value.errors() == {
        "due": "The due date is more than a year ago: check the year (an action that is planned or in progress "
        "must be due after 1 December 2025)"
    }
    assert str(read(due="2025-12-15").due_on) == "2025-12-15"  # overdue, not a slip of the year
    assert str(read(due="2025-11-01", status="done").due_on) == "2025-11-01"  # done: it was due then
    assert read(said="s" * 500, did="d" * 1000, owner="o" * 120).said == "s" * 500  # each at its longest is kept
