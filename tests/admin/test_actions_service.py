"""Actions page functions: the form checked against the council's pledges and themes; done dates kept right."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from tests.factories import add_participants, launch, phone_number
from voice_service.db import session_scope
from voice_service.web.admin.actions_service import ActionFormError, actions_by_pledge, read_action_form, save_action

NOW = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


def test_add_then_finish_then_reopen(services):
    add_participants(services, [{"phone": phone_number(1)}])
    round_id = launch(services)
    form = {
        "round": str(round_id),
        "pledge": "1",
        "said": "Feel unsafe at night",
        "did": "Night checks",
        "owner": "Head of service",
        "due": "2027-01-31",
    }
    with session_scope(services.engine) as session:
        fields = read_action_form(form, catalogue=services.catalogue, themes={"safety": "Safety"}, session=session)
        action = save_action(session=session, fields=fields, now=NOW)
        action_id = action.id
        assert action.status == "planned" and action.done_at is None
        done = read_action_form(form | {"status": "done"}, catalogue=services.catalogue, themes={}, session=session)
        assert save_action(session=session, fields=done, action_id=action_id, now=NOW).done_at == NOW
        again = read_action_form(
            form | {"status": "in_progress"}, catalogue=services.catalogue, themes={}, session=session
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
    ],
)
def test_a_bad_form_names_its_field(services, change, field):
    add_participants(services, [{"phone": phone_number(1)}])
    round_id = launch(services)
    form = {"round": str(round_id), "pledge": "1", "said": "s", "did": "d"} | change
    with Session(services.engine) as session, pytest.raises(ActionFormError) as caught:
        read_action_form(form, catalogue=services.catalogue, themes={"safety": "Safety"}, session=session)
    assert caught.value.field == field
