"""`round schedule`, `round schedules`, `round unschedule`, `round status` and `outbox flush` from the command line
(and what waits for the send window, which the last two report)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import click
from click.testing import CliRunner
from sqlalchemy import update
from sqlmodel import select

from tests.factories import TODAY, add_participants, launch, phone_number
from tests.outbox.helpers import environment, queue
from voice_service.cli import main
from voice_service.db import session_scope
from voice_service.models import OptOut, OutboxMessage, Participant, Round, Run, RunStatus, utcnow
from voice_service.outbox.waiting import Waiting, describe_waiting, waiting_for_window
from voice_service.outbox.windows import Windows
from voice_service.rounds.audience import cohort_words
from voice_service.rounds.progress import round_progress


def _run(config, *args):
    result = CliRunner().invoke(
        main, list(args), env=environment(config) | {"VOICE_CONFIG": ""}, catch_exceptions=False
    )
    return result


def test_schedule_a_recurring_round_and_list_it_with_its_next_run(services):
    add_participants(services, [{"phone": phone_number(1), "age": 17}])  # nobody in the cohort is refused (H9)
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
    result = _run(services.config, "round", "schedule", "--survey", "pulse", "--every", "now and then")
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
        runs[4].status, runs[4].ended_at = RunStatus.STOPPED, utcnow()  # their STOP ended their run in this round
        session.add(OptOut(phone_hash=session.get(Participant, 4).phone_hash, keyword="stop"))
    result = _run(services.config, "round", "status", str(round_id))
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split()[-1] for line in result.output.splitlines()[1:] if line.strip()}
    # The failed one is not counted as sent (tester U2).
    assert "invited         4   invitations: 3 of 4 sent (75%); 1 failed" in result.output
    assert (lines["delivered"], lines["failed"], lines["started"], lines["finished"], lines["opted"]) == (
        "1",
        "1",
        "1",
        "1",
        "1",
    )
    assert _run(services.config, "round", "status", "99").exit_code == 1


def test_cancelled_invitations_are_not_counted_as_sent(services):
    # Tester U2: `round status` said "invitations sent 100%" beside "not sent 38": cancelled ones counted.
    add_participants(services, [{"phone": phone_number(i), "age": 17} for i in range(5)])
    round_id = launch(services)
    with session_scope(services.engine) as session:
        for participant_id, status in ((1, "sent"), (2, "delivered"), (3, "cancelled"), (4, "cancelled")):
            session.exec(
                update(OutboxMessage).where(OutboxMessage.participant_id == participant_id).values(status=status)
            )
        progress = round_progress(session=session, round_id=round_id)
    assert (progress.invitations, progress.reached_provider, progress.cancelled, progress.queued) == (5, 2, 2, 1)
    assert progress.sent_share == 0.4
    result = _run(services.config, "round", "status", str(round_id))
    assert result.exit_code == 0, result.output
    assert "invitations: 2 of 5 sent (40%); 2 not sent (cancelled); 1 still queued" in result.output
    assert "100%" not in result.output


def test_launch_says_whom_the_surveys_own_ages_leave_out(services):
    # Tester U10: the survey's ages left a 17-year-old care leaver out without a word; U13: an empty
    # cohort's refusal did not mention --allow-empty.
    people = [{"phone": phone_number(i), "status": "care_leaver", "age": age} for i, age in enumerate((17, 18, 18))]
    add_participants(services, people)
    launched = _run(services.config, "round", "launch", "--survey", "care-leavers", "--status", "care_leaver")
    assert launched.exit_code == 0, launched.output
    lines = launched.output.strip().splitlines()
    assert "2 invitations queued" in lines[0] and lines[-1] == "1"
    assert "left out: 1 outside the survey's ages (18 to 25)" in lines
    empty = _run(services.config, "round", "launch", "--survey", "care-leavers", "--area", "Nowhere")
    assert empty.exit_code == 1 and "nobody matched this cohort" in empty.output
    assert "(--allow-empty opens it anyway)" in empty.output


# A Monday before the window opens (the tester's 05:29); Europe/London is on UTC in December.
MONDAY_EARLY = datetime(2025, 12, 1, 5, 29, tzinfo=UTC)
WINDOWS = {
    "VOICE_SCHEDULE_WEEKDAY_WINDOW": "16:00-20:00",
    "VOICE_SCHEDULE_WEEKEND_WINDOW": "10:00-18:00",
    "VOICE_APP_TIMEZONE": "Europe/London",
}


def test_flush_and_status_say_how_many_wait_for_the_send_window_and_when_it_opens(services, monkeypatch):
    # Tester T4: after a launch before the window, `outbox flush` said nothing was held and `round status`
    # said only "still queued".
    import voice_service.cli.outbox
    import voice_service.cli.rounds

    for module in (voice_service.cli.outbox, voice_service.cli.rounds):
        monkeypatch.setattr(module, "utcnow", lambda: MONDAY_EARLY)
    add_participants(services, [{"phone": phone_number(i), "age": 17 if i else 12} for i in range(5)])
    round_id = launch(services, now=MONDAY_EARLY)
    with session_scope(services.engine) as session:
        session.exec(update(OutboxMessage).values(not_before=MONDAY_EARLY))
    env = environment(services.config) | WINDOWS | {"VOICE_CONFIG": ""}

    def run(*args):
        result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    first = run("outbox", "flush", "--quiet")
    assert "sent 0, held for send window 5" in first
    assert "5 waiting for the send window (opens 16:00 today)" in first
    again = run("outbox", "flush", "--quiet")  # the rows now wait at 16:00: not claimed again, still held (U4)
    assert "sent 0, held for send window 5" in again
    assert "5 waiting for the send window (opens 16:00 today)" in again
    status = run("round", "status", str(round_id))
    assert "0 of 5 sent (0%); 5 still queued, 5 of them waiting for the send window" in status
    assert "5 waiting for the send window (opens 16:00 today)" in status


# A Monday in school hours in this year, so the ages add_participants gives (born on 1 January) hold
# on it whatever year the suite runs in (checked a year ahead with faketime).
_FEBRUARY = date(TODAY.year, 2, 1)
MONDAY_SCHOOL = datetime.combine(_FEBRUARY + timedelta(days=-_FEBRUARY.weekday() % 7), time(9, 0), tzinfo=UTC)


def test_changing_the_window_releases_held_invitations(services, monkeypatch):
    # Tester U4: invitations held until 16:00 stayed held after the window was widened and school hours
    # turned off, and `outbox flush` said "held for send window 0". The current settings now decide.
    import voice_service.cli.outbox

    monkeypatch.setattr(voice_service.cli.outbox, "utcnow", lambda: MONDAY_SCHOOL)
    add_participants(services, [{"phone": phone_number(1), "age": 17}, {"phone": phone_number(2), "age": 12}])
    launch(services, now=MONDAY_SCHOOL)
    with session_scope(services.engine) as session:
        session.exec(update(OutboxMessage).values(not_before=MONDAY_SCHOOL))
    base = environment(services.config) | WINDOWS | {"VOICE_CONFIG": "", "VOICE_SCHEDULE_SCHOOL_HOURS": "08:30-15:30"}

    def flush(**settings):
        env = base | {f"VOICE_SCHEDULE_{key.upper()}": value for key, value in settings.items()}
        result = CliRunner().invoke(main, ["outbox", "flush", "--quiet"], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    assert "sent 0, held for send window 2" in flush()
    assert "sent 0, held for send window 2" in flush()  # still held by the 16:00 window, and said so
    widened = flush(weekday_window="00:00-24:00")  # the 17-year-old goes; the 12-year-old waits for school
    assert "sent 1, held for send window 1" in widened
    assert "1 waiting for the send window (opens 15:30 today)" in widened
    assert "sent 1, held for send window 0" in flush(weekday_window="00:00-24:00", school_hours="off")
    with session_scope(services.engine) as session:
        assert {row.status for row in session.exec(select(OutboxMessage)).all()} == {"sent"}


def test_what_waits_for_the_window_and_when_it_opens(services):
    windows = Windows(
        tz=ZoneInfo("Europe/London"), weekday=(16 * 60, 20 * 60), weekend=(10 * 60, 18 * 60), school=(510, 930)
    )
    friday_night = datetime(2025, 12, 5, 21, 0, tzinfo=UTC)
    saturday_ten = datetime(2025, 12, 6, 10, 0, tzinfo=UTC)
    queue(services, 2, now=friday_night)
    queue(services, 1, start=2, now=saturday_ten)  # held until the window opens
    queue(services, 1, start=3, now=saturday_ten + timedelta(hours=1))  # a retry backing off past it: not counted
    queue(services, 1, start=4, kind="alert", respect_window=False, now=friday_night)  # alerts keep to no window
    with session_scope(services.engine) as session:
        waiting = waiting_for_window(session=session, windows=windows, now=friday_night)
        assert waiting == [Waiting(opens=saturday_ten, count=3)]
        assert waiting_for_window(session=session, windows=windows, now=saturday_ten) == []
    tz = ZoneInfo("Europe/London")
    assert describe_waiting(waiting, now=friday_night, tz=tz) == "3 waiting for the send window (opens 10:00 tomorrow)"
    thursday = datetime(2025, 12, 4, 12, 0, tzinfo=UTC)
    assert describe_waiting(waiting, now=thursday, tz=tz) == "3 waiting for the send window (opens Sat 6 Dec 10:00)"
    two = [Waiting(opens=saturday_ten, count=3), Waiting(opens=saturday_ten + timedelta(hours=6), count=1)]
    assert describe_waiting(two, now=friday_night, tz=tz) == (
        "4 waiting for the send window (3 at 10:00 tomorrow, 1 at 16:00 tomorrow)"
    )
    assert describe_waiting([], now=friday_night, tz=tz) is None


def test_launch_keeps_the_area_as_the_participants_have_it_and_counts_one_invitation(services):
    # Trial finding 14: `--area north` showed the round as "everyone in north" (the participants' area is
    # "North"), and one invitation was "1 invitations queued".
    add_participants(services, [{"phone": phone_number(1), "age": 15, "area": "North"}])
    launched = _run(services.config, "round", "launch", "--survey", "pulse", "--area", "north")
    assert launched.exit_code == 0, launched.output
    assert "1 invitation queued" in launched.output.splitlines()[0]
    with session_scope(services.engine) as session:
        cohort = session.get(Round, int(launched.output.split()[-1])).cohort
    assert cohort["area"] == "North"
    assert cohort_words(cohort) == "everyone in North"


def test_every_option_of_round_launch_and_action_update_says_what_it_is_for():
    # Trial finding 14: --status, --area, --min-age, --max-age and `action update --said` had no help text.
    for group, name in (("round", "launch"), ("action", "update")):
        with click.Context(main) as context:
            command = main.get_command(context, group).get_command(context, name)  # type: ignore[union-attr]
        bare = [option.opts[0] for option in command.params if isinstance(option, click.Option) and not option.help]
        assert not bare, (group, name, bare)


def test_launch_a_round_for_chosen_participants_only(services):
    """`round launch --participant` (as `round schedule` has): a round for the young people listed, within the other
    filters; someone listed whom another filter leaves out is not invited, and a list nobody fits is refused."""
    add_participants(services, [{"phone": phone_number(n), "age": 15} for n in range(1, 4)])
    with session_scope(services.engine) as session:
        ids = sorted(p.id for p in session.exec(select(Participant)))
    result = _run(
        services.config,
        "round",
        "launch",
        "--survey",
        "pulse",
        "--participant",
        str(ids[0]),
        "--participant",
        str(ids[2]),
    )
    assert result.exit_code == 0, result.output
    round_id = int(result.output.strip().splitlines()[-1])
    with session_scope(services.engine) as session:
        invited = sorted(run.participant_id for run in session.exec(select(Run).where(Run.round_id == round_id)))
        cohort = session.get(Round, round_id).cohort
    assert invited == [ids[0], ids[2]]
    assert cohort["participant_ids"] == [ids[0], ids[2]]
    refused = _run(
        services.config, "round", "launch", "--survey", "pulse", "--participant", str(ids[1]), "--min-age", "16"
    )
    assert refused.exit_code == 1 and "nobody matched this cohort" in refused.output
