"""Closing an alert with no further action says why, on the dashboard and at the command line (trial 13, T13-13).

An alert was closed "no further action" with no note after the young person had been told "A worker will get back
to you soon": nothing on the record said why that promise was not kept.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlmodel import Session, col, select

from tests.admin.conftest import cli_env, duty_config
from tests.conftest import SmsPhone
from tests.factories import add_participants, phone_number
from tests.support.alert_record import notes_of
from tests.web.test_chat_api import ChatUser
from voice_service.models import Alert, AlertStatus
from voice_service.safeguarding.alerts import NO_FURTHER_ACTION_RULE

RISKY = "my ex keeps turning up at my flat at night banging on the door and threatening me"


@pytest.fixture
def config(database_url):
    return duty_config(database_url)


def _alert(services) -> Alert:
    with Session(services.engine) as session:
        return session.exec(select(Alert).order_by(col(Alert.id).desc())).first()


def test_the_dashboard_asks_why_before_no_further_action(client, services, admin_client):
    chat = ChatUser(client)
    chat.start()
    chat.say(RISKY)
    alert = _alert(services)
    duty = admin_client("duty")
    for form in ("action", "close"):
        refused = duty.post_form(f"/admin/alerts/{alert.id}/{form}", {"action": "no_further_action"})
        assert refused.status_code == 400 and NO_FURTHER_ACTION_RULE in refused.get_data(as_text=True)
    assert _alert(services).status != AlertStatus.CLOSED
    closed = duty.post_form(
        f"/admin/alerts/{alert.id}/close", {"action": "no_further_action", "note": "her ex was arrested tonight"}
    )
    assert closed.status_code == 303
    done = _alert(services)
    assert done.status == AlertStatus.CLOSED and "arrested" in (notes_of(services.engine, done.id) or "")


def test_the_command_line_asks_why_too(client, services, users):
    from voice_service.cli import main

    add_participants(services, [{"phone": phone_number(162)}])
    SmsPhone(client, phone_number(162)).send(RISKY)
    users("duty", email="dee@council.test", name="Dee Duty")
    env = cli_env(services, VOICE_SMTP_HOST="smtp.council.example")
    alert_id = str(_alert(services).id)
    refused = CliRunner(env=env).invoke(
        main, ["alerts", "close", alert_id, "--by", "Dee Duty", "--action", "no_further_action"]
    )
    assert refused.exit_code != 0 and NO_FURTHER_ACTION_RULE in refused.output
    assert _alert(services).status != AlertStatus.CLOSED
    closed = CliRunner(env=env).invoke(
        main,
        ["alerts", "close", alert_id, "--by", "Dee Duty", "--action", "no_further_action", "--note", "a song lyric"],
    )
    assert closed.exit_code == 0, closed.output
    assert _alert(services).status == AlertStatus.CLOSED
