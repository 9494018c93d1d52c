"""A safeguarding notice remembers its route by its place in the settings (`route`: "webhook_url",
"duty_phones:0"), so that it goes to that route as configured when it is sent: a `webhook_url` corrected and
the service restarted reaches the notices already waiting, and a route taken out of the settings stops them
(trial 13, T13-10). Rows queued before this have none: an SMS or email notice goes as it was addressed, a
webhook notice to the one `webhook_url` there is.

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outboxmessage") as batch:
        batch.add_column(sa.Column("route", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outboxmessage") as batch:
        batch.drop_column("route")
