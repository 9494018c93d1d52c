"""Staff accounts for the dashboard: creating them, checking passwords, lock-out, trusted browsers, sessions.

Plain functions over a database session (no Flask here): the `users` CLI and the `/admin`
sign-in both use them.
"""

from .devices import DEVICE_TRUST, locked_devices
from .passwords import hash_password, needs_rehash, verify_password
from .service import (
    DISCLOSURE_ROLES,
    LOCK_MINUTES,
    MAX_FAILED_LOGINS,
    WITHHELD_DISCLOSURE,
    WITHHELD_UNREAD,
    AccountError,
    LoginResult,
    authenticate,
    check_current_password,
    create_user,
    disclosure_words,
    display_names,
    find_user,
    is_locked,
    may_open_thread,
    may_see_disclosure,
    roles_of,
    set_password,
    unlock,
    users_with_role,
    withholds,
)
from .sessions import ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, end_session, session_user, start_session

__all__ = [
    "ABSOLUTE_TIMEOUT",
    "DEVICE_TRUST",
    "DISCLOSURE_ROLES",
    "IDLE_TIMEOUT",
    "LOCK_MINUTES",
    "MAX_FAILED_LOGINS",
    "WITHHELD_DISCLOSURE",
    "WITHHELD_UNREAD",
    "AccountError",
    "LoginResult",
    "authenticate",
    "check_current_password",
    "create_user",
    "disclosure_words",
    "display_names",
    "end_session",
    "find_user",
    "is_locked",
    "locked_devices",
    "may_open_thread",
    "may_see_disclosure",
    "hash_password",
    "needs_rehash",
    "roles_of",
    "session_user",
    "set_password",
    "start_session",
    "unlock",
    "users_with_role",
    "verify_password",
    "withholds",
]
