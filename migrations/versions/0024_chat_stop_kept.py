"""A STOP said in the web chat by a young person with no number is kept on them, whatever the state: there is no
number to put on the opt-out register (`optout` is keyed by the number's hash), and with no survey running there was
no run to stop, so nothing recorded it and the next round invited them again (in their open chat).

- `participant.chat_stopped_at`, nullable: when they said STOP in the chat; START clears it.
- Those already stored are given what was read as their chat STOP until now (`participants.opt_outs` as it stood,
  written out here as a migration must not change with the code): with no number, when a run of theirs last ended
  by their STOP.

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chat_stopped_at", sa.DateTime(timezone=True), nullable=True))
    op.get_bind().execute(
        sa.text(
            "UPDATE participant SET chat_stopped_at = (SELECT max(run.ended_at) FROM run"
            " WHERE run.participant_id = participant.id AND run.status = 'stopped')"
            " WHERE participant.phone_hash IS NULL"
        )
    )


def downgrade() -> None:
    # A chat STOP said with no survey running is lost: before 0024 nothing could hold it.
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("chat_stopped_at")
