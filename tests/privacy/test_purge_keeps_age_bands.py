"""Retention and an older round's summary (trial 10, T10-4): a young person is counted in the age band they were
in on the day the round opened, before the purge removes their date of birth and after it, so a summary issued
before a purge reads the same after it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update

from tests.factories import SMALL_SURVEY
from tests.log_guard import remember
from tests.summary.data import answer, summary_of
from voice_service.db import session_scope
from voice_service.models import Participant, Response
from voice_service.privacy.retention import purge_expired
from voice_service.rounds.launch import close_round, launch_round
from voice_service.rounds.membership import Cohort
from voice_service.summary.aggregate import aggregate_round
from voice_service.surveys.loader import parse_survey

OPENED = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)
PURGED = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # two years on: everyone is two years older


def _round_with_ages(services) -> int:
    """A round opened on OPENED that 6 fifteen-year-olds and 5 seventeen-year-olds answered, then not heard from."""
    born = [date(2009, 1, 10)] * 6 + [date(2007, 2, 20)] * 5  # 15 and 17 on OPENED; 17 and 19 on PURGED
    phones = [f"+4477009{600 + i:05d}" for i in range(len(born))]
    remember(*phones)
    survey = parse_survey(SMALL_SURVEY.encode(), "check-in.toml")
    with session_scope(services.engine) as session:
        ids = []
        for phone, birthday in zip(phones, born):
            person = Participant(
                status="in_care" if birthday.year == 2009 else "care_leaver",
                date_of_birth=birthday,
                phone_hash=services.vault.hash(phone),
                phone_encrypted=services.vault.encrypt(phone),
                created_at=OPENED - timedelta(days=30),
                updated_at=OPENED - timedelta(days=30),
            )
            session.add(person)
            session.flush()
            ids.append(person.id)
        launched = launch_round(
            session=session, vault=services.vault, survey=survey, source=SMALL_SURVEY, cohort=Cohort(), now=OPENED
        )
        round_id = launched.round.id
        for pid in ids:
            answer(session, round_id, pid, "safe_home", kind="scale", number=4)
        close_round(session=session, round_id=round_id, now=OPENED + timedelta(days=14))
        # Nothing since: not heard from for longer than the retention period.
        session.exec(update(Participant).values(updated_at=OPENED))
        session.exec(update(Response).values(created_at=OPENED + timedelta(hours=1)))
    return round_id


def _read(services, round_id: int):
    with session_scope(services.engine) as session:
        figures = aggregate_round(session=session, round_id=round_id)
    return figures.age_bands, summary_of(figures, now=PURGED).header.age_bands


def test_a_purge_leaves_an_older_rounds_age_bands_as_they_were(services):
    round_id = _round_with_ages(services)
    counted, shown = _read(services, round_id)
    assert counted == {"11-15": 6, "16-17": 5}
    with session_scope(services.engine) as session:
        report = purge_expired(session=session, retention_days=365, now=PURGED)
    assert report.participants == 11
    with session_scope(services.engine) as session:
        assert all(p.date_of_birth is None for p in session.exec(Participant.__table__.select()).all())
    assert _read(services, round_id) == (counted, shown)
