"""`round schedule --every` reads "every fortnight" and "5pm" as UK workers write them (trial finding 16), and
`--help` lists the accepted forms. A bare "at 5" is asked about, never guessed."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from voice_service.cli import main
from voice_service.rounds.schedule import CadenceError, parse_cadence

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday


def _fields(text: str) -> dict[str, str]:
    cadence = parse_cadence(text, LONDON, start=START)
    return {field.name: str(field) for field in cadence.calendar.fields} | {"every": f"{cadence.every} {cadence.unit}"}


@pytest.mark.parametrize(
    "text",
    [
        "every fortnight on friday at 5pm",
        "every 2 weeks on fri at 5pm",
        "Fortnightly on Friday at 5 pm",
        "fortnightly on friday at 5pm",  # five words, but not a crontab line
        "every fortnight on friday at 17:00",
        "every 2 weeks on friday at 5.00pm",
    ],
)
def test_a_fortnight_on_friday_at_5pm(text):
    assert _fields(text) == _fields("every 2 weeks on friday at 17:00")
    fields = _fields(text)
    assert (fields["every"], fields["day_of_week"], fields["hour"], fields["minute"]) == ("2 week", "fri", "17", "0")


@pytest.mark.parametrize(
    ("said", "hour", "minute"), [("9am", 9, 0), ("12pm", 12, 0), ("12am", 0, 0), ("5:30pm", 17, 30)]
)
def test_am_and_pm(said, hour, minute):
    fields = _fields(f"every month on day 15 at {said}")
    assert (fields["hour"], fields["minute"]) == (str(hour), str(minute))


@pytest.mark.parametrize(
    "text", ["every week on monday at 5", "every week on monday at 13pm", "every week on monday at 0am"]
)
def test_an_unclear_time_is_asked_about(text):
    with pytest.raises(CadenceError):
        parse_cadence(text, LONDON, start=START)


def test_help_lists_the_accepted_forms():
    result = CliRunner().invoke(main, ["round", "schedule", "--help"])
    assert "every fortnight on friday at 5pm" in " ".join(result.output.split())
    assert "5pm" in result.output and "17:00" in result.output


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("monthly", "every month on day 1"),
        ("every month", "every month on day 1"),
        ("monthly on the 1st", "every month on day 1"),
        ("Monthly on the 1st at 5pm", "every month on day 1 at 17:00"),
        ("monthly on the first of the month", "every month on day 1"),
        ("every month on the 15th", "every month on day 15"),
        ("every month on 15th at 9am", "every month on day 15 at 09:00"),
        ("monthly on the first monday", "every month on the first monday"),
        ("every month on the 1st monday", "every month on the first monday"),
        ("monthly on the last friday of the month at 17:00", "every month on the last friday at 17:00"),
        ("every 2 months on the 3rd", "every 2 months on day 3"),
    ],
)
def test_monthly_as_workers_write_it(text, same_as):
    """Trial finding 41: "monthly" (and "on the 1st") reads as the month cadence it means."""
    assert _fields(text) == _fields(same_as)


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("daily", "every day"),
        ("Daily at 5pm", "every day at 17:00"),
        ("weekly on friday", "every week on friday"),
        ("weekly on monday at 9am", "every week on monday at 09:00"),
    ],
)
def test_daily_and_weekly_as_workers_write_them(text, same_as):
    """New-user trial: "daily" was refused ("cannot read the cadence") while "monthly on the 1st" was read."""
    assert _fields(text) == _fields(same_as)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("monthly on the 31st", "day of the month must be 1 to 28"),
        ("monthly on monday", 'need "on the first <weekday>" or "on day N"'),
        ("every month on the fifth friday", "say which weekday of the month"),
    ],
)
def test_a_monthly_cadence_that_cannot_be_kept_says_why(text, says):
    with pytest.raises(CadenceError, match=re.escape(says)):
        parse_cadence(text, LONDON, start=START)


def test_help_and_the_error_offer_monthly():
    result = CliRunner().invoke(main, ["round", "schedule", "--help"])
    assert "monthly on the 1st" in " ".join(result.output.split())
    with pytest.raises(CadenceError, match="monthly on the 1st"):
        parse_cadence("once a month", LONDON, start=START)
