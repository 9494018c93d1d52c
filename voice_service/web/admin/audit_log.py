"""The audit log for admins: read and filter it, and download it as CSV (itself an audited export)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Response, render_template, request
from sqlmodel import Session

from ...audit import AuditFilter, count, search, to_csv
from ...dates import DateError, parse_uk_date
from ...models import Role
from . import bp
from .ids import page_number
from .nav import nav_item
from .security import audit, requires, services

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000

nav_item("admin.audit_log", "Audit log", roles=(Role.ADMIN,), order=90, active_prefix="admin.audit")


def _day(name: str) -> tuple[date | None, str | None]:
    """A filter's date as a worker types it (`dates.parse_uk_date`), or why it cannot be read."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None, None
    try:
        return parse_uk_date(raw, label="The first day" if name == "from" else "The last day"), None
    except DateError as error:
        return None, str(error)


def _start_of(day: date) -> datetime:
    """When a day begins in the council's time zone (the log shows its times), in UTC."""
    tz = ZoneInfo(services().config.app.timezone)
    return datetime.combine(day, time.min, tz).astimezone(UTC)


def _filters() -> tuple[AuditFilter, dict[str, str]]:
    """The filter from the query string, and any problems with it (by field)."""
    errors: dict[str, str] = {}
    since, problem = _day("from")
    if problem:
        errors["from"] = problem
    until, problem = _day("to")
    if problem:
        errors["to"] = problem
    filters = AuditFilter(
        actor=request.args.get("actor", "")[:254],
        action=request.args.get("action", "")[:60],
        subject_type=request.args.get("subject_type", "")[:40],
        subject_id=request.args.get("subject_id", "")[:64],
        since=_start_of(since) if since else None,
        # "to" is inclusive: the whole of that day.
        until=_start_of(until + timedelta(days=1)) if until else None,
    )
    return filters, errors


@bp.get("/audit")
@requires(Role.ADMIN)
def audit_log():
    """The log, newest first, filtered by who, what, which record and when."""
    filters, errors = _filters()
    page = page_number(request.args.get("page"))
    with Session(services().engine) as session:
        total = count(session=session, filters=filters)
        events = search(session=session, filters=filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    audit("audit.view", subject_type="audit_log")
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template(
        "admin/audit_log.html",
        events=events,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        args=args,
        errors=errors,
    ), (400 if errors else 200)


@bp.get("/audit.csv")
@requires(Role.ADMIN)
def audit_log_csv():
    """The filtered log as a CSV download."""
    filters, errors = _filters()
    if errors:
        return audit_log()
    with Session(services().engine) as session:
        events = search(session=session, filters=filters, limit=EXPORT_LIMIT)
    audit("audit.export", subject_type="audit_log")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return Response(
        to_csv(events),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="audit-log-{stamp}.csv"'},
    )
