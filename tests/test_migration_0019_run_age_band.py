"""Migration 0019 gives the runs already stored the age band the summary counted them in: the band they told us,
else the one their date of birth put them in on the day the round opened (UTC); none when nothing is known.
Down and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import text
from sqlmodel import Session

from voice_service.db import alembic_config, make_engine
from voice_service.models import Participant, Round, Run, SurveyVersion

OPENED = datetime(2024, 6, 3, 23, 30, tzinfo=UTC)  # 4 June in London, 3 June in UTC


def test_runs_stored_before_0019_keep_the_band_they_were_counted_in(database_url):
    engine = make_engine(database_url)
    people = {
        1: Participant(id=1, date_of_birth=date(2008, 6, 4)),  # 15 on 3 June 2024, 16 the next day
        2: Participant(id=2, date_of_birth=date(2008, 6, 4), age_band="18-21"),  # told us: their word counts
        3: Participant(id=3, date_of_birth=date(2015, 1, 1)),  # 9: outside every band
        4: Participant(id=4),  # nothing known
    }
    with Session(engine) as session:
        session.add(SurveyVersion(id=1, survey_id="check-in", version="1", title="Check-in", source=""))
        session.add_all(people.values())
        session.flush()
        session.add(Round(id=1, survey_id="check-in", survey_version_id=1, opens_at=OPENED))
        session.flush()
        session.add_all(Run(id=pid, participant_id=pid, round_id=1, survey_version_id=1) for pid in people)
        session.commit()
    config = alembic_config(database_url)
    command.downgrade(config, "0018")
    command.upgrade(config, "head")
    with engine.connect() as connection:
        bands = dict(connection.execute(text("SELECT id, age_band FROM run ORDER BY id")).all())
    engine.dispose()
    assert bands == {1: "11-15", 2: "18-21", 3: "other", 4: None}
