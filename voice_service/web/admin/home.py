"""The dashboard's home page: what needs doing now, for the roles this account holds."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template
from sqlmodel import Session, col, func, select

from ...models import Alert, AlertStatus, Response, Role, Round, RoundStatus, utcnow
from ...rounds.progress import round_progress
from . import bp
from .nav import nav_item
from .security import has_role, requires, services

nav_item("admin.home", "Home", order=0)


@bp.get("/")
@requires()
def home() -> str:
    """Unacknowledged alerts (duty), open rounds with progress and responses this week (workers)."""
    now = utcnow()
    alerts: list[Alert] = []
    rounds = []
    responses_this_week = None
    with Session(services().engine) as session:
        if has_role(Role.DUTY):
            alerts = list(
                session.exec(
                    select(Alert)
                    .where(col(Alert.status) == AlertStatus.OPEN)
                    .order_by(col(Alert.created_at), col(Alert.id))
                    .limit(10)
                ).all()
            )
        if has_role(Role.WORKER):
            open_rounds = session.exec(
                select(Round).where(col(Round.status) == RoundStatus.OPEN).order_by(col(Round.id).desc())
            ).all()
            rounds = [(round_, round_progress(session=session, round_id=round_.id or 0)) for round_ in open_rounds]
            responses_this_week = session.exec(
                select(func.count(col(Response.id))).where(col(Response.created_at) >= now - timedelta(days=7))
            ).one()
    return render_template(
        "admin/home.html", alerts=alerts, rounds=rounds, responses_this_week=responses_this_week, now=now
    )
