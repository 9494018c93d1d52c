"""A young person who said no to the invitation is "said no", never "finished", in `round status`, `round list`
and the dashboard alike, from one rule (trial finding 21: the CLI counted them as finished, the dashboard did
not). They say no, or answer to the end, through the real signed SMS webhook."""

from __future__ import annotations

from sqlmodel import Session

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.rounds.test_cli import _run
from voice_service.rounds.progress import round_progress
from voice_service.web.admin.rounds_service import run_outcomes


def _figures(output: str) -> dict[str, str]:
    return {line.rsplit(None, 1)[0].strip(): line.split()[-1] for line in output.splitlines()[1:] if line.strip()}


def test_said_no_is_counted_beside_finished_never_in_it(client, services):
    add_participants(services, [{"phone": phone_number(i), "age": 16} for i in range(90, 94)])
    round_id = launch(services)
    for index in (90, 91, 92):  # three say no
        assert "No problem" in SmsPhone(client, phone_number(index)).send("no thanks")[0]
    finisher = SmsPhone(client, phone_number(93))
    for answer in ("yes", "4", "yes", "1", "more say in my placement"):
        finisher.send(answer)
    with Session(services.engine) as session:
        progress = round_progress(session=session, round_id=round_id)
        outcomes = run_outcomes(session=session, round_id=round_id)
    assert (progress.started, progress.finished, progress.said_no) == (1, 1, 3)
    assert (outcomes.finished, outcomes.declined) == (1, 3)  # the dashboard's figures, from the same rule

    status = _run(services.config, "round", "status", str(round_id))
    assert status.exit_code == 0, status.output
    figures = _figures(status.output)
    assert (figures["started"], figures["finished"], figures["said no"]) == ("1", "1", "3")
    listed = _run(services.config, "round", "list")
    assert "invited 4  finished 1  said no 3  opted out 0" in listed.output


def test_round_list_counts_those_who_opted_out_as_round_status_does(client, services):
    """`round list` left out those whose STOP ended their run (trial 14), as `round status` and the dashboard show."""
    add_participants(services, [{"phone": phone_number(i), "age": 16} for i in range(94, 96)])
    round_id = launch(services)
    SmsPhone(client, phone_number(94)).send("STOP")
    assert "No problem" in SmsPhone(client, phone_number(95)).send("no thanks")[0]

    status = _figures(_run(services.config, "round", "status", str(round_id)).output)
    assert (status["said no"], status["opted out"]) == ("1", "1")
    listed = _run(services.config, "round", "list")
    assert "invited 2  finished 0  said no 1  opted out 1" in listed.output
