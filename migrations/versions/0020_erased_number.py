"""The numbers of young people erased at their request (`privacy erase`), kept only as the keyed hash of the
number (privacy.hash_key, as the opt-out register keeps a STOP) and when, so that the council's next import of a
list that still holds them leaves them out and says so, rather than adding them back as someone new
(trial 10, T10-3). `participants import --include-erased` adds one back on purpose, and removes its mark.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erasednumber",
        sa.Column("phone_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("phone_hash"),
    )


def downgrade() -> None:
    op.drop_table("erasednumber")
