"""When a web chat was left with "Leave this page" (`chatsession.left_at`): leaving forgot the chat on the device
but told the server nothing, so the inbox still said the chat was open and a worker's reply went into a chat nobody
could open any more (new-user trial: "Leave this page" is invisible to staff).

Chats already stored were not known to be left: they stay as they were (NULL, in use).

Revision ID: 0027
Revises: 0026
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chatsession", schema=None) as batch_op:
        batch_op.add_column(sa.Column("left_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # When a chat was left is lost: before 0027 a left chat read as open until it ran out.
    with op.batch_alter_table("chatsession", schema=None) as batch_op:
        batch_op.drop_column("left_at")
