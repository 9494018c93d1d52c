"""Nobody is invited twice to the same survey: a round leaves out anyone already in an open round of it, and
says so (trial finding 2); and a cohort's area matches whatever its case or spaces (trial finding 4)."""

from __future__ import annotations

import dataclasses

from click.testing import CliRunner
from sqlmodel import Session, select

from tests.factories import add_participants, phone_number
from tests.outbox.helpers import environment
from voice_service.cli import main
from voice_service.db import session_scope
from voice_service.models import Alert, HeldBack, OutboxMessage, Run, utcnow
from voice_service.rounds.launch import Cohort, close_round, select_cohort
from voice_service.rounds.membership import local_date


def _cli(config, *args):
    return CliRunner().invoke(main, list(args), env=environment(config) | {"VOICE_CONFIG": ""}, catch_exceptions=False)


def _launch(services, *args) -> tuple[str, int]:
    result = _cli(services.config, "round", "launch", "--survey", "pulse", "--allow-empty", *args)
    assert result.exit_code == 0, result.output
    return result.output, int(result.output.strip().splitlines()[-1])


def _invited(services, round_id: int) -> list[int]:
    with Session(services.engine) as session:
        return sorted(
            session.exec(
                select(OutboxMessage.participant_id).where(
                    OutboxMessage.kind == "invitation", OutboxMessage.round_id == round_id
                )
            ).all()
        )


def test_a_second_round_of_an_open_survey_invites_only_those_not_in_it(services):
    add_participants(services, [{"phone": phone_number(i), "age": 15, "area": "East"} for i in range(1, 4)])
    _, first = _launch(services, "--area", "East", "--max-age", "17")
    assert _invited(services, first) == [1, 2, 3]
    add_participants(services, [{"phone": phone_number(4), "age": 15, "area": "East"}])
    output, second = _launch(services, "--area", "East", "--max-age", "17")
    assert f"1 invitation queued, 3 already in round {first} of this survey, which is still open" in output
    assert _invited(services, second) == [4]
    with Session(services.engine) as session:
        assert len(session.exec(select(Run).where(Run.participant_id == 1)).all()) == 1
    # A round of the survey that has closed no longer keeps anyone out.
    with session_scope(services.engine) as session:
        close_round(session=session, round_id=first)
        close_round(session=session, round_id=second)
    output, third = _launch(services, "--area", "East", "--max-age", "17")
    assert "already in" not in output
    assert _invited(services, third) == [1, 2, 3, 4]


def test_a_round_that_would_invite_only_people_already_in_an_open_one_is_refused_with_the_reason(services):
    add_participants(services, [{"phone": phone_number(i), "age": 15} for i in range(1, 3)])
    _, first = _launch(services, "--max-age", "17")
    result = _cli(services.config, "round", "launch", "--survey", "pulse", "--max-age", "17")
    assert result.exit_code != 0
    assert f"2 already in round {first} of this survey, which is still open" in result.output


def test_someone_held_back_in_an_open_round_is_not_held_back_again_by_the_next(services):
    """Closing their alert invites them into the round that held them back: the next one must not as well."""
    add_participants(services, [{"phone": phone_number(i), "age": 15} for i in range(1, 3)])
    with session_scope(services.engine) as session:
        session.add(Alert(participant_id=1, excerpt="worrying words", created_at=utcnow()))
    _, first = _launch(services, "--max-age", "17")
    _launch(services, "--max-age", "17")
    with Session(services.engine) as session:
        assert [h.round_id for h in session.exec(select(HeldBack)).all()] == [first]


def test_another_survey_is_not_kept_out_by_an_open_round(services):
    add_participants(services, [{"phone": phone_number(i), "age": 15} for i in range(1, 3)])
    _launch(services, "--max-age", "17")
    survey, _ = services.survey_source("pulse")
    other = dataclasses.replace(survey, id="another")
    with Session(services.engine) as session:
        chosen = select_cohort(session=session, cohort=Cohort(max_age=17), today=local_date(utcnow()), survey=other)
    assert [p.id for p in chosen.participants] == [1, 2] and chosen.already_in == 0


def test_an_area_matches_whatever_its_case_or_spaces(services):
    add_participants(
        services,
        [
            {"phone": phone_number(1), "age": 15, "area": "East"},
            {"phone": phone_number(2), "age": 15, "area": "east"},
            {"phone": phone_number(3), "age": 15, "area": "Eastfield"},
        ],
    )
    output, round_id = _launch(services, "--area", " EAST", "--max-age", "17")
    assert "2 invitations queued" in output
    assert _invited(services, round_id) == [1, 2]
