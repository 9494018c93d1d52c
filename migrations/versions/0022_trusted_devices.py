"""Browsers an account has signed in on (`trusteddevice`, OWASP's device cookies): each counts its own wrong
passwords, so an outsider who knows a duty worker's email and fails on purpose locks the account only for
browsers it has not signed in on before, not for the worker's own (trial 13, T13-12). Only the SHA-256 of
each cookie's random nonce is kept, with the browser's own count of wrong passwords and when it was used.

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trusteddevice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("nonce_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("failed_logins >= 0", name="ck_trusteddevice_failed_logins"),
        sa.ForeignKeyConstraint(["user_id"], ["useraccount.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("nonce_hash"),
    )
    with op.batch_alter_table("trusteddevice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trusteddevice_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("trusteddevice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trusteddevice_user_id"))
    op.drop_table("trusteddevice")
