"""Trial 12, finding 3: Twilio reported the duty text undelivered (a signed POST to /sms/status), `alerts list` said
"1 notice failed", but the alert page's and `alerts show`'s "Who was told" still said "duty team notified (text, email,
webhook)" (a round counted as sent if any route went, and listed every route's channel), and the dashboard's list of
alerts showed nothing wrong. Out of hours the duty phone is often the only route anyone reads. Now each says, per
route, which went and which did not.

Through the real paths: the alert raised, its notices sent by the real dispatcher (the real twilio client against
the fake Twilio API, email over STARTTLS, the signed webhook) on a passed-in clock, Twilio's report posted signed to
/sms/status, and the duty worker reading `alerts show`, the alert page and the list of alerts."""

from __future__ import annotations

import html
from datetime import timedelta

from click.testing import CliRunner
from sqlmodel import Session, select
from twilio.request_validator import RequestValidator

from tests.admin.conftest import StaffAccount, sign_in
from tests.fake_twilio import AUTH_TOKEN
from tests.outbox.helpers import Clock
from tests.support.alert_routes import DUTY_PHONE, RAISED, disclose, flush_outbox, outbox_rows, young_person
from voice_service.accounts.service import create_user
from voice_service.db import session_scope
from voice_service.models import Alert, OutboxKind, OutboxMessage, OutboxStatus
from voice_service.safeguarding import alerts as safeguarding
from voice_service.safeguarding.alerts import NoticeEvent
from voice_service.web import create_app

PASSWORD = "correct horse battery staple"


def _duty_account(services) -> StaffAccount:
    with session_scope(services.engine) as session:
        user = create_user(session=session, email="dee@council.test", roles=["duty"], password=PASSWORD)
        assert user.id is not None
        return StaffAccount(user.id, user.email, PASSWORD, ("duty",))


def _undelivered(services, client, kind: str = OutboxKind.ALERT) -> None:
    """Twilio's signed report that the duty phone's text of this kind was not delivered (30003: unreachable)."""
    [row] = [row for row in outbox_rows(services, kind=kind, channel="sms") if row.status == OutboxStatus.SENT]
    path = f"/sms/status?outbox={row.id}"
    form = {"MessageSid": row.provider_sid or "", "MessageStatus": "undelivered", "ErrorCode": "30003"}
    url = services.config.app.public_url.rstrip("/") + path
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, form)
    assert client.post(path, data=form, headers={"X-Twilio-Signature": signature}).status_code == 204


def _show(services, alert_id: int, account: StaffAccount) -> list[str]:
    """`alerts show`'s Notices, as a duty worker runs it."""
    from voice_service.cli import main

    env = {
        f"VOICE_{section.upper()}_{key.upper()}": ",".join(value) if isinstance(value, list) else str(value)
        for section, values in services.config.as_dict().items()
        for key, value in values.items()
    }
    shown = CliRunner(env=env).invoke(main, ["alerts", "show", str(alert_id), "--by", account.email])
    assert shown.exit_code == 0, shown.output
    notices = shown.output.split("Notices:\n")[1].split("\n\n")[0]
    return [line.strip().replace("Dec 2026 ", "Dec ") for line in notices.splitlines() if line.strip()]


def test_a_duty_text_twilio_reports_undelivered_is_said_on_every_duty_page(routes, fake_twilio):
    services, _, _ = routes
    clock = Clock(RAISED)
    alert_id = disclose(services, young_person(services), when=RAISED)
    flush_outbox(services, clock)
    assert [message["to"] for message in fake_twilio.messages] == [DUTY_PHONE]
    client = create_app(services=services).test_client()
    _undelivered(services, client)

    account = _duty_account(services)
    sign_in(client, account)
    told = "Tue 1 Dec 14:05: duty team notified (email, webhook); the text could not be sent"
    assert _show(services, alert_id, account) == [told]
    page = html.unescape(client.get(f"/admin/alerts/{alert_id}").get_data(as_text=True))
    # Read at today's date, a day not in this year keeps its year ("Tue 1 Dec 2026 14:05"), as `_show` allows.
    history = page.split('id="notice-history">')[1].split("</ul>")[0].replace("Dec 2026 ", "Dec ")
    assert told in history and "(text, email, webhook)" not in history, history
    # The list of alerts says so, as `alerts list` does.
    listed = html.unescape(client.get("/admin/alerts").get_data(as_text=True))
    assert "notified once; 1 notice failed" in listed, listed


def test_each_round_says_which_of_its_routes_did_not_go(routes, fake_twilio):
    """Rounds whose routes did not all do the same, as the outbox rows record them: each says which went (in
    brackets, as ever) and which did not, the routes named once each."""
    services, _, _ = routes
    clock = Clock(RAISED)
    alert_id = disclose(services, young_person(services), when=RAISED)
    flush_outbox(services, clock)  # the first round goes by every route
    later = RAISED + timedelta(minutes=31)
    with session_scope(services.engine) as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        for attempt in (1, 2):
            safeguarding.notify_duty_team(
                session=session, vault=services.vault, config=services.config, alert=alert, attempt=attempt, now=later
            )
        for row in session.exec(select(OutboxMessage)).all():
            if row.attempt == 0 and row.channel != "sms":
                row.status = OutboxStatus.FAILED  # the email and the webhook given up on
            elif row.attempt == 1 and row.channel == "sms":
                row.status, row.sent_at = OutboxStatus.SENT, later  # the rest still waiting
            elif row.attempt == 2 and row.channel == "sms":
                row.status = OutboxStatus.FAILED  # the rest still waiting
            session.add(row)
    with Session(services.engine) as session:
        said = [
            event.words("Europe/London", now=later)
            for event in safeguarding.notice_history(session=session, alert_id=alert_id)
        ]
    assert said == [
        "Tue 1 Dec 14:05: duty team notified (text); the email and the webhook could not be sent",
        "Tue 1 Dec 14:36: reminder 1 sent to the duty team (text); the email and the webhook waiting to be sent",
        "Tue 1 Dec 14:36: reminder 2 to the duty team waiting to be sent (email, webhook); the text could not be sent",
    ], said


def test_two_duty_phones_one_not_reached():
    """Two duty phones, one reached: "1 of the 2 texts"; both not: "the 2 texts"."""
    routes = (("sms", "sent"), ("sms", "failed"), ("email", "sent"))
    event = NoticeEvent(
        at=RAISED, kind=OutboxKind.ALERT, attempt=0, channels=("sms", "email"), state="sent", routes=routes
    )
    assert event.words("Europe/London", now=RAISED).endswith(
        ": duty team notified (text, email); 1 of the 2 texts could not be sent"
    )
    routes = (("sms", "failed"), ("sms", "failed"), ("email", "sent"))
    event = NoticeEvent(at=RAISED, kind=OutboxKind.ALERT, attempt=0, channels=("email",), state="sent", routes=routes)
    assert event.words("Europe/London", now=RAISED).endswith(
        ": duty team notified (email); the 2 texts could not be sent"
    )
