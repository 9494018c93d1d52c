"""Device cookies: the browsers an account has signed in on, so that wrong guesses from elsewhere cannot lock
its owner out (OWASP, "Slow down online guessing attacks with device cookies"; trial 13, T13-12).

After a good sign-in the browser is given a cookie `<account id>.<nonce>.<HMAC>`: the account's number, a random
nonce and an HMAC-SHA256 of both under the app's secret key. It names no one. The database keeps the nonce's
SHA-256 only (`TrustedDevice`), with that browser's own count of wrong passwords. A cookie is trusted only when
its HMAC is right, it is for the account being signed in to, its row is still there and it has been used within
DEVICE_TRUST; anything else (forged, another account's, forgotten) is treated as no cookie at all.

Plain functions over a database session; the secret is passed in, so there is no Flask here.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from ..models import TrustedDevice, User

# A browser not used to sign in for this long is a stranger again (its row is removed at the account's next
# good sign-in); the cookie is kept by the browser as long.
DEVICE_TRUST = timedelta(days=180)
_LABEL = b"voice-service.admin-device\x00"  # so no other HMAC under the same key can pass for a device cookie
_COOKIE = re.compile(r"^([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{32})\.([0-9a-f]{64})$")


def _key(secret: str | bytes) -> bytes:
    return secret.encode("utf-8") if isinstance(secret, str) else secret


def _signature(secret: str | bytes, user_id: int, nonce: str) -> str:
    return hmac.new(_key(secret), _LABEL + f"{user_id}.{nonce}".encode("ascii"), hashlib.sha256).hexdigest()


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode("ascii")).hexdigest()


def issue_device(*, session: Session, user: User, secret: str | bytes, now: datetime) -> str:
    """Trust the browser that has just signed in: its row, and the cookie value to give it. Forgets the
    account's browsers not used within DEVICE_TRUST."""
    assert user.id is not None
    session.exec(
        delete(TrustedDevice).where(
            col(TrustedDevice.user_id) == user.id, col(TrustedDevice.last_used_at) < now - DEVICE_TRUST
        )
    )
    nonce = secrets.token_urlsafe(24)  # 32 characters
    session.add(TrustedDevice(user_id=user.id, nonce_hash=_hash(nonce), created_at=now, last_used_at=now))
    session.flush()
    return f"{user.id}.{nonce}.{_signature(secret, user.id, nonce)}"


def trusted_device(
    *, session: Session, user: User, cookie: str | None, secret: str | bytes | None, now: datetime
) -> TrustedDevice | None:
    """The trusted browser this cookie proves for this account, or None (no cookie, a forged or altered one,
    another account's, one forgotten or unused for DEVICE_TRUST). Its lock is not looked at here."""
    if not cookie or not secret or not isinstance(cookie, str):
        return None
    found = _COOKIE.match(cookie)
    if found is None:
        return None
    user_id, nonce, signature = int(found.group(1)), found.group(2), found.group(3)
    if not hmac.compare_digest(signature, _signature(secret, user_id, nonce)) or user_id != user.id:
        return None
    device = session.exec(
        select(TrustedDevice).where(
            col(TrustedDevice.nonce_hash) == _hash(nonce), col(TrustedDevice.user_id) == user.id
        )
    ).first()
    if device is None or now - device.last_used_at > DEVICE_TRUST:
        return None
    return device


def devices_of(*, session: Session, user: User) -> list[TrustedDevice]:
    """Every browser this account has signed in on (for unlocking them all)."""
    return list(session.exec(select(TrustedDevice).where(col(TrustedDevice.user_id) == user.id)).all())


def locked_devices(*, session: Session, now: datetime) -> dict[int, list[TrustedDevice]]:
    """The browsers locked now by their own wrong passwords, by account id (for the Accounts page and `users list`)."""
    rows = session.exec(
        select(TrustedDevice).where(col(TrustedDevice.locked_until) > now).order_by(col(TrustedDevice.locked_until))
    ).all()
    found: dict[int, list[TrustedDevice]] = {}
    for device in rows:
        found.setdefault(device.user_id, []).append(device)
    return found
