"""A duty worker who replies to an alert text from the duty (or escalation) phone is not a young person (trial 13,
T13-15).

Both "ok on it, calling her now" from the duty phone and "ACK 6" from the escalation phone were welcomed as a
new young person: each number became a participant ("Needs a reply" in the inbox), its words stored and
screened as a young person's, and nothing was acknowledged. Now a text from a number in `duty_phones` or
`escalation_phones` gets one reply, in one SMS segment, saying that replies reach nobody and where to acknowledge
(the alert's own page when it names the alert), and nothing else happens: no row anywhere, no alert however it
reads, no acknowledgement, and the log line names neither the number nor the words. Signed webhooks, through the
lean edge and the Flask route (a query string always goes there); SQLite and PostgreSQL.
"""

from __future__ import annotations

import logging
import uuid
from xml.etree import ElementTree

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel
from twilio.request_validator import RequestValidator

from tests import log_guard
from tests.conftest import PUBLIC_URL, SmsPhone, make_config
from tests.fake_twilio import AUTH_TOKEN
from voice_service import analysis
from voice_service.context import Services
from voice_service.engine.gsm import fits_one_segment
from voice_service.models import Alert, AlertStatus, Participant
from voice_service.safeguarding.duty_replies import reply_for
from voice_service.web import create_app

DUTY_PHONE = "+447700900901"
EDT_PHONE = "+447700900902"
YOUNG_PERSON = "+447700900123"
ALERTS = f"{PUBLIC_URL}/admin/alerts"
NOBODY = "Replies here reach nobody: this number only sends alerts. "
PLAIN_REPLY = f"{NOBODY}To acknowledge, open the alert's link or sign in at {ALERTS}"


@pytest.fixture
def duty_services(database_url):
    # The duty number as a council writes it: kept in E.164, as Twilio sends From.
    config = make_config(database_url, safeguarding={"duty_phones": ["07700 900901"], "escalation_phones": [EDT_PHONE]})
    services = Services.from_config(config)
    yield services
    services.engine.dispose()


@pytest.fixture
def duty_client(duty_services):
    analysis.warm_up(duty_services.conversations_dir)
    return create_app(services=duty_services).test_client()


def _rows(services) -> dict[str, int]:
    """How many rows each table holds."""
    with Session(services.engine) as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }


def _post(client, number: str, body: str, path: str, sid: str | None = None) -> list[str]:
    """Text the service from `number` through `path`, signed; the reply texts."""
    log_guard.remember(number, body)
    form = {"MessageSid": sid or f"SM{uuid.uuid4().hex}", "From": number, "To": "+447700900000", "Body": body}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + path, form)
    response = client.post(path, data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200, response.data
    assert response.mimetype == "application/xml"
    return [element.text or "" for element in ElementTree.fromstring(response.data).iter("Message")]


@pytest.mark.parametrize("path", ["/sms/inbound", "/sms/inbound?again=1"], ids=["lean-edge", "flask-route"])
def test_a_duty_phone_replying_to_an_alert_text_is_told_where_to_acknowledge_and_nothing_is_kept(
    duty_client, duty_services, path, caplog
):
    # A young person's disclosure: an alert, and its notices queued to the duty and escalation phones.
    assert SmsPhone(duty_client, YOUNG_PERSON).send("i want to kill myself tonight")
    with Session(duty_services.engine) as session:
        alert = session.exec(select(Alert)).scalars().one()
        people = session.execute(select(func.count()).select_from(Participant)).scalar_one()
    before = _rows(duty_services)

    caplog.set_level(logging.INFO)
    caplog.clear()
    sid = f"SM{uuid.uuid4().hex}"
    said = _post(duty_client, DUTY_PHONE, "ok on it, calling her now", path, sid=sid)
    assert said == [PLAIN_REPLY]
    assert fits_one_segment(PLAIN_REPLY)
    # Twilio's retry of the same webhook: the same reply, still nothing kept.
    assert _post(duty_client, DUTY_PHONE, "ok on it, calling her now", path, sid=sid) == said
    acked = _post(duty_client, EDT_PHONE, f"ACK {alert.id}", path)
    assert acked == [f"{NOBODY}To acknowledge alert #{alert.id}, sign in at {ALERTS}/{alert.id}"]
    assert fits_one_segment(acked[0])
    # Words that would alert from a young person (a duty worker passing on what she said) are not screened.
    relayed = _post(duty_client, EDT_PHONE, "she says she wants to kill herself, at A&E with her now", path)
    assert relayed == [PLAIN_REPLY]

    # No participant, message, answer, alert, outbox row or audit entry: not a row anywhere.
    assert _rows(duty_services) == before
    with Session(duty_services.engine) as session:
        assert session.execute(select(func.count()).select_from(Participant)).scalar_one() == people
        still = session.get(Alert, alert.id)
        assert still is not None and still.status == AlertStatus.OPEN and still.acknowledged_at is None
    lines = [record.getMessage() for record in caplog.records if "inbound sms handled" in record.getMessage()]
    assert lines == ["inbound sms handled: duplicate=False events=duty_phone alert=None"] * 4


def test_a_young_persons_number_is_still_welcomed(duty_client, duty_services):
    """Only the configured numbers are told so: anyone else is onboarded as before."""
    replies = _post(duty_client, "+447700900903", "ok on it, calling her now", "/sms/inbound")
    assert replies and "Reply YES" in replies[0] and "acknowledge" not in replies[0]
    with Session(duty_services.engine) as session:
        assert session.execute(select(func.count()).select_from(Participant)).scalar_one() == 1


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("ACK 6", "/6"),
        ("ack #12 thanks", "/12"),
        ("Acknowledged alert 7", "/7"),
        ("on #3", "/3"),
        ("ok", ""),
        ("calling her back at 5", ""),
        ("ACK", ""),
    ],
)
def test_the_reply_links_the_alert_a_text_names(database_url, text, link):
    config = make_config(database_url)
    named = Alert(id=int(link[1:]), excerpt="", status=AlertStatus.OPEN) if link else None  # waiting to be acknowledged
    reply = reply_for(config, text, named)
    assert reply.endswith(f"{ALERTS}{link}")
    assert reply.startswith(NOBODY)
    assert fits_one_segment(reply)


def test_a_long_public_url_keeps_the_reply_to_one_segment_where_it_can(database_url):
    config = make_config(database_url, app={"public_url": "https://voice-service.childrens-services.example.gov.uk"})
    reply = reply_for(config, "ok on it", None)
    assert fits_one_segment(reply)
    assert reply == (
        "This number only sends alerts. To acknowledge, open the alert's link or sign in at "
        "https://voice-service.childrens-services.example.gov.uk/admin/alerts"
    )
