"""`voice-service users add|list|set-password|unlock|disable|enable`, and the demo's dashboard account."""

import re

import pytest
from click.testing import CliRunner
from sqlmodel import Session, col, select

from voice_service.accounts import authenticate
from voice_service.cli import main
from voice_service.models import AuditEvent, User


def _env(config):
    values = config.as_dict()
    env = {}
    for section in ("app", "database", "privacy"):
        for key, value in values[section].items():
            if isinstance(value, str):
                env[f"VOICE_{section.upper()}_{key.upper()}"] = value
    return env


def test_the_first_admin_is_made_on_the_command_line(config, services):
    runner = CliRunner()
    env = _env(config)
    made = runner.invoke(
        main, ["users", "add", "--email", "Boss@Council.TEST", "--role", "admin", "--role", "duty"], env=env, input=""
    )
    assert made.exit_code == 0, made.output
    password = re.search(r"password \(shown once; they should keep it safe\): (\S+)", made.output).group(1)
    assert "account 1 made for boss@council.test with roles admin, duty" in made.output
    assert "http://voice.test/admin/sign-in" in made.output
    with Session(services.engine) as session:
        assert authenticate(session=session, email="boss@council.test", password=password).ok
        assert [(e.actor.startswith("cli"), e.action, e.subject_id) for e in session.exec(select(AuditEvent))] == [
            (True, "user.create", "1")
        ]

    again = runner.invoke(main, ["users", "add", "--email", "boss@council.test", "--role", "panel"], env=env)
    assert again.exit_code == 1 and "already an account" in again.output
    bad_role = runner.invoke(main, ["users", "add", "--email", "x@council.test", "--role", "root"], env=env)
    assert bad_role.exit_code == 2 and "admin" in bad_role.output

    listed = runner.invoke(main, ["users", "list"], env=env)
    assert listed.output.splitlines()[0].split() == ["id", "email", "name", "roles", "last", "sign-in"]  # a header
    assert "boss@council.test" in listed.output and "admin,duty" in listed.output and "never" in listed.output
    # `alerts ack --by` points here for names; with none given, the email is the name (as `users add --help` says)
    [boss] = [line.split() for line in listed.output.splitlines() if "boss@council.test" in line]
    assert boss[1:3] == ["boss@council.test", "boss@council.test"] and "(no name)" not in listed.output
    named = runner.invoke(
        main, ["users", "add", "--email", "dee@council.test", "--name", "Dee Duty", "--role", "duty"], env=env
    )
    assert named.exit_code == 0, named.output
    assert "Dee Duty" in runner.invoke(main, ["users", "list"], env=env).output


def test_unlock_and_disable(config, services, users):
    account = users("duty")
    runner = CliRunner()
    env = _env(config)
    with Session(services.engine) as session:
        for _ in range(10):
            authenticate(session=session, email=account.email, password="wrong guess")
        session.commit()
    assert "locked until" in runner.invoke(main, ["users", "list"], env=env).output
    assert runner.invoke(main, ["users", "unlock", "--email", account.email], env=env).exit_code == 0
    with Session(services.engine) as session:
        assert authenticate(session=session, email=account.email, password=account.password).ok
        session.commit()
    assert runner.invoke(main, ["users", "disable", "--email", account.email], env=env).exit_code == 0
    with Session(services.engine) as session:
        assert session.get(User, account.id).active is False
        actions = session.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))).all()
    assert actions == ["user.unlock", "user.disable"]
    missing = runner.invoke(main, ["users", "unlock", "--email", "nobody@council.test"], env=env)
    assert missing.exit_code == 1 and "no account" in missing.output


def test_the_demo_makes_an_account_and_says_how_to_sign_in(services, app):
    from tests.admin.conftest import csrf_from
    from voice_service.demo import _demo_account

    lines: list[str] = []
    made = _demo_account(services, lines.append, serving=True)
    printed = "\n".join(lines)
    assert "http://voice.test/admin/sign-in" in printed and made["email"] in printed and made["password"] in printed
    assert "once served" not in printed
    client = app.test_client()
    token = csrf_from(client.get("/admin/sign-in").data)
    signed_in = client.post(
        "/admin/sign-in", data={"email": made["email"], "password": made["password"], "csrf_token": token}
    )
    assert signed_in.status_code == 303
    home = client.get("/admin/").get_data(as_text=True)
    assert "Alerts waiting for someone" in home and "Open rounds" in home


def test_set_password_replaces_a_forgotten_one_and_ends_its_sessions(config, services, users, monkeypatch):
    """Trial U21: a worker who forgot their password could never be let back in under their email."""
    from voice_service.accounts import session_user, start_session

    account = users("duty")
    runner = CliRunner()
    env = _env(config)
    with Session(services.engine, expire_on_commit=False) as session:
        for _ in range(10):
            authenticate(session=session, email=account.email, password="wrong guess")
        token = start_session(session=session, user=session.get(User, account.id))
        session.commit()

    # A script: the new password on stdin; nothing about it is printed.
    done = runner.invoke(
        main,
        ["users", "set-password", "--email", account.email.upper(), "--password-stdin"],
        env=env,
        input="a brand new passphrase\n",
    )
    assert done.exit_code == 0, done.output
    assert "any sessions it had open have ended" in done.output and "passphrase" not in done.output
    with Session(services.engine) as session:
        assert session_user(session=session, token=token) is None, "the old session ended"
        assert not authenticate(session=session, email=account.email, password=account.password).ok
        assert authenticate(session=session, email=account.email, password="a brand new passphrase").ok, "unlocked"
        session.commit()

    # A person at a terminal: asked twice, without echo; a weak one is refused and asked again.
    monkeypatch.setattr("voice_service.cli.users._at_terminal", lambda: True)
    typed = runner.invoke(
        main,
        ["users", "set-password", "--email", account.email],
        env=env,
        input="short\nshort\nanother good passphrase\nanother good passphrase\n",
    )
    assert typed.exit_code == 0, typed.output
    assert "at least 12 characters" in typed.output
    assert "another good passphrase" not in typed.output, "never echoed"
    monkeypatch.undo()

    generated = runner.invoke(main, ["users", "set-password", "--email", account.email, "--generate-password"], env=env)
    assert generated.exit_code == 0, generated.output
    password = re.search(r"password \(shown once;[^)]*\): (\S+)", generated.output).group(1)
    with Session(services.engine) as session:
        assert authenticate(session=session, email=account.email, password=password).ok
        session.commit()
        events = session.exec(select(AuditEvent).where(col(AuditEvent.action) == "user.password_reset")).all()
    assert [(e.actor.startswith("cli"), e.subject_id) for e in events] == [(True, str(account.id))] * 3
    with Session(services.engine) as session:
        assert all(password not in (e.actor + e.action) for e in session.exec(select(AuditEvent)))


@pytest.mark.parametrize(
    "args, stdin, code, words",
    [
        (["--password-stdin"], "too short\n", 1, "at least 12 characters"),
        ([], "a brand new passphrase\n", 2, "not at a terminal"),
        (["--password-stdin", "--generate-password"], "", 2, "not both"),
    ],
)
def test_set_password_refusals(config, services, users, args, stdin, code, words):
    account = users("worker")
    refused = CliRunner().invoke(
        main, ["users", "set-password", "--email", account.email, *args], env=_env(config), input=stdin
    )
    assert refused.exit_code == code and words in refused.output, refused.output
    with Session(services.engine) as session:
        assert authenticate(session=session, email=account.email, password=account.password).ok
        session.commit()


def test_set_password_for_an_unknown_email_asks_nothing(config, services):
    missing = CliRunner().invoke(
        main, ["users", "set-password", "--email", "nobody@council.test", "--password-stdin"], env=_env(config)
    )
    assert missing.exit_code == 1 and "there is no account for nobody@council.test" in missing.output


def test_disable_then_enable_from_the_command_line(config, services, users):
    account = users("worker")
    runner = CliRunner()
    env = _env(config)
    assert runner.invoke(main, ["users", "disable", "--email", account.email], env=env).exit_code == 0
    assert "disabled" in runner.invoke(main, ["users", "list"], env=env).output
    reset = runner.invoke(
        main,
        ["users", "set-password", "--email", account.email, "--password-stdin"],
        env=env,
        input="a brand new passphrase\n",
    )
    assert reset.exit_code == 0 and "still disabled" in reset.output and "users enable" in reset.output
    enabled = runner.invoke(main, ["users", "enable", "--email", account.email], env=env)
    assert enabled.exit_code == 0 and "can sign in again" in enabled.output
    with Session(services.engine) as session:
        assert authenticate(session=session, email=account.email, password="a brand new passphrase").ok
        session.commit()
        actions = session.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))).all()
    assert actions == ["user.disable", "user.password_reset", "user.enable"]
