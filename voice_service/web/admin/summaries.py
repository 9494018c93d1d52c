"""Summaries pages: each round's "You said, we did", to read and to download as HTML, PDF or CSV.

The summary is the summary package's (`summarise`, `render`); these pages only serve it.
Panel members may see summaries (and nothing else with young people's details).
"""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Response as HttpResponse
from flask import abort, render_template, request
from sqlmodel import Session, col, select

from ...models import Role, Round
from ...summary import render, summarise
from ...summary.reissue import erased_since_given_out
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
    """Every round, with links to its summary."""
    with Session(services().engine) as session:
        rounds = list(session.exec(select(Round).order_by(col(Round.id).desc())))
        titles = survey_titles(session=session, rounds=rounds)
    audit("summary.list", subject_type="round")
    return render_template("admin/summaries.html", rounds=rounds, titles=titles)


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
    response = HttpResponse(body, mimetype=DOWNLOADS[fmt])
    name = f"you-said-we-did-round-{round_id}.{fmt}"
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
