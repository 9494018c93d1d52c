"""A recurring round whose rounds would overlap is said to (new-user trial: "every day" with rounds open 14 days was
saved with no word, a round a day, each new one inviting nobody still in the last), and an empty cadence is refused
in plain words, not as "cannot read the cadence ''". Every date here is from START."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from tests.outbox.helpers import environment
from voice_service.cli import main
from voice_service.rounds.schedule import CadenceError, overlap_words, parse_cadence

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday


def _overlap(cadence: str, open_days: int) -> str:
    return overlap_words(cadence=cadence, tz=LONDON, open_days=open_days, now=START)


def test_every_day_with_rounds_open_two_weeks_is_said_to_overlap():
    words = _overlap("every day", 14)
    assert words == (
        "rounds would overlap: 'every day' launches rounds as little as 1 day apart, but each stays open 14 days "
        "(to the end of its last day), so a new round starts while the last one is still open, and invites nobody "
        "still in it; launch them less often"
    )


def test_a_fortnight_with_rounds_open_fourteen_days_overlaps_on_the_last_day():
    # Launched at 5pm on the day the last one closes at midnight: both open for those hours.
    spring = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    words = overlap_words(cadence="every fortnight on friday at 5pm", tz=LONDON, open_days=14, now=spring)
    assert "as little as 14 days apart" in words and "let each stay open at most 13 days, or launch" in words
    assert overlap_words(cadence="every fortnight on friday at 5pm", tz=LONDON, open_days=13, now=spring) == ""


def test_a_fortnight_is_fourteen_days_apart_over_a_53_week_year():
    # "every 2 weeks" counted ISO weeks: 2026 has 53, so weeks 53 and 1 (1 and 8 January 2027) both had one, and
    # rounds open 13 days were said to overlap. A fortnight is now 14 days from the first launch.
    assert _overlap("every fortnight on friday at 5pm", 13) == ""
    assert "as little as 14 days apart" in _overlap("every fortnight on friday at 5pm", 14)


@pytest.mark.parametrize(
    ("cadence", "open_days", "overlaps"),
    [
        ("every 3 months on the first tuesday", 14, False),
        ("every month on day 15", 27, False),
        ("monthly on the 1st", 28, True),  # February has 28 days: 1 February to 1 March
        ("monthly on the 1st", 27, False),
        ("every 2 days", 1, False),  # two days from the last, the 31st to the 2nd (it counted days of the month)
        ("every 2 days", 2, True),
        ("every 2 weeks on monday", 6, False),
        ("0 9,17 * * *", 1, True),  # twice a day, on the same day
    ],
)
def test_overlap_is_the_shortest_gap_between_launches_against_the_days_open(cadence, open_days, overlaps):
    assert bool(_overlap(cadence, open_days)) is overlaps


def test_twice_a_day_can_only_be_launched_less_often():
    words = _overlap("0 9,17 * * *", 1)
    assert "launches two rounds on the same day" in words and "stay open at most" not in words


@pytest.mark.parametrize("cadence", ["", "   "])
def test_an_empty_cadence_is_refused_in_plain_words(cadence):
    with pytest.raises(CadenceError) as refused:
        parse_cadence(cadence, LONDON, start=START)
    assert str(refused.value).startswith("say how often to launch a round, such as ")
    assert "''" not in str(refused.value)


def _cli(services, *args):
    return CliRunner().invoke(
        main, list(args), env=environment(services.config) | {"VOICE_CONFIG": ""}, catch_exceptions=False
    )


def test_round_schedule_warns_of_overlapping_rounds_and_refuses_an_empty_cadence(services, monkeypatch):
    monkeypatch.setattr("voice_service.rounds.schedule.utcnow", lambda: START)
    daily = _cli(services, "round", "schedule", "--survey", "pulse", "--every", "every day", "--allow-empty")
    assert daily.exit_code == 0, daily.output
    assert "warning: rounds would overlap: 'every day' launches rounds as little as 1 day apart" in daily.output
    assert daily.output.strip().splitlines()[-1] == "1"  # the id still alone on the last line
    quarterly = _cli(
        services,
        "round",
        "schedule",
        "--survey",
        "pulse",
        "--every",
        "every 3 months on the first tuesday",
        "--allow-empty",
    )
    # Its own rounds never overlap, but the daily one's are open when each of them launches.
    assert quarterly.exit_code == 0 and "'every 3 months on the first tuesday' launches" not in quarterly.output
    assert "warning: rounds would overlap with recurring round 1 ('every day') of the same survey" in quarterly.output
    empty = _cli(services, "round", "schedule", "--survey", "pulse", "--every", "", "--allow-empty")
    assert empty.exit_code == 1 and "say how often to launch a round" in empty.output
