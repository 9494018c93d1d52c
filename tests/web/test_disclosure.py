"""After a disclosure the help reply comes first and alone, the survey pauses, and it carries on
only if the young person chooses to; asking for a person flags the message for a worker (issue 10)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.inbound import receive
from voice_service.models import Message, Participant, Response, Run
from voice_service.web.chat.invites import invite_link

RISKY = "i want to kill myself"
SUNDAY = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)
MONDAY_MORNING = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def _run(services) -> Run:
    with Session(services.engine) as session:
        return session.exec(select(Run)).scalars().one()


def test_sms_disclosure_mid_survey_gets_help_alone_and_pauses_until_they_choose(client, services):
    add_participants(services, [{"phone": phone_number(60)}])
    launch(services)
    phone = SmsPhone(client, phone_number(60))
    phone.send("yes")
    replies = phone.send(RISKY)
    assert len(replies) == 1 and texts.is_disclosure_reply(replies[0])  # no next question, no "reply YES"
    run = _run(services)
    assert (run.status, run.current_question) == ("paused", "safe_home")
    # Something else: kept, and one gentle offer to carry on (then plain thanks, no nagging).
    assert phone.send("i just feel rubbish") == [texts.PAUSED_OFFER]
    assert phone.send("thanks for listening") == [texts.TEXT_IN_THANKS]
    assert _run(services).status == "paused"
    question = phone.send("GO ON")
    assert len(question) == 1 and "safe" in question[0].lower()
    assert _run(services).status == "active"


def test_a_clear_answer_after_a_pause_carries_on(client, services):
    add_participants(services, [{"phone": phone_number(61)}])
    launch(services)
    phone = SmsPhone(client, phone_number(61))
    phone.send("yes")
    phone.send(RISKY)
    replies = phone.send("4")  # an answer to the waiting scale question: they chose to carry on
    assert "listened" in replies[0].lower()
    with Session(services.engine) as session:
        answer = session.exec(select(Response).where(Response.question_id == "safe_home")).scalars().one()
    assert answer.value_number == 4


def test_after_a_disclosure_that_answered_a_question_nothing_counts_for_the_unsent_next_one(client, services):
    """The disclosure answered the open question, so the run waits at the next one, which was never
    sent: a "no" then is not an answer to it. It is asked only when they choose to carry on."""
    add_participants(services, [{"phone": phone_number(64)}])
    launch(services)
    phone = SmsPhone(client, phone_number(64))
    phone.send("yes")
    assert "feel safer" in phone.send("2")[0]  # the free-text follow-up
    replies = phone.send("my stepdad hits me when hes drunk")
    assert len(replies) == 1 and texts.is_disclosure_reply(replies[0])
    run = _run(services)
    assert (run.status, run.current_question, run.current_asked) == ("paused", "listened", False)
    assert phone.send("no") == [texts.PAUSED_OFFER]  # kept as a message, not an answer to "listened"
    with Session(services.engine) as session:
        answered = set(session.exec(select(Response.question_id).where(Response.question_id.is_not(None))).scalars())
    assert answered == {"safe_home", "safe_home_why"}
    asked = phone.send("GO ON")
    assert "listened" in asked[0].lower()
    assert _run(services).current_asked is True
    phone.send("no")
    with Session(services.engine) as session:
        listened = session.exec(select(Response).where(Response.question_id == "listened")).scalars().one()
    assert listened.value_text == "no"


def test_chat_disclosure_has_no_survey_buttons(client, services):
    add_participants(services, [{"phone": phone_number(62), "first_name": "Amira"}])
    launch(services)
    with Session(services.engine) as session:
        participant_id = session.exec(select(Run)).scalars().one().participant_id
    user = ChatUser(client)
    user.start(invite=invite_link(services, participant_id).rsplit("/", 1)[1])
    assert user.say("Yes")["quick_replies"]  # the first question's buttons
    turn = user.say(RISKY)
    assert len(turn["messages"]) == 1 and texts.is_disclosure_reply(turn["messages"][0]["text"])
    assert turn["quick_replies"] == []
    offer = user.say("ok")
    assert offer["messages"][0]["text"] == texts.PAUSED_OFFER
    assert [q["value"] for q in offer["quick_replies"]] == ["GO ON"]
    assert "safe" in user.say("GO ON")["messages"][0]["text"].lower()


def _receive(services, text: str, now: datetime, sid: str):
    with Session(services.engine, expire_on_commit=False) as session:
        result = receive(
            session=session,
            services=services,
            channel="sms",
            text=text,
            provider_sid=sid,
            phone=phone_number(63),
            now=now,
        )
        session.commit()
    return result


def test_out_of_hours_the_help_reply_says_when_someone_will_read_it(services):
    add_participants(services, [{"phone": phone_number(63)}])
    sunday = _receive(services, RISKY, SUNDAY, "SMout1").replies
    assert sunday == [texts.DISCLOSURE_OUT_OF_HOURS.format(back="Mon 9am")]
    assert "worker will read this soon" not in sunday[0] and "999" in sunday[0]
    assert _receive(services, RISKY, MONDAY_MORNING, "SMout2").replies == [texts.DISCLOSURE_IN_HOURS]
    assert all(texts.sms_segments(reply) == 1 for reply in sunday)


def test_asking_for_a_person_flags_the_message_for_a_worker(client, services):
    add_participants(services, [{"phone": phone_number(64)}])
    phone = SmsPhone(client, phone_number(64))
    replies = phone.send("can someone call me please")
    assert len(replies) == 1 and "worker" in replies[0] and "Childline" in replies[0]
    phone.send("the wifi is down again")
    with Session(services.engine) as session:
        flagged = session.exec(select(Message.body).where(Message.wants_person.is_(True))).scalars().all()
    assert flagged == ["can someone call me please"]


def test_out_of_hours_a_request_for_a_person_says_when_the_office_opens(services):
    add_participants(services, [{"phone": phone_number(63)}])
    result = _receive(services, "can i speak to a person", SUNDAY, "SMperson")
    assert result.replies == [texts.WANTS_PERSON_OUT_OF_HOURS.format(back="Mon 9am")]
    assert "wants_person" in result.events


def test_a_disclosure_at_the_invitation_then_yes_or_go_on_starts_the_survey_at_once(client, services):
    """The texts never contradict each other: after the help reply, YES (what the invitation asked for)
    or GO ON (what the offer asked for) asks the first question, with no second "reply YES"."""
    add_participants(services, [{"phone": phone_number(65)}, {"phone": phone_number(66)}])
    launch(services)
    said_yes = SmsPhone(client, phone_number(65))
    assert texts.is_disclosure_reply(said_yes.send("my friend told me she cuts herself")[0])
    first = said_yes.send("yes")
    assert len(first) == 1 and "safe" in first[0].lower() and "YES" not in first[0]
    said_go_on = SmsPhone(client, phone_number(66))
    said_go_on.send(RISKY)
    assert said_go_on.send("ok") == [texts.PAUSED_OFFER]
    first = said_go_on.send("GO ON")
    assert len(first) == 1 and "safe" in first[0].lower() and texts.INVITE_NUDGE not in first
    with Session(services.engine) as session:
        runs = session.exec(select(Run)).scalars().all()
    assert {(run.status, run.current_question) for run in runs} == {("active", "safe_home")}


def test_help_while_paused_says_how_to_carry_on_in_each_channel(client, services):
    add_participants(services, [{"phone": phone_number(67)}, {"phone": phone_number(68), "first_name": "Amira"}])
    launch(services)
    phone = SmsPhone(client, phone_number(67))
    phone.send("yes")
    phone.send(RISKY)
    assert phone.send("HELP") == [texts.HELP_PAUSED]
    with Session(services.engine) as session:
        wanted = services.vault.hash(phone_number(68))
        participant_id = session.exec(select(Participant.id).where(Participant.phone_hash == wanted)).scalars().one()
    user = ChatUser(client)
    user.start(invite=invite_link(services, participant_id).rsplit("/", 1)[1])
    user.say(RISKY)
    helped = user.say("help")
    said = [message["text"] for message in helped["messages"]]
    assert said == [texts.for_channel(texts.HELP_PAUSED, "webchat")]
    assert [q["value"] for q in helped["quick_replies"]] == ["GO ON"]  # the button it speaks of
    assert "GO ON" in said[0] and "question" not in said[0] and "STOP" not in said[0]
    assert "safe" in user.replies("GO ON")[0].lower()
