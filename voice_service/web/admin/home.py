"""The dashboard's home page: what needs doing now, for the roles this account holds."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template
from sqlmodel import Session, col, func, select

from ...models import Alert, AlertStatus, Response, Role, Round, RoundStatus, utcnow
from ...surveys.registry import survey_titles
from . import bp
from .alerts_service import unsent_banner
from .nav import nav_item
from .rounds_service import RoundRow, rounds_overview
from .security import has_role, requires, services

nav_item("admin.home", "Home", order=0)
LATEST_SUMMARIES = 5  # the panel's home lists the newest rounds' summaries; the Summaries page has them all


@bp.get("/")
@requires()
def home() -> str:
    """Unacknowledged alerts (duty), open rounds and responses this week (workers), the latest summaries (panel)."""
    now = utcnow()
    alerts: list[Alert] = []
    rounds: list[RoundRow] = []
    responses_this_week = None
    summaries: list[Round] = []
    titles: dict[int, str] = {}
    banner: dict[str, object] = {}
    with Session(services().engine) as session:
        if has_role(Role.DUTY):
            # Safeguarding notices not leaving (no scheduler running): said before anything else.
            banner = unsent_banner(session=session, config=services().config, now=now)
            alerts = list(
                session.exec(
                    select(Alert)
                    .where(col(Alert.status) == AlertStatus.OPEN)
                    .order_by(col(Alert.created_at), col(Alert.id))
                    .limit(10)
                ).all()
            )
        if has_role(Role.WORKER):
            rounds = rounds_overview(session=session, status=RoundStatus.OPEN)
            responses_this_week = session.exec(
                select(func.count(col(Response.id))).where(col(Response.created_at) >= now - timedelta(days=7))
            ).one()
        if has_role(Role.PANEL):
            summaries = list(session.exec(select(Round).order_by(col(Round.id).desc()).limit(LATEST_SUMMARIES)).all())
            titles = survey_titles(session=session, rounds=summaries)
    return render_template(
        "admin/home.html",
        alerts=alerts,
        rounds=rounds,
        responses_this_week=responses_this_week,
        summaries=summaries,
        titles=titles,
        **{"now": now, **banner},
    )
