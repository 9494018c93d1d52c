"""Tester trial 5, F3: every command that changes data or writes an export is on the audit log, as the dashboard's
button for the same thing is: the same action and subject, in the name of the login that ran it (`cli:<login>`),
and nothing more (no words, name or number). `cli.audited` is the one home."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from tests.factories import add_participants, launch, phone_number
from tests.outbox.helpers import environment
from voice_service.cli import main
from voice_service.cli.audited import cli_actor
from voice_service.models import Action, AuditEvent, RoundSchedule

ME = cli_actor()
NAME = "Zainab"


def _cli(services, *args: str):
    result = CliRunner().invoke(main, list(args), env=environment(services.config) | {"VOICE_CONFIG": ""})
    assert result.exit_code == 0, result.output
    return result


def _audit(services) -> list[tuple[str, str, str | None, str | None]]:
    with Session(services.engine) as session:
        rows = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
        return [(row.action, row.actor, row.subject_type, row.subject_id) for row in rows]


def _new(services, before: list) -> list[tuple[str, str, str | None, str | None]]:
    return _audit(services)[len(before) :]


@pytest.fixture
def round_id(services) -> int:
    add_participants(services, [{"phone": phone_number(1), "first_name": NAME}])
    return launch(services)


def test_participants_import_is_on_the_audit_log(services, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(
        f"phone,first_name,status,date_of_birth,area\n{phone_number(3)},{NAME},in_care,2011-03-03,North\n"
    )
    _cli(services, "participants", "import", str(people))
    assert _audit(services) == [("participant.import", ME, "participant", None)]


def test_round_launch_and_close_are_on_the_audit_log(services):
    add_participants(services, [{"phone": phone_number(1), "first_name": NAME}])
    launched = _cli(services, "round", "launch", "--survey", "pulse")
    round_id = launched.output.strip().splitlines()[-1]
    assert _audit(services) == [("round.launch", ME, "round", round_id)]
    before = _audit(services)
    _cli(services, "round", "close", round_id)
    assert _new(services, before) == [("round.close", ME, "round", round_id)]
    # Closing it again changes nothing, so nothing more is recorded (the dashboard has no button for it).
    before = _audit(services)
    _cli(services, "round", "close", round_id)
    assert _new(services, before) == []


def test_action_add_and_update_are_on_the_audit_log(services, round_id):
    added = _cli(services, "action", "add", "--round", str(round_id), "--pledge", "1", "--said", "x", "--did", "y")
    action_id = added.output.strip().splitlines()[-1]
    assert _audit(services) == [("action.add", ME, "action", action_id)]
    before = _audit(services)
    _cli(services, "action", "update", action_id, "--status", "done")
    assert _new(services, before) == [("action.update", ME, "action", action_id)]
    with Session(services.engine) as session:
        assert session.get(Action, int(action_id)) is not None


def test_round_schedule_and_unschedule_are_on_the_audit_log(services):
    add_participants(services, [{"phone": phone_number(1), "first_name": NAME}])  # an empty cohort is refused
    made = _cli(services, "round", "schedule", "--survey", "pulse", "--every", "monthly on the 1st")
    schedule_id = made.output.strip().splitlines()[-1]
    assert _audit(services) == [("schedule.create", ME, "schedule", schedule_id)]
    before = _audit(services)
    _cli(services, "round", "unschedule", schedule_id)
    assert _new(services, before) == [("schedule.stop", ME, "schedule", schedule_id)]
    with Session(services.engine) as session:
        assert session.get(RoundSchedule, int(schedule_id)).active is False  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "md"),
        ("--format", "md", "--out", "-"),
        ("--format", "csv", "--out", "{tmp}/summary.csv"),
        ("--format", "md", "--audience", "young-people"),
    ],
)
def test_a_summary_is_on_the_audit_log_as_the_dashboards_download(services, round_id, tmp_path, args):
    _cli(services, "summary", "--round", str(round_id), *(arg.format(tmp=tmp_path) for arg in args))
    assert _audit(services) == [("summary.download", ME, "round", str(round_id))]


def test_a_refused_summary_is_not_on_the_audit_log(services, round_id):
    result = CliRunner().invoke(
        main,
        ["summary", "--round", str(round_id), "--format", "pdf"],
        env=environment(services.config) | {"VOICE_CONFIG": ""},
    )
    assert result.exit_code != 0 and "--out" in result.output
    assert _audit(services) == []


def test_the_year_report_is_on_the_audit_log(services, round_id):
    _cli(services, "report", "--from", "2026-04-01", "--to", "2027-03-31", "--format", "md")
    assert _audit(services) == [("report.download", ME, "report", "2026-04-01_2027-03-31")]


def test_privacy_purge_and_rotate_key_are_on_the_audit_log(services, round_id):
    _cli(services, "privacy", "purge", "--dry-run")
    assert _audit(services) == []  # counted, nothing removed
    _cli(services, "privacy", "purge", "--as-of", "2026-01-01", "--yes")
    assert _audit(services) == [("privacy.purge", ME, "retention", "2026-01-01")]
    before = _audit(services)
    _cli(services, "privacy", "rotate-key")
    assert _new(services, before) == [("privacy.rotate_key", ME, "phone_key", None)]


def test_the_command_lines_entries_hold_nothing_personal(services, round_id, tmp_path):
    """What the dashboard's entries hold (an action, a type and a row id, the login), never a name or number."""
    people = tmp_path / "people.csv"
    people.write_text(
        f"phone,first_name,status,date_of_birth,area\n{phone_number(4)},{NAME},in_care,2011-03-03,North\n"
    )
    _cli(services, "participants", "import", str(people))
    _cli(services, "summary", "--round", str(round_id), "--format", "md")
    _cli(services, "action", "add", "--round", str(round_id), "--pledge", "1", "--said", NAME, "--did", NAME)
    rows = _audit(services)
    assert len(rows) == 3
    for row in rows:
        text = " ".join(str(cell) for cell in row)
        assert NAME not in text and phone_number(4)[3:] not in text and phone_number(1)[3:] not in text
