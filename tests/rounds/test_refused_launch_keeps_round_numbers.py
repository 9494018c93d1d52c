"""A refused launch writes nothing (a trial, on PostgreSQL: two launches refused for an area nobody has used up
round numbers 1 and 2, so the first round was "round 3" and `--round 1` found nothing). The cohort is chosen, and an
empty one refused, before the round is inserted, so no sequence moves. On both databases."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.factories import SMALL_SURVEY, add_participants, phone_number
from voice_service.db import session_scope
from voice_service.models import Round, SurveyVersion
from voice_service.rounds.launch import Cohort, EmptyCohort, launch_round
from voice_service.surveys.loader import parse_survey


def _launch(services, cohort: Cohort) -> int:
    survey = parse_survey(SMALL_SURVEY.encode(), "check-in.toml")
    with session_scope(services.engine) as session:
        result = launch_round(
            session=session, vault=services.vault, survey=survey, source=SMALL_SURVEY, cohort=cohort, allow_empty=False
        )
        assert result.round.id is not None
        return result.round.id


def test_a_launch_refused_for_an_empty_cohort_leaves_the_next_round_number_as_it_was(services):
    add_participants(services, [{"phone": phone_number(61), "area": "North"}])
    for typo in ("Nroth", "Nort"):
        with pytest.raises(EmptyCohort, match="no round was launched"):
            _launch(services, Cohort(area=typo))
    with session_scope(services.engine) as session:
        assert session.exec(select(Round)).all() == [] and session.exec(select(SurveyVersion)).all() == []
    assert _launch(services, Cohort(area="North")) == 1
