"""HELP before YES (tester T6): a young person invited to a survey who texts HELP, "help", "?" or "info"
before replying YES is told who is texting, how to start, how to stop and how to reach a person, and the
invitation stays open, so YES then starts the survey. A plea ("i need help", "help me") still goes to a
worker, as at any stage."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.engine.keywords import asks_who_we_are
from voice_service.models import Message, Participant, Response, Run
from voice_service.web.chat.invites import invite_link

COUNCIL = "Testshire County Council"
FIRST_QUESTION = "How safe do you feel where you live? 1 = not safe, 5 = totally safe"


def _run(services) -> Run:
    with Session(services.engine) as session:
        return session.exec(select(Run)).one()


@pytest.mark.parametrize("word", ["HELP", "help", "?", "info", "Help!", "??"])
def test_help_before_yes_says_who_we_are_and_how_to_start_stop_or_reach_a_person(client, services, word):
    add_participants(services, [{"phone": phone_number(90)}])
    launch(services)
    phone = SmsPhone(client, phone_number(90))

    (reply,) = phone.send(word)
    assert reply == texts.HELP_INVITED.format(council=COUNCIL)
    assert COUNCIL in reply and "YES to start" in reply and "STOP" in reply and "CALL ME" in reply
    assert "Childline 0800 1111" in reply
    assert "question" not in reply  # no question has been asked yet
    assert texts.sms_segments(reply) == 1
    assert _run(services).status == "invited"  # the invitation is still open

    assert phone.send("yes") == [FIRST_QUESTION]
    assert _run(services).status == "active"


def test_help_before_yes_names_samaritans_for_a_care_leaver_of_18_or_over(client, services):
    add_participants(services, [{"phone": phone_number(91), "age": 19, "status": "care_leaver"}])
    launch(services)
    (reply,) = SmsPhone(client, phone_number(91)).send("help")
    assert "Samaritans 116 123" in reply and "Childline" not in reply


@pytest.mark.parametrize("plea", ["i need help", "help me", "CALL ME"])
def test_a_plea_before_yes_still_goes_to_a_worker_and_the_invitation_stays_open(client, services, plea):
    add_participants(services, [{"phone": phone_number(92)}])
    launch(services)
    phone = SmsPhone(client, phone_number(92))

    (reply,) = phone.send(plea)
    assert "asked a worker to get back to you" in reply and "Childline free on 0800 1111" in reply
    with Session(services.engine) as session:
        assert session.exec(select(Message.wants_person).where(Message.body == plea)).one()
    assert _run(services).status == "invited"
    assert phone.send("yes") == [FIRST_QUESTION]


def test_help_during_a_question_still_says_how_to_answer_it(client, services):
    add_participants(services, [{"phone": phone_number(93)}])
    launch(services)
    phone = SmsPhone(client, phone_number(93))
    phone.send("yes")
    # Trial 13, T13-9: the help, then the question again on a line of its own, in one text (design.md, Contract 4).
    assert phone.send("?") == [texts.HELP + "\nYour question was: " + FIRST_QUESTION]
    assert _run(services).current_question == "safe_home"


@pytest.mark.parametrize("asked", ["who is this?", "whos this", "how did u get my number", "Who r u??"])
def test_who_is_this_at_an_invitation_is_answered_plainly(client, services, asked):
    """Trial finding 6: "who is this?" got "Just reply YES to start...". Now: who, why, and how to stop."""
    add_participants(services, [{"phone": phone_number(93)}])
    launch(services)
    phone = SmsPhone(client, phone_number(93))
    (reply,) = phone.send(asked)
    assert reply == texts.WHO_WE_ARE_INVITED.format(council=COUNCIL) and texts.sms_segments(reply) == 1
    assert COUNCIL in reply and "STOP" in reply and reply != texts.INVITE_NUDGE
    with Session(services.engine) as session:
        kept = session.exec(select(Response.answer).where(Response.question_id.is_(None))).all()
    assert kept == [asked]  # kept for a worker to see
    assert _run(services).status == "invited" and not _run(services).reasked  # the invitation stays open
    assert phone.send("yes") == [FIRST_QUESTION]


def test_who_is_this_in_the_chat_gets_the_chat_words_and_the_invitation_buttons(client, services):
    add_participants(services, [{"phone": phone_number(94)}])
    launch(services)
    with Session(services.engine) as session:
        participant_id = session.exec(select(Participant.id)).one()
    user = ChatUser(client)
    user.start(invite=invite_link(services, participant_id).rsplit("/", 1)[1])
    answer = user.say("who is this?")
    (reply,) = [message["text"] for message in answer["messages"]]
    assert reply == texts.for_channel(texts.WHO_WE_ARE_INVITED.format(council=COUNCIL), "webchat")
    assert COUNCIL in reply and "STOP" not in reply and "text" not in reply.lower()
    assert [q["value"] for q in answer["quick_replies"]] == ["Yes, let's start", "Not now"]


def test_only_questions_about_who_we_are_count():
    for text in (
        "who is this?",
        "whos this",
        "Who\u2019s this??",
        "who dis",
        "hi who is this",
        "who are you people",
        "who is texting me",
        "how did you get my number?",
        "where did u get my number from",
        "how have you got my number",
    ):
        assert asks_who_we_are(text), text
    for text in (
        "who cares",
        "who is my social worker",
        "i dont know who to tell",
        "my carer who is nice",
        "who",
        "how did you get my address",
        "yes",
        "this is rubbish",
    ):
        assert not asks_who_we_are(text), text
