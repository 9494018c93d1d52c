"""The run table is updated at every survey answer: leave room for those updates in its pages, and drop an index
that duplicated another.

- PostgreSQL: fillfactor 50. No column an answer updates is indexed, so when the new version of the row fits in
  its page it is a HOT update, which writes no index entry; with full pages (fillfactor 100, the default) most
  were not (52 of 419 in the inbound benchmark's database). Pages already full get the room as their rows next
  move; runs written from now on (a round's launch) have it at once.
- `ix_run_round_id` (round_id) is dropped: `uq_run_round_participant` (round_id, participant_id) leads with the
  same column and serves every look-up by round, so every new run, and every update that is not HOT, wrote one
  index entry less.

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE run SET (fillfactor = 50)")
    op.drop_index("ix_run_round_id", table_name="run")


def downgrade() -> None:
    op.create_index("ix_run_round_id", "run", ["round_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE run RESET (fillfactor)")
