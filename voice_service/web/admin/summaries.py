"""Summaries pages: each round's "You said, we did", to read and to download as HTML, PDF or CSV, and the pledge
coverage report for a year or any period (`voice-service report`'s, for the panel without the command line).

The summary is the summary package's (`summarise`, `render`; `summary.year` for the report); these pages only serve
it. Panel members may see summaries (and nothing else with young people's details).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import date

from flask import Response as HttpResponse
from flask import abort, render_template, request
from sqlmodel import Session, col, select

from ...dates import DateError, parse_uk_date
from ...models import Role, Round, utcnow
from ...rounds.membership import local_date
from ...summary import render, summarise
from ...summary.reissue import (
    REPORT_CHANGED_BY_ERASURE,
    erased_since_given_out,
    rounds_erased_since_given_out,
    rounds_named,
)
from ...summary.year import YearReport, render_year, year_report
from ...surveys.registry import survey_titles
from . import bp
from .nav import nav_item
from .security import audit, requires, services

nav_item("admin.summaries", "Summaries", roles=(Role.WORKER, Role.PANEL), order=70, active_prefix="admin.summar")
DOWNLOADS = {"html": "text/html", "pdf": "application/pdf", "csv": "text/csv"}
_STYLE = re.compile(rb"<style[^>]*>(.*?)</style>", re.S)
_STYLE_ATTRIBUTE = re.compile(rb'\sstyle="([^"]*)"')


@bp.get("/summaries")
@requires(Role.WORKER, Role.PANEL)
def summaries():
    """Every round, with links to its summary, and the form for the pledge coverage report."""
    return _summaries_page({}, _council_year(local_date(utcnow(), services().config.app.timezone)))


def _summaries_page(errors: dict[str, str], days: dict[str, str]):
    with Session(services().engine) as session:
        rounds = list(session.exec(select(Round).order_by(col(Round.id).desc())))
        titles = survey_titles(session=session, rounds=rounds)
    audit("summary.list", subject_type="round")
    page = render_template("admin/summaries.html", rounds=rounds, titles=titles, errors=errors, days=days)
    return page, 400 if errors else 200


def _council_year(today: date) -> dict[str, str]:
    """The form's first guess: the council's year (1 April to 31 March) that `today` is in."""
    start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    end = date(start.year + 1, 3, 31)
    return {"from": f"{start.day}/{start.month}/{start.year}", "to": f"{end.day}/{end.month}/{end.year}"}


@dataclass(frozen=True)
class ReportDays:
    """The report's first and last days as asked (`_report_days`), or the problems by field and the days as typed."""

    start: date | None
    end: date | None
    errors: dict[str, str]
    typed: dict[str, str]


def _report_days() -> ReportDays:
    """The report's first and last days from the query string (UK dates, as `report --from/--to` reads them); with
    neither, the council's year (1 April to 31 March) that today is in."""
    typed = {name: (request.args.get(name) or "").strip()[:40] for name in ("from", "to")}
    if not any(typed.values()):  # no days asked for: the council's year this is
        typed = _council_year(local_date(utcnow(), services().config.app.timezone))
    errors: dict[str, str] = {}
    days: dict[str, date] = {}
    for name, label in (("from", "The first day"), ("to", "The last day")):
        if not typed[name]:
            errors[name] = f"Enter {label.lower()}, for example 1/4/2026"
            continue
        try:
            days[name] = parse_uk_date(typed[name], label=label)
        except DateError as error:
            errors[name] = str(error)
    if not errors and days["to"] < days["from"]:
        errors["to"] = "The last day must be on or after the first day"
    if errors:
        return ReportDays(None, None, errors, typed)
    return ReportDays(days["from"], days["to"], {}, typed)


def _year_report(start: date, end: date) -> tuple[YearReport, list[int]]:
    """The report, and its rounds with someone erased since they were first given out (asked before this giving out
    is on the record, or it would count as the first)."""
    config = services().config
    with Session(services().engine) as session:
        today = local_date(utcnow(), config.app.timezone)  # the clock, read at the edge
        built = year_report(session=session, services=services(), start=start, end=end, today=today)
        changed = rounds_erased_since_given_out(
            session=session, round_ids=[r.id for r in built.rounds], timezone=config.app.timezone
        )
    return built, changed


@bp.get("/summaries/report")
@requires(Role.WORKER, Role.PANEL)
def year_report_page():
    """The pledge coverage report for the days asked: the rounds it covers, and links to read or download it."""
    days = _report_days()
    if days.start is None or days.end is None:
        return _summaries_page(days.errors, days.typed)
    start, end = days.start, days.end
    built, changed = _year_report(start, end)
    audit("report.view", subject_type="report", subject_id=f"{start}_{end}")
    warning = f"{REPORT_CHANGED_BY_ERASURE} ({rounds_named(changed)})" if changed else ""
    query = dict(days.typed)
    return render_template("admin/year_report.html", report=built, warning=warning, query=query)


@bp.get("/summaries/report.<fmt>")
@requires(Role.WORKER, Role.PANEL)
def year_report_file(fmt: str):
    """The pledge coverage report as a file: HTML to read (or download), PDF or CSV to download. On the audit log as
    `voice-service report`'s is ("report.download", the days it covers)."""
    if fmt not in DOWNLOADS:
        abort(404)
    days = _report_days()
    if days.start is None or days.end is None:
        abort(400)
    start, end = days.start, days.end
    built, _ = _year_report(start, end)
    body = render_year(built, fmt)
    reading = fmt == "html" and request.args.get("download") is None
    audit("report.read" if reading else "report.download", subject_type="report", subject_id=f"{start}_{end}")
    return _file(body, fmt, f"pledge-coverage-{start}-to-{end}.{fmt}", reading=reading)


@bp.get("/summaries/<int:round_id>")
@requires(Role.WORKER, Role.PANEL)
def summary(round_id: int):
    """One round's summary: read it, or download it."""
    with Session(services().engine) as session:
        found = session.get(Round, round_id)
        if found is None:
            abort(404)
        title = survey_titles(session=session, rounds=[found])[round_id]
        changed = erased_since_given_out(session=session, round_id=round_id, timezone=services().config.app.timezone)
    audit("summary.view", subject_type="round", subject_id=round_id)
    return render_template("admin/summary.html", round=found, title=title, changed=changed)


@bp.get("/summaries/<int:round_id>/summary.<fmt>")
@requires(Role.WORKER, Role.PANEL)
def summary_file(round_id: int, fmt: str):
    """The summary as a file: HTML to read in the browser (or download), PDF or CSV to download."""
    if fmt not in DOWNLOADS:
        abort(404)
    with Session(services().engine) as session:
        if session.get(Round, round_id) is None:
            abort(404)
        built = summarise(session=session, services=services(), round_id=round_id)
    body = render(built, fmt)
    reading = fmt == "html" and request.args.get("download") is None
    audit("summary.read" if reading else "summary.download", subject_type="round", subject_id=round_id)
    return _file(body, fmt, f"you-said-we-did-round-{round_id}.{fmt}", reading=reading)


def _file(body: bytes, fmt: str, name: str, *, reading: bool) -> HttpResponse:
    """A summary or report as the browser gets it: shown (HTML to read) or downloaded, an HTML one with only its
    own styles allowed."""
    response = HttpResponse(body, mimetype=DOWNLOADS[fmt])
    response.headers["Content-Disposition"] = f'{"inline" if reading else "attachment"}; filename="{name}"'
    if fmt == "html":
        # The summary is a document of its own with its styles inline: allow exactly those styles, and no script.
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; style-src {_style_sources(body)}; img-src data:; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'"
        )
    return response


def _style_sources(html: bytes) -> str:
    """CSP sources for exactly the styles in this document: its <style> blocks and style="" attributes, by hash."""
    blocks = {_sha256(style) for style in _STYLE.findall(html)}
    attributes = {_sha256(style) for style in _STYLE_ATTRIBUTE.findall(html)}
    sources = sorted(blocks | attributes)
    if attributes:
        sources.insert(0, "'unsafe-hashes'")  # lets only these hashed attribute values through, nothing else
    return " ".join(sources) or "'none'"


def _sha256(text: bytes) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text).digest()).decode()}'"
