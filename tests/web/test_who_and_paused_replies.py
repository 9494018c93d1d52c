"""Trial 5, F8 and F17, through the signed webhook and the web chat on both databases.

F8: "who is this?" after a disclosure is answered in one SMS segment with the help lines (and "how did u get my
number" from that newcomer with the truth: they texted us); after the round closed, with who we are; at an
invitation, with how to start (YES); HELP after a paused survey names the council.
F17: a bare "3" during a live alert, at the free-text question the survey paused at, is told the survey is paused
and how to carry on, as an answer to a number question is, in each channel's words."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from tests.web.test_disclosure import _close_alerts
from voice_service.db import session_scope
from voice_service.engine import texts
from voice_service.models import Participant
from voice_service.rounds.launch import close_round
from voice_service.web.chat.invites import invite_link

COUNCIL = "Testshire County Council"
RISKY = "i want to kill myself"


def _participant_id(services, number: int) -> int:
    with Session(services.engine) as session:
        wanted = services.vault.hash(phone_number(number))
        return session.exec(select(Participant.id).where(Participant.phone_hash == wanted)).one()


def test_who_is_this_after_a_first_text_disclosure_is_one_segment_with_the_help_lines(client, services):
    phone = SmsPhone(client, phone_number(41))
    phone.send(RISKY)

    def who(texted_first=False):
        return [texts.for_age(texts.who_after_disclosure_reply(COUNCIL, texted_first=texted_first), adult=None)]

    [got] = phone.send("who is this?")
    assert [got] == who() and texts.sms_segments(got) == 1
    assert COUNCIL in got and "right thing" in got and "999" in got and "Samaritans 116 123" in got
    [number] = phone.send("how did u get my number")
    assert [number] == who(texted_first=True) and texts.sms_segments(number) == 1
    assert number.startswith("You texted us first. This is the Voice team at " + COUNCIL), number


def test_who_is_this_after_the_round_closed_and_at_an_invitation(client, services):
    add_participants(services, [{"phone": phone_number(42)}, {"phone": phone_number(43)}])
    round_id = launch(services)
    invited = SmsPhone(client, phone_number(43))
    [at_invitation] = invited.send("who is this?")
    assert at_invitation == texts.WHO_WE_ARE_INVITED.format(council=COUNCIL)
    assert "YES" in at_invitation and texts.sms_segments(at_invitation) == 1
    with session_scope(services.engine) as session:
        close_round(session=session, round_id=round_id)
    assert SmsPhone(client, phone_number(42)).send("who is this") == [texts.WHO_WE_ARE.format(council=COUNCIL)]


def test_who_is_this_at_an_invitation_in_the_chat_says_how_to_start(client, services):
    add_participants(services, [{"phone": phone_number(44)}])
    launch(services)
    user = ChatUser(client)
    user.start(invite=invite_link(services, _participant_id(services, 44)).rsplit("/", 1)[1])
    chat = texts.for_channel(texts.WHO_WE_ARE_INVITED.format(council=COUNCIL), "webchat")
    assert user.replies("who is this?") == [chat] and "Tap Yes to start" in chat


def test_help_after_a_paused_survey_names_the_council_in_each_channel(client, services):
    add_participants(services, [{"phone": phone_number(45)}, {"phone": phone_number(46)}])
    launch(services)
    phone = SmsPhone(client, phone_number(45))
    phone.send("yes")
    phone.send(RISKY)
    user = ChatUser(client)
    user.start(invite=invite_link(services, _participant_id(services, 46)).rsplit("/", 1)[1])
    user.say(RISKY)
    _close_alerts(services)
    [by_text] = phone.send("HELP")
    assert by_text == texts.naming_council(texts.HELP_PAUSED, COUNCIL) and COUNCIL in by_text
    assert texts.sms_segments(by_text) == 1 and "GO ON" in by_text
    [in_chat] = user.replies("help")
    assert COUNCIL in in_chat and "Carry on with the survey" in in_chat  # the button it shows
    assert "GO ON" not in in_chat and "STOP" not in in_chat


def test_a_bare_number_at_a_paused_free_text_question_is_told_the_survey_is_paused(client, services):
    add_participants(services, [{"phone": phone_number(47)}, {"phone": phone_number(48)}])
    launch(services)
    phone = SmsPhone(client, phone_number(47))
    phone.send("yes")
    assert phone.send("2") == ["Sorry to hear that. What would help you feel safer?"]
    phone.send(RISKY)
    assert phone.send("3") == [texts.SURVEY_PAUSED]
    user = ChatUser(client)
    user.start(invite=invite_link(services, _participant_id(services, 48)).rsplit("/", 1)[1])
    user.say("yes")
    user.say("2")
    user.say(RISKY)
    assert user.replies("3") == [texts.for_channel(texts.SURVEY_PAUSED, "webchat")]
    # Words are still no answer: what happens next and where help is.
    assert "Your survey is paused" not in user.replies("i dont know")[0]


def test_who_are_you_in_welsh_is_answered_and_raises_no_alert(client, services):
    """F5: the screen cannot read "pwy wyt ti?", but the engine can: who we are (in Welsh in a Welsh run, then the
    question again), and a newcomer's "Helo, pwy sy na?" is welcomed; no duty alert for either."""
    from tests.web.test_welsh_answer_is_no_disclosure import _welsh_speaker
    from voice_service.models import Alert

    _welsh_speaker(services, 49)
    phone = SmsPhone(client, phone_number(49))
    phone.send("ie")
    assert phone.send("pwy wyt ti?") == [f"Tim Voice {COUNCIL} sydd yma. Sut wyt ti? Ateba 1 (isel) i 5 (da)."]
    [welcome] = SmsPhone(client, phone_number(50)).send("Helo, pwy sy na?")
    assert welcome == texts.naming_council(texts.WELCOME, COUNCIL)
    with Session(services.engine) as session:
        assert session.exec(select(Alert)).all() == []
