"""The worker is warned on the action form and by `action add` when an action's "You said" will be kept private:
its round had fewer than 5 answering, or its theme was raised by fewer than 5 (tester T15)."""

from __future__ import annotations

from click.testing import CliRunner

from tests.summary import data
from tests.summary.test_loop import _busy_round
from tests.summary.test_small_actions import DID, MUM, _action
from voice_service.cli import main
from voice_service.db import session_scope
from voice_service.summary import render, summarise


def test_the_worker_is_warned_on_the_action_form_and_by_action_add(services, admin_client):
    ids = data.people(services, 3)
    round_id = data.round_at(services)
    data.scale_answers(services, round_id, ids, [4, 4, 4])
    action_id = _action(services, round_id)
    worker = admin_client("worker")
    form = worker.get(f"/admin/actions/{action_id}").get_data(as_text=True)
    assert 'id="kept-private"' in form and "fewer than 5 young people answered this round" in form
    saved = worker.post_form(
        "/admin/actions/new",
        {"round": str(round_id), "theme": "family_and_friends", "said": MUM, "did": DID, "status": "planned"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Action saved" in saved and "will not show what you write under" in saved

    env = {
        f"VOICE_{section.upper()}_{key.upper()}": ",".join(value) if isinstance(value, list) else str(value)
        for section, values in services.config.as_dict().items()
        for key, value in values.items()
    }
    args = ["action", "add", "--round", str(round_id), "--pledge", "1", "--said", MUM, "--did", DID]
    result = CliRunner(env=env).invoke(main, [*args, "--status", "planned"])
    assert result.exit_code == 0, result.output
    assert "fewer than 5 young people answered this round" in result.output


def test_a_busy_round_and_theme_print_the_workers_words_and_warn_nobody(services, admin_client):
    _, round_id = _busy_round(services)
    action_id = _action(services, round_id, said="Not safe on the bus home", theme="safety")
    form = admin_client("worker").get(f"/admin/actions/{action_id}").get_data(as_text=True)
    assert 'id="kept-private"' not in form
    data.closed(services, round_id)  # the summary prints its words once the round is closed (`summary.open_round`)
    with session_scope(services.engine) as session:
        summary = summarise(session=session, services=services, round_id=round_id)
    assert "Not safe on the bus home" in render(summary, "md").decode("utf-8")


def test_an_action_with_only_a_pledge_warns_when_fewer_than_5_raised_its_themes(services, admin_client):
    """Trial 6, F2: `action add --pledge 1` with no theme printed no warning though its words were to be kept
    private (nobody raised pledge 1's theme), and neither warning told the worker to write what was done so
    nobody can be recognised, as docs/data-protection.md says both do."""
    _, round_id = _busy_round(services)  # 15 answered; safety (pledge 1) raised by 8, nobody raised carers
    env = {
        f"VOICE_{section.upper()}_{key.upper()}": ",".join(value) if isinstance(value, list) else str(value)
        for section, values in services.config.as_dict().items()
        for key, value in values.items()
    }
    args = ["action", "add", "--round", str(round_id), "--said", "Homes are cold", "--did", DID]
    result = CliRunner(env=env).invoke(main, [*args, "--pledge", "5"])
    assert result.exit_code == 0, result.output
    assert "fewer than 5 young people raised each of this pledge's themes" in result.output
    assert "write it so that nobody can be recognised" in result.output
    quiet = CliRunner(env=env).invoke(main, [*args, "--pledge", "1"])
    assert quiet.exit_code == 0 and "warning" not in quiet.output, quiet.output
    worker = admin_client("worker")
    form = worker.get(f"/admin/actions/new?round={round_id}&pledge=5").get_data(as_text=True)
    assert 'id="kept-private"' in form and "each of this pledge" in form
    assert "write it so that nobody can be recognised" in form
    saved = worker.post_form(
        "/admin/actions/new",
        {"round": str(round_id), "message": "1", "said": "Homes are cold", "did": DID, "status": "planned"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Action saved" in saved and "each of this top-ten message" in saved
