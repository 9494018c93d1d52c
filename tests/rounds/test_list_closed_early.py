"""`round list` said "closes 2026-03-16" for a round closed a week early, on the 9th: the day it was planned to
close, not the day it did (new-user trial). A closed round now says when it closed, and that it closed early."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from tests.factories import SMALL_SURVEY, add_participants, phone_number, small_survey
from tests.outbox.helpers import environment
from voice_service.cli import main
from voice_service.cli.rounds import closing_words
from voice_service.db import session_scope
from voice_service.models import Round
from voice_service.rounds.launch import Cohort, close_round, launch_round

OPENED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # Monday 2 March 2026, 10:00 in London
PLANNED = datetime(2026, 3, 16, 23, 59, 59, tzinfo=UTC)  # the end of Monday 16 March in London (GMT)


def _round(services, *, closes_at: datetime | None) -> int:
    with session_scope(services.engine) as session:
        result = launch_round(
            session=session,
            vault=services.vault,
            survey=small_survey(),
            source=SMALL_SURVEY,
            cohort=Cohort(),
            closes_at=closes_at,
            now=OPENED,
            council=services.config.app.council_name,
        )
        assert result.round.id is not None
        return result.round.id


def _close(services, round_id: int, when: datetime) -> None:
    with session_scope(services.engine) as session:
        close_round(session=session, round_id=round_id, now=when)


def test_round_list_says_when_a_round_closed_early_not_when_it_was_planned_to(services):
    add_participants(services, [{"phone": phone_number(1), "date_of_birth": "2010-05-01"}], today=OPENED.date())
    early = _round(services, closes_at=PLANNED)
    _close(services, early, datetime(2026, 3, 9, 15, 0, tzinfo=UTC))
    on_time = _round(services, closes_at=PLANNED)
    _close(services, on_time, PLANNED)  # the scheduler closes it at its closing time
    still_open = _round(services, closes_at=PLANNED)
    no_date = _round(services, closes_at=None)

    listed = CliRunner().invoke(
        main, ["round", "list"], env=environment(services.config) | {"VOICE_CONFIG": ""}, catch_exceptions=False
    )
    assert listed.exit_code == 0, listed.output
    lines = {int(line.split()[0]): line for line in listed.output.splitlines()}
    assert "opened 2026-03-02 closed 2026-03-09 (closed early; planned 2026-03-16)  invited" in lines[early]
    assert "closed 2026-03-16  invited" in lines[on_time] and "early" not in lines[on_time]
    assert "closes 2026-03-16  invited" in lines[still_open]
    assert "closes -  invited" in lines[no_date]


def test_closing_words_are_the_councils_calendar_days():
    # 23:30 UTC on 9 June is 00:30 on 10 June in London (BST): the council's day, not UTC's.
    round_ = Round(
        survey_id="check-in",
        survey_version_id=1,
        cohort={},
        opens_at=datetime(2026, 6, 1, 9, 0, tzinfo=UTC),
        closes_at=datetime(2026, 6, 14, 22, 59, 59, tzinfo=UTC),
        status="closed",
        closed_at=datetime(2026, 6, 9, 23, 30, tzinfo=UTC),
    )
    assert closing_words(round_, "Europe/London") == "closed 2026-06-10 (closed early; planned 2026-06-14)"
    round_.closed_at = round_.closes_at + timedelta(seconds=1)
    assert closing_words(round_, "Europe/London") == "closed 2026-06-15"
