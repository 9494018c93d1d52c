"""Rounds get a short, unguessable public token for the young people's page at /r/<token>.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_token", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    # Existing rounds get a token too, so every closed round has a page.
    connection = op.get_bind()
    rounds = sa.table("round", sa.column("id", sa.Integer), sa.column("public_token", sa.String))
    for (round_id,) in connection.execute(sa.select(rounds.c.id)).all():
        connection.execute(rounds.update().where(rounds.c.id == round_id).values(public_token=secrets.token_urlsafe(9)))
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_round_public_token", ["public_token"])


def downgrade() -> None:
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.drop_constraint("uq_round_public_token", type_="unique")
        batch_op.drop_column("public_token")
