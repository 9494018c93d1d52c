"""A duty command on an alert whose notice is by email warns when smtp.host is not set (tester U17): the
email waits in the outbox, and only `serve` and `scheduler` refused to start like this."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.admin.conftest import duty_config
from tests.conftest import SmsPhone
from tests.factories import add_participants, phone_number


@pytest.fixture
def config(database_url):
    return duty_config(database_url)  # safeguarding.duty_emails set; smtp.host not, as the example ships


def test_alerts_ack_warns_that_the_alerts_email_cannot_leave(client, services, users):
    from voice_service.cli import main

    add_participants(services, [{"phone": phone_number(160)}])
    SmsPhone(client, phone_number(160)).send("he hits me when he is drunk")
    users("duty", email="dee@council.test", name="Dee Duty")
    env = {
        f"VOICE_{s.upper()}_{k.upper()}": ",".join(v) if isinstance(v, list) else str(v)
        for s, values in services.config.as_dict().items()
        for k, v in values.items()
    }
    acked = CliRunner(env=env).invoke(main, ["alerts", "ack", "1", "--by", "Dee Duty"])
    assert acked.exit_code == 0, acked.output
    assert "warning: safeguarding.duty_emails send email but smtp.host is not set" in acked.stderr
    closed = CliRunner(env={**env, "VOICE_SMTP_HOST": "smtp.council.example"}).invoke(
        main, ["alerts", "close", "1", "--by", "Dee Duty", "--action", "called"]
    )
    assert closed.exit_code == 0, closed.output
    assert "warning" not in closed.stderr
