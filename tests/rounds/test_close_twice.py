"""Closing a round that is already closed says so and tells no young person anything (trial finding 38:
"round 2 closed; 1 thank-you text queued" hours later, to someone who had said STOP in that round and
opted back in since). And whoever is still stopped in a round when it closes is never thanked for it, opted
back in or not; START while it is open offers their run again, and they are thanked (trial2 finding F6)."""

from __future__ import annotations

from datetime import UTC, datetime

from click.testing import CliRunner
from sqlmodel import col, select

from tests.conftest import SmsPhone, make_config
from tests.factories import add_participants, launch, phone_number
from tests.summary import data
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.models import OutboxMessage, Run, RunStatus
from voice_service.summary.loop import close_and_tell
from voice_service.web import create_app

CLOSED = datetime(2026, 11, 30, 15, 24, tzinfo=UTC)


def _loop_keys(services) -> set[str]:
    with session_scope(services.engine) as session:
        return set(session.exec(select(OutboxMessage.key).where(col(OutboxMessage.kind) == "loop")).all())


def test_a_closed_round_closed_again_says_when_and_thanks_nobody(database_url, tmp_path):
    from voice_service.cli import main

    config = make_config(database_url, panel={"drop_dir": str(tmp_path)})
    services = Services.from_config(config)
    try:
        ids = data.people(services, 6)
        round_id = data.round_at(services)
        data.scale_answers(services, round_id, ids, [4] * 6)
        stopper = ids[0]
        with session_scope(services.engine) as session:
            # They answered, then said STOP in this round; no opt-out stands now (they texted START since).
            run = session.exec(select(Run).where(Run.round_id == round_id, Run.participant_id == stopper)).one()
            run.status, run.ended_at = RunStatus.STOPPED, datetime(2026, 11, 30, 14, 50, tzinfo=UTC)
        first = close_and_tell(services, round_id, now=CLOSED)
        assert first.was_open and first.told.texts == 5
        assert f"loop:{round_id}:{stopper}" not in _loop_keys(services)

        env = {
            f"VOICE_{s.upper()}_{k.upper()}": ",".join(v) if isinstance(v, list) else str(v)
            for s, values in config.as_dict().items()
            for k, v in values.items()
        }
        before = _loop_keys(services)
        again = CliRunner(env=env).invoke(main, ["round", "close", str(round_id)])
        assert again.exit_code == 0, again.output
        assert f"round {round_id} was already closed on 30 November 2026" in again.stdout
        assert "queued" not in again.stdout.splitlines()[0] and "closed;" not in again.stdout
        assert _loop_keys(services) == before
    finally:
        services.engine.dispose()


def test_stop_then_start_while_the_round_is_open_is_thanked_stop_alone_is_not(services):
    """Two young people answer, then text STOP; one texts START before the round closes (her run is offered
    again: she asked to hear from us). Closing thanks her, not the one still stopped, as the README says."""
    add_participants(services, [{"phone": phone_number(i), "first_name": n} for i, n in ((1, "Amira"), (2, "Ben"))])
    round_id = launch(services)
    app = create_app(services=services).test_client()
    amira, ben = SmsPhone(app, phone_number(1)), SmsPhone(app, phone_number(2))
    for phone in (amira, ben):
        phone.send("YES")
        phone.send("4")
        phone.send("STOP")
    amira.send("START")
    with session_scope(services.engine) as session:
        statuses = dict(session.exec(select(Run.participant_id, Run.status).where(Run.round_id == round_id)).all())
    assert statuses == {1: RunStatus.INVITED, 2: RunStatus.STOPPED}
    told = close_and_tell(services, round_id, now=CLOSED)
    assert told.told.texts == 1
    assert {key.rsplit(":", 1)[1] for key in _loop_keys(services)} == {"1"}
