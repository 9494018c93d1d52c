"""Accounts, for admins: who can sign in with which roles; add an account, reset its password,
unlock, disable, enable. And, for everyone signed in, "Change your password".

Admins never choose anyone's password here: a new account, or a reset one, gets a random one,
shown once on the page that made it, for the admin to pass on by a safe route; the person
then changes it to their own. A password change or reset ends every other session the
account has open. Every change is audited (never a password).
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlmodel import Session, col, select

from ...accounts import (
    AccountError,
    check_current_password,
    create_user,
    end_session,
    is_locked,
    locked_devices,
    roles_of,
    set_password,
    start_session,
    unlock,
)
from ...accounts.passwords import generate_password, password_problem
from ...models import Role, User, utcnow
from . import bp
from .nav import nav_item
from .security import (
    SESSION_COOKIE,
    audit,
    client_ip,
    current_user,
    device_cookie,
    requires,
    services,
    set_session_cookie,
)
from .words import local_time

nav_item("admin.accounts", "Accounts", roles=(Role.ADMIN,), order=80, active_prefix="admin.account")

ROLE_WORDS = {
    Role.ADMIN: "Admin: accounts and the audit log",
    Role.DUTY: "Duty: safeguarding alerts",
    Role.WORKER: "Participation worker: participants, surveys, rounds, responses, actions, the inbox",
    Role.PANEL: "Panel: summaries only",
}


def _accounts(session: Session) -> list[tuple[User, list[str]]]:
    users = session.exec(select(User).order_by(col(User.email))).all()
    return [(user, sorted(roles_of(session=session, user=user))) for user in users]


def _locks(session: Session, users: list[User], now: datetime) -> dict[int, list[str]]:
    """What is locked, per account id, in the council's words (trial 13, T13-12): a lock from wrong passwords
    on browsers the person has not used does not stop the browsers they have; one of theirs is locked only by
    its own wrong passwords. Either is cleared by Unlock."""
    timezone = services().config.app.timezone
    devices = locked_devices(session=session, now=now)
    locks: dict[int, list[str]] = {}
    for user in users:
        assert user.id is not None
        words = []
        if is_locked(user=user, now=now):
            words.append(
                f"Until {local_time(user.locked_until, timezone)} on browsers they have not signed in on, "
                "after wrong passwords from one. Browsers they have signed in on before still work."
            )
        theirs = devices.get(user.id, [])
        if theirs:
            browsers = "1 browser" if len(theirs) == 1 else f"{len(theirs)} browsers"
            words.append(
                f"Until {local_time(theirs[-1].locked_until, timezone)} on {browsers} they have signed in on, "
                "after wrong passwords there."
            )
        if words:
            locks[user.id] = words
    return locks


def _page(*, errors: dict[str, str] | None = None, made: tuple[str, str, str] | None = None, status: int = 200):
    """The accounts page; `made` is (heading, email, password) for a password shown once."""
    now = utcnow()
    with Session(services().engine) as session:
        accounts = _accounts(session)
        locks = _locks(session, [user for user, _ in accounts], now)
    return render_template(
        "admin/accounts.html",
        accounts=accounts,
        locks=locks,
        errors=errors or {},
        form=request.form if errors else {},
        chosen_roles=request.form.getlist("roles") if errors else [],
        made=made,
        role_words=ROLE_WORDS,
    ), status


@bp.get("/accounts")
@requires(Role.ADMIN)
def accounts():
    """Every account with its roles, last sign-in and whether it is locked or disabled."""
    audit("accounts.view", subject_type="user_list")
    return _page()


@bp.post("/accounts")
@requires(Role.ADMIN)
def add_account():
    """Make an account with a random password, shown once."""
    email = request.form.get("email", "").strip()
    name = request.form.get("name", "").strip()
    roles = [role for role in request.form.getlist("roles") if role in Role.ALL]
    errors = {}
    if not email:
        errors["email"] = "Enter their work email address"
    if not roles:
        errors["roles-admin"] = "Select at least one role"
    if len(name) > 120:
        errors["name"] = "Name must be 120 characters or fewer"
    if errors:
        return _page(errors=errors, status=400)
    password = generate_password()
    with Session(services().engine) as session:
        try:
            user = create_user(session=session, email=email, roles=roles, password=password, name=name)
        except AccountError as problem:
            session.rollback()
            return _page(errors={"email": str(problem)[:1].upper() + str(problem)[1:]}, status=400)
        audit("user.create", subject_type="user", subject_id=user.id, session=session)
        session.commit()
        made = ("Account made", user.email, password)
    return _page(made=made)


def _change(user_id: int, action: str, what: str):
    me = current_user()
    assert me is not None
    with Session(services().engine) as session:
        user = session.get(User, user_id)
        if user is None:
            abort(404)
        if action == "user.unlock":
            unlock(session=session, user=user)
        elif action == "user.disable":
            if user.id == me.id:
                flash("You cannot disable your own account.", "important")
                return redirect(url_for("admin.accounts"), code=303)
            user.active = False
            user.session_epoch += 1  # ends every session they have open
        elif action == "user.enable":
            user.active = True
        session.add(user)
        audit(action, subject_type="user", subject_id=user.id, session=session)
        session.commit()
        flash(f"{user.email} {what}.", "success")
    return redirect(url_for("admin.accounts"), code=303)


@bp.post("/accounts/<int:user_id>/unlock")
@requires(Role.ADMIN)
def unlock_account(user_id: int):
    """Clear a lock-out after too many wrong passwords: the account's and its browsers'."""
    return _change(user_id, "user.unlock", "unlocked")


@bp.post("/accounts/<int:user_id>/disable")
@requires(Role.ADMIN)
def disable_account(user_id: int):
    """Stop an account signing in, and end its sessions now."""
    return _change(user_id, "user.disable", "disabled: they are signed out everywhere")


@bp.post("/accounts/<int:user_id>/enable")
@requires(Role.ADMIN)
def enable_account(user_id: int):
    """Let a disabled account sign in again."""
    return _change(user_id, "user.enable", "can sign in again")


@bp.post("/accounts/<int:user_id>/reset-password")
@requires(Role.ADMIN)
def reset_password(user_id: int):
    """Give someone who forgot their password a random new one, shown once; their sessions end."""
    me = current_user()
    assert me is not None
    with Session(services().engine) as session:
        user = session.get(User, user_id)
        if user is None:
            abort(404)
        if user.id == me.id:
            flash("To change your own password, use Change your password.", "important")
            return redirect(url_for("admin.change_password"), code=303)
        password = generate_password()
        set_password(session=session, user=user, password=password)
        audit("user.password_reset", subject_type="user", subject_id=user.id, session=session)
        session.commit()
        made = ("Password reset", user.email, password)
    return _page(made=made)


# --- Change your password (any signed-in account) ------------------------------------------


def _password_page(*, errors: dict[str, str] | None = None, status: int = 200):
    return render_template("admin/change_password.html", errors=errors or {}), status


@bp.get("/account/password")
@requires()
def change_password():
    """The signed-in person's own password: current one, then the new one twice."""
    return _password_page()


@bp.post("/account/password")
@requires()
def change_password_post():
    """Check the current password, set the new one, and sign out every other session of this account."""
    me = current_user()
    assert me is not None
    current = request.form.get("current-password", "")
    new = request.form.get("new-password", "")
    again = request.form.get("confirm-password", "")
    errors: dict[str, str] = {}
    if not current:
        errors["current-password"] = "Enter your current password"
    if not new:
        errors["new-password"] = "Enter a new password"
    elif password_problem(new):
        errors["new-password"] = str(password_problem(new))
    elif new == current:
        errors["new-password"] = "Your new password must be different from your current password"
    if new and "new-password" not in errors and again != new:
        errors["confirm-password"] = "Enter the same new password twice" if again else "Enter your new password again"
    if "current-password" not in errors:
        with Session(services().engine, expire_on_commit=False) as session:
            user = session.get(User, me.id)
            assert user is not None
            checked = check_current_password(
                session=session,
                user=user,
                password=current,
                device_cookie=device_cookie(),
                secret=current_app.config["SECRET_KEY"],
            )
            if not checked.ok:
                errors["current-password"] = "Your current password is not right"
                audit("user.password_change_failed", subject_type="user", subject_id=user.id, session=session)
                if checked.outcome == "locked":  # someone at this browser is guessing: its session ends
                    end_session(session=session, token=request.cookies.get(SESSION_COOKIE))
                session.commit()
            elif not errors:
                set_password(session=session, user=user, password=new)  # every session of the account ends
                end_session(session=session, token=request.cookies.get(SESSION_COOKIE))
                token = start_session(session=session, user=user, ip=client_ip())  # but this one goes on
                audit("user.password_change", subject_type="user", subject_id=user.id, session=session)
                session.commit()
    if errors:
        order = ("current-password", "new-password", "confirm-password")
        return _password_page(errors={field: errors[field] for field in order if field in errors}, status=400)
    flash("Your password has been changed. Anywhere else you were signed in has been signed out.", "success")
    response = redirect(url_for("admin.home"), code=303)
    set_session_cookie(response, token)
    return response
