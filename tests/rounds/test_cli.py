"""`round schedule`, `round schedules`, `round unschedule`, `round status` and `outbox flush` from the command line."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import update
from sqlmodel import select

from tests.factories import add_participants, launch, phone_number
from tests.outbox.helpers import environment
from voice_service.cli import main
from voice_service.db import session_scope
from voice_service.models import OptOut, OutboxMessage, Participant, Run, RunStatus, utcnow


def _run(config, *args):
    result = CliRunner().invoke(
        main, list(args), env=environment(config) | {"VOICE_CONFIG": ""}, catch_exceptions=False
    )
    return result


def test_schedule_a_recurring_round_and_list_it_with_its_next_run(services):
    result = _run(
        services.config,
        "round",
        "schedule",
        "--survey",
        "pulse",
        "--every",
        "every 3 months on the first tuesday",
        "--status",
        "in_care",
        "--open-days",
        "10",
    )
    assert result.exit_code == 0, result.output
    schedule_id = result.output.strip().splitlines()[-1]
    assert schedule_id == "1" and "next run Tue " in result.output
    listed = _run(services.config, "round", "schedules")
    assert "every 3 months on the first tuesday" in listed.output and "status=in_care" in listed.output
    assert _run(services.config, "round", "unschedule", "1").exit_code == 0
    assert "stopped" in _run(services.config, "round", "schedules").output


def test_bad_cadence_is_explained(services):
    result = _run(services.config, "round", "schedule", "--survey", "pulse", "--every", "every fortnight")
    assert result.exit_code == 1 and "every 3 months on the first tuesday" in result.output


def test_round_status_counts(services):
    add_participants(services, [{"phone": phone_number(i), "age": 17} for i in range(4)])
    round_id = launch(services)
    flushed = _run(services.config, "outbox", "flush")  # the console provider in tests' default config
    assert flushed.exit_code == 0 and "sent 4" in flushed.output
    with session_scope(services.engine) as session:
        session.exec(update(OutboxMessage).where(OutboxMessage.participant_id == 1).values(status="delivered"))
        session.exec(update(OutboxMessage).where(OutboxMessage.participant_id == 2).values(status="failed"))
        runs = {r.participant_id: r for r in session.exec(select(Run)).all()}
        runs[3].status, runs[3].started_at, runs[3].ended_at = RunStatus.FINISHED, utcnow(), utcnow()
        session.add(OptOut(phone_hash=session.get(Participant, 4).phone_hash, keyword="stop"))
    result = _run(services.config, "round", "status", str(round_id))
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split()[-1] for line in result.output.splitlines()[1:] if line.strip()}
    assert lines["invited"] == "100%" and "4" in result.output.splitlines()[1]
    assert (lines["delivered"], lines["failed"], lines["started"], lines["finished"], lines["opted"]) == (
        "1",
        "1",
        "1",
        "1",
        "1",
    )
    assert _run(services.config, "round", "status", "99").exit_code == 1
