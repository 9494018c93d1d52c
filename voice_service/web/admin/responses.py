"""Responses pages: answers filtered by round, pledge, theme, sentiment, risk and language and searched by their
words; a tag corrected; exports (a round's download keeps the page's filters and search).

Every page and download here shows a safeguarding disclosure's words only to the duty team
(`accounts.may_see_disclosure`, asked once per request by `_disclosures`); anyone else sees the row with
`accounts.WITHHELD_DISCLOSURE` in their place (`accounts.WITHHELD_UNREAD` for words flagged only because they
are not in English, which are marked so, not as a risk), and nothing of its themes or feeling, nor a way to correct
them (`accounts.withholds`): only that the duty team holds it."""

from __future__ import annotations

import io

from flask import Response as HttpResponse
from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import Session, col, select

from ...accounts import disclosure_words, may_see_disclosure, withholds
from ...db import session_scope
from ...exports import correction_rows, export_action, export_rows, write_csv, write_jsonl
from ...labels import SENTIMENTS, LabelError, correct_labels, effective_sentiment, effective_themes
from ...models import Participant, Response, Role, Round
from ...summary import theme_labels
from . import bp
from .ids import page_number
from .nav import nav_item
from .responses_service import (
    NOT_IN_ENGLISH,
    PAGE_SIZE,
    ResponseFilter,
    filter_responses,
    matching_ids,
    question_label,
)
from .security import audit, current_roles, current_user, requires, services

nav_item("admin.responses", "Responses", roles=(Role.WORKER,), order=50, active_prefix="admin.response")


def _themes() -> dict[str, str]:
    return theme_labels(services().conversations_dir)


def _disclosures() -> bool:
    """Whether the signed-in account may read a safeguarding disclosure's words (the duty team)."""
    return may_see_disclosure(current_roles())


@bp.get("/responses")
@requires(Role.WORKER)
def responses():
    """Answers, newest first, filtered; corrected tags are marked."""
    filters = ResponseFilter.from_args(request.args)
    page = page_number(request.args.get("page"))
    with Session(services().engine) as session:
        found = filter_responses(
            session=session,
            catalogue=services().catalogue,
            filters=filters,
            offset=(page - 1) * PAGE_SIZE,
            disclosures=_disclosures(),
        )
        rounds = list(session.exec(select(Round).order_by(col(Round.id).desc())))
    if filters.round_id is not None and filters.round_id not in {round_.id for round_ in rounds}:
        # A round that does not exist is not found, rather than "no answers" and a download link for it.
        abort(404)
    audit("response.list", subject_type="round", subject_id=filters.round_id)
    args = filters.as_args()
    return render_template(
        "admin/responses.html",
        found=found,
        filters=filters,
        rounds=rounds,
        pledges=services().catalogue.pledges,
        themes=_themes(),
        page=page,
        pages=max(1, -(-found.total // PAGE_SIZE)),
        args=args,
        unsearched={name: value for name, value in args.items() if name != "q"},
        not_in_english=NOT_IN_ENGLISH,
    )


@bp.get("/responses/<int:response_id>")
@requires(Role.WORKER)
def response(response_id: int):
    """One answer, the machine's tags and any correction, with the form to correct them."""
    return _response_page(response_id)


def _response_page(response_id: int, *, error: str | None = None, status: int = 200):
    with Session(services().engine) as session:
        row = session.get(Response, response_id)
        if row is None:
            abort(404)
        person = session.get(Participant, row.participant_id)
        question = question_label(session, row)
    audit("response.view", subject_type="response", subject_id=response_id)
    may_see = _disclosures()
    return (
        render_template(
            "admin/response.html",
            row=row,
            answer=disclosure_words(row.answer, risk=row.risk, may_see=may_see, unread=row.unread),
            withheld=withholds(risk=row.risk, may_see=may_see),
            question=question,
            pseudonym=person.pseudonym if person else "",
            themes=_themes(),
            sentiments=SENTIMENTS,
            chosen_themes=effective_themes(row),
            chosen_sentiment=effective_sentiment(row),
            error=error,
        ),
        status,
    )


@bp.post("/responses/<int:response_id>")
@requires(Role.WORKER)
def response_correct(response_id: int):
    """Keep a worker's themes and sentiment beside the machine's (choosing the machine's again undoes it)."""
    user = current_user()
    assert user is not None
    sentiment = request.form.get("sentiment") or None
    with Session(services().engine) as session:
        row = session.get(Response, response_id)
        withheld = row is not None and withholds(risk=row.risk, may_see=_disclosures())
    if withheld:
        # Its tags are the duty team's, as its words are: not shown to this worker, so not theirs to correct.
        audit("access.denied", subject_type="response", subject_id=response_id)
        abort(403)
    try:
        with session_scope(services().engine) as session:
            change = correct_labels(
                session=session,
                response_id=response_id,
                themes=request.form.getlist("themes"),
                sentiment=sentiment,
                known_themes=_themes(),
                by=user.email,
            )
            if change.themes_changed or change.sentiment_changed:
                audit("response.correct", subject_type="response", subject_id=response_id, session=session)
    except LookupError:
        abort(404)
    except LabelError as exc:
        return _response_page(response_id, error=str(exc).capitalize(), status=400)
    flash("Correction saved" if change.themes_changed or change.sentiment_changed else "Nothing changed", "success")
    return redirect(url_for("admin.response", response_id=response_id), code=303)


@bp.get("/responses/export")
@requires(Role.WORKER)
def responses_export():
    """A round's answers as CSV or JSONL (pseudonyms only), the workers' corrections beside the machine's tags;
    narrowed by the page's other filters and search when the link carries them (what the worker sees is what
    they download)."""
    filters = ResponseFilter.from_args(request.args)
    round_id = filters.round_id
    fmt = request.args.get("format", "csv")
    if round_id is None or fmt not in ("csv", "jsonl"):
        abort(400)
    with Session(services().engine) as session:
        if session.get(Round, round_id) is None:
            abort(404)
        disclosures = _disclosures()
        only = matching_ids(session=session, catalogue=services().catalogue, filters=filters, disclosures=disclosures)
        rows = export_rows(
            session=session, round_id=round_id, only=only if filters.narrowed else None, disclosures=disclosures
        )
    out = io.StringIO()
    (write_csv if fmt == "csv" else write_jsonl)(rows, out)
    audit(export_action("export", disclosures=disclosures), subject_type="round", subject_id=int(round_id))
    return _download(out.getvalue(), f"round-{round_id}-answers.{fmt}", fmt)


@bp.get("/responses/corrections.jsonl")
@requires(Role.WORKER)
def responses_corrections():
    """Every correction as labelled JSONL (the analysis's labelled-set format, machine tags beside)."""
    disclosures = _disclosures()
    with Session(services().engine) as session:
        rows = correction_rows(session=session, disclosures=disclosures)
    out = io.StringIO()
    write_jsonl(rows, out)
    audit(export_action("export_corrections", disclosures=disclosures), subject_type="response")
    return _download(out.getvalue(), "corrections.jsonl", "jsonl")


def _download(text: str, filename: str, fmt: str) -> HttpResponse:
    mimetype = "text/csv" if fmt == "csv" else "application/x-ndjson"
    response = HttpResponse(text.encode("utf-8"), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
