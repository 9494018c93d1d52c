"""The web chat's guards: CSRF tokens, rate limits, strict headers, cookies and input checks.

CSRF is a signed double-submit: a random nonce in an HttpOnly cookie, and a token
(the nonce signed with `app.secret_key`) in the page, sent back in a form field or
the `X-CSRF-Token` header. A cross-site page can neither read the token nor set the header.
The JSON API also takes a same-origin `application/json` request without the token
(`same_origin_json`): a cross-site page cannot send one without a CORS preflight we never grant.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from itsdangerous import BadData, URLSafeTimedSerializer
from limits import parse_many

from ...config import ConfigError
from ...engine import texts
from .sessions import MAX_LONG_TEXT, MAX_TEXT

log = logging.getLogger(__name__)

CHAT_COOKIE = "voice_chat"
CSRF_COOKIE = "voice_chat_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_SALT = "voice-service.chat-csrf"
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Nothing is loaded from anywhere but this service, and nobody may frame the page.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    # The invite token is in the page address: never send it on to another site.
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Nothing about a chat may be kept by the browser or a proxy (or shown again by Back).
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Robots-Tag": "noindex, nofollow",
}


def refusal(name: str, language: str = "en") -> str:
    """The words of one of the chat's refusals to a young person (`texts.CHAT_REFUSALS`, each saying where help is,
    for any age) in `language` where they are written in it, else in English."""
    return texts.chat_refusals(language, longest=MAX_TEXT)[name]


# Some of them in English, by name. To a young person who is sending too much (the limit is checked before anyone's
# chat is read), or starting too many chats from one address.
SLOW_DOWN = refusal("rate_limited")
TOO_MANY_CHATS = refusal("too_many_chats")
# A message to a chat that has ended, or was never started on this device: the API and the form say the same (404).
NO_CHAT = refusal("session_not_found")
# The quick exit: whoever presses "Leave this page" goes at once, over any limit (`count_address`).
NEVER_LIMITED = frozenset({"chat.leave"})
# Counted after the message is screened (`may_send`), so a limit never refuses a disclosure.
MESSAGE_ENDPOINTS = frozenset({"chat_api.post_message", "chat.send_form"})
# An open chat page checking for news (a duty worker's reply) has limits of its own (`may_poll`): a young
# person just waiting on a care home's or school's shared address must not use up everyone's requests.
POLL_ENDPOINTS = frozenset({"chat_api.new_messages"})
# The request limit for a message (the app's is 64 KB): room for a disclosure pasted far past the box's 1,600
# characters to arrive, be screened and be kept (its first MAX_LONG_TEXT characters, `clean_text`); only a body
# beyond this is refused unread, in the same words as a long ordinary message.
MAX_MESSAGE_BODY = 1024 * 1024


class BadInput(Exception):
    """A request we refuse, with a status, a code for programs and a message for people: where a young person can
    meet it, the words of one of the chat's refusals (`refused`, a name in `texts.CHAT_REFUSALS`) in `language`
    (the chat's, where it is known), else `message` (a program's mistake, in English)."""

    def __init__(self, status: int, code: str, message: str = "", *, refused: str | None = None, language: str = "en"):
        if refused is not None:
            message = refusal(refused, language)
        super().__init__(message)
        self.status, self.code, self.message, self.refused = status, code, message, refused


@dataclass
class ChatLimits:
    """This app's rate limiter (its storage) and the parsed chat limits."""

    limiter: Limiter
    per_session: list
    new_sessions: list
    per_address: list
    polls_per_chat: list
    polls_per_address: list


def install(app: Flask) -> None:
    """Set up the chat's rate limiter once per app (called when the chat blueprints are registered)."""
    if "voice_chat" in app.extensions:
        return
    config = app.extensions["voice"].config.webchat
    parsed = {}
    keys = ("rate_limit_per_address", "rate_limit_per_session", "sessions_per_address")
    for key in keys + ("poll_limit_per_chat", "poll_limit_per_address"):
        try:
            parsed[key] = parse_many(getattr(config, key))
        except ValueError:
            raise ConfigError(
                f'webchat.{key}: not a rate limit like "20 per minute": {getattr(config, key)!r}'
            ) from None
    limiter = Limiter(
        key_func=get_remote_address,
        storage_uri=config.rate_limit_storage,
        strategy="moving-window",
        key_prefix="voice-chat",
        headers_enabled=True,
        # If Redis is down, let young people through rather than refuse someone who needs help.
        swallow_errors=True,
        in_memory_fallback_enabled=True,
    )
    limiter.init_app(app)
    app.before_request(allow_long_messages)
    app.extensions["voice_chat"] = ChatLimits(
        limiter,
        parsed["rate_limit_per_session"],
        parsed["sessions_per_address"],
        parsed["rate_limit_per_address"],
        parsed["poll_limit_per_chat"],
        parsed["poll_limit_per_address"],
    )


def allow_long_messages() -> None:
    """Let a message's request (the API's and the page form's) be up to MAX_MESSAGE_BODY, before anything
    reads its body (trial 13: a disclosure in 100,000 characters was refused unread at the app's 64 KB)."""
    if request.endpoint in MESSAGE_ENDPOINTS:
        request.max_content_length = request.max_form_memory_size = MAX_MESSAGE_BODY


def refused_as_too_big(error) -> bool:
    """True for a request over its size limit (413), which a chat page or the API answers as "too_long"; only
    its size is logged."""
    if getattr(error, "code", None) != 413:
        return False
    log.warning("a chat request over its size limit was refused unread: %s bytes", request.content_length)
    return True


def count_address() -> None:
    """Refuse a chat request (429) once its address is over `rate_limit_per_address`: one counter per address
    across the page and the API (each blueprint runs this before anything else). A message is counted in
    its view instead, once screened (`may_send`), and a check for news by its own limits (`may_poll`). "Leave this
    page" (`chat.leave`, the quick exit with JavaScript off) is never counted nor refused: someone who must leave
    the page now is never shown an error instead."""
    if request.endpoint in NEVER_LIMITED:
        return
    counted_in_view = request.endpoint in MESSAGE_ENDPOINTS or request.endpoint in POLL_ENDPOINTS
    if not counted_in_view and not hit("address", request.remote_addr or "-"):
        abort(429)


def per_worker_warning(config, workers: int) -> str | None:
    """A warning when rate limits are counted in each worker's memory, so several workers multiply them
    (never in demo mode)."""
    storage = config.webchat.rate_limit_storage
    # The demo is one person trying it on their own machine: a shared store would be noise for them.
    if not storage.startswith("memory://") or workers < 2 or config.app.demo:
        return None
    return (
        f"webchat.rate_limit_storage is {storage!r}: each of the {workers} workers counts on its own, so every "
        f"chat limit is in effect {workers} times what is configured. Set it to a shared store such as "
        '"redis://localhost:6379/0" to hold the limits across workers.'
    )


def _limits() -> ChatLimits:
    return current_app.extensions["voice_chat"]


def hit(kind: str, key: str) -> bool:
    """Count one request against a per-session or new-session limit; False when it is over.

    Counted once per request: when the database makes the view run again (spool.guard retries it),
    the young person has still sent one message.
    """
    counted = g.setdefault("voice_chat_counted", {})
    if (kind, key) in counted:
        return counted[(kind, key)]
    limits = _limits()
    items = {
        "session": limits.per_session,
        "address": limits.per_address,
        "poll": limits.polls_per_chat,
        "poll-address": limits.polls_per_address,
    }.get(kind, limits.new_sessions)
    try:
        allowed = all(limits.limiter.limiter.hit(item, "voice-chat", kind, key) for item in items)
    except Exception:  # a storage outage must not stop a young person reaching us
        log.warning("chat rate-limit storage unavailable; allowing the request")
        allowed = True
    counted[(kind, key)] = allowed
    return allowed


def may_send(text: str, session_key: str | None) -> bool:
    """True when a chat message may go on: within the per-address and per-chat limits, or worrying.

    Counted against both limits either way. A limit refuses chatter, never a disclosure: every inbound
    text is screened before anything else, so a message over a limit is screened here (no database)
    and a worrying one goes on down the normal path: stored, its alert raised, the help reply sent.
    """
    within = hit("address", request.remote_addr or "-")
    if session_key is not None:
        within = hit("session", session_key) and within
    return within or worrying(text)


def may_poll() -> bool:
    """True when an open chat may check for news now: within `poll_limit_per_address`, counted before the
    chat is read. Its own chat's limit (`poll_limit_per_chat`) is counted once the chat is found
    (`may_poll_chat`); a check naming no chat counts against the ordinary per-address limit instead
    (`rate_limit_per_address`), so guessing chat tokens is refused like any other chatter."""
    return hit("poll-address", request.remote_addr or "-")


def may_poll_chat(found: bool, session_key: str) -> bool:
    """True when a check for news that has been read may be answered (see `may_poll`)."""
    if found:
        return hit("poll", session_key)
    return hit("address", request.remote_addr or "-")


def worrying(text: str) -> bool:
    """True when the safeguarding screen finds the text worrying (no database), or when the screen fails."""
    from ... import analysis

    try:
        return bool(analysis.screen(text, directory=current_app.extensions["voice"].conversations_dir).risk)
    except Exception:  # never let a fault in the screen refuse someone who may need help
        log.exception("safeguarding screen failed on a chat message held back by a guard; letting it through")
        return True


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CSRF_SALT)


def csrf_token() -> str:
    """The CSRF token for this browser (making its cookie nonce if it has none yet)."""
    nonce = request.cookies.get(CSRF_COOKIE, "")
    if not _NONCE.match(nonce):
        nonce = g.get("new_csrf_nonce") or secrets.token_urlsafe(24)
        g.new_csrf_nonce = nonce
    return _serializer().dumps(nonce)


def csrf_ok(token: str | None) -> bool:
    """True when the token was issued to this browser by this service."""
    nonce = request.cookies.get(CSRF_COOKIE, "")
    if not token or not nonce or len(token) > 200:
        return False
    max_age = current_app.extensions["voice"].config.webchat.session_max_age_days * 24 * 3600
    try:
        signed = _serializer().loads(token, max_age=max_age)
    except BadData:
        return False
    return isinstance(signed, str) and hmac.compare_digest(signed, nonce)


def said_from_our_page() -> bool | None:
    """Whether the browser says a request came from one of this service's own pages: `Sec-Fetch-Site`, else
    `Origin` against the configured `public_url` or the host it came to; None when it says neither. Another
    site cannot make a browser say so."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site.lower() == "same-origin"
    origin = request.headers.get("Origin")
    if origin is None:
        return None
    return _origin_of(origin) in _our_origins()


def _our_origins() -> set[str]:
    """This service's own origins: the configured `public_url`'s and the host the request came to."""
    ours = {_origin_of(current_app.extensions["voice"].config.app.public_url), _origin_of(request.host_url)}
    return {origin for origin in ours if origin is not None}


def _origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of a URL, lower-cased; None when it has no scheme or host ("null", junk)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin_json() -> bool:
    """True for a JSON request (`Content-Type: application/json`) that no other site could have sent.

    A cross-site page can only send JSON with a CORS preflight, which this service never grants, so a
    JSON request needs no page token, provided any Origin or Referer it carries is our own (the
    configured `public_url`, or the host the request came to). Form posts still need the token.
    """
    if request.mimetype != "application/json":
        return False
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        return False
    ours = _our_origins()
    for header in ("Origin", "Referer"):
        value = request.headers.get(header)
        if value is not None and _origin_of(value) not in ours:
            return False
    return True


def _secure_cookies() -> bool:
    return request.is_secure or current_app.extensions["voice"].config.app.public_url.startswith("https://")


def finish_response(response):
    """Add the strict headers and any new CSRF cookie to a chat response."""
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    nonce = g.get("new_csrf_nonce")
    if nonce:
        days = current_app.extensions["voice"].config.webchat.session_max_age_days
        response.set_cookie(
            CSRF_COOKIE,
            nonce,
            max_age=days * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=_secure_cookies(),
            path="/",
        )
    return response


def set_chat_cookie(response, token: str) -> None:
    """Keep the chat's token on this device, out of reach of scripts."""
    days = current_app.extensions["voice"].config.webchat.session_max_age_days
    response.set_cookie(
        CHAT_COOKIE, token, max_age=days * 24 * 3600, httponly=True, samesite="Lax", secure=_secure_cookies(), path="/"
    )


def forget_device(response) -> None:
    """Remove every trace of the chat this browser holds."""
    response.delete_cookie(CHAT_COOKIE, path="/", samesite="Lax", secure=_secure_cookies(), httponly=True)
    response.delete_cookie(CSRF_COOKIE, path="/", samesite="Lax", secure=_secure_cookies(), httponly=True)
    response.headers["Clear-Site-Data"] = '"cache", "storage"'


def clean_text(value) -> str:
    """The message text, or BadInput: it must be real text, not blank, and not too long (over `MAX_TEXT`
    characters), unless the screen finds it worrying: then its first `MAX_LONG_TEXT` characters."""
    if not isinstance(value, str):
        raise BadInput(400, "text_required", "Send your message as text.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(400, "not_text", refused="not_text") from None
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in value):
        raise BadInput(400, "not_text", refused="not_text")
    text = value.strip()
    # Only spaces and invisible format characters (a zero-width space, a word joiner) is as blank as "   ".
    if not text or all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in text):
        raise BadInput(400, "empty", refused="empty")
    if len(text) > MAX_TEXT:
        # Over the chat's limit: refused, unless it is worrying. Screened first (no database), as a message over
        # a rate limit is (`may_send`): a worrying one goes on down the normal path, stored (its first
        # MAX_LONG_TEXT characters), its alert raised, the help reply sent (trial 8 H6).
        kept = text[:MAX_LONG_TEXT].rstrip()
        if not worrying(kept):
            raise BadInput(413, "too_long", refused="too_long")
        log.warning(
            "a worrying chat message over %s characters goes on: %s characters, %s kept", MAX_TEXT, len(text), len(kept)
        )
        return kept
    return text


def json_body() -> dict:
    """The request's JSON object (an empty body counts as {}), or BadInput."""
    raw = request.get_data(cache=True)
    if not raw:
        return {}
    if not request.is_json:
        raise BadInput(415, "json_required", "Send JSON (Content-Type: application/json).")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadInput(400, "malformed_json", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise BadInput(400, "malformed_json", "The request body must be a JSON object.")
    return body


def client_id(body: dict) -> str | None:
    """The client's own id for a message (used to answer a retry the same way), or BadInput."""
    value = body.get("id")
    if value is None:
        return None
    if not isinstance(value, str) or not CLIENT_ID.match(value):
        raise BadInput(400, "bad_id", "id must be 1-40 letters, digits, '-' or '_'.")
    return value
