"""`POST /sms/inbound` and `POST /sms/status`: check the signature, translate, call the service."""

from __future__ import annotations

import logging
from functools import wraps

from flask import Response, abort, current_app, request
from sqlalchemy import select
from sqlmodel import Session
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from ...inbound import receive
from ...inbound.receive import MAX_PROVIDER_SID
from ...models import OptOut, OutboxMessage, OutboxStatus, utcnow
from ...privacy import InvalidPhone, normalise_phone
from ...transactions import retry_on_conflict
from . import bp

log = logging.getLogger(__name__)

# Twilio's statuses onto the outbox's; the rest (queued, sending, accepted) leave the row as sent.
STATUS_MAP = {
    "delivered": OutboxStatus.DELIVERED,
    "read": OutboxStatus.DELIVERED,
    "failed": OutboxStatus.FAILED,
    "undelivered": OutboxStatus.FAILED,
}


def _services():
    return current_app.extensions["voice"]


def signed(view):
    """Reject a request whose X-Twilio-Signature does not match `public_url` + path (403)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        services = _services()
        signature = request.headers.get("X-Twilio-Signature", "")
        path = request.full_path if request.query_string else request.path
        url = services.config.app.public_url.rstrip("/") + path
        validator = RequestValidator(services.config.twilio.auth_token)
        if not signature or not validator.validate(url, request.form, signature):
            log.warning("rejected %s: missing or invalid Twilio signature", request.path)
            abort(403, "invalid Twilio signature")
        return view(*args, **kwargs)

    return wrapper


def twiml(replies: list[str]) -> Response:
    """TwiML with one <Message> per reply."""
    response = MessagingResponse()
    for reply in replies:
        response.message(reply)
    return Response(str(response), mimetype="application/xml")


@bp.post("/inbound")
@signed
def inbound():
    """A text from a young person: reply with TwiML; a retried MessageSid gets the same reply."""
    sid = request.form.get("MessageSid") or request.form.get("SmsSid")
    sender = request.form.get("From")
    body = request.form.get("Body", "")
    if not sid or not sender:
        abort(400, "MessageSid and From are required")
    if len(sid) > MAX_PROVIDER_SID:
        abort(400, f"MessageSid is longer than {MAX_PROVIDER_SID} characters")
    try:
        phone = normalise_phone(sender)
    except InvalidPhone:
        abort(400, "From is not a phone number we can reply to")
    services = _services()
    result = retry_on_conflict(
        services.engine,
        lambda session: receive(
            session=session, services=services, channel="sms", text=body, provider_sid=sid, phone=phone
        ),
    )
    log.info(
        "inbound sms handled: duplicate=%s events=%s alert=%s",
        result.duplicate,
        ",".join(result.events),
        result.alert_id,
    )
    return twiml(result.replies)


@bp.post("/status")
@signed
def status():
    """Twilio's delivery report: update the outbox row; carrier opt-outs (21610) stop that number."""
    sid = request.form.get("MessageSid")
    reported = (request.form.get("MessageStatus") or "").lower()
    if not sid or not reported:
        abort(400, "MessageSid and MessageStatus are required")
    error_code = request.form.get("ErrorCode") or None
    new_status = STATUS_MAP.get(reported)
    services = _services()
    with Session(services.engine) as session:
        row = None
        outbox_id = request.args.get("outbox", type=int)
        if outbox_id is not None:
            row = session.get(OutboxMessage, outbox_id)
        if row is None:
            row = session.exec(select(OutboxMessage).where(OutboxMessage.provider_sid == sid)).scalars().first()
        if row is None:
            return Response(status=204)
        row.updated_at = utcnow()
        row.provider_sid = row.provider_sid or sid
        if row.status == OutboxStatus.SENDING:
            # The dispatcher stopped between sending and recording it: Twilio has it, so it was sent.
            row.status = OutboxStatus.SENT
            row.sent_at = row.sent_at or utcnow()
        if new_status:
            row.status = new_status
        if error_code:
            row.error_code = error_code[:20]
        if error_code == "21610" and row.to_hash and session.get(OptOut, row.to_hash) is None:
            session.add(OptOut(phone_hash=row.to_hash, keyword="carrier"))
        session.commit()
    return Response(status=204)
