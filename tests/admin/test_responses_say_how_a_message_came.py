"""A message that answered no question is named in Responses by how it came: "Texted in" by text, "Sent in the web
chat" from the chat (it was "Texted in" and "A message texted in" whichever way it came), and "Sent to us" once its
message is gone (retention, erasure). Through the real SMS webhook and chat API, on both databases."""

from __future__ import annotations

from sqlmodel import Session, col, select, update

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_invited_by_a_later_round import _joined
from voice_service.db import session_scope
from voice_service.models import Message, Response
from voice_service.web.admin.responses_service import ResponseFilter, filter_responses, question_label


def _labels(services) -> dict[str, str]:
    with Session(services.engine) as session:
        page = filter_responses(session=session, catalogue=services.catalogue, filters=ResponseFilter())
        listed = {row.response.answer: row.question for row in page.rows}
        for response in session.exec(select(Response)).all():
            assert question_label(session, response) == listed[response.answer]  # the page's words are the list's
        return listed


def test_a_message_is_named_by_the_channel_it_came_on(services, client, admin_client):
    add_participants(services, [{"phone": phone_number(1)}])
    SmsPhone(client, phone_number(1)).send("the bus pass runs out too soon")
    _joined(client).replies("my carers are kind to me")
    assert _labels(services) == {
        "the bus pass runs out too soon": "Texted in",
        "my carers are kind to me": "Sent in the web chat",
    }
    with Session(services.engine) as session:
        chat_id = session.exec(select(Response.id).where(Response.answer == "my carers are kind to me")).one()
    page = admin_client("worker").get(f"/admin/responses/{chat_id}").get_data(as_text=True)
    assert "A message sent in the web chat" in page and "texted" not in page.lower()

    with session_scope(services.engine) as session:  # as retention leaves it: the answer kept, its message gone
        session.exec(update(Response).values(message_id=None))
        session.exec(update(Message).where(col(Message.id).is_not(None)).values(body=""))
    assert set(_labels(services).values()) == {"Sent to us"}
    page = admin_client("worker").get(f"/admin/responses/{chat_id}").get_data(as_text=True)
    assert "A message sent to us" in page


def test_a_message_links_to_their_conversation_and_a_survey_answer_does_not(services, client, admin_client):
    """A message that answered no question (a text-in, a disclosure mid-survey) is in their inbox thread: its page
    links there. A survey's answer is not in the inbox (new-user trial: the link opened an empty thread)."""
    add_participants(services, [{"phone": phone_number(1)}, {"phone": phone_number(2)}])
    SmsPhone(client, phone_number(1)).send("the bus pass runs out too soon")
    launch(services)
    answerer = SmsPhone(client, phone_number(2))
    for said in ("yes", "4"):
        answerer.send(said)
    worker = admin_client("worker")
    with Session(services.engine) as session:
        responses = [(r.id, r.participant_id, r.question_id) for r in session.exec(select(Response)).all()]
    assert {question for *_, question in responses} == {None, "safe_home"}
    for response_id, participant_id, question_id in responses:
        page = worker.get(f"/admin/responses/{response_id}").get_data(as_text=True)
        link = f'href="/admin/inbox/{participant_id}">See it in their conversation</a>'
        assert (link in page) is (question_id is None), response_id
