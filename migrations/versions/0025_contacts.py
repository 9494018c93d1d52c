"""Calls and visits a worker records on a young person's thread (`contact`): the inbox had no way to say "I phoned
them", so a thread whose young person asked for a person, and could only be phoned (they had said STOP), stayed
"Needs a reply" after the call, or was closed with nothing to show the call was made (trial finding).

Each row is one call or visit: the conversation it belongs to, the young person, how it went (spoke with them,
no answer, or met in person), an optional note, whether an alert of theirs was live then (the note is then the duty
team's), the form's one-off token (a double click records once), who recorded it and when. A call they answered, or
a visit, answers the thread as a written reply does.

`response.during_question`: a message kept with no question (a text-in) that came while their survey waited on a
question keeps that question, so the inbox can say which question they were on however the run moves on or ends.
Rows from before stay NULL (the inbox then works it out from the answers, as before).

Revision ID: 0025
Revises: 0024
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("safeguarding", sa.Boolean(), nullable=False),
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("outcome IN ('spoke', 'no_answer', 'met')", name="ck_contact_outcome"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_id", "token", name="uq_contact_token"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_conversation_id"), ["conversation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_participant_id"), ["participant_id"], unique=False)
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("during_question", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))


def downgrade() -> None:
    # Which question a text-in came at is lost: before 0025 nothing held it.
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("during_question")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_participant_id"))
        batch_op.drop_index(batch_op.f("ix_contact_conversation_id"))
    op.drop_table("contact")
