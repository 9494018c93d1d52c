"""A run keeps the age band its young person is counted in, as on the day its round opened, so that a round's
summary reads the same after retention has removed their date of birth (trial 10, T10-4: the placeholder kept
the band they were in on the day of the purge, and older rounds' bands moved with it).

- `run.age_band`, nullable: None while nothing is known of their age (it is then read from them when counted).
- Runs already stored are given the band the summary counts them in today: the one they told us, else the one
  their date of birth put them in on the day the round opened (the rule of `participants.groups.band_on`,
  written out here as it stood, as a migration must not change with the code). Someone already reduced to a
  placeholder has no date of birth left: their runs keep the band the placeholder kept, as summaries show now.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels = None
depends_on = None

BANDS = {"11-15": (11, 15), "16-17": (16, 17), "18-21": (18, 21), "22-25": (22, 25)}
BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("age_band", sa.String(length=10), nullable=True))
    _backfill(op.get_bind())


def _day(value) -> date:
    """A stored time's UTC day (SQLite hands back text, PostgreSQL an aware datetime)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).date()


def _born(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _band(born: date | None, told: str | None, day: date) -> str | None:
    if told is not None:
        return told
    if born is None:
        return None
    age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return next((band for band, (low, high) in BANDS.items() if low <= age <= high), "other")


def _backfill(bind) -> None:
    rows = bind.execute(
        sa.text(
            "SELECT run.id, participant.date_of_birth, participant.age_band, round.opens_at FROM run"
            " JOIN participant ON participant.id = run.participant_id JOIN round ON round.id = run.round_id"
            " WHERE participant.date_of_birth IS NOT NULL OR participant.age_band IS NOT NULL"
        )
    ).all()
    by_band: dict[str, list[int]] = defaultdict(list)
    for run_id, born, told, opens_at in rows:
        band = _band(_born(born), told, _day(opens_at))
        if band is not None:
            by_band[band].append(run_id)
    update = sa.text("UPDATE run SET age_band = :band WHERE id IN :ids").bindparams(sa.bindparam("ids", expanding=True))
    for band, ids in by_band.items():
        for start in range(0, len(ids), BATCH):
            bind.execute(update, {"band": band, "ids": ids[start : start + BATCH]})


def downgrade() -> None:
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.drop_column("age_band")
