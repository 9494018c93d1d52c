"""A round's "opted out" is what happened in that round: its runs their own STOP ended (trial finding 2: a
closed round showed 48 finished and 7 opted out of 48, the 7 having said STOP in a later round)."""

from __future__ import annotations

import re

from click.testing import CliRunner
from sqlmodel import select

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.outbox.helpers import environment
from voice_service.cli import main
from voice_service.db import session_scope
from voice_service.models import Run, RunStatus, utcnow
from voice_service.rounds.launch import close_round
from voice_service.rounds.progress import round_progress


def _status_line(services, round_id: int, name: str) -> str:
    result = CliRunner().invoke(
        main, ["round", "status", str(round_id)], env=environment(services.config) | {"VOICE_CONFIG": ""}
    )
    assert result.exit_code == 0, result.output
    return next(line.split()[-1] for line in result.output.splitlines() if line.split()[:2] == name.split())


def test_a_stop_in_a_later_round_leaves_an_earlier_rounds_figures_as_they_were(services, client, admin_client):
    add_participants(services, [{"phone": phone_number(i), "age": 15} for i in range(1, 4)])
    first = launch(services)
    with session_scope(services.engine) as session:
        for run in session.exec(select(Run).where(Run.round_id == first)):
            run.status, run.started_at, run.ended_at = RunStatus.FINISHED, utcnow(), utcnow()
        close_round(session=session, round_id=first)
    second = launch(services)
    for person in (1, 2):
        SmsPhone(client, phone_number(person)).send("STOP")

    with session_scope(services.engine) as session:
        old, new = (round_progress(session=session, round_id=r) for r in (first, second))
    assert (old.invited, old.finished, old.opted_out) == (3, 3, 0)
    assert (new.invited, new.finished, new.opted_out) == (3, 0, 2)
    assert _status_line(services, first, "opted out") == "0"
    assert _status_line(services, second, "opted out") == "2"
    html = admin_client("worker").get("/admin/rounds").get_data(as_text=True)
    assert re.findall(r'data-count="opted-out">(\d+)<', html) == ["2", "0"]  # newest round first
