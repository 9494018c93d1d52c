"""An age is worked out on the UTC day a round opened, whatever the database session's time zone (a reviewer's
finding): the summary's fallback for a run with no age band cast a timestamp to a date in PostgreSQL's session time
zone, while `Round.opened_on`, the runs' stored bands and migration 0019 use the UTC day, so on a server set to
another zone a birthday on the day of an opening just after midnight put someone in another band."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Date, literal, select, text
from sqlmodel import Session

from voice_service.models.base import UTCDateTime
from voice_service.summary.aggregate import _age_years

BORN = date(2010, 6, 2)
# 12:00 UTC on 1 June: already 2 June in Kiribati (UTC+14), where the cast would take the 16th birthday as come.
OPENED = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def test_an_age_is_taken_on_the_utc_day_whatever_the_sessions_time_zone(services):
    with Session(services.engine) as session:
        if services.engine.dialect.name == "postgresql":
            session.execute(text("SET TIME ZONE 'Pacific/Kiritimati'"))
        on = literal(OPENED, UTCDateTime)
        age = session.execute(select(_age_years(session, literal(BORN, Date), on))).scalar_one()
    assert age == 15
