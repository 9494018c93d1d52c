"""Trial 8, H9: `round schedule --survey pulse --area nowhere --every "every day at 9am"` was accepted ("next run
Thu 09:00") though nobody lived in "nowhere", while `round launch` refused that empty cohort. Scheduling now
refuses a cohort nobody is in, with launch's words (one rule: `launch.refuse_empty`), unless --allow-empty.
Those already in an open round of the survey count as in the cohort: by the schedule's first run that round
may be closed. A cohort the survey is not written for is refused too, as launch refuses it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from tests.factories import add_participants, launch, phone_number, small_survey
from tests.outbox.helpers import environment
from voice_service.cli import main
from voice_service.db import session_scope
from voice_service.models import OptOut, Participant, RoundSchedule
from voice_service.rounds.launch import EmptyCohort
from voice_service.rounds.membership import Cohort
from voice_service.rounds.schedule import create_schedule

LONDON = ZoneInfo("Europe/London")
DAILY = "every day at 9am"


def _run(config, *args: str):
    return CliRunner().invoke(main, list(args), env=environment(config) | {"VOICE_CONFIG": ""}, catch_exceptions=False)


def _schedules(services) -> list[RoundSchedule]:
    with Session(services.engine) as session:
        return list(session.exec(select(RoundSchedule)).all())


def test_a_schedule_for_an_area_nobody_lives_in_is_refused_in_launchs_words(services):
    add_participants(services, [{"phone": phone_number(i), "age": 17, "area": "North"} for i in range(2)])
    launched = _run(services.config, "round", "launch", "--survey", "pulse", "--area", "nowhere")
    scheduled = _run(services.config, "round", "schedule", "--survey", "pulse", "--area", "nowhere", "--every", DAILY)
    assert launched.exit_code == 1 and scheduled.exit_code == 1, scheduled.output
    area = "nobody has the area 'nowhere'; the areas young people have are North"
    assert f"nobody matched this cohort, so no round was launched: {area}" in launched.output
    assert f"nobody matched this cohort, so nothing was scheduled: {area} (--allow-empty schedules it anyway)" in (
        scheduled.output
    )
    assert "next run" not in scheduled.output and _schedules(services) == []


def test_allow_empty_schedules_it_anyway_and_a_cohort_with_someone_in_it_is_scheduled(services):
    add_participants(services, [{"phone": phone_number(1), "age": 17, "area": "North"}])
    nowhere = ("--survey", "pulse", "--area", "nowhere", "--every", DAILY)
    anyway = _run(services.config, "round", "schedule", *nowhere, "--allow-empty")
    assert anyway.exit_code == 0 and "next run" in anyway.output, anyway.output
    north = _run(services.config, "round", "schedule", "--survey", "pulse", "--area", "north", "--every", DAILY)
    assert north.exit_code == 0 and north.output.strip().splitlines()[-1] == "2", north.output
    assert [s.cohort.get("area") for s in _schedules(services)] == ["nowhere", "north"]


def test_a_cohort_who_all_opted_out_is_refused_saying_so(services):
    add_participants(services, [{"phone": phone_number(1), "age": 17}])
    with session_scope(services.engine) as session:
        participant = session.exec(select(Participant)).one()
        session.add(OptOut(phone_hash=participant.phone_hash, keyword="stop"))
    scheduled = _run(services.config, "round", "schedule", "--survey", "pulse", "--every", DAILY)
    assert scheduled.exit_code == 1
    assert "nobody matched this cohort (1 left out because they opted out), so nothing was scheduled" in (
        scheduled.output
    )


def test_people_already_in_an_open_round_of_the_survey_count_for_a_schedule(services):
    # Launch refuses them (they would be invited twice); a schedule's first run may come after that round closes.
    add_participants(services, [{"phone": phone_number(1), "age": 17}])
    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    launch(services, now=now - timedelta(hours=1))
    with session_scope(services.engine) as session:
        survey = small_survey()
        schedule = create_schedule(
            session=session,
            survey_id="check-in",
            cohort=Cohort(),
            cadence="every month on the 1st",
            tz=LONDON,
            now=now,
            survey=survey,
            allow_empty=False,
        )
        assert schedule.id is not None
        with pytest.raises(EmptyCohort, match="nothing was scheduled: nobody has the area 'South'"):
            create_schedule(
                session=session,
                survey_id="check-in",
                cohort=Cohort(area="South"),
                cadence="every month on the 1st",
                tz=LONDON,
                now=now,
                survey=survey,
                allow_empty=False,
            )


def test_a_cohort_the_survey_is_not_written_for_is_refused_as_launch_refuses_it(services):
    add_participants(services, [{"phone": phone_number(1), "age": 17}])
    args = ("--survey", "care-leavers", "--status", "in_care")
    launched = _run(services.config, "round", "launch", *args)
    scheduled = _run(services.config, "round", "schedule", *args, "--every", DAILY, "--allow-empty")
    assert launched.exit_code == 1 and scheduled.exit_code == 1
    refusal = "survey 'care-leavers' is written for care leavers, not young people in care"
    assert refusal in launched.output and refusal in scheduled.output
    assert _schedules(services) == []
