"""The duty team's pages: the alert queue, and one alert (the page every duty notice links to).

Reading an alert, revealing a number and every change are audited, in the same transaction as
the change. The changes are the safeguarding module's (`acknowledge`, `record_action`,
`hand_over`, `close`); these routes check the form, call them and say what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import Session

from ...accounts import display_names, users_with_role
from ...analysis.model import risk_model
from ...dates import local
from ...inbox.threads import CONTACT_WORDS, RECORDED_LATER
from ...models import Alert, AlertStatus, AlertStep, Participant, Role, utcnow
from ...rounds.held_back import held_back_rounds, invite_held_back, invited_words
from ...safeguarding.actions import contact_hint, possible_actions
from ...safeguarding.alerts import (
    AlreadyAcknowledged,
    NotOnDutyTeam,
    acknowledge,
    close,
    hand_over,
    reason_missing,
    record_action,
)
from ...safeguarding.history import ACTION_WORDS, done, earlier_notes, last
from ...summary.loop import held_rounds, held_words, release_held
from ..chat.sessions import chat_reach
from . import bp
from .alerts_service import AlertView, alert_view, full_number, queue, unsent_banner
from .nav import nav_item
from .security import audit, current_user, requires, services
from .words import reasons_by_message

nav_item("admin.alerts", "Alerts", roles=(Role.DUTY,), order=10, active_prefix="admin.alert")

MAX_NOTE = 2000


def _action_words(participant: Participant | None) -> dict[str, str]:
    """The actions to offer for this young person (`safeguarding.actions`), in the duty team's words."""
    return {action: ACTION_WORDS[action] for action in possible_actions(participant)}


def _possible(alert_id: int) -> dict[str, str]:
    """`_action_words` for the young person of an alert (404 when there is no such alert)."""
    with Session(services().engine) as session:
        alert = session.get(Alert, alert_id)
        if alert is None:
            abort(404)
        return _action_words(session.get(Participant, alert.participant_id) if alert.participant_id else None)


def _target() -> int:
    return int(services().config.safeguarding.acknowledge_within_minutes)


def _timezone() -> str:
    return str(services().config.app.timezone)


@bp.get("/alerts")
@requires(Role.DUTY)
def alerts():
    """The queue: alerts nobody has yet (oldest first), then those in hand; or the closed ones."""
    closed = request.args.get("show") == "closed"
    now = utcnow()
    with Session(services().engine) as session:
        rows = queue(session=session, now=now, target_minutes=_target(), closed=closed)
        banner = unsent_banner(session=session, config=services().config, now=now)
        names = display_names(
            session=session, emails=[row.alert.assigned_to or row.alert.acknowledged_by for row in rows]
        )
    audit("alerts.view_queue", subject_type="alert_queue")
    return render_template(
        "admin/alerts.html",
        rows=rows,
        names=names,
        closed=closed,
        target=_target(),
        timezone=_timezone(),
        words=ACTION_WORDS,
        **banner,
    )


def next_step(alert: Alert) -> str:
    """The one thing to do next on an alert, shown first on its page: acknowledge, action, close or "" (closed)."""
    if alert.status == AlertStatus.OPEN:
        return "acknowledge"
    if alert.status == AlertStatus.CLOSED:
        return ""
    return "close" if alert.action_taken else "action"


def close_hint(view: AlertView) -> str:
    """What the close form says under "What was the outcome?" once something was recorded as done: what was, so
    the outcome at closing (a referral after a call) is added, not left out because a choice was made before."""
    recorded = [ACTION_WORDS[step.action] for step in done(view.history) if step.action in ACTION_WORDS]
    if not recorded and view.alert.action_taken in ACTION_WORDS:
        recorded = [ACTION_WORDS[view.alert.action_taken]]
    if not recorded:
        return ""
    return f"Already recorded: {', '.join(recorded)}."


def _render(
    alert_id: int,
    *,
    errors: dict[str, str] | None = None,
    sent: str = "",
    revealed: str | None = None,
    status: int = 200,
):
    """The alert page (with any form errors, and the full number only straight after a reveal).

    A refused form comes back as it was sent: `sent` names it (ack, action, close or handover), and
    what was typed or chosen in it is put back there only, every other form on the page left empty."""
    me = current_user()
    assert me is not None
    now = utcnow()
    with Session(services().engine, expire_on_commit=False) as session:
        try:
            view = alert_view(
                session=session, vault=services().vault, alert_id=alert_id, now=now, target_minutes=_target()
            )
        except LookupError:
            abort(404)
        colleagues = [user for user in users_with_role(session=session, role=Role.DUTY) if user.id != me.id]
        banner = unsent_banner(session=session, config=services().config, now=now)
        held = invitations = ""
        # Whether they left the web chat (`chat_reach`): then "reply to them in their web chat" would not be true.
        chat_left_at = None
        if view.participant is not None and view.participant.id is not None:
            reach = chat_reach(session=session, config=services().config, participant_id=view.participant.id, now=now)
            chat_left_at = reach.left.left_at if reach.left is not None and reach.open is None else None
        if view.alert.status != AlertStatus.CLOSED and view.alert.participant_id is not None:
            rounds = held_rounds(session=session, participant_id=view.alert.participant_id)
            held = held_words(rounds, now_sent=False) if rounds else ""
            waiting = held_back_rounds(
                session=session, participant_id=view.alert.participant_id, now=now, timezone=_timezone()
            )
            invitations = invited_words([r.id for r, _ in waiting if r.id], now_sent=False) if waiting else ""
    if errors:
        # A refused form shows the conversation again: that is a view too.
        audit("alert.view", subject_type="alert", subject_id=alert_id)
    return render_template(
        "admin/alert.html",
        view=view,
        alert=view.alert,
        next_step=next_step(view.alert),
        errors=errors or {},
        form=request.form if errors else {},
        sent=sent if errors else "",
        revealed=revealed,
        chat_left_at=chat_left_at,
        colleagues=colleagues,
        held=held,
        invitations=invitations,
        words=_action_words(view.participant),  # offered
        all_words=ACTION_WORDS,  # what was recorded, shown as recorded
        contact_words=CONTACT_WORDS,
        recorded_later=RECORDED_LATER,
        contact_hint=contact_hint(view.participant),
        # The matched words as the young person wrote them in the messages that raised it.
        reasons=reasons_by_message(
            view.alert.reasons,
            [(link.reasons, message.body, message.created_at) for link, message in view.raised_by],
            risk_model().low,
            _timezone(),
            now=now,
        ),
        timezone=_timezone(),
        today=local(now, _timezone()).date(),
        statuses=AlertStatus,
        done=done(view.history),
        close_hint=close_hint(view),
        handed=last(view.history, AlertStep.HANDED_OVER),
        earlier_notes=earlier_notes(view.alert),
        max_note=MAX_NOTE,
        **banner,
    ), status


@bp.get("/alerts/<int:alert_id>")
@requires(Role.DUTY)
def alert(alert_id: int):
    """One alert: what was said, the conversation around it, who the young person is, and what to do."""
    page = _render(alert_id)
    audit("alert.view", subject_type="alert", subject_id=alert_id)
    return page


@bp.post("/alerts/<int:alert_id>/reveal")
@requires(Role.DUTY)
def reveal_number(alert_id: int):
    """Show the young person's full phone number once, on this response only (never in a URL or a log)."""
    with Session(services().engine) as session:
        try:
            view = alert_view(
                session=session, vault=services().vault, alert_id=alert_id, now=utcnow(), target_minutes=_target()
            )
        except LookupError:
            abort(404)
        number = full_number(vault=services().vault, participant=view.participant)
        if number is None or view.participant is None:
            abort(404)
        audit("alert.reveal_number", subject_type="participant", subject_id=view.participant.id, session=session)
        session.commit()
    return _render(alert_id, revealed=number)


def _exists(session: Session, alert_id: int) -> bool:
    return session.get(Alert, alert_id) is not None


def _note() -> tuple[str | None, str | None]:
    note = (request.form.get("note") or "").strip()
    if len(note) > MAX_NOTE:
        return None, f"The note must be {MAX_NOTE:,} characters or fewer"
    return note or None, None


def _change(alert_id: int, action: str, sent: str, change, success: str | Callable[[Session, Any], str]):
    """Run one change and audit it together; on a refusal from the safeguarding module, show why.

    `success` is the banner, or makes it from what `change` returned (in the same session): the
    changed alert, or for a hand-over the alert and who took it over. `sent` names the form, as for `_render`.
    """
    me = current_user()
    assert me is not None
    with Session(services().engine) as session:
        if not _exists(session, alert_id):
            abort(404)
        try:
            changed = change(session, me.email)
        except AlreadyAcknowledged as already:
            # A second press of Acknowledge (or a colleague got there first): nothing to record.
            session.rollback()
            name = staff_display_name(session, already.acknowledged_by)
            flash(f"Alert {alert_id} was already acknowledged by {name}. Nothing was changed.", "info")
            return redirect(url_for("admin.alert", alert_id=alert_id), code=303)
        except NotOnDutyTeam:
            session.rollback()
            return _render(alert_id, errors={"to": "Select a colleague on the duty team"}, sent=sent, status=400)
        except ValueError as problem:
            session.rollback()
            return _render(alert_id, errors={"form": str(problem).capitalize()}, sent=sent, status=409)
        audit(action, subject_type="alert", subject_id=alert_id, session=session)
        banner = success if isinstance(success, str) else success(session, changed)
        session.commit()
    flash(banner, "success")
    return redirect(url_for("admin.alert", alert_id=alert_id), code=303)


@bp.post("/alerts/<int:alert_id>/acknowledge")
@requires(Role.DUTY)
def acknowledge_alert(alert_id: int):
    """Pick the alert up (with an optional note): re-notification and escalation stop."""
    note, problem = _note()
    if problem:
        return _render(alert_id, errors={"ack-note": problem}, sent="ack", status=400)
    return _change(
        alert_id,
        "alert.acknowledge",
        "ack",
        lambda session, me: acknowledge(
            session=session, vault=services().vault, config=services().config, alert_id=alert_id, by=me, note=note
        ),
        f"Alert {alert_id} acknowledged. The duty team will not be reminded about it again.",
    )


@bp.post("/alerts/<int:alert_id>/action")
@requires(Role.DUTY)
def record_alert_action(alert_id: int):
    """Record what was done: called, visited, referred, or no further action."""
    action = request.form.get("action", "")
    note, problem = _note()
    errors = {}
    if action not in _possible(alert_id):
        errors["action-called"] = "Select what was done"
    if problem or (problem := reason_missing(action, note)):
        errors["action-note"] = problem
    if errors:
        return _render(alert_id, errors=errors, sent="action", status=400)
    return _change(
        alert_id,
        "alert.record_action",
        "action",
        lambda session, me: record_action(
            session=session,
            vault=services().vault,
            config=services().config,
            alert_id=alert_id,
            action=action,
            by=me,
            note=note,
        ),
        f"Recorded for alert {alert_id}: {ACTION_WORDS[action].lower()}.",
    )


def staff_display_name(session: Session, who: str) -> str:
    """The name of the account `who` is the email of; `who` itself for a name typed on the command line."""
    return display_names(session=session, emails=[who]).get(who, who)


@bp.post("/alerts/<int:alert_id>/hand-over")
@requires(Role.DUTY)
def hand_over_alert(alert_id: int):
    """Pass the alert to a colleague on the duty team."""
    to = request.form.get("to", "")
    note, problem = _note()
    if problem:
        return _render(alert_id, errors={"handover-note": problem}, sent="handover", status=400)
    if not to.strip():
        return _render(alert_id, errors={"to": "Select a colleague on the duty team"}, sent="handover", status=400)
    # Who may take an alert over is the safeguarding module's rule (an active duty account); a
    # refusal comes back as NotOnDutyTeam and is shown against the colleague field.
    return _change(
        alert_id,
        "alert.hand_over",
        "handover",
        lambda session, me: hand_over(
            session=session,
            vault=services().vault,
            config=services().config,
            alert_id=alert_id,
            to=to,
            by=me,
            note=note,
        ),
        lambda session, handed: f"Alert {alert_id} handed over to {handed.taker.display_name}.",
    )


@bp.post("/alerts/<int:alert_id>/close")
@requires(Role.DUTY)
def close_alert(alert_id: int):
    """Close the alert once what was done is recorded (here, or before)."""
    action = request.form.get("action") or None
    note, problem = _note()
    errors = {}
    if action is not None and action not in _possible(alert_id):
        errors["close-called"] = "Select what was done"
    with Session(services().engine) as session:
        found = session.get(Alert, alert_id)
        if found is None:
            abort(404)
        if action is None and found.action_taken is None and found.status != AlertStatus.CLOSED:
            errors["close-called"] = "Select what was done before you close the alert"
    if problem or (problem := reason_missing(action, note)):
        errors["close-note"] = problem
    if errors:
        return _render(alert_id, errors=errors, sent="close", status=400)

    def change(session: Session, me: str) -> tuple[list[int], list[int]]:
        closed = close(
            session=session,
            vault=services().vault,
            config=services().config,
            alert_id=alert_id,
            by=me,
            action=action,
            note=note,
        )
        # The thank-you message of a round held back from them while the alert was open goes now, and a round
        # still open that held back their invitation invites them now.
        thanked = release_held(session=session, services=services(), participant_id=closed.participant_id)
        invited = invite_held_back(
            session=session,
            vault=services().vault,
            participant_id=closed.participant_id,
            timezone=_timezone(),
            council=services().config.app.council_name,
        )
        return thanked, invited

    def banner(session: Session, released: tuple[list[int], list[int]]) -> str:
        thanked, invited = released
        words = [f"Alert {alert_id} closed."]
        words += [held_words(thanked, now_sent=True)] if thanked else []
        words += [invited_words(invited, now_sent=True)] if invited else []
        return " ".join(words)

    return _change(alert_id, "alert.close", "close", change, banner)
