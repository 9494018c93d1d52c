"""Trial 13, T13-6: with the scheduler running, text and email going and only the webhook failing (a dead
`webhook_url`), `alerts list` and the duty pages' banner said "Safeguarding notices are not being sent ... Is the
scheduler running?" and "Until notices go, nobody is told of a new alert", all three untrue. Now they name the
failing route, how often and with what kind of error it failed, and the routes that are going; they ask about the
scheduler only when its heartbeat says it may not be running.

Through the real routes (the real twilio client against the fake Twilio API, email over STARTTLS to a local SMTP
server, the webhook to a dead loopback address), the real dispatcher on a passed-in clock, `alerts list` as a duty
worker runs it, the dashboard and /healthz. The pages and the command read the real clock, so the alert is raised
twenty minutes before it and its notices made to have been queued then."""

from __future__ import annotations

import html
from datetime import timedelta

from click.testing import CliRunner
from sqlmodel import Session, update

from tests.admin.conftest import StaffAccount, sign_in
from tests.outbox.helpers import Clock
from tests.support.alert_routes import (
    DESK_OPEN_NO_ESCALATION,
    dead_url,
    disclose,
    every_route,
    flush_outbox,
    young_person,
)
from voice_service.accounts.service import create_user
from voice_service.db import session_scope
from voice_service.models import OutboxMessage, utcnow
from voice_service.safeguarding.unsent import unsent_notices
from voice_service.scheduler.heartbeat import record_heartbeat
from voice_service.web import create_app

PASSWORD = "correct horse battery staple"
ASKS = "Is the scheduler running?"
NOBODY = "nobody is told of a new alert"
SAID = (
    "the webhook notice has failed 4 times (webhook URLError); 1 notice to the duty team has waited more than "
    "2 minutes (the oldest 20 min); text and email notices are going."
)


def _alerts_list(services) -> str:
    from voice_service.cli import main

    env = {
        f"VOICE_{section.upper()}_{key.upper()}": ",".join(value) if isinstance(value, list) else str(value)
        for section, values in services.config.as_dict().items()
        for key, value in values.items()
    }
    listed = CliRunner(env=env).invoke(main, ["alerts", "list"])
    assert listed.exit_code == 0, listed.output
    return listed.output


def test_one_failing_route_is_named_with_the_routes_that_go(database_url, fake_twilio, webhook, smtp_server):
    services = every_route(
        database_url, fake_twilio, webhook, smtp_server, webhook_url=dead_url(), **DESK_OPEN_NO_ESCALATION
    )
    try:
        raised = (utcnow() - timedelta(minutes=20)).replace(microsecond=0)
        clock = Clock(raised)
        disclose(services, young_person(services), when=raised)
        with Session(services.engine) as session:  # queued when it was raised, as the scheduler would have
            session.exec(update(OutboxMessage).values(created_at=raised))  # type: ignore[call-overload]
            session.commit()
        for _ in range(4):
            flush_outbox(services, clock)
            clock.advance(minutes=5)
        record_heartbeat(services.engine, utcnow())  # the scheduler is running

        with Session(services.engine) as session:
            unsent = unsent_notices(session=session, now=raised + timedelta(minutes=20), after_minutes=2)
        assert unsent.summary(raised + timedelta(minutes=20)) == f"Safeguarding notices are not all being sent: {SAID}"
        words = unsent.words(raised + timedelta(minutes=20), scheduler_running=True)
        assert ASKS not in words and NOBODY not in words
        assert "[safeguarding] webhook_url" in words and "restart" in words

        listed = _alerts_list(services)
        assert f"WARNING: Safeguarding notices are not all being sent: {SAID}" in listed
        assert ASKS not in listed and NOBODY not in listed

        client = create_app(services=services).test_client()
        health = client.get("/healthz").get_json()
        assert health["status"] == "degraded"
        assert health["duty_notices"]["failing"] == {
            "webhook": {"waiting": 1, "attempts": 4, "error": "webhook URLError"}
        }
        assert health["duty_notices"]["working"] == ["sms", "email"]
        with session_scope(services.engine) as session:
            user = create_user(session=session, email="dee@council.test", roles=["duty"], password=PASSWORD)
            assert user.id is not None
            account = StaffAccount(user.id, user.email, PASSWORD, ("duty",))
        sign_in(client, account)
        for path in ("/admin/", "/admin/alerts"):
            page = html.unescape(client.get(path).get_data(as_text=True))
            assert "Some notices are not being sent" in page, path
            assert SAID in page, path
            assert ASKS not in page and NOBODY not in page, path

        # The scheduler stops: now it is asked about, and the banner says nothing is going.
        record_heartbeat(services.engine, utcnow() - timedelta(minutes=30))
        assert ASKS in _alerts_list(services)
        page = html.unescape(client.get("/admin/alerts").get_data(as_text=True))
        assert "Notices are not being sent" in page and ASKS in page
    finally:
        services.engine.dispose()


def test_notices_never_tried_still_ask_about_the_scheduler(database_url, fake_twilio, webhook, smtp_server):
    """No heartbeat and nothing tried: the scheduler is what to ask about, as before."""
    services = every_route(database_url, fake_twilio, webhook, smtp_server, **DESK_OPEN_NO_ESCALATION)
    try:
        raised = (utcnow() - timedelta(minutes=20)).replace(microsecond=0)
        disclose(services, young_person(services), when=raised)
        with Session(services.engine) as session:
            session.exec(update(OutboxMessage).values(created_at=raised))  # type: ignore[call-overload]
            session.commit()
            unsent = unsent_notices(session=session, now=raised + timedelta(minutes=20), after_minutes=2)
        assert (unsent.untried, unsent.failing, unsent.working) == (3, (), ())
        words = unsent.words(raised + timedelta(minutes=20))
        assert words.startswith("Safeguarding notices are not being sent: 3 notices to the duty team")
        assert ASKS in words and NOBODY in words
    finally:
        services.engine.dispose()
