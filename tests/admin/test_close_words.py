"""Closing a round says what it did in true words (tester T16): texts and web chat messages counted apart,
the panel's summary queued (not "sent"), and a closed round offers no reminders."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from tests.conftest import SmsPhone, make_config
from tests.factories import add_participants, phone_number
from voice_service.models import Message, OutboxMessage, Run


@pytest.fixture
def config(database_url):
    return make_config(database_url, panel={"emails": ["panel@council.test"]})


def test_close_counts_texts_and_chat_messages_apart_and_says_the_summary_is_queued(services, app, admin_client):
    add_participants(services, [{"phone": phone_number(i), "age": 14} for i in (1, 2, 3)])
    worker = admin_client("worker")
    worker.post_form("/admin/rounds/launch", {"survey": "pulse"})
    for i in (1, 2, 3):
        phone = SmsPhone(app.test_client(), phone_number(i))
        for text in ("yes", "4"):
            phone.send(text)
    with Session(services.engine) as session:
        # Two answered in the web chat: the thank-you goes by the channel of their answers (`loop.answered_on`).
        for run in session.exec(select(Run).where(Run.participant_id != 1)).all():
            run.channel = "webchat"
            session.add(run)
        chat = select(Message).where(col(Message.direction) == "in", col(Message.participant_id) != 1)
        for message in session.exec(chat).all():
            message.channel = "webchat"
            session.add(message)
        session.commit()
    round_page = worker.get("/admin/rounds/1").get_data(as_text=True)
    assert "queue due reminders now" in round_page  # open: reminders still go
    check = worker.get("/admin/rounds/1/close").get_data(as_text=True)
    assert "Close round 1 and send 1 text, 2 chat messages and 1 email" in check
    page = worker.post_form("/admin/rounds/1/close", follow_redirects=True).get_data(as_text=True)
    assert "Round 1 closed; 1 thank-you text queued; 2 thank-you messages sent to their web chats" in page
    assert "the panel&#39;s summary was queued to 1 email address" in page
    assert "was sent" not in page and "3 thank-you texts" not in page
    with Session(services.engine) as session:
        summary = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "summary")).one()
        assert summary.status == "pending"  # queued, as the banner says
    assert "queue due reminders now" not in page
    assert "None: the round is closed, so nobody is reminded about it." in page
