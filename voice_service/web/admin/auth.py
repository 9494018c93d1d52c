"""Signing in and out of the dashboard.

Wrong email, wrong password, a locked or disabled account: all get the same words and take
the same time (see `accounts.authenticate`), so the page never says which emails exist.
A good sign-in gives the browser a device cookie: from then on its own wrong passwords are what can
lock it, not an outsider's guesses at the same email (trial 13, T13-12).
Besides each account's lock-out, one address may fail to sign in only so often (someone trying
many emails from one place): counted with `limits`, flask-limiter's library, in the same store
as the chat's limits (`[webchat] rate_limit_storage`).
"""

from __future__ import annotations

import logging

from flask import current_app, redirect, render_template, request, url_for
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlmodel import Session

from ...accounts import LOCK_MINUTES, MAX_FAILED_LOGINS, authenticate, start_session
from ...audit import record
from . import bp
from .security import (
    client_ip,
    current_user,
    device_cookie,
    public,
    services,
    set_device_cookie,
    set_session_cookie,
    sign_out,
)

# The same words whatever went wrong, so nobody learns which emails have accounts; they say how a locked account
# is opened at once, for a duty worker on call whose right password is refused (trial 13, T13-12), and that
# a browser they have signed in on before is locked only by its own wrong tries.
SIGN_IN_PROBLEM = (
    "Enter a correct email address and password. "
    f"After {MAX_FAILED_LOGINS} wrong tries an account is locked for {LOCK_MINUTES} minutes, "
    "but a browser it has signed in on before is locked only by its own wrong tries: "
    "an admin can unlock it at once on the Accounts page."
)

# A blank field is said by name, as GOV.UK forms do (nothing about any account is told by it).
ENTER_EMAIL = "Enter your email address"
ENTER_PASSWORD = "Enter your password"

# Failed sign-ins from one address, whatever the emails (the office shares one address, so generous).
FAILED_SIGN_INS_PER_ADDRESS = "30 per 10 minutes"
SIGN_IN_LIMIT = parse(FAILED_SIGN_INS_PER_ADDRESS)
TOO_MANY = "There have been too many wrong sign-ins from your network. Wait 10 minutes, then try again."
log = logging.getLogger(__name__)


def _attempts() -> MovingWindowRateLimiter:
    """This app's counter of failed sign-ins per address (made on first use)."""
    found = current_app.extensions.get("voice_admin_sign_in")
    if found is None:
        storage = storage_from_string(services().config.webchat.rate_limit_storage)
        found = current_app.extensions["voice_admin_sign_in"] = MovingWindowRateLimiter(storage)
    return found


def _address_blocked(ip: str) -> bool:
    """True when this address has used up its failed sign-ins (if the store is down, let people try)."""
    try:
        return not _attempts().test(SIGN_IN_LIMIT, "admin-sign-in", ip)
    except Exception:  # a store outage must not lock the duty team out; the account lock-out still holds
        log.warning("sign-in rate limit store unavailable; not counting")
        return False


def _count_failure(ip: str) -> None:
    try:
        _attempts().hit(SIGN_IN_LIMIT, "admin-sign-in", ip)
    except Exception:
        log.warning("sign-in rate limit store unavailable; not counting")


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a dashboard path on this site, never another site."""
    if target and target.startswith("/admin") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("admin.home")


@bp.get("/sign-in")
@public
def sign_in():
    """The sign-in form (straight on to the dashboard when already signed in)."""
    if current_user() is not None:
        return redirect(safe_next(request.args.get("next")))
    return render_template("admin/sign_in.html", next=request.args.get("next", ""), email="", error=None)


@bp.post("/sign-in")
@public
def sign_in_post():
    """Check the email and password; start a session, or say (the same way every time) that it failed."""
    email = request.form.get("email", "")
    password = request.form.get("password", "")
    target = safe_next(request.form.get("next"))
    ip = client_ip() or "unknown"
    if _address_blocked(ip):
        with Session(services().engine) as session:
            record(session=session, actor="anonymous", action="auth.rate_limited", ip=client_ip())
            session.commit()
        return render_template("admin/sign_in.html", next=target, email="", error=TOO_MANY), 429
    blank = {
        name: words
        for name, value, words in (("email", email, ENTER_EMAIL), ("password", password, ENTER_PASSWORD))
        if not isinstance(value, str) or not value.strip()
    }
    if blank:
        # Not a wrong password: nothing is tried, counted towards a lock-out or audited.
        shown_email = email if isinstance(email, str) and len(email) <= 254 else ""
        return render_template("admin/sign_in.html", next=target, email=shown_email, error=None, blank=blank), 400
    with Session(services().engine, expire_on_commit=False) as session:
        result = authenticate(
            session=session,
            email=email,
            password=password,
            ip=client_ip(),
            device_cookie=device_cookie(),
            secret=current_app.config["SECRET_KEY"],
        )
        if result.ok:
            assert result.user is not None
            token = start_session(session=session, user=result.user, ip=client_ip())
            record(session=session, actor=result.user, action="auth.sign_in", ip=client_ip())
        else:
            account = result.account
            action = "auth.locked" if result.outcome == "locked" else "auth.sign_in_failed"
            record(
                session=session,
                actor=account or "anonymous",
                action=action,
                subject_type="user" if account else None,
                subject_id=account.id if account else None,
                ip=client_ip(),
            )
        session.commit()
    if not result.ok:
        _count_failure(ip)
        shown_email = email if isinstance(email, str) and len(email) <= 254 else ""
        return render_template("admin/sign_in.html", next=target, email=shown_email, error=SIGN_IN_PROBLEM), 401
    response = redirect(target, code=303)
    set_session_cookie(response, token)
    if result.device_cookie:
        set_device_cookie(response, result.device_cookie)  # again for a known browser: its time runs afresh
    return response


@bp.post("/sign-out")
@public
def sign_out_post():
    """End this session on the server and in the browser."""
    user = current_user()
    if user is not None:
        with Session(services().engine) as session:
            record(session=session, actor=user, action="auth.sign_out", ip=client_ip())
            session.commit()
    response = redirect(url_for("admin.sign_in", signed_out=1), code=303)
    sign_out(response)
    return response
