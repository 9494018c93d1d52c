"""A picture message (MMS) on the duty page and in the inbox (tester T20): the service never downloads or
shows pictures, so staff read that one was sent, and how many, where its words would be."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from tests.admin.conftest import duty_config
from tests.conftest import MEDIA_BASE, SmsPhone
from tests.factories import add_participants, launch, phone_number
from voice_service.models import Alert

SENT = "Sent 2 pictures (picture message). The service does not download or show pictures."


@pytest.fixture
def config(database_url):
    return duty_config(database_url)


def test_the_duty_page_and_the_thread_say_pictures_were_sent(client, services, admin_client):
    add_participants(services, [{"phone": phone_number(120), "age": 15}])
    launch(services)
    phone = SmsPhone(client, phone_number(120))
    phone.send("yes")
    phone.send("I want to hurt myself tonight")
    phone.send("", media=2)
    with Session(services.engine) as session:
        alert = session.exec(select(Alert).order_by(col(Alert.id).desc())).first()

    duty = admin_client("duty")
    page = duty.get(f"/admin/alerts/{alert.id}").get_data(as_text=True)
    assert page.count(SENT) == 2  # under "What they said" and in the conversation
    assert MEDIA_BASE not in page
    thread = duty.get(f"/admin/inbox/{alert.participant_id}").get_data(as_text=True)
    assert SENT in thread
