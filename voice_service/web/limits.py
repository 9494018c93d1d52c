"""Limits every request meets before any view (and so before the database) sees a value.

A value the database cannot hold is refused here with a 4xx, rather than found by the
database as a 500 halfway through a transaction:

- Twilio's webhook fields: ids are short and alphanumeric, numbers short, a body at most
  1,600 characters (Twilio's own ceiling);
- `?outbox=` and every `<int:...>` in a path within the database's integer range;
- path tokens of sane length, and JSON text that is real text (no lone UTF-16 surrogate,
  which JSON's `\\ud800` escape can carry but UTF-8 cannot).

`install(app)` registers the check, and a last net: a `DataError` (a value the database
refused) is a 400, never a 500.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, jsonify, request
from sqlalchemy.exc import DataError
from werkzeug.exceptions import default_exceptions

log = logging.getLogger(__name__)

INT_MAX = 2**31 - 1  # the Integer columns' range on PostgreSQL (and well inside SQLite's)
TWILIO_ID = re.compile(r"^[A-Za-z0-9]{1,64}$")
TWILIO_ID_FIELDS = ("MessageSid", "SmsSid", "SmsMessageSid", "AccountSid", "MessagingServiceSid")
SHORT_FIELDS = {"From": 32, "To": 32, "MessageStatus": 20, "SmsStatus": 20, "ErrorCode": 20}
MAX_BODY = 1600
MAX_PATH_TOKEN = 200


class Refused(Exception):
    """A request refused before any view ran."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _text_ok(value: Any) -> bool:
    """True when every string inside `value` is encodable text."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_text_ok(key) and _text_ok(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_text_ok(item) for item in value)
    return True


def twilio_form_refusal(form: Mapping[str, str]) -> Refused | None:
    """Why a Twilio webhook's fields are beyond what the service stores, or None when they are within it."""
    # `in` first: a werkzeug form's `get` raises and catches an exception for every field a webhook lacks.
    for field in TWILIO_ID_FIELDS:
        value = form[field] if field in form else None
        if value is not None and not TWILIO_ID.match(value):
            return Refused(400, "bad_field", f"{field} must be 1-64 letters and digits.")
    for field, limit in SHORT_FIELDS.items():
        value = form[field] if field in form else None
        if value is not None and len(value) > limit:
            return Refused(400, "bad_field", f"{field} must be at most {limit} characters.")
    if len(form.get("Body", "")) > MAX_BODY:
        return Refused(413, "too_long", f"Body must be at most {MAX_BODY} characters.")
    return None


def check_request() -> None:
    """Raise Refused when this request carries a value beyond what the service stores."""
    for name, value in (request.view_args or {}).items():
        if isinstance(value, int) and not 0 <= value <= INT_MAX:
            raise Refused(404, "not_found", f"No such {name}.")
        if isinstance(value, str) and (len(value) > MAX_PATH_TOKEN or not _text_ok(value)):
            raise Refused(404, "not_found", "Not found.")
    outbox = request.args.get("outbox")
    if outbox is not None and not (outbox.isascii() and outbox.isdigit() and 0 < int(outbox) <= INT_MAX):
        raise Refused(400, "bad_outbox", "outbox must be a positive whole number within range.")
    if request.method == "POST" and request.path.startswith("/sms/"):
        refused = twilio_form_refusal(request.form)
        if refused is not None:
            raise refused
    if request.method == "POST" and request.is_json:
        raw = request.get_data(cache=True)
        try:
            body = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, ValueError):
            return  # the view says what is wrong with it
        if not _text_ok(body):
            raise Refused(400, "not_text", "That message has characters we can't read.")


def install(app: Flask) -> None:
    """Check every request against the limits; refuse what the database could not hold.

    The chat's rate limiter (flask-limiter, `web/chat/security.py`) has no limit for Twilio's webhooks
    (Twilio is one sender, and the signature check already turns away anyone else), so those skip its
    per-request work of resolving which limits apply.
    """
    chat = app.extensions.get("voice_chat")
    if chat is not None:
        chat.limiter.request_filter(_not_rate_limited)

    @app.before_request
    def _limits():
        try:
            check_request()
        except Refused as refused:
            log.info("refused %s %s: %s", request.method, request.endpoint, refused.code)
            return _answer(refused.status, refused.code, refused.message)
        return None

    @app.errorhandler(DataError)
    def _data_error(error: DataError):
        # A value slipped past the checks above: still the sender's bad input, and nothing was committed.
        log.warning("database refused a value on %s (%s)", request.endpoint, type(error.orig).__name__)
        return _answer(400, "bad_input", "The request has a value the service cannot store.")


def _not_rate_limited() -> bool:
    """True for Twilio's webhooks (the `sms` blueprint), which no rate limit applies to."""
    return request.blueprint == "sms"


def _answer(status: int, code: str, message: str):
    if request.path.startswith("/api/"):
        return jsonify(error=code, message=message), status
    if request.path == "/admin" or request.path.startswith("/admin/"):
        # The dashboard's own error page (docs/dashboard.md: every /admin error is). Asked of Flask's
        # handler directly: abort() inside an error handler would itself become a 500.
        return current_app.handle_http_exception(default_exceptions[status]())
    return message, status, {"Content-Type": "text/plain; charset=utf-8"}
