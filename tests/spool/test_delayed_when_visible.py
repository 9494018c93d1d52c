"""A replayed disclosure's notices say ", delayed" from the moment a dispatcher can see them.

The replay used to store the message (its alert and first notices committed) and mark the alert delayed in
a second transaction: a dispatcher that claimed a notice in between sent it without the mark (trial2 finding,
after F1). Here a real dispatcher, sending through the fake Twilio API, runs right after the replay's store
commits, for a text and for a chat message.
"""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import ACCOUNT_SID, make_config
from tests.web.test_chat_api import ChatUser
from voice_service.context import Services
from voice_service.outbox.dispatch import build_dispatcher
from voice_service.spool import Spool
from voice_service.spool.guard import sms_record
from voice_service.spool.replay import replay
from voice_service.web import create_app

DUTY_PHONE = "+447700900999"


@pytest.fixture
def duty_services(database_url, fake_twilio):
    config = make_config(
        database_url,
        sms={"provider": "twilio"},
        twilio={"api_base_url": fake_twilio.url},
        safeguarding={"duty_phones": [DUTY_PHONE]},
    )
    services = Services.from_config(config)
    yield services
    services.engine.dispose()


@pytest.fixture
def dispatch_between(monkeypatch, duty_services):
    """A dispatcher flushes the outbox as soon as the replay's store (take_text, deliver) has committed."""
    from voice_service.web.chat import sessions
    from voice_service.web.sms import routes

    for module, name in ((routes, "take_text"), (sessions, "deliver")):
        real = getattr(module, name)

        def stored_then_flushed(*args, _real=real, **kwargs):
            result = _real(*args, **kwargs)
            build_dispatcher(duty_services, settle_seconds=0).flush()
            return result

        monkeypatch.setattr(module, name, stored_then_flushed)


def _notices(fake_twilio) -> list[str]:
    return [m["body"] for m in fake_twilio.to(DUTY_PHONE)]


def test_a_replayed_texts_alert_notice_is_delayed_when_first_claimed(duty_services, fake_twilio, dispatch_between):
    form = {
        "MessageSid": f"SM{uuid.uuid4().hex}",
        "AccountSid": ACCOUNT_SID,
        "From": "+447700900332",
        "To": "+447700900000",
        "Body": "i want to kill myself",
        "NumMedia": "0",
    }
    spool = Spool.from_config(duty_services.config)
    spool.append("sms", sms_record("/sms/inbound", "", [[k, v] for k, v in form.items()], "x"))
    assert replay(duty_services).stored == 1
    (notice,) = _notices(fake_twilio)
    assert ", delayed)" in notice, notice


def test_a_replayed_chat_messages_alert_notice_is_delayed_when_first_claimed(
    duty_services, fake_twilio, dispatch_between
):
    user = ChatUser(create_app(services=duty_services).test_client())
    user.start()
    spool = Spool.from_config(duty_services.config)
    spool.append("webchat", {"token": user.session, "text": "I want to kill myself", "client_id": "m1"})
    assert replay(duty_services).stored == 1
    (notice,) = _notices(fake_twilio)
    assert ", delayed)" in notice, notice
