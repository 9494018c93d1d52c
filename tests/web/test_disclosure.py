"""After a disclosure the help reply comes first and alone, the survey pauses, and it carries on
only if the young person chooses to (GO ON, START, the chat's "Carry on with the survey" button, or
the YES a paused invitation asked for: never a bare answer); while the alert is live, what they say
next gets what happens next and where help is, never a survey offer; asking for a person flags the
message for a worker (issue 10)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.support.chat import step_away
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.inbound import receive
from voice_service.inbound.office import office_reopens
from voice_service.models import Alert, AlertMessage, Message, Participant, Response, Run, utcnow
from voice_service.safeguarding import acknowledge, close
from voice_service.web.chat.invites import invite_link

RISKY = "i want to kill myself"
SUNDAY = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)
MONDAY_MORNING = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def _run(services) -> Run:
    with Session(services.engine) as session:
        return session.exec(select(Run)).scalars().one()


def _answered(services) -> set[str]:
    with Session(services.engine) as session:
        return set(session.exec(select(Response.question_id).where(Response.question_id.is_not(None))).scalars())


def said_after_disclosure(
    services,
    send,
    *,
    wants_person: bool = False,
    age_known: bool = True,
    nothing_waiting: bool = False,
    channel: str = "sms",
) -> list[str]:
    """Send something while the alert is live; check the reply is the after-disclosure one for the office's
    hours at that moment (either side of the send, so a test running across 9am or 5pm still agrees).
    `age_known=False`: a newcomer or anonymous chatter, whose help lines name Samaritans and Childline.
    `nothing_waiting`: GO ON with nothing paused, so the reply says no survey is waiting. `channel`: its words."""

    def reply(back):
        if wants_person:
            text = texts.wants_person_reply(back, after_disclosure=True)
        else:
            text = texts.after_disclosure_reply(back, nothing_waiting=nothing_waiting)
        text = texts.for_channel(text, channel)
        return [text if age_known else texts.for_age(text, adult=None)]

    before = office_reopens(services.config, utcnow())
    got = send()
    assert got in (reply(before), reply(office_reopens(services.config, utcnow()))), got
    return got


def _close_alerts(services) -> None:
    with Session(services.engine) as session:
        for alert_id in session.exec(select(Alert.id)).scalars().all():
            acknowledge(
                session=session,
                vault=services.vault,
                config=services.config,
                alert_id=alert_id,
                by="duty@council.example",
            )
            close(
                session=session,
                vault=services.vault,
                config=services.config,
                alert_id=alert_id,
                by="duty@council.example",
                action="called",
            )
        session.commit()


def test_sms_disclosure_mid_survey_gets_help_alone_and_pauses_until_they_choose(client, services):
    add_participants(services, [{"phone": phone_number(60)}])
    launch(services)
    phone = SmsPhone(client, phone_number(60))
    phone.send("yes")
    replies = phone.send(RISKY)
    assert len(replies) == 1 and texts.is_disclosure_reply(replies[0])  # no next question, no "reply YES"
    run = _run(services)
    assert (run.status, run.current_question) == ("paused", "safe_home")
    # While the alert is live, what they say next is kept and answered with what happens next and help.
    said_after_disclosure(services, lambda: phone.send("i just feel rubbish"))
    said_after_disclosure(services, lambda: phone.send("thanks for listening"))
    assert _run(services).status == "paused"
    question = phone.send("GO ON")
    assert len(question) == 1 and "safe" in question[0].lower()
    assert _run(services).status == "active"


def test_a_bare_answer_after_a_disclosure_does_not_resume_the_survey(client, services):
    """Replaces an earlier design choice ("a number answer to the question they saw is taken as carrying
    on"): a "4" a moment after saying they are being hurt is no choice to go back to the questions."""
    add_participants(services, [{"phone": phone_number(61)}])
    launch(services)
    phone = SmsPhone(client, phone_number(61))
    phone.send("yes")
    phone.send("my carer hits me when hes angry")
    assert phone.send("4") == [texts.SURVEY_PAUSED]  # it says the survey waits, and how to carry on
    # "what happens now" two messages after a disclosure is never a re-ask of a survey question.
    said_after_disclosure(services, lambda: phone.send("what happens now"))
    assert (_run(services).status, _answered(services)) == ("paused", set())
    assert "safe" in phone.send("GO ON")[0].lower()  # their choice: the question they were on, again
    assert "listened" in phone.send("4")[0].lower()
    with Session(services.engine) as session:
        answer = session.exec(select(Response).where(Response.question_id == "safe_home")).scalars().one()
    assert answer.value_number == 4


def test_once_the_alert_is_closed_the_survey_is_offered_once_and_still_waits_for_go_on(client, services):
    add_participants(services, [{"phone": phone_number(69)}])
    launch(services)
    phone = SmsPhone(client, phone_number(69))
    phone.send("yes")
    phone.send(RISKY)
    _close_alerts(services)
    assert phone.send("3") == [texts.PAUSED_OFFER]  # one gentle offer, then thanks with a hint: no nagging
    assert phone.send("thanks") == [texts.PAUSED_THANKS]  # the way back is never lost (trial 13)
    assert (_run(services).status, _answered(services)) == ("paused", set())
    assert "safe" in phone.send("GO ON")[0].lower()


def test_follow_ups_after_a_disclosure_get_what_happens_next_not_a_survey_offer(client, services):
    """Kim's invitation was paused by her disclosure: "what happens now" is not offered the survey."""
    add_participants(services, [{"phone": phone_number(70)}])
    launch(services)
    phone = SmsPhone(client, phone_number(70))
    assert texts.is_disclosure_reply(phone.send(RISKY)[0])
    for follow_up in ("what happens now", "ok thanks", "ok"):
        reply = said_after_disclosure(services, lambda: phone.send(follow_up))  # noqa: B023
        assert "GO ON" not in reply[0] and "survey" not in reply[0] and texts.sms_segments(reply[0]) == 1
    said_after_disclosure(services, lambda: phone.send("i need help"), wants_person=True)
    with Session(services.engine) as session:
        flagged = session.exec(select(Message.body).where(Message.wants_person.is_(True))).scalars().all()
        alerts = session.exec(select(Alert)).scalars().all()
    assert flagged == ["i need help"]
    assert len(alerts) == 1 and alerts[0].message_count == 2  # follow-ups are kept; the plea is added to the alert
    # A follow-up the screen reads as a risk of its own joins the open alert: never a second alert, never
    # the survey.
    [again] = phone.send("im scared")
    assert texts.is_disclosure_reply(again) and "GO ON" not in again and "survey" not in again
    with Session(services.engine) as session:
        alerts = session.exec(select(Alert)).scalars().all()
    assert len(alerts) == 1 and alerts[0].message_count == 3
    assert _run(services).status == "paused"


def test_a_newcomer_who_discloses_is_not_welcomed_to_a_survey_while_the_alert_is_live(client, services):
    phone = SmsPhone(client, phone_number(71))
    assert texts.is_disclosure_reply(phone.send("my stepdad touches me and says not to tell")[0])
    reply = said_after_disclosure(services, lambda: phone.send("what happens now"), age_known=False)
    assert "YES" not in reply[0]
    _close_alerts(services)
    assert "Reply YES" in phone.send("hello")[0]  # consent first, once the duty team has dealt with it


def test_go_on_while_a_question_is_waiting_asks_it_again_kindly(client, services):
    add_participants(services, [{"phone": phone_number(72)}])
    launch(services)
    phone = SmsPhone(client, phone_number(72))
    question = phone.send("yes")
    assert phone.send("GO ON") == question  # not "Sorry, we didn't get that"
    assert _run(services).status == "active"


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
    buttons: list = []
    # A bare answer neither resumes the survey nor brings its buttons back: it is told the survey is paused.
    assert _chat(user.say("3"), buttons) == [texts.SURVEY_PAUSED] and buttons == []
    said_after_disclosure(services, lambda: _chat(user.say("ok"), buttons))
    assert buttons == []
    said_after_disclosure(
        services, lambda: _chat(user.say("i need help"), buttons), wants_person=True, channel=texts.WEBCHAT
    )
    assert buttons == []
    assert "safe" in user.say("Carry on with the survey")["messages"][0]["text"].lower()  # the button's words


def _chat(turn: dict, buttons: list) -> list[str]:
    """A chat turn's replies; its buttons' values go into `buttons`."""
    buttons[:] = [q["value"] for q in turn["quick_replies"]]
    return [message["text"] for message in turn["messages"]]


def test_chat_follow_ups_after_a_disclosure_fit_the_chat(client, services):
    """A first-message disclosure in an anonymous chat: no "Yes, go on / No thanks" under the help reply,
    no survey offer after it, no texting words; a YES is a plea, and GO ON goes on with the welcome."""
    user = ChatUser(client)
    opening = user.start()
    assert [q["value"] for q in opening["quick_replies"]] == ["Yes, go on", "No thanks"]
    turn = user.say("my stepdad touches me and says not to tell")
    assert texts.is_disclosure_reply(turn["messages"][0]["text"]) and turn["quick_replies"] == []
    buttons: list = []
    for follow_up in ("ok", "what happens now"):
        [reply] = said_after_disclosure(  # an anonymous chatter: their age is not known
            services,
            lambda: _chat(user.say(follow_up), buttons),  # noqa: B023
            age_known=False,
        )
        assert buttons == []
        assert not any(word in reply.lower() for word in (" text", "reply", "tap", "survey", "send"))
    # A follow-up read as a risk of its own gets the help reply again, in the chat's words, with no buttons.
    [again] = _chat(user.say("im scared"), buttons)
    assert texts.is_disclosure_reply(again) and buttons == []
    assert not any(word in again.lower() for word in ("reply", "tap", "survey"))  # Shout's line is texted, though
    resumed = client.get(f"/api/chat/sessions/{user.session}").get_json()
    assert resumed["quick_replies"] == [] and "Welcome back" not in resumed["messages"][-1]["text"]
    # A YES after the help reply answers its "Need help now?": a plea, with 999 and no buttons (trial 3, F20).
    [plea] = _chat(user.say("yes"), buttons)
    assert "999" in plea and buttons == []
    assert _chat(user.say("GO ON"), buttons) == [texts.for_channel(texts.ASK_STATUS, "webchat")] and buttons


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
    assert sunday == [texts.DISCLOSURE_OUT_OF_HOURS.format(back="at 9am tomorrow")]
    assert "worker will read it soon" not in sunday[0] and "999" in sunday[0]
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
    assert result.replies == [texts.WANTS_PERSON_OUT_OF_HOURS.format(back="at 9am tomorrow")]
    assert "wants_person" in result.events


def test_a_disclosure_at_the_invitation_then_yes_is_a_plea_and_go_on_starts_the_survey(client, services):
    """After the help reply ("... Need help now? Childline ..."), a YES answers that question, not the
    invitation's older one (trial 3, F20): the help and 999 again, the YES added to their alert, and no
    question. GO ON (what the offer asks for) asks the first question, with no second "reply YES"."""
    add_participants(services, [{"phone": phone_number(65)}, {"phone": phone_number(66)}])
    launch(services)
    said_yes = SmsPhone(client, phone_number(65))
    assert texts.is_disclosure_reply(said_yes.send("my friend told me she cuts herself")[0])
    [plea] = said_yes.send("yes")
    assert "999" in plea and "safe" not in plea.lower() and "YES" not in plea
    with Session(services.engine) as session:
        [alert] = session.exec(select(Alert)).scalars().all()
        on_alert = session.exec(
            select(Message.body)
            .join(AlertMessage, AlertMessage.message_id == Message.id)
            .where(AlertMessage.alert_id == alert.id)
        ).scalars()
        assert sorted(on_alert) == ["my friend told me she cuts herself", "yes"]
        assert sorted(session.exec(select(Run.status)).scalars()) == ["invited", "paused"]
    first = said_yes.send("GO ON")
    assert len(first) == 1 and "safe" in first[0].lower() and "YES" not in first[0]
    said_go_on = SmsPhone(client, phone_number(66))
    said_go_on.send(RISKY)
    said_after_disclosure(services, lambda: said_go_on.send("ok"))
    first = said_go_on.send("GO ON")
    assert len(first) == 1 and "safe" in first[0].lower() and texts.INVITE_NUDGE not in first
    with Session(services.engine) as session:
        runs = session.exec(select(Run)).scalars().all()
    assert {(run.status, run.current_question) for run in runs} == {("active", "safe_home")}


def test_help_while_paused_says_how_to_carry_on_in_each_channel_once_the_alert_is_closed(client, services):
    """While the alert is live HELP is a plea (tests/inbound/test_plea_with_live_alert.py); once it is closed,
    HELP to a paused survey says how to carry on, and the chat shows the button it speaks of."""
    add_participants(services, [{"phone": phone_number(67)}, {"phone": phone_number(68), "first_name": "Amira"}])
    launch(services)
    phone = SmsPhone(client, phone_number(67))
    phone.send("yes")
    phone.send(RISKY)
    with Session(services.engine) as session:
        wanted = services.vault.hash(phone_number(68))
        participant_id = session.exec(select(Participant.id).where(Participant.phone_hash == wanted)).scalars().one()
    user = ChatUser(client)
    user.start(invite=invite_link(services, participant_id).rsplit("/", 1)[1])
    user.say(RISKY)
    _close_alerts(services)
    assert phone.send("HELP") == [texts.naming_council(texts.HELP_PAUSED, "Testshire County Council")]
    helped = user.say("help")
    said = [message["text"] for message in helped["messages"]]
    assert said == [texts.for_channel(texts.naming_council(texts.HELP_PAUSED, "Testshire County Council"), "webchat")]
    assert [q["value"] for q in helped["quick_replies"]] == ["Carry on with the survey"]  # the button it speaks of
    # It names the button shown, as the chat reads it, not the words a text would send (trial 14).
    assert texts.CARRY_ON_BUTTON in said[0] and "GO ON" not in said[0]
    assert "question" not in said[0] and "STOP" not in said[0]
    assert "safe" in user.replies("Carry on with the survey")[0].lower()  # tapped


def test_the_first_help_reply_to_a_newcomer_says_who_childline_is_for(client, services):
    # Trial finding 10: a new number's first help reply named Childline without "if under 19".
    [reply] = SmsPhone(client, phone_number(79)).send("my foster carer hits me when i get home late")
    assert texts.is_disclosure_reply(reply)
    assert texts.ANY_AGE_LINES in reply and reply.count("Childline") == 1 and "SHOUT" in reply and "999" in reply


def test_the_help_reply_is_known_as_such_in_the_words_for_every_age():
    # The spool's replay skips the help reply they already had: in an adult's or a newcomer's words too.
    for back in (None, "Mon 9am"):
        for adult in (False, True, None):
            assert texts.is_disclosure_reply(texts.for_age(texts.disclosure_reply(back), adult=adult))
    assert not texts.is_disclosure_reply(texts.for_age(texts.after_disclosure_reply(None), adult=None))


def test_a_chat_opened_on_a_paused_survey_offers_to_carry_on_with_its_button(client, services):
    # Trial finding 9: the invite link opened again after the alert closed greeted her with "There's no
    # survey waiting for you right now", then offered the survey on her next message.
    add_participants(services, [{"phone": phone_number(63), "first_name": "Zoe"}])
    launch(services)
    with Session(services.engine) as session:
        participant_id = session.exec(select(Run)).scalars().one().participant_id
    token = invite_link(services, participant_id).rsplit("/", 1)[1]
    first = ChatUser(client)
    first.start(invite=token)
    first.say("Yes")
    assert texts.is_disclosure_reply(first.say(RISKY)["messages"][0]["text"])
    _close_alerts(services)
    assert _run(services).status == "paused"

    opening = ChatUser(client).start(invite=token)  # the same link, on another phone
    [greeting] = [message["text"] for message in opening["messages"]]
    waiting = texts.for_channel(texts.PAUSED_WAITING, texts.WEBCHAT)
    assert greeting == "Hi! " + waiting and "no survey waiting" not in greeting and "GO ON" not in greeting
    assert [q["value"] for q in opening["quick_replies"]] == ["Carry on with the survey"]
    # The first chat, reopened after a while, says the same (nothing was asked there since the help reply).
    step_away(services)
    resumed = client.get(f"/api/chat/sessions/{first.session}").get_json()
    # "Welcome back!" alone: no "Here's where we were:" before words that are no question (trial 9, T9-17).
    assert resumed["messages"][-1]["text"] == "Welcome back! " + waiting
    assert resumed["quick_replies"][0]["value"] == "Carry on with the survey"
    tapped = first.say("Carry on with the survey")
    assert "safe" in tapped["messages"][0]["text"].lower()  # the question she was on


def test_a_paused_survey_waits_in_plain_words_on_both_channels():
    for channel in ("sms", texts.WEBCHAT):
        said = texts.for_channel(texts.PAUSED_WAITING, channel)
        assert texts.sms_segments(said) == 1 and "carry on with our survey" in said
    assert "GO ON" not in texts.for_channel(texts.PAUSED_WAITING, texts.WEBCHAT)  # the button says it there
