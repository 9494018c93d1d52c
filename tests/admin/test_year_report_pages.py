"""The pledge coverage report on the dashboard (a trial: the panel's main yearly document was command-line only, so
the panel officer had to ask IT for it). Summaries has a form for its first and last days; its page names the rounds
it covers and offers it to read or download as HTML, PDF or CSV, each on the audit log as `report` records it."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from tests.summary import data
from voice_service.dates import local
from voice_service.models import AuditEvent, Round


def _days(services) -> dict[str, str]:
    """A period around the one round's opening, as a worker types it (day first)."""
    with Session(services.engine) as session:
        opened = local(session.exec(select(Round)).one().opens_at, services.config.app.timezone).date()
    start, end = opened - timedelta(days=30), opened + timedelta(days=30)
    return {"from": f"{start.day}/{start.month}/{start.year}", "to": f"{end.day}/{end.month}/{end.year}"}


def _round(services) -> int:
    ids = data.people(services, 6)
    round_id = data.round_at(services)
    data.scale_answers(services, round_id, ids, [4, 4, 3, 5, 4, 2])
    return round_id


def test_the_panel_reads_and_downloads_the_report_from_summaries(services, admin_client):
    round_id = _round(services)
    panel = admin_client("panel")
    listing = panel.get("/admin/summaries").get_data(as_text=True)
    assert "The year's report: pledge coverage" in listing and 'action="/admin/summaries/report"' in listing
    days = _days(services)
    page = panel.get("/admin/summaries/report", query_string=days)
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html
    assert "Pledge coverage from " in html and f"Round {round_id}: " in html
    for link in ("Read the report", "Download the report as PDF", "Download its figures as CSV"):
        assert link in html
    read = panel.get("/admin/summaries/report.html", query_string=days)
    assert read.status_code == 200 and read.headers["Content-Disposition"].startswith("inline")
    assert "script-src" not in read.headers["Content-Security-Policy"]
    assert "Pledge coverage" in read.get_data(as_text=True)
    csv = panel.get("/admin/summaries/report.csv", query_string=days)
    assert csv.status_code == 200 and csv.headers["Content-Disposition"].startswith("attachment")
    assert csv.get_data(as_text=True).startswith("section,number,title,measure,item,round,value")
    pdf = panel.get("/admin/summaries/report.pdf", query_string=days)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    with Session(services.engine) as session:
        actions = session.exec(select(AuditEvent.action).where(col(AuditEvent.subject_type) == "report")).all()
    assert actions == ["report.view", "report.read", "report.download", "report.download"]


def test_days_that_cannot_be_read_are_said_by_field(services, admin_client):
    worker = admin_client("worker")
    page = worker.get("/admin/summaries/report", query_string={"from": "31/3/27", "to": ""})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "There is a problem" in html and "<title>Error: Summaries" in html
    assert "The first day must have the year in full" in html and "Enter the last day" in html
    backwards = worker.get("/admin/summaries/report", query_string={"from": "1/4/2027", "to": "31/3/2027"})
    assert backwards.status_code == 400 and "The last day must be on or after the first day" in backwards.get_data(
        as_text=True
    )
    assert worker.get("/admin/summaries/report.csv", query_string={"from": "x", "to": "y"}).status_code == 400
    assert worker.get("/admin/summaries/report.exe", query_string={"from": "1/4/2026"}).status_code == 404


def test_only_workers_and_the_panel_see_it(services, admin_client):
    days = {"from": "1/4/2026", "to": "31/3/2027"}
    assert admin_client("duty").get("/admin/summaries/report", query_string=days).status_code == 403
    assert admin_client("duty").get("/admin/summaries/report.csv", query_string=days).status_code == 403


def test_with_no_days_asked_for_it_is_the_councils_year(services, admin_client):
    page = admin_client("panel").get("/admin/summaries/report").get_data(as_text=True)
    assert "Pledge coverage from 1 April " in page and " to 31 March " in page
