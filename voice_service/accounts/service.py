"""Accounts: create, find, check a password with lock-out (by account and by trusted browser), unlock, list by role."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlmodel import Session, col, select

from ..models import Role, User, UserRole, normalise_email, utcnow, valid_email
from .devices import devices_of, issue_device, trusted_device
from .passwords import dummy_hash, hash_password, needs_rehash, password_problem, verify_password

MAX_FAILED_LOGINS = 10
LOCK_MINUTES = 30
# Who may read the words of a message flagged as a safeguarding risk: the duty team, who are the ones who
# see alerts (the alert pages are for these roles alone; tests/admin/test_disclosure_withheld.py keeps them
# in step). Everyone else sees the row with WITHHELD_DISCLOSURE in place of the words.
DISCLOSURE_ROLES = (Role.DUTY,)
WITHHELD_DISCLOSURE = "Withheld: safeguarding disclosure \u2014 the duty team holds this"
# In place of words flagged only because the screen could not read them (not in English: `Response.unread`).
WITHHELD_UNREAD = "Withheld: not in English, flagged for a person to read \u2014 the duty team holds this"


class AccountError(ValueError):
    """An account that cannot be made or changed as asked, with a message for the person."""


@dataclass(frozen=True)
class LoginResult:
    """What a sign-in attempt found. `user` is set only when it succeeded; `outcome` is one of
    ok | wrong (no such account, or wrong password) | locked | disabled. Pages must show the
    same words for every outcome but ok, so nobody learns which emails have accounts."""

    outcome: str
    user: User | None = None
    account: User | None = None  # the account the email named, for the audit log, whatever the outcome
    device_cookie: str | None = None  # on ok: the device cookie to give the browser (`devices`)

    @property
    def ok(self) -> bool:
        """True when the person is signed in."""
        return self.outcome == "ok"


def find_user(*, session: Session, email: str) -> User | None:
    """The account for an email address, however it was capitalised."""
    return session.exec(select(User).where(col(User.email) == normalise_email(email))).first()


def display_names(*, session: Session, emails: Iterable[str | None]) -> dict[str, str]:
    """The names colleagues see (`User.display_name`: the email when no name was given) for the accounts
    these emails belong to, by the email as given; one that is no account's (a name typed on the command
    line, a deleted account) stands as it is. The one way a page or command names a member of staff."""
    wanted = {email for email in emails if email}
    if not wanted:
        return {}
    normal = {email: normalise_email(email) for email in wanted}
    found = {
        user.email: user.display_name
        for user in session.exec(select(User).where(col(User.email).in_(set(normal.values())))).all()
    }
    return {email: found.get(normal[email], email) for email in wanted}


def may_open_thread(roles: Iterable[str], *, live_alert: bool) -> bool:
    """The one rule for who may open a young person's inbox thread: a worker any thread; the duty team
    only one whose young person has a live alert. The dashboard checks it on every visit
    (`web.admin.inbox`), and closing an alert hands back a thread its taker can no longer open
    (`safeguarding.alerts.close`)."""
    roles = set(roles)
    return Role.WORKER in roles or (Role.DUTY in roles and live_alert)


def may_see_disclosure(roles: Iterable[str]) -> bool:
    """The one rule for who may read a safeguarding disclosure (a response flagged as a risk): the duty team,
    as for alerts. The Responses page, its search, its downloads and one answer's page all ask it."""
    return bool(set(roles) & set(DISCLOSURE_ROLES))


def withholds(*, risk: bool, may_see: bool) -> bool:
    """True when a response is withheld from this member of staff: flagged (a safeguarding disclosure, or words
    the screen could not read) and they may not see it (`may_see_disclosure`). Nothing of it is shown then: not its
    words (`disclosure_words`), nor its themes, feeling, risk categories or a correction of them; only that the
    duty team holds it."""
    return risk and not may_see


def disclosure_words(words: str, *, risk: bool, may_see: bool, unread: bool = False) -> str:
    """What a member of staff is shown of a response's words: the words, unless they are a safeguarding
    disclosure (`risk`) that they may not see (`may_see`: `may_see_disclosure`), then WITHHELD_DISCLOSURE.

    `unread`: flagged only because the screen could not read the words (not in English: `Response.unread`).
    They are withheld alike, as no screen has read them and they may be a disclosure (a Welsh "he hits me"
    raises only this flag), but under WITHHELD_UNREAD, which calls them what they are, not a disclosure."""
    if not withholds(risk=risk, may_see=may_see):
        return words
    return WITHHELD_UNREAD if unread else WITHHELD_DISCLOSURE


def roles_of(*, session: Session, user: User) -> frozenset[str]:
    """The roles an account holds."""
    rows = session.exec(select(UserRole.role).where(col(UserRole.user_id) == user.id)).all()
    return frozenset(rows)


def users_with_role(*, session: Session, role: str, active_only: bool = True) -> list[User]:
    """Accounts holding a role (e.g. the duty team, for handing an alert over), by name."""
    query = select(User).join(UserRole, col(UserRole.user_id) == col(User.id)).where(col(UserRole.role) == role)
    if active_only:
        query = query.where(col(User.active).is_(True))
    return sorted(session.exec(query).all(), key=lambda user: user.display_name.lower())


def create_user(
    *, session: Session, email: str, roles: list[str] | tuple[str, ...], password: str, name: str = ""
) -> User:
    """Make an account with these roles. Refuses a bad or taken email, an unknown role or a weak password."""
    email = normalise_email(email)
    if not valid_email(email):
        raise AccountError(f"{email!r} is not an email address")
    if not roles:
        raise AccountError(f"give at least one role: {', '.join(Role.ALL)}")
    unknown = sorted(set(roles) - set(Role.ALL))
    if unknown:
        raise AccountError(f"unknown role {', '.join(unknown)}; roles are {', '.join(Role.ALL)}")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    if find_user(session=session, email=email) is not None:
        raise AccountError(f"there is already an account for {email}")
    user = User(email=email, name=name.strip()[:120], password_hash=hash_password(password))
    session.add(user)
    session.flush()
    assert user.id is not None
    for role in sorted(set(roles)):
        session.add(UserRole(user_id=user.id, role=role))
    session.flush()
    return user


def set_password(*, session: Session, user: User, password: str) -> None:
    """Give an account a new password, end every session it has open and clear any lock-out, its own
    and its browsers' (the wrong guesses were against the old password). Refuses a password `users add`
    would refuse."""
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    user.session_epoch += 1
    unlock(session=session, user=user)


class _Counted(Protocol):
    """What counts wrong passwords: an account (for browsers it has not signed in on) or a trusted browser."""

    failed_logins: int
    locked_until: datetime | None


def _locked(counter: _Counted, now: datetime) -> bool:
    return counter.locked_until is not None and counter.locked_until > now


def _count_wrong(counter: _Counted, now: datetime) -> None:
    """The one lock-out rule: MAX_FAILED_LOGINS wrong passwords in a row lock for LOCK_MINUTES (and, the count
    staying at the limit, the next wrong one after the lock ends locks again)."""
    counter.failed_logins += 1
    if counter.failed_logins >= MAX_FAILED_LOGINS:
        counter.locked_until = now + timedelta(minutes=LOCK_MINUTES)


def _clear(counter: _Counted) -> None:
    counter.failed_logins = 0
    counter.locked_until = None


def check_current_password(
    *,
    session: Session,
    user: User,
    password: str,
    device_cookie: str | None = None,
    secret: str | bytes | None = None,
    now: datetime | None = None,
) -> LoginResult:
    """For a signed-in person changing their password: ok when `password` is their current one.

    A wrong one counts towards the account's lock-out (as a sign-in from a browser it has not signed in on
    does) and towards this browser's own, if it is a trusted one: someone at a browser left signed in is not
    a stranger guessing from afar, so they lock the account for new browsers and this one too. `locked` when
    the count that judges this browser has reached the limit: the caller ends the session. The caller commits.
    """
    now = now or utcnow()
    if verify_password(user.password_hash, password):
        return LoginResult("ok", user=user, account=user)
    device = trusted_device(session=session, user=user, cookie=device_cookie, secret=secret, now=now)
    _count_wrong(user, now)
    session.add(user)
    if device is not None:
        _count_wrong(device, now)
        session.add(device)
    session.flush()
    return LoginResult("locked" if _locked(device or user, now) else "wrong", account=user)


def unlock(*, session: Session, user: User) -> None:
    """Clear a lock-out, the account's and every one of its browsers' (an admin's decision, after checking
    with the person)."""
    _clear(user)
    session.add(user)
    for device in devices_of(session=session, user=user):
        _clear(device)
        session.add(device)
    session.flush()


def is_locked(*, user: User, now: datetime) -> bool:
    """True while wrong guesses from browsers the account has not signed in on keep it locked to such browsers."""
    return _locked(user, now)


def authenticate(
    *,
    session: Session,
    email: str,
    password: str,
    ip: str | None = None,
    device_cookie: str | None = None,
    secret: str | bytes | None = None,
    now: datetime | None = None,
) -> LoginResult:
    """Check an email and password, counting failures and locking at the limit.

    Whose failures they are depends on the browser. One showing a device cookie this account gave it
    (`devices`, under `secret`) is judged by its own count alone: the account's lock does not stop it, and its
    wrong passwords lock only itself. Any other browser is judged by the account's count, which only such
    browsers (and Change password) raise. So an outsider who knows an email and fails on purpose locks out
    strangers, not the owner (trial 13, T13-12). A good sign-in clears the count it was judged by and, given
    the `secret`, the result carries the device cookie to give the browser (a new one when it had none).

    Every path verifies one argon2 hash (a dummy one for unknown emails), so an attacker
    cannot tell from the time taken whether an email has an account. The caller commits.
    """
    now = now or utcnow()
    user = find_user(session=session, email=email) if isinstance(email, str) else None
    if user is None:
        verify_password(dummy_hash(), password)
        return LoginResult("wrong")
    matches = verify_password(user.password_hash, password)
    device = trusted_device(session=session, user=user, cookie=device_cookie, secret=secret, now=now)
    counter: _Counted = device if device is not None else user
    if _locked(counter, now):
        return LoginResult("locked", account=user)
    if not user.active:
        return LoginResult("disabled", account=user)
    if not matches:
        _count_wrong(counter, now)
        session.add(counter)
        session.flush()
        return LoginResult("locked" if _locked(counter, now) else "wrong", account=user)
    _clear(counter)
    user.last_login_at = now
    user.last_login_ip = ip
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.add(user)
    cookie = None
    if device is not None:
        device.last_used_at = now
        session.add(device)
        cookie = device_cookie
    elif secret:
        cookie = issue_device(session=session, user=user, secret=secret, now=now)
    session.flush()
    return LoginResult("ok", user=user, account=user, device_cookie=cookie)
