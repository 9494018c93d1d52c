"""Every N days, weeks or months counts N from the schedule's start, never within a calendar unit. "Every fortnight"
counted ISO weeks, so after 2026's 53rd week it came on 1 and 8 January 2027, a week apart; "every 2 days" counted
days of the month, so it came on the 31st and then the 1st; "every 5 months" counted months of the year, so it came
in November and then January. The wall-clock time holds across the clock changes, and the hour the clocks go back
launches once, not twice. Every date here is from the test's own start."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from tests.factories import add_participants, phone_number
from voice_service.db import session_scope
from voice_service.models import RoundSchedule, ScheduledLaunch
from voice_service.rounds.membership import Cohort
from voice_service.rounds.schedule import create_schedule, next_occurrence, parse_cadence, run_due_schedules

LONDON = ZoneInfo("Europe/London")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def _launches(cadence: str, start: datetime, until: datetime) -> list[datetime]:
    """Each launch after `start` up to `until`, on the council's clock."""
    trigger = parse_cadence(cadence, LONDON, start=start)
    fires, after = [], start
    while (fire := next_occurrence(trigger, after)) is not None and fire <= until:
        fires.append(fire.astimezone(LONDON))
        after = fire
    return fires


def _day_gaps(fires: list[datetime]) -> set[int]:
    return {(later.date() - earlier.date()).days for earlier, later in zip(fires, fires[1:], strict=False)}


def _month_gaps(fires: list[datetime]) -> set[int]:
    months = [fire.year * 12 + fire.month for fire in fires]
    return {later - earlier for earlier, later in zip(months, months[1:], strict=False)}


def test_a_fortnight_is_fourteen_days_across_a_53_week_year():
    fires = _launches("every fortnight on friday at 5pm", local(2026, 11, 2, 9), local(2027, 3, 1))
    assert _day_gaps(fires) == {14}
    assert {(fire.weekday(), fire.hour, fire.minute) for fire in fires} == {(4, 17, 0)}
    assert not {date(2027, 1, 1), date(2027, 1, 8)} <= {fire.date() for fire in fires}


@pytest.mark.parametrize(
    ("start", "first", "second"),
    [
        (local(2026, 11, 2, 9), date(2026, 11, 6), date(2026, 11, 20)),  # a Monday: that week's Friday
        (local(2026, 11, 9, 9), date(2026, 11, 13), date(2026, 11, 27)),  # a week later: that week's Friday too
        (local(2026, 11, 13, 18), date(2026, 11, 20), date(2026, 12, 4)),  # a Friday after 5pm: the next one
        (local(2026, 12, 30, 9), date(2027, 1, 1), date(2027, 1, 15)),  # the first comes in the new year
    ],
)
def test_a_fortnight_counts_from_the_first_launch_after_the_start(start, first, second):
    fires = _launches("every fortnight on friday at 5pm", start, start + timedelta(days=30))
    assert [fire.date() for fire in fires][:2] == [first, second]


@pytest.mark.parametrize("n", [2, 3, 5, 10])
@pytest.mark.parametrize(
    "start",
    [local(2026, 1, 29, 9), local(2026, 2, 26, 9), local(2026, 12, 29, 9), local(2028, 2, 27, 9)],  # 2028: a leap year
)
def test_every_n_days_is_n_days_across_month_and_year_ends(n, start):
    fires = _launches(f"every {n} days at 16:00", start, start + timedelta(days=400))
    assert _day_gaps(fires) == {n}
    assert fires[0].date() == start.date()  # 9am: today's 4pm is the first
    assert {(fire.hour, fire.minute) for fire in fires} == {(16, 0)}


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_every_n_weeks_is_n_weeks_across_the_turn_of_a_53_week_year(n):
    fires = _launches(f"every {n} weeks on monday", local(2026, 11, 24, 9), local(2028, 1, 31))
    assert _day_gaps(fires) == {7 * n}
    assert fires[0].date() == date(2026, 11, 30)


@pytest.mark.parametrize("n", range(1, 13))
@pytest.mark.parametrize("on", ["on day 15", "on the first tuesday", "on the last friday", ""])
def test_every_n_months_is_n_months_across_year_ends(n, on):
    start = local(2026, 11, 2, 9)
    fires = _launches(f"every {n} months {on}".strip(), start, local(2031, 12, 31))
    assert _month_gaps(fires) == {n}
    # Counted from the month the schedule starts in (its first turn is November, if the day has not passed).
    assert (fires[0].year * 12 + fires[0].month - (2026 * 12 + 11)) % n == 0


def test_every_five_months_from_november_comes_in_april_not_january():
    fires = _launches("every 5 months on day 15", local(2026, 11, 2, 9), local(2027, 12, 31))
    assert [fire.date() for fire in fires] == [date(2026, 11, 15), date(2027, 4, 15), date(2027, 9, 15)]


@pytest.mark.parametrize(
    ("cadence", "start", "until", "gap", "hour"),
    [
        ("every 2 days at 16:00", local(2026, 3, 20, 9), local(2026, 4, 10), 2, 16),  # clocks go forward 29 March
        ("every 2 days at 16:00", local(2026, 10, 15, 9), local(2026, 11, 5), 2, 16),  # and back 25 October
        ("every fortnight on sunday at 16:00", local(2026, 3, 1, 9), local(2026, 5, 1), 14, 16),
        ("every fortnight on sunday at 16:00", local(2026, 10, 1, 9), local(2026, 12, 1), 14, 16),
        ("every 3 weeks on sunday at 9am", local(2026, 3, 10, 9), local(2026, 11, 30), 21, 9),
    ],
)
def test_the_council_clock_holds_across_the_clock_changes(cadence, start, until, gap, hour):
    fires = _launches(cadence, start, until)
    assert {(fire.hour, fire.minute) for fire in fires} == {(hour, 0)}
    assert _day_gaps(fires) == {gap}
    assert {fire.utcoffset() for fire in fires} == {timedelta(0), timedelta(hours=1)}  # both sides of a change


def test_every_two_months_on_the_last_sunday_is_at_4pm_on_the_day_the_clocks_go_forward():
    fires = _launches("every 2 months on the last sunday at 16:00", local(2026, 1, 1), local(2026, 12, 31))
    assert [fire.date() for fire in fires] == [
        date(2026, 1, 25),
        date(2026, 3, 29),
        date(2026, 5, 31),
        date(2026, 7, 26),
        date(2026, 9, 27),
        date(2026, 11, 29),
    ]
    assert {(fire.hour, fire.minute) for fire in fires} == {(16, 0)}


@pytest.mark.parametrize(
    "cadence", ["every day at 1:30am", "30 1 * * *", "every 2 days at 01:30", "every week on sunday at 1:30am"]
)
def test_the_hour_the_clocks_go_back_launches_once(cadence):
    # 25 October 2026: 01:30 comes twice, in summer time and again in winter time; like cron, it is launched once.
    fires = _launches(cadence, local(2026, 10, 16, 9), local(2026, 11, 1, 23))
    days = [fire.date() for fire in fires]
    assert len(days) == len(set(days))
    assert date(2026, 10, 25) in days


@pytest.mark.parametrize("cadence", ["every day at 1:30am", "every fortnight on sunday at 1:30am"])
def test_the_hour_the_clocks_go_forward_still_launches_that_day(cadence):
    # 29 March 2026: there is no 01:30; it is launched at 02:30, summer time's first half hour past it.
    fires = _launches(cadence, local(2026, 3, 27, 9), local(2026, 4, 14))
    spring = [fire for fire in fires if fire.date() == date(2026, 3, 29)]
    assert [(fire.hour, fire.minute) for fire in spring] == [(2, 30)]


def _run_until(services, schedule_id: int, until: datetime) -> list[datetime]:
    """Run the scheduler at each occurrence (30 seconds late) up to `until`; the occurrences launched, local."""
    while True:
        with Session(services.engine) as session:
            due = session.get(RoundSchedule, schedule_id).next_run_at
        if due > until:
            break
        assert len(run_due_schedules(services=services, now=due + timedelta(seconds=30)).launched) == 1
    with Session(services.engine) as session:
        launches = session.exec(select(ScheduledLaunch).order_by(col(ScheduledLaunch.occurrence_at))).all()
        return [launch.occurrence_at.astimezone(LONDON) for launch in launches]


def _fortnightly(services, created: datetime) -> int:
    add_participants(services, [{"phone": phone_number(1), "age": 17}], today=created.date())
    with session_scope(services.engine) as session:
        return create_schedule(
            session=session,
            survey_id="pulse",
            cohort=Cohort(),
            cadence="every fortnight on friday at 5pm",
            tz=LONDON,
            open_days=7,
            now=created,
        ).id


def test_a_fortnightly_schedule_launches_fourteen_days_apart_over_new_year(services):
    schedule_id = _fortnightly(services, local(2026, 12, 3, 9).astimezone(UTC))
    fires = _run_until(services, schedule_id, local(2027, 2, 1).astimezone(UTC))
    assert [fire.date() for fire in fires][:3] == [date(2026, 12, 4), date(2026, 12, 18), date(2027, 1, 1)]
    assert _day_gaps(fires) == {14} and len(fires) == 5


def test_a_schedule_keeps_the_turn_of_the_occurrence_it_has_due(services):
    # A schedule saved when a fortnight counted ISO weeks has its next run on that count: it goes on 14 days
    # from it, rather than jumping a week to a count from its creation.
    schedule_id = _fortnightly(services, local(2026, 12, 3, 9).astimezone(UTC))
    with session_scope(services.engine) as session:
        session.get(RoundSchedule, schedule_id).next_run_at = local(2026, 12, 11, 17).astimezone(UTC)
    fires = _run_until(services, schedule_id, local(2027, 1, 10).astimezone(UTC))
    assert [fire.date() for fire in fires] == [date(2026, 12, 11), date(2026, 12, 25), date(2027, 1, 8)]
