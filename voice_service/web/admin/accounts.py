"""Accounts, for admins: who can sign in with which roles; add an account, unlock, disable.

Passwords are never chosen here: a new account gets a random one, shown once on the page
that made it, for the admin to pass on by a safe route. Every change is audited.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import Session, col, select

from ...accounts import AccountError, create_user, roles_of, unlock
from ...accounts.passwords import generate_password
from ...models import Role, User, utcnow
from . import bp
from .nav import nav_item
from .security import audit, current_user, requires, services

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


def _page(*, errors: dict[str, str] | None = None, made: tuple[str, str] | None = None, status: int = 200):
    with Session(services().engine) as session:
        accounts = _accounts(session)
    return render_template(
        "admin/accounts.html",
        accounts=accounts,
        errors=errors or {},
        form=request.form if errors else {},
        chosen_roles=request.form.getlist("roles") if errors else [],
        made=made,
        role_words=ROLE_WORDS,
        now=utcnow(),
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
        made = (user.email, password)
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
    """Clear a lock-out after too many wrong passwords."""
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
