"""A Welsh answer in a Welsh run is stored as the answer and flagged for a person to read (the English screen
cannot read it), but it is no disclosure (trial 5, F5): HELP is help, and what they send after the survey is thanked,
never "You did the right thing telling us". Nobody here can read it, so the next question never comes alone (trial
8, H1: "dwi am ladd fy hun heno" got one): first the reply that a person will read it, with where help is, and the
survey goes on. Through the signed webhook and the web chat, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import launch, phone_number
from tests.support.people import import_people
from tests.web.test_chat_api import ChatUser
from voice_service.analysis import NOT_ENGLISH_REASON
from voice_service.engine import texts
from voice_service.models import Alert, AlertMessage, Participant, Response, Run
from voice_service.web.chat.invites import invite_link

NOW = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
SURVEY = """
id = "cymraeg"
title = "Sut mae?"
intro = "Hi {first_name}, it's the Voice team at {council}. Reply YES to start, or STOP to opt out."
intro_cy = "Helo {first_name}, Tim Voice {council} sydd yma. Ateba IE i ddechrau, neu STOP i stopio."
outro = "Thank you! You can text us any time."
outro_cy = "Diolch! Anfona neges aton ni unrhyw bryd."

[[questions]]
id = "mood"
kind = "scale"
text = "How are you? Reply 1 (low) to 5 (good)."
text_cy = "Sut wyt ti? Ateba 1 (isel) i 5 (da)."
min = 1
max = 5

[[questions]]
id = "why"
kind = "text"
text = "Why is that?"
text_cy = "Pam hynny?"

[[questions]]
id = "more"
kind = "yes_no"
text = "Anything else? Reply YES or NO."
text_cy = "Unrhyw beth arall? Ateba IE neu NA."
"""
ANSWER = "Mae fy ngofalwr yn garedig iawn ac rydw i'n hapus yn y ty"  # my carer is very kind, I'm happy at home
MORE = "Unrhyw beth arall? Ateba IE neu NA."
OUTRO = "Diolch! Anfona neges aton ni unrhyw bryd."


def _welsh_speaker(services, number: int) -> None:
    import_people(services, (number, "Cai", "Cymraeg"))
    launch(services, survey_source=SURVEY, now=NOW)


def _welsh(text: str) -> str:
    return texts.for_age(text, adult=None, language="cy")


def _kept_and_flagged(services) -> None:
    with Session(services.engine) as session:
        answer = session.exec(select(Response).where(Response.question_id == "why")).one()
        assert answer.answer == ANSWER
        (alert,) = session.exec(select(Alert)).all()
        assert alert.priority == "low" and alert.reasons == [NOT_ENGLISH_REASON]  # a person still reads it
        assert len(session.exec(select(AlertMessage)).all()) == 1  # nothing after it was taken as a plea
        (run,) = session.exec(select(Run)).all()
        assert run.status == "finished"  # never paused


def test_by_text_a_welsh_answer_is_an_answer_and_no_disclosure(client, services):
    _welsh_speaker(services, 71)
    phone = SmsPhone(client, phone_number(71))
    phone.send("ie")
    assert phone.send("3") == ["Pam hynny?"]
    read, more = phone.send(ANSWER)
    assert texts.is_unread_reply(read) and more == MORE
    # Trial 13, T13-9: the help, then the question again on a line of its own, in one text (design.md, Contract 4).
    assert phone.send("help") == [_welsh(texts.WELSH[texts.HELP]) + "\nDy gwestiwn oedd: " + MORE]
    assert phone.send("ie") == [OUTRO]
    assert phone.send("ok thanks") == [_welsh(texts.WELSH[texts.TEXT_IN_THANKS])]
    _kept_and_flagged(services)


def test_in_the_chat_a_welsh_answer_is_an_answer_and_no_disclosure(client, services):
    _welsh_speaker(services, 72)
    with Session(services.engine) as session:
        participant_id = session.exec(select(Participant.id)).one()
    user = ChatUser(client)
    user.start(invite=invite_link(services, participant_id).rsplit("/", 1)[1])
    user.say("ie")
    assert user.replies("3") == ["Pam hynny?"]
    answered = user.say(ANSWER)
    read, more = [m["text"] for m in answered["messages"]]
    assert texts.is_unread_reply(read) and more == texts.for_channel(MORE, "webchat")
    assert answered["quick_replies"]  # the yes/no buttons: nothing is held back as after a disclosure
    helped = [texts.for_person(texts.WELSH[texts.HELP], "webchat", adult=None, language="cy")]
    assert user.replies("help") == [*helped, "Dy gwestiwn oedd: " + texts.for_channel(MORE, "webchat")]
    user.say("ie")
    thanks = user.replies("ok thanks")
    assert thanks == [texts.for_person(texts.WELSH[texts.TEXT_IN_THANKS], "webchat", adult=None, language="cy")]
    _kept_and_flagged(services)
