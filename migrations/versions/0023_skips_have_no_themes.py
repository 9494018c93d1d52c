"""Answers stored as skipped lose the themes they were given: a skip says nothing about its question's themes
(`inbound.responses.answer_response` gives it none), but it was tagged with its question's pledges' themes, so the
Responses page's theme and pledge filters, and the exports, took a skip for a mention of them. A worker's
correction (`human_themes`) is theirs, and stays.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    response = sa.table("response", sa.column("skipped", sa.Boolean), sa.column("themes", sa.JSON))
    op.get_bind().execute(response.update().where(response.c.skipped.is_(True)).values(themes=[]))


def downgrade() -> None:
    pass  # which themes a skip had is not kept, and no code needs them back
