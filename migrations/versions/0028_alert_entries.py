"""Who did what to an alert, and when (`alertentry`): an alert kept its notes as one text and only its latest
action, so a hand-over said neither by whom nor when, the notes had no author or time, and an action recorded on
closing replaced the one recorded before (new-user trial: "Dee closed it, recording that they called them", when it
was Dan who called).

Each row is one step: acknowledged, what was done, handed over (to whom), a note, closed (with what was done then),
with who did it, when, and the note written with it. Notes already stored stay in `alert.note`, shown as written
before who and when were kept; acknowledging and closing stay on the alert, so older alerts still say who and when.

Revision ID: 0028
Revises: 0027
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels = None
depends_on = None

KINDS = "'acknowledged', 'action', 'handed_over', 'note', 'closed'"
ACTIONS = "'called', 'visited', 'referred', 'no_further_action'"


def upgrade() -> None:
    op.create_table(
        "alertentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=15), nullable=False),
        sa.Column("by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("handed_to", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(f"kind IN ({KINDS})", name="ck_alertentry_kind"),
        sa.CheckConstraint(f"action IS NULL OR action IN ({ACTIONS})", name="ck_alertentry_action"),
        sa.CheckConstraint("kind <> 'action' OR action IS NOT NULL", name="ck_alertentry_action_named"),
        sa.CheckConstraint("kind <> 'handed_over' OR handed_to IS NOT NULL", name="ck_alertentry_handed_to"),
        sa.ForeignKeyConstraint(["alert_id"], ["alert.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("alertentry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alertentry_alert_id"), ["alert_id"], unique=False)


def downgrade() -> None:
    # Who did what and when is lost; the notes are not: they go back into `alert.note`, one a line, in order.
    bind = op.get_bind()
    alert = sa.table("alert", sa.column("id", sa.Integer), sa.column("note", sa.Text))
    entry = sa.table(
        "alertentry",
        sa.column("id", sa.Integer),
        sa.column("alert_id", sa.Integer),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("note", sa.Text),
    )
    notes: dict[int, list[str]] = {}
    rows = bind.execute(
        sa.select(entry.c.alert_id, entry.c.note).where(entry.c.note.is_not(None)).order_by(entry.c.at, entry.c.id)
    )
    for row in rows:
        notes.setdefault(row.alert_id, []).append(row.note)
    for alert_id, written in notes.items():
        before = bind.execute(sa.select(alert.c.note).where(alert.c.id == alert_id)).scalar()
        bind.execute(
            alert.update()
            .where(alert.c.id == alert_id)
            .values(note="\n".join([*([before] if before else []), *written]))
        )
    with op.batch_alter_table("alertentry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alertentry_alert_id"))
    op.drop_table("alertentry")
