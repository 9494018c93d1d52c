"""`voice-service users add|list|set-password|unlock|disable|enable`: dashboard accounts (the first admin too)."""

from __future__ import annotations

import sys

import click
from sqlmodel import col, select

from ..accounts import (
    AccountError,
    create_user,
    find_user,
    is_locked,
    locked_devices,
    roles_of,
    set_password,
    unlock,
)
from ..accounts.passwords import generate_password, password_problem
from ..db import session_scope
from ..models import Role, User, utcnow
from . import AppState, pass_state
from .audited import audit


def _at_terminal() -> bool:
    """True when a person is typing (so a password can be asked for without echo)."""
    return sys.stdin.isatty()


@click.group()
def users() -> None:
    """Dashboard accounts: admin, duty, worker and panel."""


@users.command("add")
@click.option("--email", required=True, help="The person's work email; they sign in with it.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(Role.ALL),
    help="admin (accounts, audit log), duty (alerts), worker (participants, rounds, responses), "
    "panel (summaries only). Repeat for several.",
)
@click.option("--name", default="", help="The name colleagues see (default: the email).")
@click.option(
    "--generate-password",
    "generate",
    is_flag=True,
    help="Make a random password and print it once (the default when not at a terminal).",
)
@pass_state
def users_add(state: AppState, email: str, roles: tuple[str, ...], name: str, generate: bool) -> None:
    """Create an account. Asks for the password twice, or generates one and prints it once."""
    services = state.services()
    if generate or not _at_terminal():
        password = generate_password()
        shown = True
    else:
        while True:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
            problem = password_problem(password)
            if problem is None:
                break
            click.echo(problem, err=True)
        shown = False
    try:
        with session_scope(services.engine) as session:
            user = create_user(session=session, email=email, roles=list(roles), password=password, name=name)
            audit(session, "user.create", subject_type="user", subject_id=user.id)
            email, user_id = user.email, user.id
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"account {user_id} made for {email} with role{'s' if len(roles) > 1 else ''} {', '.join(sorted(set(roles)))}"
    )
    if shown:
        click.echo(f"password (shown once; they should keep it safe): {password}")
    public_url = str(services.config.as_dict()["app"]["public_url"])
    click.echo(f"sign in at {public_url.rstrip('/')}/admin/sign-in")


@users.command("list")
@pass_state
def users_list(state: AppState) -> None:
    """Every account: email, name, roles, last sign-in, and whether it is locked or disabled.

    An account locked by wrong passwords is locked only for browsers it has not signed in on; a browser it
    has signed in on is locked only by its own (listed as "N browser(s) locked")."""
    services = state.services()
    now = utcnow()
    with session_scope(services.engine) as session:
        accounts = session.exec(select(User).order_by(col(User.email))).all()
        devices = locked_devices(session=session, now=now)
        if not accounts:
            click.echo("no accounts yet: make the first admin with `voice-service users add --email E --role admin`")
        if accounts:
            click.echo(f"{'id':<5} {'email':<40} {'name':<24} {'roles':<24} last sign-in")
        for user in accounts:
            roles = ",".join(sorted(roles_of(session=session, user=user)))
            last = f"{user.last_login_at:%Y-%m-%d %H:%M}" if user.last_login_at else "never"
            flags = []
            if not user.active:
                flags.append("disabled")
            if user.locked_until is not None and is_locked(user=user, now=now):
                flags.append(f"locked until {user.locked_until:%Y-%m-%d %H:%M} UTC for new browsers")
            theirs = devices.get(user.id or 0, [])
            if theirs and theirs[-1].locked_until is not None:
                browsers = "1 browser" if len(theirs) == 1 else f"{len(theirs)} browsers"
                flags.append(f"{browsers} locked until {theirs[-1].locked_until:%Y-%m-%d %H:%M} UTC")
            name = user.display_name  # the email when no name was given, as `users add --help` says
            click.echo(
                f"{user.id:<5} {user.email:<40} {name:<24} {roles:<24} last sign-in {last}  {' '.join(flags)}".rstrip()
            )


def _account(session, email: str) -> User:
    user = find_user(session=session, email=email)
    if user is None:
        raise click.ClickException(f"there is no account for {email}")
    return user


@users.command("unlock")
@click.option("--email", required=True)
@pass_state
def users_unlock(state: AppState, email: str) -> None:
    """Clear a lock-out after too many wrong passwords (the account's, and its browsers')."""
    services = state.services()
    with session_scope(services.engine) as session:
        user = _account(session, email)
        unlock(session=session, user=user)
        audit(session, "user.unlock", subject_type="user", subject_id=user.id)
    click.echo(f"{email} unlocked")


@users.command("disable")
@click.option("--email", required=True)
@pass_state
def users_disable(state: AppState, email: str) -> None:
    """Stop an account signing in, and end its open sessions (the audit log keeps its history)."""
    services = state.services()
    with session_scope(services.engine) as session:
        user = _account(session, email)
        user.active = False
        user.session_epoch += 1
        session.add(user)
        audit(session, "user.disable", subject_type="user", subject_id=user.id)
    click.echo(f"{email} disabled")


@users.command("enable")
@click.option("--email", required=True)
@pass_state
def users_enable(state: AppState, email: str) -> None:
    """Let a disabled account sign in again (with its old password, unless you set a new one)."""
    services = state.services()
    with session_scope(services.engine) as session:
        user = _account(session, email)
        user.active = True
        session.add(user)
        audit(session, "user.enable", subject_type="user", subject_id=user.id)
    click.echo(f"{email} can sign in again")


@users.command("set-password")
@click.option("--email", required=True, help="The account whose password to set.")
@click.option(
    "--generate-password",
    "generate",
    is_flag=True,
    help="Make a random password and print it once, to pass on by a safe route.",
)
@click.option(
    "--password-stdin",
    "from_stdin",
    is_flag=True,
    help="Read the new password from the first line of stdin (for scripts); nothing is printed.",
)
@pass_state
def users_set_password(state: AppState, email: str, generate: bool, from_stdin: bool) -> None:
    """Give an account a new password (a forgotten one, or one sent by a poor route).

    Asks twice without showing it at a terminal; or --password-stdin, or --generate-password.
    The same rules as `users add` (at least 12 characters). Every session the account has open
    ends at once, any lock-out is cleared, and the audit log records `user.password_reset`
    (never the password). People signed in can change their own on the dashboard instead.
    """
    if generate and from_stdin:
        raise click.UsageError("give --generate-password or --password-stdin, not both")
    services = state.services()
    with session_scope(services.engine) as session:
        _account(session, email)  # say "no account" before asking for a password
    if generate:
        password = generate_password()
    elif from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        problem = password_problem(password)
        if problem is not None:
            raise click.ClickException(problem)
    elif _at_terminal():
        while True:
            password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
            problem = password_problem(password)
            if problem is None:
                break
            click.echo(problem, err=True)
    else:
        raise click.UsageError("not at a terminal: give --password-stdin (password on stdin) or --generate-password")
    with session_scope(services.engine) as session:
        user = _account(session, email)
        try:
            set_password(session=session, user=user, password=password)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from None
        audit(session, "user.password_reset", subject_type="user", subject_id=user.id)
        active = user.active
    click.echo(f"password set for {email}: any sessions it had open have ended")
    if generate:
        click.echo(f"password (shown once; they should keep it safe and change it on the dashboard): {password}")
    if not active:
        click.echo(f"{email} is still disabled: `voice-service users enable --email {email}` lets it sign in")
