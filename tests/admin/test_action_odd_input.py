"""New-user trial: an action due 1 January 1990 was saved as planned with no warning, and a "You said" of 20,000
characters was saved and printed whole on the actions page and in the round's summary. The form and `voice-service
action add|update` refuse both, as they refuse any other wrong field: clearly, keeping what was typed."""

from __future__ import annotations

from datetime import UTC, datetime
from html import unescape

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from tests.admin.test_form_dates import _marked, _summary
from tests.factories import add_participants, launch, phone_number
from tests.summary.test_render import _env
from voice_service.cli import main
from voice_service.models import Action
from voice_service.models.action import DID_MAX, OWNER_MAX, SAID_MAX

NOW = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
OPENED = datetime(2026, 11, 11, 9, 0, tzinfo=UTC)
BEFORE_IT_OPENED = (
    "The due date must not be before round 1 opened on 11 November 2026: the action answers what young people said "
    "in it"
)


@pytest.fixture
def round_id(services, monkeypatch) -> int:
    """A round opened on 11 November 2026, with the actions' clock at 1 December 2026."""
    monkeypatch.setattr("voice_service.web.admin.actions.utcnow", lambda: NOW)
    monkeypatch.setattr("voice_service.cli.actions.utcnow", lambda: NOW)
    add_participants(services, [{"phone": phone_number(1)}])
    return launch(services, now=OPENED)


def _saved(services) -> list[Action]:
    with Session(services.engine) as session:
        return list(session.exec(select(Action)).all())


def test_a_planned_action_due_before_its_round_opened_is_refused_with_what_was_typed_kept(
    services, admin_client, round_id
):
    worker = admin_client("worker")
    form = {"round": str(round_id), "pledge": "1", "said": "More to do", "did": "A youth club", "status": "planned"}
    page = worker.post_form("/admin/actions/new", form | {"due-day": "1", "due-month": "1", "due-year": "1990"})
    assert page.status_code == 400
    assert _summary(page.data) == [("due-day", BEFORE_IT_OPENED)]
    assert _marked(page.data) == {"due-day", "due-month", "due-year"}
    html = unescape(page.data.decode())
    assert 'value="1990"' in html and "More to do</textarea>" in html and "A youth club</textarea>" in html
    assert _saved(services) == []
    # Done, it may have been due before: what was done before the round is still an answer to it.
    done = worker.post_form(
        "/admin/actions/new", form | {"status": "done", "due-day": "1", "due-month": "11", "due-year": "2026"}
    )
    assert done.status_code == 303
    # Planned and overdue (due since the round opened) is kept: it is overdue, not a slip.
    overdue = worker.post_form("/admin/actions/new", form | {"due-day": "20", "due-month": "11", "due-year": "2026"})
    assert overdue.status_code == 303
    assert sorted(str(a.due_on) for a in _saved(services)) == ["2026-11-01", "2026-11-20"]


def test_a_text_longer_than_its_limit_is_refused_with_what_was_typed_kept(services, admin_client, round_id):
    worker = admin_client("worker")
    blank = worker.get(f"/admin/actions/new?round={round_id}").get_data(as_text=True)
    # The one limit each: the form counts to it, as the server checks it.
    assert f'data-maxlength="{SAID_MAX}"' in blank and f'data-maxlength="{DID_MAX}"' in blank
    # The owner's box says its limit and never cuts a longer name short without a word (no `maxlength`).
    assert f"(up to {OWNER_MAX} characters)" in blank and 'id="owner" name="owner" type="text" value=""' in blank
    said, did, owner = "x" * 20_000, "y" * (DID_MAX + 1), "z" * (OWNER_MAX + 1)
    form = {"round": str(round_id), "pledge": "1", "status": "planned"}
    page = worker.post_form("/admin/actions/new", form | {"said": said, "did": did, "owner": owner})
    assert page.status_code == 400
    assert _summary(page.data) == [
        ("said", "You said must be 500 characters or fewer (it has 20,000)"),
        ("did", "We did must be 1,000 characters or fewer (it has 1,001)"),
        ("owner", "The owner must be 120 characters or fewer (it has 121)"),
    ]
    html = page.data.decode()
    assert f">{said}</textarea>" in html and f">{did}</textarea>" in html and f'value="{owner}"' in html
    assert _saved(services) == []
    kept = worker.post_form(
        "/admin/actions/new", form | {"said": said[:SAID_MAX], "did": did[:DID_MAX], "owner": owner[:OWNER_MAX]}
    )
    assert kept.status_code == 303
    assert [len(a.said) for a in _saved(services)] == [SAID_MAX]
    listed = worker.get(f"/admin/actions?round={round_id}").get_data(as_text=True)
    assert said[:SAID_MAX] in listed and said[: SAID_MAX + 1] not in listed


def test_the_command_line_refuses_the_same(services, round_id, tmp_path):
    env = _env(services, tmp_path)
    run = CliRunner().invoke
    add = ["action", "add", "--round", str(round_id), "--pledge", "1", "--did", "A youth club"]
    long = run(main, [*add, "--said", "x" * 20_000], env=env)
    assert long.exit_code == 2 and "Invalid value for --said: must be 500 characters or fewer (it has 20,000)" in (
        long.output
    )
    early = run(main, [*add, "--said", "More to do", "--due", "1/1/1990"], env=env)
    assert early.exit_code == 2
    assert "Invalid value for --due: must not be before round 1 opened on 11 November 2026" in early.output
    assert _saved(services) == []
    added = run(main, [*add, "--said", "More to do", "--due", "31/3/2027"], env=env)
    assert added.exit_code == 0, added.output
    action_id = added.output.strip().splitlines()[-1]
    moved = run(main, ["action", "update", action_id, "--due", "1 January 1990"], env=env)
    assert moved.exit_code == 2 and "must not be before round 1 opened" in moved.output
    longer = run(main, ["action", "update", action_id, "--owner", "z" * (OWNER_MAX + 1)], env=env)
    assert longer.exit_code == 2 and "must be 120 characters or fewer (it has 121)" in longer.output
    [action] = _saved(services)
    assert str(action.due_on) == "2027-03-31" and action.owner is None
    done = run(main, ["action", "update", action_id, "--status", "done", "--due", "1/11/2026"], env=env)
    assert done.exit_code == 0, done.output
