"""Actions pages: the "we did" records per pledge, with owner, status and dates; add and edit."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import Session, col, select

from ...dates import local
from ...db import session_scope
from ...models import Action, Role, Round, utcnow
from ...models.action import TEXT_LIMITS
from ...summary import action_kept_private, theme_labels
from . import bp
from .actions_service import STATUS_WORDS, ActionFormError, actions_by_pledge, read_action_form, save_action
from .ids import record_id
from .nav import nav_item
from .security import audit, requires, services

nav_item("admin.actions", "Actions", roles=(Role.WORKER,), order=60, active_prefix="admin.action")


def _choices(session: Session) -> dict:
    return {
        "rounds": list(session.exec(select(Round).order_by(col(Round.id).desc()))),
        "pledges": services().catalogue.pledges,
        "messages": services().catalogue.messages,
        "themes": theme_labels(services().conversations_dir),
        "statuses": STATUS_WORDS,
        "limits": TEXT_LIMITS,
    }


@bp.get("/actions")
@requires(Role.WORKER)
def actions():
    """Every action, grouped by pledge."""
    round_id = request.args.get("round", "")
    with Session(services().engine) as session:
        grouped = actions_by_pledge(session=session, round_id=record_id(round_id))
        choices = _choices(session)
    audit("action.list", subject_type="action")
    numbered = sorted(((k, v) for k, v in grouped.items() if k is not None), key=lambda pair: pair[0])
    return render_template(
        "admin/actions.html", numbered=numbered, others=grouped.get(None, []), round_id=round_id, **choices
    )


@bp.route("/actions/new", methods=["GET", "POST"])
@requires(Role.WORKER)
def action_new():
    """Record what the council did, or will do, about what young people said."""
    return _edit(None)


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
@requires(Role.WORKER)
def action_edit(action_id: int):
    """Change an action: its status, owner, dates or words."""
    return _edit(action_id)


def _edit(action_id: int | None):
    errors: dict[str, str] = {}
    wrong: dict[str, tuple[str, ...]] = {}  # a date's boxes to mark
    now = utcnow()  # the clock, read once at the edge
    with Session(services().engine) as session:
        choices = _choices(session)
        existing = session.get(Action, action_id) if action_id is not None else None
        if action_id is not None and existing is None:
            abort(404)
        form = dict(request.form) if request.method == "POST" else _form_of(existing, request.args)
        if request.method == "POST":
            timezone = str(services().config.app.timezone)
            try:
                fields = read_action_form(
                    form,
                    catalogue=services().catalogue,
                    themes=choices["themes"],
                    session=session,
                    today=local(now, timezone).date(),
                    timezone=timezone,
                )
            except ActionFormError as exc:
                errors, wrong = exc.errors(), exc.wrong()
    if request.method == "POST" and not errors:
        with session_scope(services().engine) as session:
            try:
                saved = save_action(session=session, fields=fields, action_id=action_id, now=now)
            except LookupError:
                abort(404)
            audit(
                "action.update" if action_id else "action.add",
                subject_type="action",
                subject_id=saved.id,
                session=session,
            )
        flash("Action saved", "success")
        with Session(services().engine) as session:
            private = _kept_private(session, str(fields.round_id), fields.theme, fields.pledge, fields.message)
        if private:
            flash(private, "warning")
        return redirect(url_for("admin.actions", round=fields.round_id), code=303)
    status = 400 if errors else 200
    with Session(services().engine) as session:
        private = _kept_private(
            session,
            form.get("round", ""),
            form.get("theme") or None,
            record_id(form.get("pledge", "")),
            record_id(form.get("message", "")),
        )
    return render_template(
        "admin/action_form.html",
        form=form,
        errors=errors,
        wrong=wrong,
        action_id=action_id,
        private=private,
        **choices,
    ), status


def _kept_private(
    session: Session, round_value: str, theme: str | None, pledge: int | None, message: int | None
) -> str:
    """The warning for an action whose "You said" the summaries will keep private (small numbers), or ""."""
    round_id = record_id(round_value)
    if round_id is None or session.get(Round, round_id) is None:
        return ""
    why = action_kept_private(
        session=session, services=services(), round_id=round_id, theme=theme, pledge=pledge, message=message
    )
    if not why:
        return ""
    return (
        f"In round {round_id} {why}, so the young people's page and the panel's summary will not show what you "
        "write under 'You said'. They will show 'We did' as you write it: write it so that nobody can be recognised."
    )


def _form_of(action: Action | None, args) -> dict:
    """The form's starting values: the action's, or a new one's (round from the query string)."""
    if action is None:
        return {"round": args.get("round", ""), "pledge": args.get("pledge", ""), "status": "planned"}
    return {
        "round": str(action.round_id),
        "pledge": "" if action.pledge is None else str(action.pledge),
        "message": "" if action.message is None else str(action.message),
        "theme": action.theme or "",
        "said": action.said,
        "did": action.did,
        "status": action.status,
        "owner": action.owner or "",
        "due": action.due_on.isoformat() if action.due_on else "",
    }
