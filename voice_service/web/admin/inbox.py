"""Conversations inbox pages: what young people text or chat outside a survey, and the workers' replies.

Every view of a thread, and every reply, assignment, closing and referral, is audited.

The inbox is the participation workers'. The duty team may open one thread, and reply in it, only
while the young person has an alert they have not closed (the alert page links to it): that is how
they reach someone who raised an alert from an anonymous web chat, with no number to call. They
cannot list the inbox, assign, refer or close threads. A safeguarding disclosure's words (a message kept as
a response flagged as a risk) show only to the duty team (`accounts.may_see_disclosure`), as on Responses, where
words flagged only as not in English are withheld as that (`accounts.WITHHELD_UNREAD`), not as a disclosure.

A young person's number shows masked. Whoever may open the thread may see it whole for one reason only: they asked
for a person and no reply can reach them, as they said STOP and have no web chat open (`Thread.phone_them`), so
a phone call is the one way to keep what they were told. That is an explicit, audited step, as on the alert page.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import Session, col, select

from ...accounts import disclosure_words, display_names, may_open_thread, may_see_disclosure, users_with_role
from ...dates import DateError, local, local_moment, parse_time, read_date
from ...db import session_scope
from ...inbox import InboxError, assign, close, has_live_alert, inbox, record_contact, refer_to_advocacy, reply, thread
from ...inbox.threads import (
    CONTACT_WORDS,
    MAX_CONTACT_NOTE,
    MAX_REPLY,
    RECORDED_LATER,
    SMS,
    ThreadMoved,
    WhenError,
    answered_at_alert_words,
    reply_goes_at,
    segments,
)
from ...models import Alert, AlertStatus, Direction, Message, Response, Role, utcnow
from ...privacy.phones import mask
from . import bp
from .alerts_service import full_number
from .failed_texts import failed_texts
from .nav import nav_item
from .security import audit, current_roles, current_user, has_role, live_config, requires, services
from .words import local_time

nav_item("admin.inbox", "Inbox", roles=(Role.WORKER,), order=20, active_prefix="admin.inbox")
# The call or visit form's fields, shown again when it is refused.
CONTACT_FIELDS = ("outcome", "note", "when-date-day", "when-date-month", "when-date-year", "when-time")
REPLY_SENT_NOW = "Reply sent: the text goes now."
REPLY_SENT_LATER = "Reply sent. It is {why}, so the text waits until {when}."
NOT_TO_REVEAL = (
    "Their whole number is shown only to phone someone who asked to talk to a person when no reply can reach them"
)
REPLY_SENT_IN_CHAT = (
    "Reply added to their web chat. They see it within seconds if the chat is open, or the next time they open it."
)


def _me() -> str:
    user = current_user()
    assert user is not None
    return user.email


@bp.get("/inbox", endpoint="inbox")
@requires(Role.WORKER)
def inbox_list():
    """Threads waiting for a worker: unanswered first, newest first."""
    show = request.args.get("show", "")
    with Session(services().engine) as session:
        rows = inbox(
            session=session,
            status=show if show in ("open", "assigned") else None,
            assigned_to=_me() if show == "mine" else None,
        )
        names = display_names(session=session, emails=[row.assigned_to for row in rows])
    audit("conversation.list", subject_type="conversation")
    return render_template("admin/inbox.html", rows=rows, show=show, names=names)


def _may_open(participant_id: int) -> None:
    """Workers open any thread; the duty team only that of a young person with a live alert (403 otherwise):
    `accounts.may_open_thread`."""
    with Session(services().engine) as session:
        live = has_live_alert(session=session, participant_id=participant_id)
    if not may_open_thread(current_roles(), live_alert=live):
        audit("access.denied", subject_type="conversation", subject_id=participant_id)
        abort(403)


def _newest_alert_id(session: Session, participant_id: int, *, live: bool) -> int | None:
    """The young person's newest alert, live (not yet closed) or closed, for the duty team's way back to it."""
    status = col(Alert.status).in_(AlertStatus.LIVE)
    return session.exec(
        select(Alert.id)
        .where(col(Alert.participant_id) == participant_id, status if live else ~status)
        .order_by(col(Alert.id).desc())
    ).first()


def _words(session: Session, messages: list[Message]) -> dict[int, str]:
    """What the signed-in account is shown of each of their messages: its words, or, for a disclosure (kept as
    a response flagged as a risk) when they are not on the duty team, the words withheld, as on Responses: a
    message flagged only because it is not in English (`Response.unread`) is withheld as that, not as a
    disclosure."""
    inbound = [m.id for m in messages if m.direction == Direction.IN and m.id is not None]
    flagged = session.exec(
        select(Response).where(col(Response.message_id).in_(inbound), col(Response.risk).is_(True))
    ).all()
    unread = {response.message_id: response.unread for response in flagged}
    may_see = may_see_disclosure(current_roles())
    return {
        m.id: disclosure_words(m.body, risk=m.id in unread, may_see=may_see, unread=unread.get(m.id, False))
        for m in messages
        if m.id is not None
    }


def _reply_timing(session: Session, participant_id: int) -> str:
    """When a text reply goes, in the worker's words (the reply form's hint)."""
    if has_live_alert(session=session, participant_id=participant_id):
        return "Because of the live safeguarding alert, a text goes at once, day or night."
    config = live_config()
    school = config.schedule.school_hours
    school_off = school.strip().lower() in ("", "off")
    if config.schedule.reply_hours.strip() == "00:00-24:00":
        # An all-day window has no "another time" to wait for (trial 7, G8c); only school hours can hold it.
        if school_off:
            return "A text goes at once, day or night."
        return f"A text goes at once, except to an under-16 in school hours ({school}): then it waits until they end."
    under_16 = "" if school_off else f" (for under-16s, not in school hours, {school})"
    return (
        f"A text goes at once between {config.schedule.reply_hours}{under_16}; "
        "written at another time, it waits until then."
    )


def _why_later(session: Session, participant_id: int, goes_at) -> str:
    """Why a reply is held: the night, or school hours for an under-16."""
    config = live_config()
    local = goes_at.astimezone(ZoneInfo(config.app.timezone))
    start = config.schedule.reply_hours.split("-")[0]
    return "night-time" if local.strftime("%H:%M") == start else "school hours and they are under 16"


def _thread_page(
    participant_id: int,
    *,
    error: str | None = None,
    field: str = "reply",
    draft: str = "",
    revealed: str | None = None,
    status: int = 200,
    form: dict[str, str] | None = None,
    wrong: tuple[str, ...] = (),
):
    """The thread page; a refused form's `error` is shown on its `field`: the reply box (`reply`), Assign's list
    (`to`), the advocacy referral's note (`note`), or a call or visit's outcome, note, date or time (`outcome`,
    `contact-note`, `when-date` with the boxes that are `wrong`, `when-time`), with what was sent (`form`) shown
    again. Close has no field (`close`): its error is in the summary alone, as is any whose form the page no longer
    shows (the template's `on_page`). `revealed`: their whole number, on the response to "Show their number to call
    them" only (`inbox_reveal_number`)."""
    with Session(services().engine) as session:
        try:
            current = thread(session=session, participant_id=participant_id, config=services().config, now=utcnow())
        except LookupError:
            abort(404)
        alert_id = _newest_alert_id(session, participant_id, live=True)
        closed_alert_id = None if current.alert_live else _newest_alert_id(session, participant_id, live=False)
        reply_when = _reply_timing(session, participant_id)
        words = _words(session, current.messages)
        failed = failed_texts(session=session, participant_id=participant_id, messages=current.messages)
        workers = [(user.email, user.display_name) for user in users_with_role(session=session, role=Role.WORKER)]
        conversation = current.conversation
        # Colleagues by the name they go by, as the alert page names them (the email when no name was given).
        names = display_names(
            session=session,
            emails=[_me()]
            + (
                [conversation.assigned_to, conversation.last_reply_by, conversation.referred_by, conversation.closed_by]
                if conversation is not None
                else []
            )
            + ([current.reached.closed_by] if current.reached is not None and current.reached.closed_by else [])
            + ([current.reached_step.by] if current.reached_step is not None and current.reached_step.by else [])
            + [contact.recorded_by for contact in current.contacts],
        )
        masked = None
        if current.participant.phone_encrypted:
            masked = mask(services().vault.decrypt(current.participant.phone_encrypted))
    audit("conversation.view", subject_type="participant", subject_id=participant_id)
    return (
        render_template(
            "admin/inbox_thread.html",
            thread=current,
            words=words,
            failed=failed,
            masked=masked,
            workers=workers,
            names=names,
            # Who made the call or visit an alert of theirs recorded, and who closed it (`answered_at_alert_words`).
            reached_words=answered_at_alert_words(
                current.reached, current.reached_step, names, str(services().config.app.timezone)
            )
            if current.reached is not None and current.reached_step is not None
            else "",
            me=_me(),
            token=secrets.token_urlsafe(16),
            error=error,
            error_field=field,
            draft=draft,
            revealed=revealed,
            max_reply=MAX_REPLY,
            draft_segments=segments(draft),
            advocacy=bool(services().config.advocacy.email),
            chat_days=services().config.webchat.session_max_age_days,
            reply_when=reply_when,
            contact_words=CONTACT_WORDS,
            max_contact_note=MAX_CONTACT_NOTE,
            today_example=_today_example(),
            wrong=wrong,
            recorded_later=RECORDED_LATER,
            # A call or visit recorded while an alert of theirs was live: its note is the duty team's record.
            see_safeguarding=may_see_disclosure(current_roles()),
            form=form or {},
            # Assign, refer and close are the workers'; the duty team sees the thread and the reply form.
            worker=has_role(Role.WORKER),
            alert_id=alert_id if has_role(Role.DUTY) else None,
            closed_alert_id=closed_alert_id if has_role(Role.DUTY) else None,
        ),
        status,
    )


@bp.get("/inbox/<int:participant_id>")
@requires(Role.WORKER, Role.DUTY)
def inbox_thread(participant_id: int):
    """One young person's thread, with reply, assign, close and advocacy (duty: reply, with a live alert)."""
    _may_open(participant_id)
    return _thread_page(participant_id)


@bp.post("/inbox/<int:participant_id>/reveal")
@requires(Role.WORKER, Role.DUTY)
def inbox_reveal_number(participant_id: int):
    """Show their whole phone number once, on this response only (never in a URL or a log), so a worker can phone
    someone who asked for a person and whom no reply can reach (`Thread.phone_them`); audited as
    `conversation.reveal_number` in the same transaction, as the alert page's `alert.reveal_number` is.

    Who: whoever may open the thread (`accounts.may_open_thread`). A worker, as the inbox is theirs: they answer
    a request for a person, and after STOP a call is the one answer that reaches them. The duty team only while
    the young person's alert is live, when the alert page already shows them the number on request. Any other
    account is refused (403, audited). On a thread where a reply can reach them, or where they did not ask for a
    person, the number stays masked (403 too, audited, with the page saying why)."""
    _may_open(participant_id)
    with Session(services().engine) as session:
        try:
            current = thread(session=session, participant_id=participant_id, config=services().config, now=utcnow())
        except LookupError:
            abort(404)
        number = full_number(vault=services().vault, participant=current.participant) if current.phone_them else None
        if number is not None:
            audit("conversation.reveal_number", subject_type="participant", subject_id=participant_id, session=session)
            session.commit()
    if number is None:
        audit("access.denied", subject_type="participant", subject_id=participant_id)
        return _thread_page(participant_id, error=NOT_TO_REVEAL, field="reveal", status=403)
    return _thread_page(participant_id, revealed=number)


@bp.post("/inbox/<int:participant_id>/reply")
@requires(Role.WORKER, Role.DUTY)
def inbox_reply(participant_id: int):
    """Reply the way they last wrote (`inbox.threads.reply_way`): in their open web chat, or a text through
    the outbox."""
    _may_open(participant_id)
    text = request.form.get("reply", "")
    try:
        with session_scope(services().engine) as session:
            conversation = reply(
                session=session,
                services=services(),
                participant_id=participant_id,
                text=text,
                by=_me(),
                token=request.form.get("token", ""),
                shown_way=request.form.get("way") or None,
            )
            audit("conversation.reply", subject_type="conversation", subject_id=conversation.id, session=session)
            went = thread(session=session, participant_id=participant_id, config=services().config).reply.channel
            by_text = went == SMS
            now = utcnow()
            goes_at = reply_goes_at(session=session, config=live_config(), participant_id=participant_id, now=now)
            later = _why_later(session, participant_id, goes_at) if goes_at > now else None
    except LookupError:
        abort(404)
    except InboxError as exc:
        return _thread_page(participant_id, error=str(exc).capitalize(), draft=text, status=400)
    if not by_text:
        flash(REPLY_SENT_IN_CHAT, "success")
    elif later is None:
        flash(REPLY_SENT_NOW, "success")
    else:
        flash(REPLY_SENT_LATER.format(why=later, when=local_time(goes_at, services().config.app.timezone)), "success")
    return redirect(url_for("admin.inbox_thread", participant_id=participant_id), code=303)


def contact_time(form, timezone: str, now: datetime) -> datetime | None:
    """When a call or visit was, from the form: None when its date and time are left empty ("just now"), else the
    day and time given, in the council's zone (`dates.read_date`, `dates.parse_time`); a time alone is today's.
    DateError names what is wrong: the date's boxes in its `parts`, or ("time",) for the time."""
    day = read_date(form, "when-date", label="The date of the call or visit")
    text = (form.get("when-time") or "").strip()
    if day is None and not text:
        return None
    if not text:
        raise DateError("Enter the time of the call or visit, or leave the date empty if it was just now", ("time",))
    try:
        at = parse_time(text, label="The time of the call or visit")
    except DateError as error:
        error.parts = ("time",)
        raise
    return local_moment(day or local(now, timezone).date(), at, timezone)


def _shown(value: str) -> int | None:
    """The conversation a form was shown on (its hidden `conversation`): None when it had none yet."""
    return int(value) if value.isdigit() else None


def _today_example() -> str:
    """Today in the council's zone, as a date's boxes take it ("6 12 2026"): the form's example."""
    today = local(utcnow(), services().config.app.timezone)
    return f"{today.day} {today.month} {today.year}"


@bp.post("/inbox/<int:participant_id>/contact")
@requires(Role.WORKER, Role.DUTY)
def inbox_contact(participant_id: int):
    """Record a call or visit (`inbox.threads.record_contact`): one they answered, or a visit, answers the thread;
    either picks up their open alert in the caller's name, as a reply does."""
    _may_open(participant_id)
    outcome = request.form.get("outcome", "")
    note = request.form.get("note", "")
    form = {name: request.form.get(name, "") for name in CONTACT_FIELDS}
    try:
        happened_at = contact_time(request.form, services().config.app.timezone, utcnow())
    except DateError as exc:
        field = "when-time" if exc.parts == ("time",) else "when-date"
        return _thread_page(participant_id, error=str(exc), field=field, status=400, form=form, wrong=exc.parts)
    try:
        with session_scope(services().engine) as session:
            contact = record_contact(
                session=session,
                services=services(),
                participant_id=participant_id,
                outcome=outcome,
                note=note,
                by=_me(),
                token=request.form.get("token", ""),
                happened_at=happened_at,
                shown=_shown(request.form.get("conversation", "")),
            )
            audit(
                "conversation.contact", subject_type="conversation", subject_id=contact.conversation_id, session=session
            )
    except LookupError:
        abort(404)
    except InboxError as exc:
        dated = any(form[f"when-date-{part}"] for part in ("day", "month", "year"))
        field = ("when-date" if dated else "when-time") if isinstance(exc, WhenError) else "contact-note"
        field = "record-contact" if isinstance(exc, ThreadMoved) else field  # the summary alone: the page has moved on
        field = "outcome" if outcome not in CONTACT_WORDS else field
        message = str(exc)  # its dates keep their capitals ("3 Dec"), which str.capitalize would lower
        return _thread_page(participant_id, error=message[:1].upper() + message[1:], field=field, status=400, form=form)
    flash(f"Recorded: you {CONTACT_WORDS[outcome]}", "success")
    return redirect(url_for("admin.inbox_thread", participant_id=participant_id), code=303)


@bp.post("/inbox/<int:participant_id>/assign")
@requires(Role.WORKER)
def inbox_assign(participant_id: int):
    """Give the thread to a worker (or to nobody)."""
    to = request.form.get("to", "").strip()
    with Session(services().engine) as session:
        workers = {user.email for user in users_with_role(session=session, role=Role.WORKER)}
        # Whoever has it now may keep it (a duty worker who took it on by replying is not on the list).
        try:
            current = (
                thread(session=session, participant_id=participant_id, config=services().config).conversation
                if to
                else None
            )
        except LookupError:
            abort(404)
    if to and to not in workers and not (current is not None and current.assigned_to == to):
        return _thread_page(participant_id, error="Choose a worker from the list", field="to", status=400)
    try:
        with session_scope(services().engine) as session:
            conversation = assign(session=session, participant_id=participant_id, to=to or None, by=_me())
            audit("conversation.assign", subject_type="conversation", subject_id=conversation.id, session=session)
    except LookupError:
        abort(404)
    except InboxError as exc:
        return _thread_page(participant_id, error=str(exc).capitalize(), field="to", status=400)
    if to:
        with Session(services().engine) as session:
            to = display_names(session=session, emails=[to]).get(to, to)
    flash(f"Assigned to {to}" if to else "Nobody is assigned now", "success")
    return redirect(url_for("admin.inbox_thread", participant_id=participant_id), code=303)


@bp.post("/inbox/<int:participant_id>/close")
@requires(Role.WORKER)
def inbox_close(participant_id: int):
    """Close the thread; their next message opens a new one."""
    try:
        with session_scope(services().engine) as session:
            conversation = close(session=session, participant_id=participant_id, by=_me())
            audit("conversation.close", subject_type="conversation", subject_id=conversation.id, session=session)
    except LookupError:
        abort(404)
    except InboxError as exc:
        return _thread_page(participant_id, error=str(exc).capitalize(), field="close", status=400)
    flash("Conversation closed", "success")
    return redirect(url_for("admin.inbox"), code=303)


@bp.post("/inbox/<int:participant_id>/advocacy")
@requires(Role.WORKER)
def inbox_advocacy(participant_id: int):
    """Refer the young person to the advocacy service: recorded here, emailed to [advocacy] email."""
    try:
        with session_scope(services().engine) as session:
            conversation = refer_to_advocacy(
                session=session,
                services=services(),
                participant_id=participant_id,
                note=request.form.get("note", ""),
                by=_me(),
            )
            audit("conversation.refer", subject_type="conversation", subject_id=conversation.id, session=session)
    except LookupError:
        abort(404)
    except InboxError as exc:
        return _thread_page(participant_id, error=str(exc).capitalize(), field="note", status=400)
    flash("Referred to the advocacy service", "success")
    return redirect(url_for("admin.inbox_thread", participant_id=participant_id), code=303)
