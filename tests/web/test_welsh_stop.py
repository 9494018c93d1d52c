"""Asking to stop in Welsh opts out as "stop texting me" does in English (trial 13, T13-16): "stopio" to a closed
round was kept as a late answer, and "dim diolch, stopia" (no thanks, stop) raised a "not in English" alert, told
and escalated at once, out of hours too, and left her opted in. Now the Welsh words for stop, whole messages only,
opt out with the Welsh reply, and no alert; a Welsh disclosure with a stop word in it is screened first and gets the
help reply alone, never an opt-out. Through the signed webhook and the web chat, on both databases."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import launch, phone_number
from tests.support.people import import_people
from tests.web.test_chat_api import ChatUser
from tests.web.test_welsh_replies import NOW, SURVEY
from voice_service.db import session_scope
from voice_service.engine import texts
from voice_service.models import Alert, OptOut, Participant, Run
from voice_service.rounds.launch import close_round
from voice_service.web.chat.invites import invite_link

WELSH_STOP = texts.WELSH[texts.STOP_CONFIRMED]


def _welsh_speaker(client, services, number: int) -> SmsPhone:
    import_people(services, (number, "Ela", "Cymraeg"))
    return SmsPhone(client, phone_number(number))


def _alerts(services) -> list[Alert]:
    with Session(services.engine) as session:
        return list(session.exec(select(Alert)).all())


def _opted_out(services) -> bool:
    with Session(services.engine) as session:
        return session.exec(select(OptOut)).first() is not None


WORDS = ["stopio", "Stopia", "stopiwch", "dim mwy", "dim diolch, stopia", "paid â thecstio fi", "paid a thecstio fi"]


@pytest.mark.parametrize("words", WORDS)
def test_welsh_words_for_stop_opt_out_with_the_welsh_reply_and_no_alert(client, services, words):
    phone = _welsh_speaker(client, services, 91)
    launch(services, survey_source=SURVEY, now=NOW)
    assert phone.send("ie") == ["Sut wyt ti? Ateba 1 (isel) i 5 (da)."]
    assert phone.send(words) == [WELSH_STOP]
    assert _opted_out(services) and not _alerts(services)
    with Session(services.engine) as session:
        assert session.exec(select(Run)).one().status == "stopped"
    assert phone.send("helo") == []  # nothing more is texted to her
    assert phone.send("START") == [texts.WELSH[texts.START_WELCOME_BACK_SURVEY]]


def test_stopio_after_the_round_closed_opts_out_and_is_no_late_answer(client, services):
    """The trial's steps: Ela invited in round 1, which is now closed."""
    phone = _welsh_speaker(client, services, 92)
    round_id = launch(services, survey_source=SURVEY, now=NOW)
    with session_scope(services.engine) as session:
        close_round(session=session, round_id=round_id, now=NOW)
    assert phone.send("stopio") == [WELSH_STOP]
    assert _opted_out(services)
    assert phone.send("dim diolch, stopia") == []  # already out: said once
    assert not _alerts(services)


def test_dim_diolch_stopia_to_the_invitation_pages_nobody(client, services):
    phone = _welsh_speaker(client, services, 93)
    launch(services, survey_source=SURVEY, now=NOW)
    assert phone.send("dim diolch, stopia") == [WELSH_STOP]
    assert _opted_out(services) and not _alerts(services)


@pytest.mark.parametrize("words", ["stopia fo mae o'n fy mrifo i", "paid â thecstio fi, mae o'n fy nharo i"])
def test_a_welsh_disclosure_with_a_stop_word_gets_the_help_reply_and_is_no_opt_out(client, services, words):
    phone = _welsh_speaker(client, services, 94)
    launch(services, survey_source=SURVEY, now=NOW)
    phone.send("ie")
    [reply] = phone.send(words)
    assert texts.is_disclosure_reply(reply) and reply.startswith("Diolch"), reply
    assert not _opted_out(services)
    [alert] = _alerts(services)
    assert alert.priority == "high"


def test_more_than_a_welsh_stop_phrase_is_read_by_a_person_not_taken_as_stop(client, services):
    phone = _welsh_speaker(client, services, 95)
    launch(services, survey_source=SURVEY, now=NOW)
    phone.send("ie")
    phone.send("paid â thecstio fi dwi'n brysur heddiw")  # "don't text me, I'm busy today": not a stop phrase alone
    assert not _opted_out(services)
    [alert] = _alerts(services)
    assert alert.priority == "low"  # not English: a person reads it


def test_stopio_while_her_alert_is_live_stops_surveys_not_safeguarding_in_welsh(client, services):
    phone = _welsh_speaker(client, services, 96)
    launch(services, survey_source=SURVEY, now=NOW)
    phone.send("ie")
    phone.send("he hits me and i am scared to go home")
    [stopped] = phone.send("stopio")
    assert stopped == texts.for_age(texts.WELSH[texts.STOP_WHILE_ALERT], adult=None, language="cy")
    assert _opted_out(services)


def test_stopia_in_a_welsh_web_chat_ends_the_survey_in_welsh(client, services):
    import_people(services, (97, "Ela", "Cymraeg"))
    launch(services, survey_source=SURVEY, now=NOW)
    with Session(services.engine) as session:
        participant_id = session.exec(select(Participant.id)).one()
    user = ChatUser(client)
    user.start(invite=invite_link(services, participant_id).rsplit("/", 1)[1])
    user.say("ie")
    turn = user.say("stopia")
    assert turn["messages"][0]["text"] == texts.for_channel(WELSH_STOP, "webchat")
    with Session(services.engine) as session:
        assert session.exec(select(Run)).one().status == "stopped"
