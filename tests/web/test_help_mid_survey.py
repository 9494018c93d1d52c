"""Trial 13, T13-9, by text and in the chat: HELP ("?", "info") at a survey question says how to answer, skip or stop
and where help is, then the question again ("Your question was: ..."), so they know what to answer next. By text, in
the help's own message on a line of its own: one <Message> (design.md, Contract 4), never two that could arrive out
of order. In the chat, in the help's own message where the two fit one SMS segment, else in one more. By text it may
say STOP; in the chat it never talks about texting or STOP, and the question's buttons stay. The question still waits
for its answer. Outside a survey HELP is as it was. Through the signed webhook and the web chat, on both databases."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.models import Participant, Response, Run
from voice_service.web.chat.invites import invite_link

FIRST_QUESTION = "How safe do you feel where you live? 1 = not safe, 5 = totally safe"
LISTENED = "Do you feel listened to at your reviews? Reply YES or NO."
# Words that only make sense on a phone (as tests/web/test_chat_api.py checks every chat reply for).
PHONE_ONLY = re.compile(r"\b(texts?|texting|reply|replies)\b|\bSTOP\b", re.IGNORECASE)
# A survey whose one question is short enough to say in the help's own message in the chat, but not by text.
SHORT = """
id = "short"
title = "Short"
intro = "Hi {first_name}, it's the Voice team. Reply YES to start, or STOP to opt out."
outro = "Thank you! You can text us any time."

[[questions]]
id = "why"
kind = "text"
text = "Why?"
"""


def _run(services) -> Run:
    with Session(services.engine) as session:
        return session.exec(select(Run)).one()


def _chat(client, services) -> ChatUser:
    with Session(services.engine) as session:
        participant_id = session.exec(select(Participant.id)).one()
    user = ChatUser(client)
    user.start(invite=invite_link(services, participant_id).rsplit("/", 1)[1])
    return user


@pytest.mark.parametrize("word", ["HELP", "?", "info"])
def test_help_at_a_question_by_text_says_the_help_then_the_question_again(client, services, word):
    add_participants(services, [{"phone": phone_number(95)}])
    launch(services)
    phone = SmsPhone(client, phone_number(95))
    assert phone.send("yes") == [FIRST_QUESTION]

    (said,) = phone.send(word)  # one <Message>, so the two can never arrive the wrong way round
    assert said == texts.HELP + "\nYour question was: " + FIRST_QUESTION
    helped, again = said.split("\n")
    assert "SKIP" in helped and "STOP" in helped and "Childline free on 0800 1111" in helped
    assert all(texts.is_gsm7(text) and texts.sms_segments(text) == 1 for text in (helped, again))
    assert texts.sms_segments(said) == 2  # as the two did as two texts
    assert _run(services).current_question == "safe_home"  # the question still waits

    assert phone.send("4") == [LISTENED]
    assert phone.send("help") == [texts.HELP + "\nYour question was: " + LISTENED]  # whichever question they are on
    with Session(services.engine) as session:
        answers = [(r.question_id, r.value_number) for r in session.exec(select(Response)) if r.question_id]
    assert answers == [("safe_home", 4)]  # HELP is never an answer


def test_help_at_a_question_by_text_names_the_help_lines_for_their_age_each_line_one_segment(client, services):
    add_participants(services, [{"phone": phone_number(96), "age": 19, "status": "care_leaver"}])
    launch(services)
    phone = SmsPhone(client, phone_number(96))
    phone.send("yes")
    (said,) = phone.send("help")
    helped, again = said.split("\n")
    assert helped == texts.for_age(texts.HELP, adult=True)
    assert "Samaritans" in helped and "Childline" not in helped
    assert again == "Your question was: " + FIRST_QUESTION
    assert texts.sms_segments(helped) == texts.sms_segments(again) == 1 and texts.sms_segments(said) == 2


def test_help_at_a_question_in_the_chat_says_the_question_again_in_chat_words_with_its_buttons(client, services):
    add_participants(services, [{"phone": phone_number(97)}])
    launch(services)
    user = _chat(client, services)
    user.say("yes")

    answer = user.say("HELP")
    helped, again = [message["text"] for message in answer["messages"]]
    assert helped == texts.for_channel(texts.HELP, texts.WEBCHAT) and "SKIP" in helped
    assert again == "Your question was: " + FIRST_QUESTION
    assert [q["value"] for q in answer["quick_replies"]][:5] == ["1", "2", "3", "4", "5"]  # the question still waits

    user.say("4")
    helped, again = user.replies("?")
    assert again == "Your question was: Do you feel listened to at your reviews? Tap Yes or No."
    for text in (helped, again):
        assert not PHONE_ONLY.search(text), text  # never "text STOP", "reply" or "texts" in the chat
    assert _run(services).current_question == "listened"


def test_a_short_question_comes_in_the_help_s_own_message_where_the_two_fit_one_segment(client, services):
    """The chat's help words are shorter than a text's (no STOP): with "Why?" they fit one segment, so they go as one
    message there. By text they always go as one message, the question on a line of its own: as it was asked, where
    "Your question was:" would take the text past one segment and the question alone does not."""
    add_participants(services, [{"phone": phone_number(98)}])
    launch(services, survey_source=SHORT)
    phone = SmsPhone(client, phone_number(98))
    phone.send("yes")
    (said,) = phone.send("help")
    assert said == texts.HELP + "\nWhy?" and texts.sms_segments(said) == 1

    user = _chat(client, services)
    (joined,) = user.replies("help")
    assert joined == texts.for_channel(texts.HELP, texts.WEBCHAT) + " Your question was: Why?"
    assert texts.sms_segments(joined) == 1 and not PHONE_ONLY.search(joined)
    assert _run(services).current_question == "why"


def test_help_outside_a_survey_is_as_it_was(client, services):
    add_participants(services, [{"phone": phone_number(99)}])
    launch(services, survey_source=SHORT)
    phone = SmsPhone(client, phone_number(99))
    phone.send("yes")
    phone.send("because")  # the survey is finished
    assert _run(services).status == "finished"
    assert phone.send("help") == [texts.HELP_ANY_TIME]
    user = _chat(client, services)
    assert user.replies("help") == [texts.for_channel(texts.HELP_ANY_TIME, texts.WEBCHAT)]
