"""Who a round held back: a young person not invited because a safeguarding alert of theirs was live, recorded
so that closing the alert invites exactly them (not worked out afterwards, which also invited people who had
said STOP at launch and opted back in since).

Rounds launched before this recorded nobody: closing an alert now invites nobody into them.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "heldback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('held', 'invited', 'opted_out')", name="ck_heldback_status"),
        sa.CheckConstraint("channel IN ('sms', 'webchat')", name="ck_heldback_channel"),
        sa.CheckConstraint("status != 'invited' OR invited_at IS NOT NULL", name="ck_heldback_invited_at"),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "participant_id", name="uq_heldback_round_participant"),
    )
    with op.batch_alter_table("heldback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_heldback_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_heldback_round_id"), ["round_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("heldback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_heldback_round_id"))
        batch_op.drop_index(batch_op.f("ix_heldback_participant_id"))
    op.drop_table("heldback")
