"""When a call or visit was (`contact.happened_at`), apart from when it was recorded (`contact.created_at`): a worker
who phoned a young person in the evening and recorded it next morning had the call shown, and counted as answering
them, at the moment they recorded it (trial finding: "a call's time cannot be entered").

Rows already stored were recorded as they happened, so they are given their `created_at`.

Revision ID: 0026
Revises: 0025
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("happened_at", sa.DateTime(timezone=True), nullable=True))
    op.get_bind().execute(sa.text("UPDATE contact SET happened_at = created_at"))
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.alter_column("happened_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    # When an earlier call was is lost: before 0026 a call was at the moment it was recorded.
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("happened_at")
