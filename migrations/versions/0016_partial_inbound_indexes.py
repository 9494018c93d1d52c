"""Indexes the inbound path writes on every text, made partial where most rows never needed an entry:
`message.wants_person` only for messages that ask for a person, `response.run_id` and `response.round_id`
only for responses that have one (a text-in has neither). Every text stored is then 4 index entries
lighter (2 messages, the text and its reply; 1 response), and readers find the same rows: they ask for
`wants_person` true, or for a run's or round's responses by `=`, which implies the predicate.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels = None
depends_on = None

PARTIAL = (  # (index, table, column, predicate)
    ("ix_message_wants_person", "message", "wants_person", "wants_person"),
    ("ix_response_run_id", "response", "run_id", "run_id IS NOT NULL"),
    ("ix_response_round_id", "response", "round_id", "round_id IS NOT NULL"),
)


def upgrade() -> None:
    for index, table, column, predicate in PARTIAL:
        op.drop_index(index, table_name=table)
        where = sa.text(predicate)
        op.create_index(index, table, [column], unique=False, postgresql_where=where, sqlite_where=where)


def downgrade() -> None:
    for index, table, column, _ in PARTIAL:
        op.drop_index(index, table_name=table)
        op.create_index(index, table, [column], unique=False)
