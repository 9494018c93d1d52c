"""Trial 13, T13-10: with a dead `webhook_url`, an alert's webhook notices queued and failed; the council corrected
the URL and restarted, and the notices already waiting kept retrying the old address for ever (the warning never
cleared), since a notice kept the address configured when it was queued. Now a safeguarding notice goes to its
route as configured when it is sent (`outbox.readdress`): the corrected webhook (or duty number, or email address)
gets the notices waiting, and a route taken out of the settings stops them, saying so on the alert.

Through the real routes (the real twilio client against the fake Twilio API, email over STARTTLS to a local SMTP
server, the signed webhook to a listener on loopback), the real dispatcher on a passed-in clock, and a "restart":
new services on the same database with the corrected settings."""

from __future__ import annotations

from sqlmodel import Session

from tests.outbox.helpers import Clock
from tests.support.alert_routes import (
    DESK_OPEN_NO_ESCALATION,
    DUTY_PHONE,
    RAISED,
    dead_url,
    disclose,
    every_route,
    flush_outbox,
    outbox_rows,
    young_person,
)
from voice_service.context import Services
from voice_service.models import OutboxKind, OutboxStatus
from voice_service.outbox.readdress import ROUTE_REMOVED
from voice_service.safeguarding import alerts as safeguarding
from voice_service.safeguarding.unsent import unsent_notices

OTHER_PHONE = "+447700900666"
THIRD_PHONE = "+447700900888"


def _services(database_url, fake_twilio, webhook, smtp_server, **settings):
    return every_route(database_url, fake_twilio, webhook, smtp_server, **{**DESK_OPEN_NO_ESCALATION, **settings})


def _restart(services, **settings):
    """The service restarted on the same database and keys, with these [safeguarding] settings changed."""
    services.engine.dispose()
    return Services.from_config(services.config.with_overrides(safeguarding=settings))


def _history(services, alert_id: int, clock: Clock) -> list[str]:
    with Session(services.engine) as session:
        events = safeguarding.notice_history(session=session, alert_id=alert_id)
    return [event.words(services.config.app.timezone, now=clock.now()) for event in events]


def _failing_webhook(database_url, fake_twilio, webhook, smtp_server):
    """An alert raised with a dead webhook_url: its text and email go, its webhook notice fails three times.
    Returns the services (their engine closed), the clock and the alert's id."""
    services = _services(database_url, fake_twilio, webhook, smtp_server, webhook_url=dead_url())
    clock = Clock(RAISED)
    alert_id = disclose(services, young_person(services), when=RAISED)
    for _ in range(3):
        flush_outbox(services, clock)
        clock.advance(minutes=5)  # past each retry's back-off (never more than five minutes)
    [hook] = outbox_rows(services, channel="webhook")
    assert (hook.status, hook.attempts, hook.route) == (OutboxStatus.PENDING, 3, "webhook_url")
    assert hook.error_message == "webhook URLError"
    services.engine.dispose()
    return services, clock, alert_id


def test_a_corrected_webhook_url_gets_the_notices_already_waiting(database_url, fake_twilio, webhook, smtp_server):
    before, clock, alert_id = _failing_webhook(database_url, fake_twilio, webhook, smtp_server)
    handler, hook_url = webhook
    assert handler.received == []

    # The council corrects webhook_url and restarts: the same database, the settings as they are now.
    services = _restart(before, webhook_url=hook_url)
    try:
        report = flush_outbox(services, clock)
        assert report.sent == 1
        assert [(notice["event"], notice["alert_id"]) for notice in handler.received] == [
            ("safeguarding_alert", alert_id)
        ]
        [hook] = outbox_rows(services, channel="webhook")
        assert hook.status == OutboxStatus.SENT
        assert services.vault.decrypt(hook.to_encrypted) == hook_url  # re-addressed: what it went to
        assert _history(services, alert_id, clock) == ["Tue 1 Dec 14:05: duty team notified (text, email, webhook)"]
        with Session(services.engine) as session:
            assert not unsent_notices(session=session, now=clock.now(), after_minutes=2)  # the warning clears
    finally:
        services.engine.dispose()


def test_a_webhook_taken_out_of_the_settings_stops_its_notices_and_says_so(
    database_url, fake_twilio, webhook, smtp_server
):
    before, clock, alert_id = _failing_webhook(database_url, fake_twilio, webhook, smtp_server)
    services = _restart(before, webhook_url="")
    try:
        report = flush_outbox(services, clock)
        assert (report.sent, report.route_removed) == (0, 1)
        [hook] = outbox_rows(services, channel="webhook")
        assert (hook.status, hook.error_code) == (OutboxStatus.CANCELLED, ROUTE_REMOVED)
        assert hook.error_message == "[safeguarding] webhook_url is no longer set"
        assert _history(services, alert_id, clock) == [
            "Tue 1 Dec 14:05: duty team notified (text, email); "
            "the webhook not sent (its route was taken out of the settings)"
        ]
        with Session(services.engine) as session:
            assert not unsent_notices(session=session, now=clock.now(), after_minutes=2)
        clock.advance(minutes=10)
        assert flush_outbox(services, clock).sent == 0  # stopped: nothing more is tried
    finally:
        services.engine.dispose()


def test_a_duty_number_and_address_corrected_in_place_get_the_notices_waiting(
    database_url, fake_twilio, webhook, smtp_server
):
    """Queued while the scheduler was down, with a mistyped duty number and email address; corrected and
    restarted, the notices go to the corrected ones, not the old."""
    wrong = _services(
        database_url, fake_twilio, webhook, smtp_server, duty_phones=[OTHER_PHONE], duty_emails=["dutty@council.test"]
    )
    alert_id = disclose(wrong, young_person(wrong), when=RAISED)
    received, _, _ = smtp_server

    services = _restart(wrong, duty_phones=[DUTY_PHONE], duty_emails=["duty@council.test"])
    try:
        clock = Clock(RAISED)
        assert flush_outbox(services, clock).sent == 3
        assert [message["to"] for message in fake_twilio.messages] == [DUTY_PHONE]
        assert [message["To"] for message in received] == ["duty@council.test"]
        assert all(
            row.status == OutboxStatus.SENT for row in outbox_rows(services, alert_id=alert_id, kind=OutboxKind.ALERT)
        )
    finally:
        services.engine.dispose()


def test_a_duty_number_taken_off_the_list_is_not_texted_and_the_rest_are_texted_once(
    database_url, fake_twilio, webhook, smtp_server
):
    """Three duty phones when the alert was raised; the first taken off the list (the others move up a place):
    its notice stops, and each phone still listed gets the alert once."""
    before = _services(
        database_url, fake_twilio, webhook, smtp_server, duty_phones=[OTHER_PHONE, DUTY_PHONE, THIRD_PHONE]
    )
    alert_id = disclose(before, young_person(before), when=RAISED)

    services = _restart(before, duty_phones=[DUTY_PHONE, THIRD_PHONE])
    try:
        clock = Clock(RAISED)
        report = flush_outbox(services, clock)
        assert (report.sent, report.route_removed) == (4, 1)  # two texts, the email and the webhook
        assert sorted(message["to"] for message in fake_twilio.messages) == [DUTY_PHONE, THIRD_PHONE]
        [removed] = [row for row in outbox_rows(services, channel="sms") if row.status == OutboxStatus.CANCELLED]
        assert removed.error_message == "[safeguarding] duty_phones no longer lists this number"
        assert _history(services, alert_id, clock) == [
            "Tue 1 Dec 14:05: duty team notified (text, email, webhook); "
            "1 of the 3 texts not sent (its route was taken out of the settings)"
        ]
    finally:
        services.engine.dispose()
