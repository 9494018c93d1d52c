"""End to end through the signed SMS webhook and the web chat: a disclosure is never a survey answer (trial
finding 3), a number inside a sentence is not one either (finding 4), and an answer while the alert is live
is told the survey is paused and how to carry on (finding 8). The pure decisions: tests/engine."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from tests.web.test_disclosure import _close_alerts
from voice_service.engine import texts
from voice_service.models import Alert, Response, Run
from voice_service.web.chat.invites import invite_link

HUNGRY = "i cant pay my gas bill and i havent eaten in 2 days"  # the trial's words, to a choice question
CONTACT = "How often do you see your family?"  # tests/factories.py's choice question


def _run(services) -> Run:
    with Session(services.engine) as session:
        return session.exec(select(Run)).scalars().one()


def _rows(services) -> list[tuple]:
    """Every stored Response: (question id, answer's words, choice or text value, number, risk)."""
    with Session(services.engine) as session:
        rows = session.exec(select(Response).order_by(Response.id)).scalars().all()
    return [(r.question_id, r.answer, r.value_text, r.value_number, r.risk) for r in rows]


def _to_the_choice_question(send) -> None:
    send("yes")
    send("4")  # safe_home
    assert CONTACT in send("yes")[0]  # listened: the choice question comes next


def test_sms_a_disclosure_to_a_choice_question_is_kept_as_words_and_the_question_comes_back(client, services):
    add_participants(services, [{"phone": phone_number(80)}])
    launch(services)
    phone = SmsPhone(client, phone_number(80))
    _to_the_choice_question(phone.send)
    replies = phone.send(HUNGRY)
    assert len(replies) == 1 and texts.is_disclosure_reply(replies[0])
    # Kept as their message with the alert (a text-in of the run, risk true), never as choice 2.
    kept = _rows(services)[-1]
    assert (kept[0], kept[1], kept[3], kept[4]) == (None, HUNGRY, None, True)
    assert "contact" not in {row[0] for row in _rows(services)}
    run = _run(services)
    assert (run.status, run.current_question, run.current_asked) == ("paused", "contact", True)
    with Session(services.engine) as session:
        assert session.exec(select(Alert)).scalars().one().message_count == 1
    # While the alert is live, a plain answer is told the survey is paused and how to carry on (finding 8).
    assert phone.send("2") == [texts.SURVEY_PAUSED]
    assert "contact" not in {row[0] for row in _rows(services)} and _run(services).status == "paused"
    # The same question comes back on GO ON, and its answer then counts.
    assert CONTACT in phone.send("GO ON")[0]
    phone.send("2")
    assert [row for row in _rows(services) if row[0] == "contact"] == [("contact", "2", "About right", None, False)]


def test_sms_a_disclosure_to_a_free_text_question_is_not_its_answer(client, services):
    """README's decision: the words go to the duty team with the alert, not among the panel's answers to
    "what would help you feel safer?"; GO ON asks that question again (it can be skipped or answered)."""
    add_participants(services, [{"phone": phone_number(81)}])
    launch(services)
    phone = SmsPhone(client, phone_number(81))
    phone.send("yes")
    question = phone.send("2")[0]
    assert "feel safer" in question
    assert texts.is_disclosure_reply(phone.send("my stepdad hits me when hes drunk")[0])
    assert {row[0] for row in _rows(services)} == {"safe_home", None}
    run = _run(services)
    assert (run.status, run.current_question, run.current_asked) == ("paused", "safe_home_why", True)
    _close_alerts(services)
    assert phone.send("GO ON") == [question]
    phone.send("a lock on my door")
    assert ("safe_home_why", "a lock on my door", "a lock on my door", None, False) in _rows(services)


def test_sms_a_count_in_a_sentence_is_asked_again_not_stored_as_the_scale(client, services):
    add_participants(services, [{"phone": phone_number(82)}])
    launch(services)
    phone = SmsPhone(client, phone_number(82))
    phone.send("yes")
    reask = phone.send("ive moved 3 times this year so not very safe tbh")
    assert reask == [texts.REASK_SCALE.format(lo=1, hi=5) + texts.SKIP_HINT]
    assert "safe_home" not in {row[0] for row in _rows(services)}
    phone.send("prob 2 tbh")
    assert [row[3] for row in _rows(services) if row[0] == "safe_home"] == [2]


def test_chat_a_disclosure_is_no_answer_an_answer_is_told_the_survey_is_paused_and_go_on_brings_it_back(
    client, services
):
    add_participants(services, [{"phone": phone_number(83), "first_name": "Zoe"}])
    launch(services)
    user = ChatUser(client)
    user.start(invite=invite_link(services, _run(services).participant_id).rsplit("/", 1)[1])
    _to_the_choice_question(user.replies)
    turn = user.say(HUNGRY)
    assert texts.is_disclosure_reply(turn["messages"][0]["text"]) and turn["quick_replies"] == []
    assert "contact" not in {row[0] for row in _rows(services)}
    paused = user.say("2")  # typed: the chat shows no buttons while the alert is live
    said = [message["text"] for message in paused["messages"]]
    assert said == [texts.for_person(texts.SURVEY_PAUSED, "webchat", adult=False)] and "Send GO ON" in said[0]
    assert paused["quick_replies"] == []  # nothing is offered while the alert is live
    assert "contact" not in {row[0] for row in _rows(services)}
    # Something that is not an answer still gets what happens next and where help is.
    assert "Send GO ON" not in user.replies("what happens now")[0]
    back = user.say("GO ON")
    assert CONTACT in back["messages"][0]["text"]
    assert [q["value"] for q in back["quick_replies"]][:3] == ["Not enough", "About right", "Too much"]
    user.say("About right")
    assert [row[2] for row in _rows(services) if row[0] == "contact"] == ["About right"]
