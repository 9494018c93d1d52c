"""New-user trial: "Leave this page" in the web chat was invisible to staff. A young person wrote "my stepdad hits me
when mum is out" in the chat (an alert is raised) and pressed "Leave this page"; the inbox still said "Your reply goes
into their web chat... and it is still open", and a reply went into a chat nobody could open any more.

Leaving is now recorded on the chat (`chatsession.left_at`, a time and nothing else). The conversation page and the
alert page say they left the web chat on that device, and when; a reply says where it can still reach them (by text,
if they have a number and have not said STOP) or is refused when nothing can, and a reply form shown before they
left is refused rather than sent another way unseen. Carrying on in that chat makes it open again.

The young person uses the real chat (JSON API, as the page's script does; the leave as its `sendBeacon` sends it),
staff the real pages; the service's clocks are pinned, so nothing depends on today's date."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from tests.factories import add_participants, phone_number
from tests.support.clock import PinnedClock
from tests.web.test_chat_api import ChatUser
from voice_service.models import Alert, ChatSession, Direction, Message, OutboxMessage, Participant
from voice_service.web.chat.invites import invite_token

# Thursday 3 December 2026, 14:40 UTC (14:40 in the UK): they write; they leave at 14:42; staff look after.
WHEN = datetime(2026, 12, 3, 14, 40, tzinfo=UTC)
DISCLOSURE = "my stepdad hits me when mum is out"
BEACON = {"Sec-Fetch-Site": "same-origin"}  # what the page's script sends on leaving (`navigator.sendBeacon`)


@pytest.fixture
def clock(monkeypatch):
    clock = PinnedClock(WHEN)
    # The package's `receive` (the function) hides the module of that name from a dotted path.
    monkeypatch.setattr(sys.modules["voice_service.inbound.receive"], "utcnow", clock)
    for module in (
        "voice_service.web.chat.sessions",
        "voice_service.web.admin.inbox",
        "voice_service.web.admin.alerts",
        "voice_service.inbox.threads",
    ):
        monkeypatch.setattr(f"{module}.utcnow", clock)
    return clock


def _chat_of(services, participant_id: int) -> ChatSession:
    with Session(services.engine) as session:
        return session.exec(select(ChatSession).where(ChatSession.participant_id == participant_id)).one()


def _said_in_chat(services, text: str) -> list[Message]:
    with Session(services.engine) as session:
        return list(
            session.exec(
                select(Message).where(
                    col(Message.direction) == Direction.OUT, col(Message.channel) == "webchat", Message.body == text
                )
            ).all()
        )


def test_leaving_the_chat_is_shown_to_staff_and_a_reply_is_refused_not_lost(services, client, admin_client, clock):
    young = ChatUser(client)
    young.start()
    young.say(DISCLOSURE)
    pid = _chat_of(services, 1).participant_id
    with Session(services.engine) as session:
        alert_id = session.exec(select(Alert.id)).one()
    duty = admin_client("duty")
    before = duty.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert "Your reply goes into their web chat." in before and 'id="chat-left"' not in before

    clock.now = WHEN + timedelta(minutes=2)
    left = client.post("/chat/leave", headers=BEACON)
    assert left.status_code == 303 and "voice_chat=;" in " ".join(left.headers.getlist("Set-Cookie"))
    chat = _chat_of(services, pid)
    assert chat.left_at == WHEN + timedelta(minutes=2)  # when, and nothing else about it

    clock.now = WHEN + timedelta(minutes=10)
    page = duty.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert "still open" not in page and "Your reply goes into their web chat" not in page
    assert "They left the web chat on that device (“Leave this page”), 3 Dec 2026 14:42." in page
    assert "Nothing we send can reach them until they get in touch again." in page
    assert 'id="cannot-reply"' in page and "Send reply" not in page
    assert "there is no phone number for them: a reply cannot reach them" in page

    refused = duty.post_form(f"/admin/inbox/{pid}/reply", {"reply": "Are you safe now?", "token": "t1"})
    assert refused.status_code == 400 and "a reply cannot reach them" in refused.get_data(as_text=True)
    assert _said_in_chat(services, "Are you safe now?") == []  # never put where nobody can see it

    alert_page = duty.get(f"/admin/alerts/{alert_id}").get_data(as_text=True)
    assert "They left the web chat on that device (“Leave this page”), 3 Dec 2026 14:42" in alert_page
    assert "in their web chat</p>" not in alert_page


def test_a_reply_form_shown_before_they_left_is_refused_then_goes_by_text(services, client, admin_client, clock):
    add_participants(services, [{"phone": phone_number(7), "first_name": "Mo"}])
    with Session(services.engine) as session:
        person = session.exec(select(Participant)).one()
        invite = invite_token(services.config, person)
    young = ChatUser(client)
    young.start(invite)
    young.say("can someone talk to me on here")
    worker = admin_client("worker")
    shown = worker.get(f"/admin/inbox/{person.id}").get_data(as_text=True)
    assert 'name="way" value="webchat"' in shown

    clock.now = WHEN + timedelta(minutes=2)
    client.post("/chat/leave", headers=BEACON)
    clock.now = WHEN + timedelta(minutes=5)
    stale = worker.post_form(f"/admin/inbox/{person.id}/reply", {"reply": "Hi Mo", "token": "t1", "way": "webchat"})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 400 and "Your reply has not been sent" in html and "would now go by text" in html
    assert "Hi Mo</textarea>" in html  # what they wrote is kept
    with Session(services.engine) as session:
        assert session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reply")).all() == []
    assert _said_in_chat(services, "Hi Mo") == []
    assert "Your reply goes by text to ••••207." in html
    assert "but left it on that device (“Leave this page”), so a reply there would not reach them" in html
    assert "It can reach them by text: see below." in html

    sent = worker.post_form(f"/admin/inbox/{person.id}/reply", {"reply": "Hi Mo", "token": "t2", "way": "sms"})
    assert sent.status_code == 303
    with Session(services.engine) as session:
        assert len(session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reply")).all()) == 1


def test_carrying_on_in_the_chat_they_left_makes_it_open_again(services, client, admin_client, clock):
    young = ChatUser(client)
    young.start()
    young.say(DISCLOSURE)
    pid = _chat_of(services, 1).participant_id
    clock.now = WHEN + timedelta(minutes=2)
    client.post("/chat/leave", headers=BEACON)
    duty = admin_client("duty")
    assert 'id="chat-left"' in duty.get(f"/admin/inbox/{pid}").get_data(as_text=True)

    # The page still open in another tab of theirs holds the chat: writing there is coming back to it.
    clock.now = WHEN + timedelta(minutes=20)
    young.say("sorry had to go")
    assert _chat_of(services, pid).left_at is None
    page = duty.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert 'id="chat-left"' not in page
    assert "They last wrote to us in the web chat, and it is still open." in page


def test_leave_from_another_site_records_nothing(services, client, clock):
    young = ChatUser(client)
    young.start()
    client.post("/chat/leave", headers={"Sec-Fetch-Site": "cross-site"})
    assert _chat_of(services, 1).left_at is None
