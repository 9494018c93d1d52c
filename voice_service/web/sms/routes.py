"""`POST /sms/inbound` and `POST /sms/status`: check the signature, translate, call the service."""

from __future__ import annotations

import binascii
import functools
import hashlib
import hmac
import logging
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from urllib.parse import urlparse
from xml.sax.saxutils import escape

from flask import Response, abort, current_app, request
from sqlmodel import Session
from twilio.request_validator import RequestValidator, remove_port
from werkzeug.exceptions import (
    BadRequest,
    Conflict,
    HTTPException,
    MethodNotAllowed,
    NotFound,
    RequestEntityTooLarge,
)

from ...inbound import receive
from ...inbound.receive import MAX_PROVIDER_SID, InboundResult, ProviderIdTaken
from ...outbox.status import DeliveryReport, apply_delivery_report
from ...privacy import InvalidPhone, normalise_phone
from ...transactions import retry_on_conflict
from . import bp

log = logging.getLogger(__name__)


def _services():
    return current_app.extensions["voice"]


FORM_TYPE = "application/x-www-form-urlencoded"  # how Twilio posts every webhook (perhaps "; charset=utf-8")


def signed(view):
    """Reject a request with a body that is not a form post, as Twilio's are (415), or whose X-Twilio-Signature does not
    match `public_url` + path (403). The lean edge (`fast.py`) hands anything but a form post to this route."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.content_length and request.mimetype != FORM_TYPE:
            # Read as a form, a JSON body has no fields: "MessageSid and From are required" would mislead.
            got = request.mimetype[:60] or "no Content-Type"
            abort(415, f"Twilio's webhooks are sent as {FORM_TYPE}; this request was {got}.")
        signature = request.headers.get("X-Twilio-Signature", "")
        path = request.full_path if request.query_string else request.path
        if not signature_ok(_services(), path, request.form, signature):
            # Behind a proxy the usual cause is app.public_url, not the token: Twilio signs the address it
            # posts to, and this checks against app.public_url (config, never personal data, so it is logged).
            log.warning(
                "rejected %s: missing or invalid Twilio signature; check twilio.auth_token, and that "
                "app.public_url (%s) is the address Twilio posts to",
                request.path,
                _services().config.app.public_url,
            )
            abort(403, "Invalid Twilio signature.")
        return view(*args, **kwargs)

    return wrapper


def signature_ok(services, path: str, form, signature: str) -> bool:
    """True when `signature` is Twilio's for `public_url` + `path` (with its query string, if any) and `form`."""
    if not signature:
        return False
    url = services.config.app.public_url.rstrip("/") + path
    token = services.config.twilio.auth_token
    # twilio's `validate` signs the address both without and with its port, and accepts either: the first is
    # what Twilio signs for a public address without a port, so that alone is tried first (one HMAC, not two).
    if same_signature(twilio_signature(token, _without_port(url), form), signature):
        return True
    return _validator(token).validate(url, form, signature)


def same_signature(expected: str, given: str) -> bool:
    """True when `given` is `expected`, compared in constant time, as twilio's `compare` does, in one C call
    (`hmac.compare_digest`; twilio's compares character by character in Python). As bytes, each string encoded
    the one way (so equal bytes are equal strings): the header may carry any characters, and compare_digest
    takes only ASCII in a str."""
    return hmac.compare_digest(expected.encode("utf-8", "surrogatepass"), given.encode("utf-8", "surrogatepass"))


def twilio_signature(token: str, url: str, form) -> str:
    """What twilio's `RequestValidator(token).compute_signature(url, form)` computes (HMAC-SHA1 of the address
    and each field's name and values, sorted), in a few calls: its own loop cost the edge about as much as the
    rest of the check. (A plain dict, the lean edge's form, has one value a field.)"""
    if type(form) is dict:
        data = url + "".join([name + value for name, value in sorted(form.items())])
    else:
        fields = form.lists() if hasattr(form, "lists") else ((name, [value]) for name, value in form.items())
        data = url + "".join([name + value for name, values in sorted(fields) for value in sorted(set(values))])
    mac = _keyed(token).copy()  # the key's own HMAC state, set up once per token, not on every webhook
    mac.update(data.encode())
    return binascii.b2a_base64(mac.digest(), newline=False).decode()


@functools.lru_cache(maxsize=4)
def _keyed(token: str) -> hmac.HMAC:
    """HMAC-SHA1 keyed with the auth token, with nothing hashed yet: copied for each signature (never updated
    itself, so threads copy it safely)."""
    return hmac.new(token.encode(), digestmod=hashlib.sha1)


@functools.lru_cache(maxsize=64)
def _without_port(url: str) -> str:
    return remove_port(urlparse(url))


@functools.lru_cache(maxsize=4)
def _validator(auth_token: str) -> RequestValidator:
    return RequestValidator(auth_token)


# Twilio sends the E.164 form of the same few thousand numbers over and over; reading one with phonenumbers
# costs about as much as the webhook's signature check, so each worker keeps the answers for the numbers it
# has seen lately (in memory only, like the request itself; a number it cannot read is never kept).
_normalised = functools.lru_cache(maxsize=4096)(normalise_phone)


def twiml(replies: list[str]) -> Response:
    """TwiML with one <Message> per reply."""
    return Response(twiml_text(replies), mimetype="application/xml")


def twiml_text(replies: list[str]) -> str:
    """The same document as twilio's `MessagingResponse` with a `.message()` per reply, character for
    character, without building an element tree for it on every text."""
    if not replies:
        return _TWIML_DECLARATION + "<Response />"
    return (
        _TWIML_DECLARATION + "<Response>" + "".join(f"<Message>{escape(r)}</Message>" for r in replies) + "</Response>"
    )


_TWIML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


@bp.post("/inbound")
@signed
def inbound():
    """A text from a young person: reply with TwiML; a retried MessageSid gets the same reply."""
    return twiml(take_text(_services(), request.form).replies)


@bp.errorhandler(HTTPException)
def plain_error(error: HTTPException):
    """Every error a webhook address gives (400, 403, 404, 405, 413, 415) in one form, its reason as one line of
    plain text in the service's words, as the request limits (`web.limits`) and the lean edge answer: never
    werkzeug's HTML page, nor its wording. Nothing anyone wrote is in it. (`web.errors` hands it the errors of
    an address under /sms/ that no route took: a 404, or a 405 for a method other than POST, with its Allow.)"""
    response = Response(_reason(error), status=error.code, mimetype="text/plain")
    allowed = dict(error.get_headers()).get("Allow")
    if allowed:
        response.headers["Allow"] = allowed
    return response


def _reason(error: HTTPException) -> str:
    """Why, in one line: the reason a webhook route gave (`abort`), or the service's own for werkzeug's refusals."""
    if isinstance(error, MethodNotAllowed):
        return f"Twilio's webhooks are sent by POST; this request was sent by {request.method[:20]}."
    if isinstance(error, RequestEntityTooLarge):
        size = f"{request.content_length // 1024:,} KB" if request.content_length else "larger"
        return f"Twilio's webhooks are at most {(request.max_content_length or 0) // 1024} KB; this request was {size}."
    if isinstance(error, NotFound):
        return "Not found."
    return error.description or error.name


class BadWebhook(BadRequest):
    """A signed webhook without what a text needs (a MessageSid, a From we can reply to): a 400."""


class TakenSid(Conflict):
    """A signed webhook whose MessageSid is already stored from another number: a 409, nothing stored, and
    nobody's replies (a retry from the same number is answered as it was the first time)."""

    description = "This MessageSid was already used by another number; this text was not stored or answered."


def take_text(
    services,
    form,
    *,
    received_at: datetime | None = None,
    owed: Callable[[Session, InboundResult], None] | None = None,
    early_notice: str | None = None,
) -> InboundResult:
    """A signed webhook's form, translated and handed to `receive()` in one transaction retried once on a
    conflict: the one home of what the SMS edge does with a text, for the Flask route, the lean edge
    (`fast.py`) and the spool's replay (whose record was signed when it was spooled, and passes when it
    arrived: `received_at`, and `owed`, run in the same transaction to queue the replies the young person
    did not get at the time, and what became of its early notice, `early_notice`, as `receive()` takes it). A bad
    form is a 400 (`BadWebhook`).

    A retried MessageSid is answered with the replies it was stored with, unless the spool's replay stored
    it and queued them in the outbox (Twilio retried a webhook it had spooled): then with none, so they
    come once (`inbound.writes.earlier_replies`). A MessageSid already stored from another number is
    refused (`TakenSid`, a 409): nothing is stored, and nobody else's replies are sent."""
    sid = form.get("MessageSid") or form.get("SmsSid")
    sender = form.get("From")
    body = form.get("Body", "")
    if not sid or not sender:
        raise BadWebhook("MessageSid and From are required.")
    if len(sid) > MAX_PROVIDER_SID:
        raise BadWebhook(f"MessageSid is longer than {MAX_PROVIDER_SID} characters.")
    try:
        phone = _normalised(sender)
    except InvalidPhone:
        raise BadWebhook("From is not a phone number we can reply to.") from None
    media = media_count(form)

    def work(session: Session) -> InboundResult:
        result = receive(
            session=session,
            services=services,
            channel="sms",
            text=body,
            provider_sid=sid,
            phone=phone,
            media=media,
            received_at=received_at,
            early_notice=early_notice,
        )
        if owed is not None:
            owed(session, result)
        return result

    try:
        result = retry_on_conflict(services.engine, work, lean=True)
    except ProviderIdTaken:
        # Twilio's MessageSids are unique: only someone holding the auth token sends this. No number, no words.
        log.warning("inbound sms refused (409): MessageSid %s is already stored from another number", sid)
        raise TakenSid() from None
    log.info(
        "inbound sms handled: duplicate=%s events=%s alert=%s",
        result.duplicate,
        ",".join(result.events),
        result.alert_id,
    )
    return result


# Twilio sends at most 10 media with one message; a form claiming more is read as 10.
MAX_MEDIA = 10


def media_count(form) -> int:
    """How many pictures (MMS media) a text carried: Twilio's NumMedia, else its MediaUrl0.. fields counted.
    The media themselves are never fetched, and their addresses go no further than this."""
    number = form.get("NumMedia") or ""
    if number.isdigit():
        return min(int(number), MAX_MEDIA)
    return min(sum(1 for key in form if key.startswith("MediaUrl")), MAX_MEDIA)


@bp.post("/status")
@signed
def status():
    """Twilio's delivery report: translated and handed to the outbox (carrier opt-outs stop that number)."""
    sid = request.form.get("MessageSid")
    reported = request.form.get("MessageStatus") or ""
    if not sid or not reported:
        abort(400, "MessageSid and MessageStatus are required.")
    report = DeliveryReport(
        sid=sid,
        status=reported,
        error_code=request.form.get("ErrorCode") or None,
        outbox_id=request.args.get("outbox", type=int),
    )
    apply_delivery_report(_services().engine, report)
    return Response(status=204)
