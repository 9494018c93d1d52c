"""`voice-service users add|list|unlock|disable`, and the demo's dashboard account."""

import re

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
    assert "boss@council.test" in listed.output and "admin,duty" in listed.output and "never" in listed.output
    assert "(no name)" in listed.output  # `alerts ack --by` points here for names
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
    made = _demo_account(services, lines.append)
    printed = "\n".join(lines)
    assert "http://voice.test/admin/sign-in" in printed and made["email"] in printed and made["password"] in printed
    client = app.test_client()
    token = csrf_from(client.get("/admin/sign-in").data)
    signed_in = client.post(
        "/admin/sign-in", data={"email": made["email"], "password": made["password"], "csrf_token": token}
    )
    assert signed_in.status_code == 303
    home = client.get("/admin/").get_data(as_text=True)
    assert "Alerts waiting for someone" in home and "Open rounds" in home
