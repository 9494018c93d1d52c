"""From an alert to the young person: the alert page links to their conversation, and the duty team
may open that one thread and reply (by text, or into an anonymous web chat) while the alert is live,
and nothing more of the inbox. The inbox tags every thread whose young person has a live alert."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, col, select

from tests.admin.conftest import audit_rows, duty_config
from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.models import (
    Alert,
    AlertStatus,
    Conversation,
    ConversationStatus,
    Direction,
    Message,
    OutboxMessage,
)

RISKY = "I want to hurt myself tonight"


@pytest.fixture
def config(database_url):
    return duty_config(database_url)


def _latest_alert(services) -> Alert:
    with Session(services.engine) as session:
        return session.exec(select(Alert).order_by(col(Alert.id).desc())).first()


def _token(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def test_the_duty_team_replies_into_an_anonymous_web_chat_from_the_alert(client, services, admin_client):
    chat = ChatUser(client)
    chat.start()
    chat.say(RISKY)
    alert = _latest_alert(services)
    assert alert.channel == "webchat" and alert.participant_id is not None
    thread_path = f"/admin/inbox/{alert.participant_id}"

    duty = admin_client("duty")
    page = duty.get(f"/admin/alerts/{alert.id}").get_data(as_text=True)
    assert "Name not known" in page
    assert f'href="{thread_path}"' in page and "Open the conversation to reply to them</a> in their web chat" in page

    opened = duty.get(thread_path)
    html = opened.get_data(as_text=True)
    assert opened.status_code == 200 and RISKY in html and "Your reply in their web chat" in html
    assert f'href="/admin/alerts/{alert.id}"' in html, "the way back is to the alert"
    # The duty team answers; assigning, referring and closing threads stay the workers'.
    assert "Assign to" not in html and "Close conversation" not in html and "Refer to advocacy" not in html

    no_csrf = duty.client.post(thread_path + "/reply", data={"reply": "Hi, I'm Sam", "token": _token(html)})
    assert no_csrf.status_code in (400, 403)
    sent = duty.post_form(thread_path + "/reply", {"reply": "Hi, I'm Sam from the duty team.", "token": _token(html)})
    assert sent.status_code == 303 and sent.location == thread_path
    with Session(services.engine) as session:
        outgoing = session.exec(
            select(Message).where(Message.participant_id == alert.participant_id, Message.direction == Direction.OUT)
        ).all()
    assert [m.channel for m in outgoing if m.body == "Hi, I'm Sam from the duty team."] == ["webchat"]
    # The young person sees it when they come back to their chat.
    resumed = client.get(f"/api/chat/sessions/{chat.session}").get_json()
    assert "Hi, I'm Sam from the duty team." in [m["text"] for m in resumed["messages"]]
    me = duty.account.email
    rows = audit_rows(services, prefix="conversation.")
    assert (me, "conversation.view", str(alert.participant_id)) in rows
    assert any(row[0] == me and row[1] == "conversation.reply" for row in rows)

    # Only that thread, only while the alert is live; never the inbox itself or the workers' actions.
    assert duty.get("/admin/inbox").status_code == 403
    assert duty.post_form(thread_path + "/assign", {"to": ""}).status_code == 403
    assert duty.post_form(thread_path + "/close").status_code == 403
    duty.post_form(
        f"/admin/alerts/{alert.id}/close", {"action": "referred"}
    )  # no number: no call (safeguarding.actions)
    assert _latest_alert(services).status == AlertStatus.CLOSED
    assert duty.get(thread_path).status_code == 403
    assert duty.post_form(thread_path + "/reply", {"reply": "x", "token": "t2"}).status_code == 403


def test_the_duty_team_cannot_open_a_thread_with_no_alert(services, admin_client, client):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    SmsPhone(client, phone_number(1)).send("can someone call me about my placement")
    duty = admin_client("duty")
    assert duty.get("/admin/inbox/1").status_code == 403
    assert duty.post_form("/admin/inbox/1/reply", {"reply": "hi", "token": "t"}).status_code == 403
    assert admin_client("panel").get("/admin/inbox/1").status_code == 403


def _survey_disclosure(services, client) -> SmsPhone:
    """A disclosure made in reply to a survey question (kept as their message with the alert, never as the answer)."""
    add_participants(services, [{"phone": phone_number(64), "first_name": "Bea"}])
    launch(services)
    phone = SmsPhone(client, phone_number(64))
    phone.send("yes")
    assert "feel safer" in phone.send("2")[0]
    phone.send("my stepdad hits me when hes drunk")
    return phone


def test_the_duty_team_can_answer_a_disclosure_made_in_a_survey(services, client, admin_client):
    _survey_disclosure(services, client)
    alert = _latest_alert(services)
    duty = admin_client("duty")
    html = duty.get(f"/admin/inbox/{alert.participant_id}").get_data(as_text=True)
    assert "my stepdad hits me" in html and "Your reply by text" in html
    sent = duty.post_form(f"/admin/inbox/{alert.participant_id}/reply", {"reply": "Hi Bea, it's Sam.", "token": "t1"})
    assert sent.status_code == 303
    with Session(services.engine) as session:
        replies = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reply")).all()
    assert [row.body for row in replies] == ["Hi Bea, it's Sam."]


def test_the_inbox_tags_a_thread_whose_alert_came_from_a_survey_answer(services, client, admin_client):
    phone = _survey_disclosure(services, client)
    worker = admin_client("worker")
    phone.send("can someone call me")
    assert "Safeguarding alert" in worker.get("/admin/inbox").get_data(as_text=True)
    alert = _latest_alert(services)
    # The worker closes the conversation; the alert is still live, so their next message is tagged too.
    assert worker.post_form(f"/admin/inbox/{alert.participant_id}/close").status_code == 303
    phone.send("the wifi is down again")
    listing = worker.get("/admin/inbox").get_data(as_text=True)
    assert "the wifi" not in listing and "Safeguarding alert" in listing
    assert "A message here raised a safeguarding alert" in worker.get(f"/admin/inbox/{alert.participant_id}").get_data(
        as_text=True
    )


def test_once_the_duty_team_closes_the_alert_the_inbox_says_so(services, client, admin_client):
    """Trial finding 8: a closed alert no longer reads as one the duty team has."""
    add_participants(services, [{"phone": phone_number(65), "first_name": "Cal"}])
    SmsPhone(client, phone_number(65)).send("my stepdad hits me when hes drunk")
    alert = _latest_alert(services)
    worker = admin_client("worker")
    thread_path = f"/admin/inbox/{alert.participant_id}"
    assert "The duty team has it" in worker.get(thread_path).get_data(as_text=True)
    assert admin_client("duty").post_form(f"/admin/alerts/{alert.id}/close", {"action": "called"}).status_code == 303
    page = worker.get(thread_path).get_data(as_text=True)
    assert "The duty team has it" not in page and "which the duty team has" not in page
    assert "The duty team has closed it" in page
    listing = worker.get("/admin/inbox").get_data(as_text=True)
    assert "Alert closed" in listing and ">Safeguarding alert<" not in listing


@pytest.mark.parametrize(
    "roles, handed_back",
    [(("duty",), True), (("duty", "worker"), False)],
    ids=["duty-only", "duty-and-worker"],
)
def test_closing_the_alert_hands_back_a_thread_its_taker_can_no_longer_open(
    services, client, admin_client, users, roles, handed_back
):
    """Trial finding 27: a duty-only account that replied from the alert cannot open the thread once the alert
    is closed, so the thread goes back to nobody; one who is a worker too keeps it."""
    add_participants(services, [{"phone": phone_number(66), "first_name": "Zoe"}])
    phone = SmsPhone(client, phone_number(66))
    phone.send("my stepdad hits me when hes drunk")
    alert = _latest_alert(services)
    thread_path = f"/admin/inbox/{alert.participant_id}"
    kim = users(*roles, name="Kim Duty")
    duty = admin_client(account=kim)
    html = duty.get(thread_path).get_data(as_text=True)
    assert duty.post_form(thread_path + "/reply", {"reply": "Hi, it's Kim.", "token": _token(html)}).status_code == 303
    worker = admin_client("worker")
    assert "Kim Duty" in worker.get("/admin/inbox").get_data(as_text=True), "the reply assigned it to Kim"

    assert duty.post_form(f"/admin/alerts/{alert.id}/close", {"action": "called"}).status_code == 303
    answered = phone.send("can someone call me please")
    # Trial 9, T9-1: with the thread handed back nobody has it, so they are told a person will read it (not silence);
    # a duty worker who is a worker too still has it, a live exchange, so nothing automatic comes between them.
    assert (len(answered) == 1 and texts.is_unread_reply(answered[0])) if handed_back else answered == []
    with Session(services.engine) as session:
        conversation = session.exec(select(Conversation)).one()
    listing = worker.get("/admin/inbox").get_data(as_text=True)
    assert "can someone call me" in listing or "Asked for a person" in listing
    if handed_back:
        assert duty.get(thread_path).status_code == 403
        assert (conversation.assigned_to, conversation.status) == (None, ConversationStatus.OPEN)
        assert "Kim Duty" not in listing and "Nobody" in listing
    else:
        assert duty.get(thread_path).status_code == 200
        assert (conversation.assigned_to, conversation.status) == (kim.email, ConversationStatus.ASSIGNED)
        assert "Kim Duty" in listing


def test_closing_one_of_two_live_alerts_leaves_the_thread_with_the_duty_worker(services, client, admin_client, users):
    """While another alert of theirs is live, the duty worker can still open the thread: it stays theirs."""
    add_participants(services, [{"phone": phone_number(67), "first_name": "Ola"}])
    phone = SmsPhone(client, phone_number(67))
    phone.send("my stepdad hits me when hes drunk")
    first = _latest_alert(services)
    thread_path = f"/admin/inbox/{first.participant_id}"
    kim = users("duty", name="Kim Duty")
    duty = admin_client(account=kim)
    html = duty.get(thread_path).get_data(as_text=True)
    assert duty.post_form(thread_path + "/reply", {"reply": "Hi, it's Kim.", "token": _token(html)}).status_code == 303
    with Session(services.engine) as session:
        session.add(
            Alert(participant_id=first.participant_id, channel=first.channel, excerpt="a second alert, still live")
        )
        session.commit()
    assert duty.post_form(f"/admin/alerts/{first.id}/close", {"action": "called"}).status_code == 303
    with Session(services.engine) as session:
        assert session.exec(select(Conversation)).one().assigned_to == kim.email
    assert duty.get(thread_path).status_code == 200
