"""Trial T7, by text and in the chat: "Who is this?" at a survey question is told who is asking and then asked
the question again, never "Sorry, we didn't get that"; the question still waits for its answer."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.models import Participant, Response, Run
from voice_service.web.chat.invites import invite_link

COUNCIL = "Testshire County Council"
FIRST_QUESTION = "How safe do you feel where you live? 1 = not safe, 5 = totally safe"


def test_who_is_this_at_a_question_says_who_then_asks_it_again(client, services):
    add_participants(services, [{"phone": phone_number(93)}])
    launch(services)
    phone = SmsPhone(client, phone_number(93))
    assert phone.send("yes") == [FIRST_QUESTION]

    assert phone.send("Who is this?") == [f"This is the Voice team at {COUNCIL}. {FIRST_QUESTION}"]
    with Session(services.engine) as session:
        run = session.exec(select(Run)).one()
        assert run.status == "active"
        # Kept for a worker to see, as at an invitation, and never stored as the question's answer.
        assert [(r.question_id, r.answer) for r in session.exec(select(Response))] == [(None, "Who is this?")]

    phone.send("4")
    with Session(services.engine) as session:
        answers = [(r.value_number, r.free_text) for r in session.exec(select(Response)) if r.question_id]
        assert answers == [(4, False)]


def test_in_the_chat_the_question_is_asked_again_in_the_chat_words_with_its_buttons(client, services):
    add_participants(services, [{"phone": phone_number(94)}])
    launch(services)
    with Session(services.engine) as session:
        participant_id = session.exec(select(Participant.id)).one()
    user = ChatUser(client)
    user.start(invite=invite_link(services, participant_id).rsplit("/", 1)[1])
    user.say("yes")
    answer = user.say("who is this?")
    (reply,) = [message["text"] for message in answer["messages"]]
    assert reply == f"This is the Voice team at {COUNCIL}. " + texts.for_channel(FIRST_QUESTION, texts.WEBCHAT)
    assert "Sorry" not in reply and "STOP" not in reply
    assert [q["value"] for q in answer["quick_replies"]][:5] == ["1", "2", "3", "4", "5"]  # the question still waits
