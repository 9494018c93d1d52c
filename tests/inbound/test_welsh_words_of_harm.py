"""A Welsh disclosure in a Welsh survey is a disclosure, as an English one is (trial 8, H1), and text the screen
cannot read is never followed by the next question or the closing thanks (H1, H7).

The tester's Welsh speakers wrote "dwi am ladd fy hun heno" (I'm going to kill myself tonight) at a free-text
question and got the next question; "isio marw" (want to die) at the last question got the closing thanks; and a
second Welsh message on a live alert raised no priority and sent the duty team nothing. Now the Welsh words of harm
are read (high priority, the help reply alone, the survey paused), and any Welsh message on a live alert tells the
duty team at once. Through the signed webhook and the chat's API, on both databases.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import phone_number
from tests.inbound.test_welsh_disclosure_reaches_a_person import HITS_ME, duty_services  # noqa: F401 - a fixture
from tests.inbound.test_welsh_plea_pauses_the_survey import SPEAKERS, _run, _speaker, _words
from tests.web.test_chat_api import ChatUser
from voice_service.analysis import NOT_ENGLISH_REASON
from voice_service.engine import texts
from voice_service.models import Alert, OutboxKind, OutboxMessage, Participant
from voice_service.web.chat.invites import invite_link

# What each speaker writes at the free-text question "Why is that?": I'm going to kill myself tonight.
KILL_MYSELF = {"English": "im going to kill myself tonight", "Cymraeg": "dwi am ladd fy hun heno"}
WHY = {"English": "Why is that?", "Cymraeg": "Pam hynny?"}
MORE = {"English": "Anything else? Reply YES or NO.", "Cymraeg": "Unrhyw beth arall? Ateba IE neu NA."}


def _alert(services) -> Alert:
    with Session(services.engine) as session:
        (alert,) = session.exec(select(Alert)).all()
        return alert


def _notices(services, kind: str) -> list[str]:
    with Session(services.engine) as session:
        return list(session.exec(select(OutboxMessage.body).where(OutboxMessage.kind == kind)).all())


@pytest.mark.parametrize("language", ["English", "Cymraeg"])
def test_by_text_a_disclosure_at_a_free_text_question_gets_the_help_reply_alone_in_either_language(
    client, services, language
):
    yes, _, question = SPEAKERS[language]
    _speaker(services, language)
    phone = SmsPhone(client, phone_number(75))
    assert phone.send(yes) == [question]
    assert phone.send("3") == [WHY[language]]
    (reply,) = phone.send(KILL_MYSELF[language])  # alone: no next question
    assert texts.is_disclosure_reply(reply)
    assert _run(services) == ("paused", "why")
    alert = _alert(services)
    assert alert.priority == "high" and alert.categories == ["self_harm"]
    assert phone.send("GO ON") == [WHY[language]]  # their choice: the question they were on, again


def test_by_text_welsh_words_of_harm_at_the_last_question_get_no_closing_thanks(client, services):
    _speaker(services, "Cymraeg")
    phone = SmsPhone(client, phone_number(75))
    phone.send("ie")
    phone.send("3")
    read, more = phone.send("Dwi'n hoffi fy ysgol")  # I like my school: a person reads it, and the survey goes on
    assert texts.is_unread_reply(read) and more == MORE["Cymraeg"]
    (reply,) = phone.send("isio marw")
    assert texts.is_disclosure_reply(reply) and "Diolch!" not in reply
    assert _run(services) == ("paused", "more")


def test_a_second_welsh_message_on_a_live_alert_raises_it_and_tells_the_duty_team(duty_services):  # noqa: F811
    from tests.inbound.test_welsh_disclosure_reaches_a_person import _welsh_speaker

    phone = _welsh_speaker(duty_services, 76)
    phone.send("ie")
    read, waits = phone.send(HITS_ME)  # at the number question: no disclosure it can read
    assert texts.is_unread_reply(read) and waits == _words(texts.QUESTION_WAITS, "cy")
    assert _alert(duty_services).priority == "low" and _notices(duty_services, OutboxKind.ALERT_UPDATE) == []

    # A second message the screen cannot read, on the live alert: the duty team is told at once.
    read, waits = phone.send("Mae e'n fy nychryn i eto heddiw")
    assert texts.is_unread_reply(read) and waits == _words(texts.QUESTION_WAITS, "cy")
    (update,) = _notices(duty_services, OutboxKind.ALERT_UPDATE)
    assert update.startswith(f"New message on alert #{_alert(duty_services).id} low priority")

    # Welsh words of harm: the help reply alone, the alert raised to high with its category, and the duty team told.
    (reply,) = phone.send("dwi isio marw")
    assert texts.is_disclosure_reply(reply)
    alert = _alert(duty_services)
    assert alert.priority == "high" and alert.categories == ["self_harm"] and alert.message_count == 3
    (changed,) = _notices(duty_services, OutboxKind.ALERT_CHANGED)
    assert "now high priority (was low)" in changed
    assert _run(duty_services) == ("paused", "mood")

    # Another message it cannot read, after the disclosure: told at once, the reply that a person reads it, alone.
    (read,) = phone.send("Plis dewch yn gyflym")
    assert texts.is_unread_reply(read)
    assert len(_notices(duty_services, OutboxKind.ALERT_UPDATE)) == 2
    assert NOT_ENGLISH_REASON in _alert(duty_services).reasons


@pytest.mark.parametrize("language", ["English", "Cymraeg"])
def test_in_the_chat_a_disclosure_at_a_free_text_question_leaves_no_next_question_or_buttons(
    client, services, language
):
    yes, _, _ = SPEAKERS[language]
    _speaker(services, language)
    with Session(services.engine) as session:
        participant_id = session.exec(select(Participant.id)).one()
    user = ChatUser(client)
    user.start(invite=invite_link(services, participant_id).rsplit("/", 1)[1])
    user.say(yes)
    assert user.replies("3") == [texts.for_channel(WHY[language], "webchat")]
    turn = user.say(KILL_MYSELF[language])
    (reply,) = [message["text"] for message in turn["messages"]]
    assert texts.is_disclosure_reply(reply) and turn["quick_replies"] == []
    assert _run(services) == ("paused", "why") and _alert(services).priority == "high"


def test_in_the_chat_a_welsh_message_at_a_number_question_is_no_answer_and_the_question_waits(client, services):
    _speaker(services, "Cymraeg")
    with Session(services.engine) as session:
        participant_id = session.exec(select(Participant.id)).one()
    user = ChatUser(client)
    user.start(invite=invite_link(services, participant_id).rsplit("/", 1)[1])
    user.say("ie")
    read, waits = [message["text"] for message in user.say(HITS_ME)["messages"]]
    assert texts.is_unread_reply(read)
    assert waits == texts.for_person(texts.QUESTION_WAITS, "webchat", adult=None, language="cy")
    assert _run(services) == ("active", "mood")
    assert user.replies("3") == [texts.for_channel(WHY["Cymraeg"], "webchat")]
