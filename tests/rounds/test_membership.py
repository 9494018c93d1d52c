"""A round's cohort and its survey's audience: one test of membership, for `round launch` and the web chat."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlmodel import Session

from tests.factories import add_participants, phone_number
from tests.outbox.helpers import environment
from voice_service.cli import main
from voice_service.db import session_scope
from voice_service.models import Round, Run
from voice_service.rounds.launch import launch_round
from voice_service.rounds.membership import (
    AudienceMismatch,
    Cohort,
    check_cohort,
    known_areas,
    local_date,
    unknown_area,
)

LEAVERS = """\
id = "leavers"
title = "Leaving care"
intro = "Hi {first_name}, reply YES to start."
outro = "Thanks!"
audience = ["care_leaver"]
min_age = 18
max_age = 25

[[questions]]
id = "home"
kind = "yes_no"
text = "Do you have a home you like? Reply YES or NO."
"""


def _survey():
    from voice_service.surveys.loader import parse_survey

    return parse_survey(LEAVERS.encode(), "leavers.toml")


def test_a_care_leavers_survey_at_an_in_care_cohort_is_refused():
    with pytest.raises(AudienceMismatch, match="care leavers"):
        check_cohort(_survey(), Cohort(status="in_care"))
    with pytest.raises(AudienceMismatch, match="18 to 25"):
        check_cohort(_survey(), Cohort(min_age=11, max_age=17))
    with pytest.raises(AudienceMismatch, match="below"):
        check_cohort(_survey(), Cohort(min_age=16))
    check_cohort(_survey(), Cohort(status="care_leaver", min_age=18, max_age=21))  # fits


def test_round_launch_refuses_a_cohort_outside_the_surveys_audience(services):
    add_participants(services, [{"phone": phone_number(40), "status": "in_care", "age": 14}])
    result = CliRunner().invoke(
        main,
        ["round", "launch", "--survey", "care-leavers", "--status", "in_care"],
        env=environment(services.config) | {"VOICE_CONFIG": ""},
    )
    assert result.exit_code != 0
    assert "written for care leavers" in result.output and "not young people in care" in result.output
    with Session(services.engine) as session:
        assert session.exec(select(Run)).scalars().all() == []


def test_round_launch_refuses_a_cohort_nobody_is_in_unless_asked(services):
    add_participants(services, [{"phone": phone_number(44), "status": "in_care", "age": 14, "area": "North"}])
    env = environment(services.config) | {"VOICE_CONFIG": ""}
    args = ["round", "launch", "--survey", "pulse", "--area", "Nowhere"]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 1 and "nobody matched this cohort, so no round was launched" in result.output
    with Session(services.engine) as session:
        assert session.exec(select(Round)).scalars().all() == []
    allowed = CliRunner().invoke(main, [*args, "--allow-empty"], env=env)
    assert allowed.exit_code == 0 and "0 invitations queued" in allowed.output


def test_an_area_nobody_has_is_named_with_the_areas_there_are(services):
    """Tester trial 5, F15: `round launch --area Narnia` said only "nobody matched this cohort"."""
    add_participants(
        services,
        [
            {"phone": phone_number(45), "area": "North"},
            {"phone": phone_number(46), "area": "north "},
            {"phone": phone_number(47), "area": "North"},
            {"phone": phone_number(48), "area": "East"},
            {"phone": phone_number(49), "area": ""},
        ],
    )
    env = environment(services.config) | {"VOICE_CONFIG": ""}
    args = ["round", "launch", "--survey", "pulse", "--area", "Narnia"]
    refused = CliRunner().invoke(main, args, env=env)
    said = " ".join(refused.output.split())
    assert refused.exit_code == 1
    assert "nobody has the area 'Narnia'; the areas young people have are East, North" in said, said
    allowed = CliRunner().invoke(main, [*args, "--allow-empty"], env=env)
    assert "warning: nobody matched this cohort: nobody has the area 'Narnia'; the areas" in allowed.output
    # An area someone has, in any case, says nothing of the sort.
    with session_scope(services.engine) as session:
        assert unknown_area(session, " NORTH") is None and unknown_area(session, None) is None
        assert known_areas(session) == ["East", "North"]


def test_the_refusal_ends_with_the_area_words():
    from voice_service.rounds.launch import EmptyCohort

    assert str(EmptyCohort(area="nobody has the area 'X'")).endswith(
        "so no round was launched: nobody has the area 'X'"
    )


def test_launch_without_a_status_invites_only_the_surveys_audience(services):
    add_participants(
        services,
        [
            {"phone": phone_number(41), "status": "in_care", "age": 14},
            {"phone": phone_number(42), "status": "care_leaver", "age": 19},
            {"phone": phone_number(43), "status": "care_leaver", "age": 17},
        ],
    )
    with session_scope(services.engine) as session:
        result = launch_round(session=session, vault=services.vault, survey=_survey(), source=LEAVERS, cohort=Cohort())
        assert result.invited == 1


def test_ages_are_taken_on_the_councils_local_date(services):
    # 00:30 BST on 15 June is 23:30 UTC on 14 June: on the council's date she is 18 today.
    now = datetime(2026, 6, 14, 23, 30, tzinfo=UTC)
    assert local_date(now, "Europe/London") == date(2026, 6, 15)
    add_participants(services, [{"phone": phone_number(44), "status": "care_leaver", "date_of_birth": "2008-06-15"}])
    with session_scope(services.engine) as session:
        result = launch_round(
            session=session,
            vault=services.vault,
            survey=_survey(),
            source=LEAVERS,
            cohort=Cohort(status="care_leaver"),
            now=now,
            timezone="Europe/London",
        )
        assert result.invited == 1
