"""Participants pages: search, one young person, an invite link to the web chat, and a previewed CSV import."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import Session

from ...db import session_scope
from ...models import Participant, Role, utcnow
from ...participants.importer import COLUMNS, CsvShapeError, decode_csv, kept_note
from ..chat.invites import invite_token
from . import bp
from .ids import page_number
from .nav import nav_item
from .participants_service import (
    PAGE_SIZE,
    SearchResult,
    Sort,
    confirm_import,
    looks_like_number,
    number_from_token,
    number_token,
    participant_row,
    preview_import,
    search_participants,
)
from .security import audit, requires, services

nav_item("admin.participants", "Participants", roles=(Role.WORKER,), order=30, active_prefix="admin.participant")
# An upload is refused above this; the app's own request limit is the hard ceiling.
MAX_UPLOAD = 60 * 1024


@bp.get("/participants")
@requires(Role.WORKER)
def participants():
    """Search participants; numbers are shown masked, with their opt-out state; sorted by a column's heading."""
    args = {k: v for k, v in request.args.items() if v}
    # A number typed into the address (or from an old bookmark) is neither searched for, nor shown again,
    # nor carried on by the page's links: numbers are searched for through the form, which posts them.
    number_in_url = looks_like_number(args.get("q", ""))
    if number_in_url:
        del args["q"]
    opted = {"yes": True, "no": False}.get(args.get("opted_out", ""))
    page = page_number(args.get("page"))
    sort = Sort.parse(args.get("sort"), args.get("order"))
    token = args.get("number", "")[:400]
    number = number_from_token(vault=services().vault, token=token) if token else None
    with Session(services().engine) as session:
        if token and number is None:
            found = SearchResult(rows=[], total=0)  # an out-of-date number search finds nobody
        else:
            found = search_participants(
                session=session,
                vault=services().vault,
                query=args.get("q", "")[:100],
                number=number,
                status=args.get("status") or None,
                opted_out=opted,
                today=utcnow().date(),
                offset=(page - 1) * PAGE_SIZE,
                sort=sort,
            )
    audit("participant.search", subject_type="participant")
    return render_template(
        "admin/participants.html",
        found=found,
        page=page,
        pages=max(1, -(-found.total // PAGE_SIZE)),
        first=(page - 1) * PAGE_SIZE + 1,
        args={k: v for k, v in args.items() if k != "page"},  # paging keeps the search and the sort
        search={k: v for k, v in args.items() if k not in ("page", "sort", "order")},  # a new sort: page 1
        sort=sort,
        searched=any(args.get(k) for k in ("q", "number", "status", "opted_out")),
        query=args.get("q", ""),
        number_in_url=number_in_url,
        number_expired=bool(token) and number is None,
    )


@bp.post("/participants")
@requires(Role.WORKER)
def participants_search():
    """The search form: posted, so a phone number never sits in a URL (or the access log); sent back to
    the list with the number's keyed hash in its place, and anything else as typed."""
    form = request.form
    query = form.get("q", "")[:100].strip()
    search = {"status": form.get("status", ""), "opted_out": form.get("opted_out", "")}
    number = number_token(vault=services().vault, text=query)
    search |= {"number": number} if number else {"q": query}
    return redirect(url_for("admin.participants", **{k: v for k, v in search.items() if v}), code=303)


@bp.get("/participants/<int:participant_id>")
@requires(Role.WORKER)
def participant(participant_id: int):
    """One young person: status, age, area, masked number, opt-out state."""
    return _participant_page(participant_id)


@bp.post("/participants/<int:participant_id>/invite")
@requires(Role.WORKER)
def participant_invite(participant_id: int):
    """Make a web chat link for this young person (to send them yourself); recorded in the audit log."""
    with session_scope(services().engine) as session:
        person = session.get(Participant, participant_id)
        if person is None:
            abort(404)
        token = invite_token(services().config, person)
        audit("participant.invite_link", subject_type="participant", subject_id=participant_id, session=session)
    link = f"{services().config.app.public_url.rstrip('/')}/chat/{token}"
    return _participant_page(participant_id, invite=link, audited=True)


def _participant_page(participant_id: int, *, invite: str | None = None, audited: bool = False):
    with Session(services().engine) as session:
        try:
            row = participant_row(
                session=session, vault=services().vault, participant_id=participant_id, today=utcnow().date()
            )
        except LookupError:
            abort(404)
    if not audited:
        audit("participant.view", subject_type="participant", subject_id=participant_id)
    days = services().config.webchat.invite_max_age_days
    return render_template("admin/participant.html", row=row, invite=invite, invite_days=days)


@bp.get("/participants/import")
@requires(Role.WORKER)
def participants_import():
    """The import form: which columns, and what happens next."""
    return render_template("admin/participants_import.html", columns=COLUMNS, error=None)


@bp.post("/participants/import")
@requires(Role.WORKER)
def participants_import_preview():
    """Check an uploaded CSV: the bad rows first, by line and reason; nothing is saved yet."""
    upload = request.files.get("file")
    error = None
    if upload is None or not upload.filename:
        error = "Choose a CSV file to upload"
    else:
        data = upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            error = f"The file is too big: split it into files under {MAX_UPLOAD // 1024} KB"
        else:
            try:
                text = decode_csv(data)
                preview = preview_import(
                    engine=services().engine,
                    vault=services().vault,
                    secret_key=services().config.app.secret_key,
                    text=text,
                    today=utcnow().date(),
                )
            except CsvShapeError as exc:
                error = f"The file cannot be read: {exc}"
    if error:
        return render_template("admin/participants_import.html", columns=COLUMNS, error=error), 400
    audit("participant.import_preview", subject_type="participant")
    kept = kept_note(preview.kept) if preview.kept else ""
    return render_template(
        "admin/participants_import_preview.html", preview=preview, kept_note=kept[:1].upper() + kept[1:]
    )


@bp.post("/participants/import/confirm")
@requires(Role.WORKER)
def participants_import_confirm():
    """Import a previewed file: its good rows are kept, its bad rows are not."""
    try:
        with session_scope(services().engine) as session:
            report = confirm_import(
                session=session,
                vault=services().vault,
                secret_key=services().config.app.secret_key,
                staged=request.form.get("staged", ""),
                today=utcnow().date(),
            )
            audit("participant.import", subject_type="participant", session=session)
    except CsvShapeError as exc:
        return render_template("admin/participants_import.html", columns=COLUMNS, error=str(exc).capitalize()), 400
    skipped = f"; {len(report.problems)} bad rows left out" if report.problems else ""
    skipped += f"; {report.erased} erased at their request left out" if report.erased else ""
    flash(
        f"Imported: {report.created} added, {report.updated} updated, {report.unchanged} unchanged{skipped}", "success"
    )
    return redirect(url_for("admin.participants"), code=303)
