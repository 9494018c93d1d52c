"""A round's summary compares it only with an earlier round of the same survey that asked the same group of young
people (trial finding 22: North's round was set against everyone's, West's against North's); and "of 1 young
person invited", never "1 young people". Small-number suppression is as it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.factories import add_participants, launch, phone_number
from voice_service.db import session_scope
from voice_service.rounds.launch import close_round
from voice_service.rounds.membership import Cohort
from voice_service.summary import previous_round_id, summarise
from voice_service.summary.aggregate import same_cohort
from voice_service.summary.render_text import render_markdown
from voice_service.summary.report import Header

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def _closed(services, cohort: Cohort, days_ago: int) -> int:
    opened = NOW - timedelta(days=days_ago)
    round_id = launch(services, cohort=cohort, now=opened)
    with session_scope(services.engine) as session:
        close_round(session=session, round_id=round_id, now=opened + timedelta(days=1))
    return round_id


def test_only_a_round_that_asked_the_same_group_is_the_comparison(services):
    add_participants(services, [{"phone": phone_number(i), "area": "North" if i % 2 else "West"} for i in range(8)])
    everyone = _closed(services, Cohort(), 90)
    north = _closed(services, Cohort(area="North"), 60)
    north_again = _closed(services, Cohort(area="north "), 30)  # the same area, written another way
    west = _closed(services, Cohort(area="West"), 20)
    everyone_again = _closed(services, Cohort(), 10)
    with session_scope(services.engine) as session:
        assert previous_round_id(session=session, round_id=north_again) == north
        assert previous_round_id(session=session, round_id=everyone_again) == everyone  # never North's or West's
        assert previous_round_id(session=session, round_id=west) is None
        assert previous_round_id(session=session, round_id=north) is None  # not everyone's
        summary = summarise(session=session, services=services, round_id=west)
    assert summary.previous_round_id is None
    assert "Compared with" not in render_markdown(summary)


def test_same_cohort_reads_status_area_ages_and_lists():
    assert same_cohort({"area": "North"}, {"area": " north"})
    assert same_cohort({"area": "North East"}, {"area": "north  east"})  # two spaces (trial 8, H9)
    assert same_cohort({}, None)
    assert not same_cohort({"area": "North"}, {})
    assert not same_cohort({"status": "in_care"}, {"status": "care_leaver"})
    assert not same_cohort({"min_age": 11}, {"min_age": 12})
    assert same_cohort({"participant_ids": [2, 1]}, {"participant_ids": [1, 2]})
    assert not same_cohort({"participant_ids": [1]}, {"participant_ids": [1, 2]})


def test_one_young_person_invited_is_a_person():
    header = Header(invited=1, responded=0, response_rate=0.0, channels={}, age_bands={})
    assert " ".join(header.took_part) == "0 answered, of 1 young person invited"
    assert "of 6 young people invited" in " ".join(
        Header(invited=6, responded=6, response_rate=1.0, channels={}, age_bands={}).took_part
    )
