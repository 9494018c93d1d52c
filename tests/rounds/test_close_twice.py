"""Closing a round that is already closed says so and tells no young person anything (trial finding 38:
"round 2 closed; 1 thank-you text queued" hours later, to someone who had said STOP in that round and
opted back in since). And whoever stopped a round is never thanked for it, opted back in or not."""

from __future__ import annotations

from datetime import UTC, datetime

from click.testing import CliRunner
from sqlmodel import col, select

from tests.conftest import make_config
from tests.summary import data
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.models import OutboxMessage, Run, RunStatus
from voice_service.summary.loop import close_and_tell

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
