"""Dashboard accounts: staff who sign in to `/admin`, their roles, and their signed-in sessions.

Young people never have accounts; these are council staff. A person may hold several roles.
Passwords are kept only as argon2 hashes (see `voice_service.web.admin.passwords`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from ..email_address import normalise_email, valid_email
from .base import UTCDateTime, utcnow

__all__ = ["Role", "StaffSession", "TrustedDevice", "User", "UserRole", "normalise_email", "valid_email"]


class Role:
    """Named roles. admin: accounts and the audit log; duty: alerts and the conversation an alert
    is about; worker: participants, surveys, rounds, responses, actions; panel: summaries only."""

    ADMIN = "admin"
    DUTY = "duty"
    WORKER = "worker"
    PANEL = "panel"
    ALL = (ADMIN, DUTY, WORKER, PANEL)


class User(SQLModel, table=True):
    """A staff account. `failed_logins` counts wrong passwords from browsers the account has not
    signed in on before (and at Change password) since the last good one; `locked_until` is set when
    it reaches the limit, and holds only for such browsers: one it has signed in on counts its own
    (`TrustedDevice`). `session_epoch` is bumped to end every session the person has open (password
    change, reset, `users disable`)."""

    # "user" is reserved in PostgreSQL; a plain name saves quoting in hand-written SQL.
    __tablename__ = "useraccount"
    __table_args__ = (CheckConstraint("failed_logins >= 0", name="ck_useraccount_failed_logins"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(default="", max_length=120)
    password_hash: str = Field(max_length=255)
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_login_ip: str | None = Field(default=None, max_length=45)
    session_epoch: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def display_name(self) -> str:
        """The name to show colleagues (the email when no name was given)."""
        return self.name or self.email


class UserRole(SQLModel, table=True):
    """One role held by one account (a person may hold several)."""

    __table_args__ = (CheckConstraint("role IN ('admin', 'duty', 'worker', 'panel')", name="ck_userrole_role"),)

    user_id: int = Field(foreign_key="useraccount.id", primary_key=True)
    role: str = Field(max_length=10, primary_key=True)


class StaffSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a
    copy of the database cannot be used to sign in. Ended by sign-out, idle time or age."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="useraccount.id", index=True)
    epoch: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ip: str | None = Field(default=None, max_length=45)


class TrustedDevice(SQLModel, table=True):
    """A browser that has signed in to an account (OWASP's "device cookie"). Its cookie holds the account id,
    a random nonce and an HMAC of both under the app's secret key; only the nonce's SHA-256 is stored, and
    nothing about the person or the browser. A sign-in from it is judged by its own `failed_logins` and
    `locked_until`, so an account locked by wrong guesses from elsewhere still opens here (trial 13, T13-12),
    and a browser that guesses wrong too often is locked by its own count."""

    __table_args__ = (CheckConstraint("failed_logins >= 0", name="ck_trusteddevice_failed_logins"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="useraccount.id", index=True)
    nonce_hash: str = Field(max_length=64, unique=True)
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
