"""alerts: priority, reasons, the duty loop (acknowledge, action, hand-over, close, escalation), linked
messages; outbox rows name their alert and attempt in columns, and email rows carry subject and attachments

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 14:22:27.241044
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIONS = "'called', 'visited', 'referred', 'no_further_action'"


def upgrade() -> None:
    op.create_table(
        "alertmessage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("priority", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alert.id"]),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    with op.batch_alter_table("alertmessage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alertmessage_alert_id"), ["alert_id"], unique=False)

    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("priority", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False, server_default="high")
        )
        batch_op.add_column(sa.Column("reasons", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("delayed", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("out_of_hours", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("message_count", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("action_taken", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column("assigned_to", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch_op.create_index(batch_op.f("ix_alert_status"), ["status"], unique=False)

    # Existing alerts: no reasons were kept, and the message that raised each is its first linked message.
    alert = sa.table(
        "alert",
        sa.column("id", sa.Integer),
        sa.column("message_id", sa.Integer),
        sa.column("categories", sa.JSON),
        sa.column("reasons", sa.JSON),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("last_message_at", sa.DateTime(timezone=True)),
    )
    link = sa.table(
        "alertmessage",
        sa.column("alert_id", sa.Integer),
        sa.column("message_id", sa.Integer),
        sa.column("categories", sa.JSON),
        sa.column("priority", sa.String),
        sa.column("reasons", sa.JSON),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(alert.c.id, alert.c.message_id, alert.c.categories, alert.c.created_at)).all()
    for row in rows:
        bind.execute(alert.update().where(alert.c.id == row.id).values(reasons=[], last_message_at=row.created_at))
        if row.message_id is not None:
            bind.execute(
                link.insert().values(
                    alert_id=row.id,
                    message_id=row.message_id,
                    categories=row.categories or [],
                    priority="high",
                    reasons=[],
                    created_at=row.created_at,
                )
            )

    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.alter_column("reasons", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_constraint("ck_alert_status", type_="check")
        batch_op.create_check_constraint("ck_alert_status", "status IN ('open', 'acknowledged', 'closed')")
        batch_op.create_check_constraint("ck_alert_priority", "priority IN ('high', 'low')")
        batch_op.create_check_constraint("ck_alert_action", f"action_taken IS NULL OR action_taken IN ({ACTIONS})")
        batch_op.create_check_constraint(
            "ck_alert_closed",
            "(status = 'closed' AND closed_at IS NOT NULL AND closed_by IS NOT NULL AND action_taken IS NOT NULL)"
            " OR (status <> 'closed' AND closed_at IS NULL AND closed_by IS NULL)",
        )

    with op.batch_alter_table("outboxmessage", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alert_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("attempt", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column("html_body", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("attachments", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outboxmessage_alert_id"), ["alert_id"], unique=False)
        batch_op.create_foreign_key("fk_outboxmessage_alert_id", "alert", ["alert_id"], ["id"])

    # Alert notices queued before this revision named their alert and attempt only in the key
    # ("alert:<id>:<attempt>:<channel>:<n>"): move them into the columns, once.
    outbox = sa.table(
        "outboxmessage",
        sa.column("id", sa.Integer),
        sa.column("key", sa.String),
        sa.column("kind", sa.String),
        sa.column("alert_id", sa.Integer),
        sa.column("attempt", sa.Integer),
        sa.column("subject", sa.String),
        sa.column("channel", sa.String),
    )
    for row in bind.execute(sa.select(outbox.c.id, outbox.c.key, outbox.c.channel).where(outbox.c.kind == "alert")):
        parts = row.key.split(":")
        if len(parts) > 2 and parts[1].isdigit() and parts[2].isdigit():
            bind.execute(
                outbox.update()
                .where(outbox.c.id == row.id)
                .values(
                    alert_id=int(parts[1]),
                    attempt=int(parts[2]),
                    subject=f"Voice Service safeguarding alert #{parts[1]}" if row.channel == "email" else None,
                )
            )


def downgrade() -> None:
    with op.batch_alter_table("outboxmessage", schema=None) as batch_op:
        batch_op.drop_constraint("fk_outboxmessage_alert_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_outboxmessage_alert_id"))
        batch_op.drop_column("attachments")
        batch_op.drop_column("html_body")
        batch_op.drop_column("subject")
        batch_op.drop_column("attempt")
        batch_op.drop_column("alert_id")

    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_constraint("ck_alert_closed", type_="check")
        batch_op.drop_constraint("ck_alert_action", type_="check")
        batch_op.drop_constraint("ck_alert_priority", type_="check")
        batch_op.drop_constraint("ck_alert_status", type_="check")
        batch_op.create_check_constraint("ck_alert_status", "status IN ('open', 'acknowledged')")
        batch_op.drop_index(batch_op.f("ix_alert_status"))
        batch_op.drop_column("closed_by")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("assigned_to")
        batch_op.drop_column("action_taken")
        batch_op.drop_column("escalated_at")
        batch_op.drop_column("last_message_at")
        batch_op.drop_column("message_count")
        batch_op.drop_column("out_of_hours")
        batch_op.drop_column("delayed")
        batch_op.drop_column("reasons")
        batch_op.drop_column("priority")

    with op.batch_alter_table("alertmessage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alertmessage_alert_id"))

    op.drop_table("alertmessage")
