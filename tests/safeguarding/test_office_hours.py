"""When the duty desk is shut: weekends, nights, England and Wales bank holidays (built in, with
substitute days) and the council's own closed days, with the clock passed in. An alert raised then is
out of hours, and the help reply names when the team is back instead of "a worker will read it soon"."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from voice_service.config import ConfigError, load
from voice_service.inbound.office import disclosure_reply, office_reopens
from voice_service.safeguarding import is_out_of_hours
from voice_service.safeguarding.office import bank_holidays, easter_sunday

CHRISTMAS_2026 = datetime(2026, 12, 25, 11, 0, tzinfo=UTC)  # a Friday; London is on UTC in winter
EASTER_MONDAY_2027 = datetime(2027, 3, 29, 10, 0, tzinfo=UTC)  # 11:00 in London (summer time)


def _config(**safeguarding):
    return load(None, environ={}).with_overrides(safeguarding=safeguarding)


def test_england_and_wales_bank_holidays_with_substitute_days():
    assert easter_sunday(2026) == date(2026, 4, 5) and easter_sunday(2027) == date(2027, 3, 28)
    assert bank_holidays(2026) == {
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),  # Boxing Day falls on a Saturday
    }
    # Christmas on a Saturday, Boxing Day on a Sunday: Monday and Tuesday instead.
    assert {d for d in bank_holidays(2027) if d.month == 12} == {date(2027, 12, 27), date(2027, 12, 28)}
    assert date(2022, 5, 30) not in bank_holidays(2022) and date(2022, 6, 3) in bank_holidays(2022)


@pytest.mark.parametrize(
    "when, back",
    [
        (CHRISTMAS_2026, "at 9am on Tue"),  # Christmas 2026: the weekend, then Boxing Day on Monday
        (EASTER_MONDAY_2027, "at 9am tomorrow"),
    ],
)
def test_a_bank_holiday_is_out_of_hours_and_the_reply_says_when_the_team_is_back(when, back):
    config = _config()
    assert is_out_of_hours(config, when)
    assert office_reopens(config, when) == back
    reply = disclosure_reply(config, when)
    assert f"back {back}" in reply and "will read it soon" not in reply


@pytest.mark.parametrize(
    "when, back",
    [
        (datetime(2026, 12, 23, 18, 0, tzinfo=UTC), "at 9am on 4 Jan"),  # a Wednesday; 4 Jan is a Monday 12 days on
        (datetime(2026, 12, 30, 18, 0, tzinfo=UTC), "at 9am on Monday"),  # the same Monday, now 5 days on
    ],
)
def test_an_opening_a_week_or_more_ahead_is_named_by_its_date_not_a_day_that_reads_as_the_coming_one(when, back):
    """A council shut over Christmas (trial finding): "back at 9am on Mon", said on the Wednesday before
    Christmas of a Monday 12 days off, read as the coming Monday."""
    config = _config(closed_days=["2026-12-24", "2026-12-29", "2026-12-30", "2026-12-31"])
    assert office_reopens(config, when) == back
    assert f"back {back}." in disclosure_reply(config, when)


def test_an_ordinary_weekday_is_in_hours_and_bank_holidays_can_be_turned_off():
    tuesday = datetime(2026, 12, 22, 11, 0, tzinfo=UTC)
    assert not is_out_of_hours(_config(), tuesday) and office_reopens(_config(), tuesday) is None
    assert not is_out_of_hours(_config(bank_holidays="none"), CHRISTMAS_2026)


def test_the_councils_own_closed_days_are_out_of_hours():
    christmas_eve = datetime(2026, 12, 24, 11, 0, tzinfo=UTC)
    config = _config(closed_days=["2026-12-24", "2026-12-29", "2026-12-30", "2026-12-31"])
    assert is_out_of_hours(config, christmas_eve)
    assert office_reopens(config, christmas_eve) == "at 9am on 4 Jan"  # a Monday 11 days on: New Year's Day is a Friday
    with pytest.raises(ConfigError, match="safeguarding.closed_days"):
        _config(closed_days=["24/12/2026"])


def test_an_alert_raised_on_christmas_day_is_marked_out_of_hours(services):
    from sqlmodel import Session, select

    from voice_service.db import session_scope
    from voice_service.models import Alert, Message
    from voice_service.safeguarding import raise_alert

    with session_scope(services.engine) as session:
        message = Message(direction="in", channel="sms", body="i want to die", created_at=CHRISTMAS_2026)
        session.add(message)
        session.flush()
        raise_alert(
            session=session,
            vault=services.vault,
            config=services.config,
            message=message,
            participant=None,
            categories=("self_harm",),
            priority="high",
            reasons=("test",),
            now=CHRISTMAS_2026,
        )
    with Session(services.engine) as session:
        assert session.exec(select(Alert)).one().out_of_hours


def test_an_office_open_from_midnight_is_back_first_thing_not_at_12am():
    config = _config(office_hours="00:00-24:00")
    sunday = datetime(2026, 11, 29, 23, 15, tzinfo=UTC)
    assert office_reopens(config, sunday) == "tomorrow"
    assert office_reopens(config, sunday - timedelta(days=1)) == "first thing Mon"


def test_the_day_the_team_is_back_is_today_or_tomorrow_when_it_is():
    # At 2am on a Monday "back Mon 9am" reads as next week to a child (tester F19).
    monday_night = datetime(2026, 11, 30, 2, 24, tzinfo=UTC)
    assert office_reopens(_config(), monday_night) == "at 9am today"
    assert office_reopens(_config(), monday_night + timedelta(hours=17)) == "at 9am tomorrow"  # Monday 7:24pm
    friday_evening = datetime(2026, 12, 4, 19, 0, tzinfo=UTC)
    assert office_reopens(_config(), friday_evening) == "at 9am on Monday"
    assert office_reopens(_config(office_hours="09:30-17:00"), friday_evening) == "at 9:30am on Mon"


def test_the_help_reply_says_back_at_9am_today_in_one_sms():
    """Trial 3, F12: "Our team is back today 9am." now reads "We're back at 9am today."; the day in full where
    the reply's one SMS has room ("at 9am on Monday"), shortened where not ("at 9am on Wed")."""
    monday_night = datetime(2026, 11, 30, 2, 24, tzinfo=UTC)
    assert "We're back at 9am today. Need help now?" in disclosure_reply(_config(), monday_night)
    said = set()
    for days in range(7):
        now = monday_night + timedelta(days=days, hours=17)  # 7:24pm, each day of the week
        reply = disclosure_reply(_config(), now)
        said.add(re.search(r"We're back (.*?)\. Need help", reply)[1])  # type: ignore[index]
    assert said == {"at 9am tomorrow", "at 9am on Monday"}
    assert office_reopens(_config(), datetime(2026, 12, 1, 19, 0, tzinfo=UTC)) == "at 9am tomorrow"  # Tue evening
    wednesday = datetime(2026, 12, 23, 19, 0, tzinfo=UTC)  # Christmas Eve, Christmas and Boxing Day to come
    assert office_reopens(_config(closed_days=["2026-12-24"]), wednesday) == "at 9am on Tue"
    late = _config(office_hours="12:30-17:00")
    assert office_reopens(late, monday_night) == "at 12:30pm today"
    assert office_reopens(late, monday_night + timedelta(hours=17)) == "12:30pm tomorrow"  # "at ..." will not fit
    assert office_reopens(late, datetime(2026, 12, 4, 19, 0, tzinfo=UTC)) == "Mon at 12:30pm"
