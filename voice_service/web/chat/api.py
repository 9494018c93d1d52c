"""The chat's JSON API: start a chat, send a message, read a chat back, check it for new messages.

Every POST is either JSON (`Content-Type: application/json`) whose Origin and Referer, if
sent, are this service's own, or carries the page's CSRF token in `X-CSRF-Token` (from the
page's `<meta name="csrf-token">`) with its cookie. Errors are JSON: `{"error": code, "message": text}`. A refusal a
young person can meet says where help is (`security.refusal`, `texts.CHAT_REFUSALS`), in the chat's language once
the chat has been read (a check for news over its chat's limit), else in English: the page's script shows its own
words for the code, in the page's language.

Every answer that says what a chat waits for (its `quick_replies` and `hint`) says its `language` too: the language
the page's own words are in now ("en" or "cy": `sessions.Waiting.language`), so the page can follow it.
"""

from __future__ import annotations

import logging

from flask import current_app, jsonify, request
from sqlmodel import Session
from werkzeug.exceptions import HTTPException

from . import api_bp
from .security import (
    CSRF_HEADER,
    BadInput,
    clean_text,
    client_id,
    count_address,
    csrf_ok,
    finish_response,
    hit,
    json_body,
    may_poll,
    may_poll_chat,
    may_send,
    refusal,
    refused_as_too_big,
    same_origin_json,
    set_chat_cookie,
)
from .sessions import InviteExpired, deliver, find_chat, hash_token, news, open_chat, resume

log = logging.getLogger(__name__)


def _services():
    return current_app.extensions["voice"]


def _error(status: int, code: str, message: str):
    return jsonify(error=code, message=message), status


@api_bp.errorhandler(BadInput)
def bad_input(error: BadInput):
    """A refused request, as JSON."""
    return _error(error.status, error.code, error.message)


@api_bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Any HTTP error from the chat API, as JSON rather than an HTML page."""
    if error.code == 429:
        return _error(429, "rate_limited", refusal("rate_limited"))
    if refused_as_too_big(error):
        return _error(413, "too_long", refusal("too_long"))
    return _error(error.code or 500, error.name.lower().replace(" ", "_"), error.description or error.name)


@api_bp.after_request
def headers(response):
    """Strict security headers on every API response."""
    return finish_response(response)


api_bp.before_request(count_address)


@api_bp.before_request
def require_csrf():
    """Refuse a POST that is neither same-origin JSON nor carries this browser's CSRF token; one whose body
    is not JSON at all is refused as that (415), not as an expired page: nothing is done with it either way."""
    if request.method != "POST":
        return
    if request.content_length and not request.is_json:
        raise BadInput(415, "json_required", "Send JSON (Content-Type: application/json).")
    if same_origin_json():
        return
    if not csrf_ok(request.headers.get(CSRF_HEADER)):
        raise BadInput(403, "csrf", refused="csrf")


def _quick(quick_replies) -> list[dict]:
    return [reply.to_dict() for reply in quick_replies]


@api_bp.post("/sessions")
def create_session():
    """Start a chat: `{}` for an anonymous chat, or `{"invite": TOKEN}` from a chat link."""
    body = json_body()
    invite = body.get("invite")
    if invite is not None and not isinstance(invite, str):
        raise BadInput(400, "bad_invite", "invite must be a string.")
    if not hit("create", request.remote_addr or "-"):
        raise BadInput(429, "rate_limited", refused="too_many_chats")
    try:
        started = open_chat(services=_services(), invite=invite)
    except InviteExpired:
        raise BadInput(404, "invite_not_found", refused="invite_not_found") from None
    log.info("web chat started: invited=%s", bool(invite))
    response = jsonify(
        session=started.token,
        messages=[{"from": "service", "text": text} for text in started.replies],
        quick_replies=_quick(started.quick_replies),
        hint=started.hint,
        language=started.language,
    )
    response.status_code = 201
    set_chat_cookie(response, started.token)
    return response


@api_bp.get("/sessions/<token>")
def read_session(token: str):
    """The chat so far and what it is waiting for (for a client coming back to it)."""
    services = _services()
    with Session(services.engine, expire_on_commit=False) as session:
        chat = find_chat(session=session, config=services.config, token=token)
        if chat is None:
            raise BadInput(404, "session_not_found", refused="session_not_found")
        messages, waiting = resume(session=session, services=services, chat=chat)
        session.commit()
    return jsonify(
        messages=messages, quick_replies=_quick(waiting.quick_replies), hint=waiting.hint, language=waiting.language
    )


# Longer than any message id will be: refuses a number too big for the database.
MAX_AFTER_DIGITS = 18


@api_bp.get("/sessions/<token>/messages")
def new_messages(token: str):
    """The chat's messages after id `?after=N`, such as a duty worker's reply, and what it waits for now:
    `{"messages": [{id, from, text}], "quick_replies": [...], "hint": ..., "prompt": ..., "language": ...}`
    (`sessions.news`)."""
    after = request.args.get("after", "0")
    if not after.isascii() or not after.isdigit() or len(after) > MAX_AFTER_DIGITS:
        raise BadInput(400, "bad_after", "after must be a message id (a whole number).")
    if not may_poll():
        raise BadInput(429, "rate_limited", refused="rate_limited")
    found = news(services=_services(), token=token, after=int(after))
    if not may_poll_chat(found is not None, hash_token(token)):
        # Read already: in the chat's language.
        raise BadInput(429, "rate_limited", refused="rate_limited", language=found.waiting.language if found else "en")
    if found is None:
        raise BadInput(404, "session_not_found", refused="session_not_found")
    return jsonify(
        messages=found.messages,
        quick_replies=_quick(found.waiting.quick_replies),
        hint=found.waiting.hint,
        prompt=found.prompt,
        language=found.waiting.language,
    )


@api_bp.post("/sessions/<token>/messages")
def post_message(token: str):
    """Send a message: `{"text": ..., "id": optional client id}` -> `{"messages": [...], "quick_replies": [...],
    "hint": ..., "language": ..., "duplicate": ...}`."""
    body = json_body()
    text = clean_text(body.get("text"))
    message_id = client_id(body)
    if not may_send(text, hash_token(token)):
        raise BadInput(429, "rate_limited", refused="rate_limited")
    turn = deliver(services=_services(), token=token, text=text, client_id=message_id)
    if turn is None:
        raise BadInput(404, "session_not_found", refused="session_not_found")
    log.info("web chat message handled: duplicate=%s alert=%s", turn.duplicate, turn.alert)
    return jsonify(
        messages=[{"from": "service", "text": reply} for reply in turn.replies],
        quick_replies=_quick(turn.quick_replies),
        hint=turn.hint,
        language=turn.language,
        duplicate=turn.duplicate,
    )
