"""The dashboard's guards: who is signed in, `@requires(role)`, CSRF on every form, strict headers.

- Sessions live in the database (`voice_service.accounts.sessions`); the cookie holds only a
  random token, HttpOnly, SameSite=Lax, Secure whenever `public_url` is https.
- A browser that has signed in keeps a device cookie (`voice_service.accounts.devices`): HttpOnly,
  SameSite=Strict (only the dashboard's own forms need it), Secure likewise, kept for DEVICE_TRUST.
- CSRF is a signed double-submit, as in the web chat: a random nonce in an HttpOnly cookie,
  and in each form the nonce signed with the app's secret key (field `csrf_token`, or the
  `X-CSRF-Token` header). Every POST to `/admin` is checked before its view runs, so a new
  form is protected without doing anything; templates add `{{ csrf_field() }}`.
- The CSP allows nothing but this service's own files: no inline script, no CDN.
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g, redirect, request, url_for
from itsdangerous import BadData, URLSafeTimedSerializer
from markupsafe import Markup
from sqlmodel import Session

from ...accounts import DEVICE_TRUST, end_session, roles_of, session_user
from ...audit import record
from ...config import Config
from ...models import User

SESSION_COOKIE = "voice_admin"
DEVICE_COOKIE = "voice_admin_device"
CSRF_COOKIE = "voice_admin_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
CSRF_SALT = "voice-service.admin-csrf"
CSRF_MAX_AGE = 12 * 3600
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Pages show young people's words and details: never keep them in a shared cache or Back history.
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Robots-Tag": "noindex, nofollow",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

F = TypeVar("F", bound=Callable[..., Any])


def services():
    """The app's services (config, engine, vault)."""
    return current_app.extensions["voice"]


def live_config() -> Config:
    """The app's settings, with the send windows (`[schedule]` weekday_window, weekend_window, school_hours,
    reply_hours) as its config file says now: a change to them is picked up without a restart, by the same
    `scheduler.config_watch` the running scheduler uses, so the pages that describe the windows (a launch's
    and a close's check, a round's "waiting for the send window", the inbox's reply timing) agree with what
    it sends by. Every other key is as when `serve` started."""
    return current_app.extensions["voice_config_watch"].current()


def secure_cookies() -> bool:
    """Cookies are Secure when the service is public over https (or this request came over https)."""
    return request.is_secure or services().config.app.public_url.startswith("https://")


def client_ip() -> str | None:
    """Where the request came from (ProxyFix has already applied any trusted proxy's header)."""
    return request.remote_addr


# --- who is signed in -------------------------------------------------------------------------


def load_user() -> None:
    """Before each dashboard request: find the signed-in account, if any, and its roles."""
    g.user = None
    g.roles = frozenset()
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return
    with Session(services().engine, expire_on_commit=False) as session:
        found = session_user(session=session, token=token)
        if found is not None:
            g.user = found[0]
            g.roles = roles_of(session=session, user=found[0])
        else:
            g.clear_session_cookie = True
        session.commit()


def current_user() -> User | None:
    """The signed-in account, or None."""
    return g.get("user")


def current_roles() -> frozenset[str]:
    """The roles the signed-in account holds (none when nobody is signed in)."""
    return g.get("roles", frozenset())


def has_role(*roles: str) -> bool:
    """True when the signed-in account holds any of these roles."""
    return bool(g.get("roles", frozenset()) & set(roles))


def requires(*roles: str) -> Callable[[F], F]:
    """Only for signed-in accounts holding at least one of these roles (403 otherwise).

    With no roles, any signed-in account may see the page. Someone not signed in is sent
    to the sign-in page and brought back afterwards.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args, **kwargs):
            if current_user() is None:
                return redirect(url_for("admin.sign_in", next=request.full_path.rstrip("?")))
            if roles and not has_role(*roles):
                audit("access.denied", subject_type="page", subject_id=request.endpoint.replace(".", "-"))
                abort(403)
            return view(*args, **kwargs)

        guarded.required_roles = frozenset(roles)  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


def public(view: F) -> F:
    """Mark a dashboard view as open without signing in (only the sign-in page itself)."""
    view.required_roles = None  # type: ignore[attr-defined]
    return view


def audit(action: str, *, subject_type: str | None = None, subject_id: int | str | None = None, session=None) -> None:
    """Record a view or change by the signed-in account, from this request's address.

    Pass the request's database `session` to write the row in the same transaction as a change;
    without one, the row is written in its own transaction (for views).
    """
    actor = current_user() or "anonymous"
    if session is not None:
        record(
            session=session,
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            ip=client_ip(),
        )
        return
    with Session(services().engine) as own:
        record(
            session=own, actor=actor, action=action, subject_type=subject_type, subject_id=subject_id, ip=client_ip()
        )
        own.commit()


def set_session_cookie(response, token: str) -> None:
    """Keep the session token in a cookie scripts cannot read; it lasts until the browser closes."""
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="Lax", secure=secure_cookies(), path="/admin")


def device_cookie() -> str | None:
    """The device cookie this browser shows, if any (checked by `accounts.authenticate`, not here)."""
    return request.cookies.get(DEVICE_COOKIE)


def set_device_cookie(response, value: str) -> None:
    """Mark this browser as one the account has signed in on; it outlasts the browser and signing out."""
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        httponly=True,
        samesite="Strict",
        secure=secure_cookies(),
        path="/admin",
        max_age=int(DEVICE_TRUST.total_seconds()),
    )


def sign_out(response) -> None:
    """End this browser's session on the server and forget its cookie."""
    with Session(services().engine) as session:
        end_session(session=session, token=request.cookies.get(SESSION_COOKIE))
        session.commit()
    response.delete_cookie(SESSION_COOKIE, path="/admin", samesite="Lax", secure=secure_cookies(), httponly=True)


# --- CSRF -------------------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CSRF_SALT)


def csrf_token() -> str:
    """The CSRF token for this browser (making its cookie nonce if it has none yet)."""
    nonce = request.cookies.get(CSRF_COOKIE, "")
    if not _NONCE.match(nonce):
        nonce = g.get("new_csrf_nonce") or secrets.token_urlsafe(24)
        g.new_csrf_nonce = nonce
    return _serializer().dumps(nonce)


def csrf_field() -> Markup:
    """The hidden form field carrying the CSRF token: put `{{ csrf_field() }}` in every form."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, csrf_token())


def csrf_ok() -> bool:
    """True when this request carries a CSRF token issued to this browser by this service."""
    token = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    nonce = request.cookies.get(CSRF_COOKIE, "")
    if not token or not nonce or len(token) > 200:
        return False
    try:
        signed = _serializer().loads(token, max_age=CSRF_MAX_AGE)
    except BadData:
        return False
    return isinstance(signed, str) and hmac.compare_digest(signed, nonce)


def check_csrf() -> None:
    """Before each state-changing dashboard request: refuse it (400) without a valid CSRF token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if not csrf_ok():
        audit("access.csrf_refused", subject_type="page", subject_id=(request.endpoint or "unknown").replace(".", "-"))
        abort(400, description="csrf")


def finish_response(response):
    """After each dashboard response: strict headers, any new CSRF nonce, and a dead session cookie dropped."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    nonce = g.get("new_csrf_nonce")
    if nonce:
        response.set_cookie(
            CSRF_COOKIE, nonce, httponly=True, samesite="Lax", secure=secure_cookies(), path="/", max_age=CSRF_MAX_AGE
        )
    if g.get("clear_session_cookie"):
        response.delete_cookie(SESSION_COOKIE, path="/admin", samesite="Lax", secure=secure_cookies(), httponly=True)
    return response
