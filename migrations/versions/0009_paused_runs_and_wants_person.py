"""Runs can be paused after a disclosure; an inbound message can ask for a person.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('invited', 'active', 'finished', 'stopped', 'closed')"
OLD_ENDED = "status IN ('invited', 'active') OR ended_at IS NOT NULL"
NEW_STATUSES = "status IN ('invited', 'active', 'paused', 'finished', 'stopped', 'closed')"
NEW_ENDED = "status IN ('invited', 'active', 'paused') OR ended_at IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.drop_constraint("ck_run_status", type_="check")
        batch_op.drop_constraint("ck_run_ended_at", type_="check")
        batch_op.create_check_constraint("ck_run_status", NEW_STATUSES)
        batch_op.create_check_constraint("ck_run_ended_at", NEW_ENDED)
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wants_person", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f("ix_message_wants_person"), ["wants_person"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_wants_person"))
        batch_op.drop_column("wants_person")
    op.execute(
        "UPDATE run SET status = 'active', reasked = false WHERE status = 'paused' AND current_question IS NOT NULL"
    )
    op.execute("UPDATE run SET status = 'invited', reasked = false WHERE status = 'paused'")
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.drop_constraint("ck_run_status", type_="check")
        batch_op.drop_constraint("ck_run_ended_at", type_="check")
        batch_op.create_check_constraint("ck_run_status", OLD_STATUSES)
        batch_op.create_check_constraint("ck_run_ended_at", OLD_ENDED)
