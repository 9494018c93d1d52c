"""Recurring rounds: cadences, coalesced missed occurrences within a grace time, never launched twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from tests.factories import add_participants, launch, phone_number
from voice_service.db import session_scope
from voice_service.models import Round, RoundSchedule, RoundStatus, Run, RunStatus, ScheduledLaunch
from voice_service.rounds.launch import Cohort
from voice_service.rounds.schedule import (
    CadenceError,
    close_due_rounds,
    create_schedule,
    next_occurrence,
    parse_cadence,
    run_due_schedules,
)

LONDON = ZoneInfo("Europe/London")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    "cadence, after, expected",
    [
        ("every 3 months on the first tuesday", local(2026, 1, 10), local(2026, 4, 7, 16, 0)),
        ("every month on the last friday at 17:30", local(2026, 3, 1), local(2026, 3, 27, 17, 30)),
        # From Monday 5 January, the first after the start: 30 November is 47 weeks on, 7 December 48.
        ("every 2 weeks on monday", local(2026, 11, 24), local(2026, 12, 7, 16, 0)),
        ("every month on day 15", local(2026, 11, 20), local(2026, 12, 15, 16, 0)),
        ("every day at 18:00", local(2026, 11, 24, 18, 30), local(2026, 11, 25, 18, 0)),
        ("0 16 1 */3 *", local(2026, 2, 2), local(2026, 4, 1, 16, 0)),
    ],
)
def test_cadences_in_words_and_crontab(cadence, after, expected):
    trigger = parse_cadence(cadence, LONDON, start=local(2026, 1, 1))
    assert next_occurrence(trigger, after) == expected.astimezone(UTC)


@pytest.mark.parametrize(
    "line, after, expected",
    [
        # Monday 30 November 2026: crontab counts 0 and 7 as Sunday, 1 as Monday.
        ("0 16 * * 1-5", local(2026, 11, 30, 10), local(2026, 11, 30, 16, 0)),  # Mon-Fri includes today
        ("0 16 * * 1-5", local(2026, 12, 4, 17), local(2026, 12, 7, 16, 0)),  # ... and never Saturday
        ("0 17 * * 2", local(2026, 11, 30), local(2026, 12, 1, 17, 0)),  # Tuesday
        ("0 17 * * 0", local(2026, 11, 30), local(2026, 12, 6, 17, 0)),  # Sunday
        ("0 17 * * 7", local(2026, 11, 30), local(2026, 12, 6, 17, 0)),  # Sunday too
        ("0 17 * * 1,3", local(2026, 11, 30, 18), local(2026, 12, 2, 17, 0)),  # a list, commas and all
        ("0 17 * * fri-sat", local(2026, 11, 30), local(2026, 12, 4, 17, 0)),
        ("0 17 * * */2", local(2026, 11, 30), local(2026, 12, 1, 17, 0)),  # Sun, Tue, Thu, Sat
    ],
)
def test_a_crontab_line_means_what_it_means_in_crontab(line, after, expected):
    assert next_occurrence(parse_cadence(line, LONDON), after) == expected.astimezone(UTC)


@pytest.mark.parametrize("line", ["0 16 * * 8", "0 16 * * 5-1", "0 16 * * mon/0", "0 16 * * x"])
def test_a_crontab_weekday_out_of_range_is_refused(line):
    with pytest.raises(CadenceError, match="day of week"):
        parse_cadence(line, LONDON)


def test_every_three_months_counts_from_the_starting_month():
    trigger = parse_cadence("every 3 months on the first tuesday", LONDON, start=local(2026, 2, 20))
    first = next_occurrence(trigger, local(2026, 2, 20))
    assert first.astimezone(LONDON).date().isoformat() == "2026-05-05"
    assert next_occurrence(trigger, first).astimezone(LONDON).date().isoformat() == "2026-08-04"


def test_a_cadence_keeps_local_time_across_the_clock_change():
    trigger = parse_cadence("every month on day 1 at 16:00", LONDON, start=local(2026, 1, 1))
    march = next_occurrence(trigger, local(2026, 2, 15))
    april = next_occurrence(trigger, march)
    assert march.hour == 16 and april.hour == 15  # GMT, then BST: 16:00 local both times


@pytest.mark.parametrize(
    "bad",
    [
        "every fortnight",
        "every month on wednesday",
        "every 2 weeks",
        "every 13 months",
        "every month on day 31",
        "61 * * * *",
        "every day at 25:00",
    ],
)
def test_unreadable_cadences_say_what_would_work(bad):
    with pytest.raises(CadenceError):
        parse_cadence(bad, LONDON)


def _schedule(services, cadence: str, now: datetime, **cohort) -> int:
    with session_scope(services.engine) as session:
        return create_schedule(
            session=session,
            survey_id="pulse",
            cohort=Cohort(**cohort),
            cadence=cadence,
            tz=LONDON,
            open_days=7,
            now=now,
        ).id


def test_a_cadence_that_never_comes_round_is_refused(services):
    # Trial 10, T10-6: the 31st of February was kept as an active schedule with no next run.
    with pytest.raises(CadenceError, match="never comes round"):
        _schedule(services, "0 17 31 2 *", datetime(2026, 1, 5, 9, tzinfo=UTC))
    with session_scope(services.engine) as session:
        assert session.exec(select(RoundSchedule)).all() == []


def test_due_schedule_launches_once_and_moves_on(services):
    add_participants(services, [{"phone": phone_number(i), "age": 17} for i in range(3)])
    created = local(2026, 11, 2, 9, 0).astimezone(UTC)
    schedule_id = _schedule(services, "every month on the first tuesday at 16:00", created)
    occurrence = local(2026, 11, 3, 16, 0).astimezone(UTC)
    assert run_due_schedules(services=services, now=occurrence - timedelta(minutes=1)).launched == []
    result = run_due_schedules(services=services, now=occurrence + timedelta(seconds=30))
    assert len(result.launched) == 1
    assert run_due_schedules(services=services, now=occurrence + timedelta(minutes=1)).launched == []
    with Session(services.engine) as session:
        schedule = session.get(RoundSchedule, schedule_id)
        round_ = session.get(Round, result.launched[0])
        runs = session.exec(select(Run).where(Run.round_id == round_.id)).all()
    assert schedule.next_run_at == local(2026, 12, 1, 16, 0).astimezone(UTC)
    assert len(runs) == 3
    assert round_.closes_at.astimezone(LONDON).date().isoformat() == "2026-11-10"


def test_missed_occurrences_are_coalesced_within_the_grace_time(services):
    add_participants(services, [{"phone": phone_number(1), "age": 17}])
    created = local(2026, 11, 1, 12, 0).astimezone(UTC)
    _schedule(services, "every day at 16:00", created)
    # Down for three days: three occurrences missed, the latest 30 minutes ago.
    back = local(2026, 11, 4, 16, 30).astimezone(UTC)
    result = run_due_schedules(services=services, now=back, grace=timedelta(hours=1))
    assert len(result.launched) == 1
    with Session(services.engine) as session:
        launches = session.exec(select(ScheduledLaunch)).all()
    assert [launch.occurrence_at for launch in launches] == [local(2026, 11, 4, 16, 0).astimezone(UTC)]


def test_an_occurrence_missed_by_more_than_the_grace_time_is_skipped(services):
    created = local(2026, 11, 1, 12, 0).astimezone(UTC)
    schedule_id = _schedule(services, "every day at 16:00", created)
    back = local(2026, 11, 4, 19, 0).astimezone(UTC)
    result = run_due_schedules(services=services, now=back, grace=timedelta(hours=1))
    assert result.launched == [] and result.skipped == 1
    with Session(services.engine) as session:
        assert session.get(RoundSchedule, schedule_id).next_run_at == local(2026, 11, 5, 16, 0).astimezone(UTC)


def test_an_occurrence_recorded_by_another_scheduler_is_not_launched_again(services):
    created = local(2026, 11, 1, 12, 0).astimezone(UTC)
    schedule_id = _schedule(services, "every day at 16:00", created)
    occurrence = local(2026, 11, 1, 16, 0).astimezone(UTC)
    with session_scope(services.engine) as session:
        session.add(ScheduledLaunch(schedule_id=schedule_id, occurrence_at=occurrence))
    result = run_due_schedules(services=services, now=occurrence + timedelta(minutes=1))
    assert result.launched == []
    with Session(services.engine) as session:
        assert session.exec(select(Round)).all() == []


def test_explicit_list_cohort(services):
    add_participants(services, [{"phone": phone_number(i), "age": 17} for i in range(4)])
    round_id = launch(services, cohort=Cohort(participant_ids=(2, 3)))
    with Session(services.engine) as session:
        assert sorted(r.participant_id for r in session.exec(select(Run).where(Run.round_id == round_id))) == [2, 3]
        assert session.get(Round, round_id).cohort == {"participant_ids": [2, 3]}


def test_rounds_past_their_closing_date_are_closed(services):
    add_participants(services, [{"phone": phone_number(1), "age": 17}])
    now = datetime.now(UTC)
    with session_scope(services.engine) as session:
        from tests.factories import SMALL_SURVEY, small_survey
        from voice_service.rounds.launch import launch_round

        result = launch_round(
            session=session,
            vault=services.vault,
            survey=small_survey(),
            source=SMALL_SURVEY,
            cohort=Cohort(),
            closes_at=now + timedelta(days=1),
            now=now,
        )
        round_id = result.round.id
    with session_scope(services.engine) as session:
        assert close_due_rounds(session=session, now=now + timedelta(hours=23)) == []
        assert close_due_rounds(session=session, now=now + timedelta(days=1, seconds=1)) == [round_id]
    with Session(services.engine) as session:
        assert session.get(Round, round_id).status == RoundStatus.CLOSED
        assert {r.status for r in session.exec(select(Run)).all()} == {RunStatus.CLOSED}
