"""Signed-in sessions, kept in the database so sign-out really ends them and timeouts hold.

The browser holds a random token; the database holds only its SHA-256. A session ends when
it has been idle too long, when it is too old whatever its use, at sign-out, or when the
account's `session_epoch` moves on (password change or reset, disable). The account's lock-out does not end
it: that lock holds for browsers the account has not signed in on, and every session is on one it has (an
outsider's wrong guesses must not sign the duty worker out; trial 13, T13-12). Wrong guesses at Change
password end that one session (`web.admin.accounts`).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from ..models import StaffSession, User, utcnow

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
# Writing last_seen on every request would make each page a write; once a minute is enough.
TOUCH_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(*, session: Session, user: User, ip: str | None = None, now: datetime | None = None) -> str:
    """Open a session for a signed-in account; returns the token for the cookie. Clears its stale ones."""
    now = now or utcnow()
    session.exec(
        delete(StaffSession).where(
            col(StaffSession.user_id) == user.id,
            (col(StaffSession.last_seen_at) < now - IDLE_TIMEOUT)
            | (col(StaffSession.created_at) < now - ABSOLUTE_TIMEOUT),
        )
    )
    token = secrets.token_urlsafe(32)
    assert user.id is not None
    session.add(
        StaffSession(
            token_hash=_hash(token), user_id=user.id, epoch=user.session_epoch, created_at=now, last_seen_at=now, ip=ip
        )
    )
    session.flush()
    return token


def session_user(
    *, session: Session, token: str | None, now: datetime | None = None
) -> tuple[User, StaffSession] | None:
    """The account and session a cookie token belongs to, or None when it has ended (and it is removed)."""
    if not token or len(token) > 100:
        return None
    now = now or utcnow()
    found = session.exec(select(StaffSession).where(col(StaffSession.token_hash) == _hash(token))).first()
    if found is None:
        return None
    user = session.get(User, found.user_id)
    expired = now - found.last_seen_at > IDLE_TIMEOUT or now - found.created_at > ABSOLUTE_TIMEOUT
    if user is None or not user.active or expired or found.epoch != user.session_epoch:
        session.delete(found)
        session.flush()
        return None
    if now - found.last_seen_at >= TOUCH_EVERY:
        found.last_seen_at = now
        session.add(found)
        session.flush()
    return user, found


def end_session(*, session: Session, token: str | None) -> None:
    """Sign out: the session's row is removed, so the cookie is worthless even if kept."""
    if token:
        session.exec(delete(StaffSession).where(col(StaffSession.token_hash) == _hash(token)))
        session.flush()
