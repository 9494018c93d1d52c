"""A command run in a duty worker's name says so on the audit log (trial 13, T13-7).

`alerts ack/close/show --by NAME` records the duty account named, as the duty page would; the entry's "From" now
names the login that ran the command (`cli:<login>`), as a page's names the address it came from. Before, it was
empty: anyone with the server's shell could act in a duty worker's name with no trace that it came from there.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlmodel import Session, col, select

from tests.admin.conftest import cli_env, duty_config
from tests.conftest import SmsPhone
from tests.factories import add_participants, phone_number
from voice_service.cli.audited import cli_actor
from voice_service.models import AuditEvent


@pytest.fixture
def config(database_url):
    return duty_config(database_url)


def test_a_duty_command_names_the_duty_account_and_the_login_that_ran_it(client, services, users):
    from voice_service.cli import main

    add_participants(services, [{"phone": phone_number(161)}])
    SmsPhone(client, phone_number(161)).send("he hits me when he is drunk")
    users("duty", email="dee@council.test", name="Dee Duty")
    env = cli_env(services, VOICE_SMTP_HOST="smtp.council.example")
    for argv in (["alerts", "show", "1"], ["alerts", "ack", "1"], ["alerts", "close", "1", "--action", "called"]):
        done = CliRunner(env=env).invoke(main, [*argv[:3], "--by", "Dee Duty", *argv[3:]])
        assert done.exit_code == 0, done.output
    with Session(services.engine) as session:
        rows = session.exec(
            select(AuditEvent).where(col(AuditEvent.subject_type) == "alert").order_by(col(AuditEvent.id))
        ).all()
    done = [
        (row.actor, row.action, row.ip)
        for row in rows
        if row.action in ("alert.view", "alert.acknowledge", "alert.close")
    ]
    assert done == [
        ("dee@council.test", "alert.view", cli_actor()),
        ("dee@council.test", "alert.acknowledge", cli_actor()),
        ("dee@council.test", "alert.close", cli_actor()),
    ]
