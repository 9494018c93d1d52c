"""`round schedule --every` reads "every fortnight" and "5pm" as UK workers write them (trial finding 16), and
`--help` lists the accepted forms. A bare "at 5" is asked about, never guessed."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from voice_service.cli import main
from voice_service.rounds.schedule import CadenceError, parse_cadence

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday


def _fields(text: str) -> dict[str, str]:
    trigger = parse_cadence(text, LONDON, start=START)
    return {field.name: str(field) for field in trigger.fields}


@pytest.mark.parametrize(
    "text",
    [
        "every fortnight on friday at 5pm",
        "every 2 weeks on fri at 5pm",
        "Fortnightly on Friday at 5 pm",
        "every fortnight on friday at 17:00",
        "every 2 weeks on friday at 5.00pm",
    ],
)
def test_a_fortnight_on_friday_at_5pm(text):
    assert _fields(text) == _fields("every 2 weeks on friday at 17:00")
    fields = _fields(text)
    assert (fields["week"], fields["day_of_week"], fields["hour"], fields["minute"]) == ("*/2", "fri", "17", "0")


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
