"""A web chat message keeps the chat (one device's chat) it was said in, so a young person's messages and the
replies to them are shown in that chat alone: with one invite link open on two devices (a shared tablet and
their own phone), what is typed on one is not shown on the other.

- `message.chat_session_id`, a nullable foreign key to `chatsession` (cleared when the chat is deleted, which
  is done only with all of a participant's chats), indexed only where it is set (SMS rows never touch it).
- Messages already stored are given their chat where it can be known: a chat message's provider id is
  "chat<id>:<client id>"; the replies stored with it have its participant and time, and came after it; a chat's
  opening was stored at the chat's own start time. What is left (a worker's reply, an invitation) stays shared.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels = None
depends_on = None

INDEX = "ix_message_chat_session_id"
FOREIGN_KEY = "fk_message_chat_session_id"
CHAT_SID = re.compile(r"^chat(\d+):")


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chat_session_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(FOREIGN_KEY, "chatsession", ["chat_session_id"], ["id"], ondelete="SET NULL")
    where = sa.text("chat_session_id IS NOT NULL")
    op.create_index(INDEX, "message", ["chat_session_id"], unique=False, postgresql_where=where, sqlite_where=where)
    _backfill(bind)


def _backfill(bind) -> None:
    """Give the messages already stored their chat, where it can be known."""
    chats = dict(bind.execute(sa.text("SELECT id, participant_id FROM chatsession")).all())
    typed = bind.execute(
        sa.text(
            "SELECT id, provider_sid, participant_id FROM message "
            "WHERE channel = 'webchat' AND direction = 'in' AND provider_sid LIKE 'chat%'"
        )
    ).all()
    owned = []
    for message_id, sid, participant_id in typed:
        found = CHAT_SID.match(sid or "")
        if found is not None and chats.get(int(found.group(1))) == participant_id:
            owned.append({"chat": int(found.group(1)), "id": message_id})
    if owned:
        bind.execute(sa.text("UPDATE message SET chat_session_id = :chat WHERE id = :id"), owned)
    # The replies to each: stored with it (its participant and time), after it, with no provider id.
    bind.execute(
        sa.text(
            "UPDATE message SET chat_session_id = ("
            " SELECT i.chat_session_id FROM message i"
            " WHERE i.channel = 'webchat' AND i.direction = 'in' AND i.chat_session_id IS NOT NULL"
            " AND i.participant_id = message.participant_id AND i.created_at = message.created_at"
            " AND i.id < message.id ORDER BY i.id DESC LIMIT 1) "
            "WHERE channel = 'webchat' AND direction = 'out' AND provider_sid IS NULL AND chat_session_id IS NULL"
        )
    )
    # Each chat's opening: said as the chat started, at its start time.
    bind.execute(
        sa.text(
            "UPDATE message SET chat_session_id = ("
            " SELECT c.id FROM chatsession c"
            " WHERE c.participant_id = message.participant_id AND c.created_at = message.created_at"
            " ORDER BY c.id LIMIT 1) "
            "WHERE channel = 'webchat' AND direction = 'out' AND provider_sid IS NULL AND chat_session_id IS NULL"
        )
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="message")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        batch_op.drop_column("chat_session_id")
