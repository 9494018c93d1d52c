"""A late answer to a survey whose round has closed gets a plain, warm "that survey has closed, our team will
still read it", never another round's nudge, invitation or question (trial finding: an answer after its round
closed got another round's nudge). Through the real webhook (signed) and the web chat API, on both databases.

The young person was invited to round B of one survey and left it; then invited to round A of another, they
said YES and answered. Round A closes at 7 pm; at 7:05 pm they text "3" (an answer to A's question), then
some words. Before the fix "3" got B's "Just reply YES to start our quick survey" and both were filed under
round B; a "3" to a question of B they had started would have been stored as B's answer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from tests.conftest import SmsPhone
from tests.factories import SMALL_SURVEY, add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from tests.web.test_disclosure import RISKY, said_after_disclosure
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.engine import texts
from voice_service.inbound.situation import CLOSED_REPLY_DAYS, RunRow, answers_closed
from voice_service.inbox.threads import thread
from voice_service.models import Alert, Message, OutboxKind, OutboxMessage, Participant, Response, Run
from voice_service.rounds.launch import close_round
from voice_service.web import create_app
from voice_service.web.chat.invites import invite_link

OTHER_SURVEY = SMALL_SURVEY.replace('id = "check-in"', 'id = "other"').replace("Quick check-in", "Other check-in")


def _in_two_rounds(services, index: int) -> tuple[int, int, int]:
    """A young person invited to round B (left unanswered), then to round A: (participant, A, B)."""
    add_participants(services, [{"phone": phone_number(index), "first_name": "Jo", "age": 15}])
    other = launch(services, survey_source=OTHER_SURVEY)  # B, invited first
    this = launch(services)  # A, the survey they go on to answer
    with Session(services.engine) as session:
        participant_id = session.exec(select(Participant.id)).scalars().one()
    return participant_id, this, other


def _close(services, round_id: int) -> None:
    with session_scope(services.engine) as session:
        close_round(session=session, round_id=round_id)


def _runs(services) -> dict[int, tuple[str, str | None, bool]]:
    with Session(services.engine) as session:
        return {r.round_id: (r.status, r.current_question, r.reasked) for r in session.exec(select(Run)).scalars()}


def _responses(services) -> list[tuple[int | None, str | None, str]]:
    with Session(services.engine) as session:
        rows = session.exec(select(Response).order_by(Response.id)).scalars()
        return [(r.round_id, r.question_id, r.answer) for r in rows]


def test_a_late_sms_answer_gets_the_survey_closed_not_another_rounds_nudge(client, services):
    participant_id, this, other = _in_two_rounds(services, 70)
    phone = SmsPhone(client, phone_number(70))
    assert "How safe" in phone.send("yes")[0]
    assert "listened" in phone.send("4")[0]
    _close(services, this)  # 7 pm

    assert phone.send("3") == [texts.CLOSED]  # 7:05 pm: not B's "Just reply YES to start our quick survey"
    assert phone.send("nobody listens to me at my reviews") == [texts.CLOSED]
    reply = texts.CLOSED
    assert texts.sms_segments(reply) == 1 and "closed" in reply and "read" in reply and "YES" not in reply

    # Round B is as it was: not nudged, not started, nothing filed under it.
    assert _runs(services)[other] == ("invited", None, False)
    # The answer before the close is A's; the late words are text-ins, each stored once, in no round,
    # and in the inbox for the team to read.
    assert _responses(services) == [
        (this, "safe_home", "4"),
        (None, None, "3"),
        (None, None, "nobody listens to me at my reviews"),
    ]
    with Session(services.engine) as session:
        assert session.exec(select(func.count()).select_from(Message).where(Message.direction == "in")).one()[0] == 4
        inbox = thread(session=session, participant_id=participant_id, config=services.config)
        assert sorted(m.body for m in inbox.messages if m.id in inbox.text_in_ids) == [
            "3",
            "nobody listens to me at my reviews",
        ]


def test_a_late_answer_is_never_stored_as_another_surveys_answer(client, services):
    """Mid-way through B as well (they had started it before A was sent): "3" after A closed is not B's answer."""
    add_participants(services, [{"phone": phone_number(71), "age": 15}])
    phone = SmsPhone(client, phone_number(71))
    other = launch(services, survey_source=OTHER_SURVEY)
    assert "How safe" in phone.send("yes")[0]  # B's first question, left unanswered
    this = launch(services)
    assert "How safe" in phone.send("yes")[0]  # A, the newest invitation
    assert "listened" in phone.send("4")[0]
    _close(services, this)
    assert phone.send("3") == [texts.CLOSED]
    assert _runs(services)[other] == ("active", "safe_home", False)
    assert _responses(services) == [(this, "safe_home", "4"), (None, None, "3")]


def test_a_round_sent_to_them_after_the_closed_one_still_gets_its_answers(client, services):
    """The rule is what they were last asked: B's invitation came after A's last question, so YES is B's."""
    add_participants(services, [{"phone": phone_number(72), "age": 15}])
    phone = SmsPhone(client, phone_number(72))
    this = launch(services)
    assert "How safe" in phone.send("yes")[0]
    other = launch(services, survey_source=OTHER_SURVEY)  # B's invitation, after A's question
    _close(services, this)
    assert "How safe" in phone.send("yes")[0]
    assert _runs(services)[other] == ("active", "safe_home", False)


@pytest.fixture
def duty_services(api_services):
    """The fake-Twilio services, with a duty phone (so an alert queues its notice)."""
    config = api_services.config.with_overrides(safeguarding={"duty_phones": ["+447700900999"]})
    return Services.from_config(config, engine=api_services.engine)


def test_a_late_disclosure_still_gets_the_help_reply_and_alerts_once(duty_services):
    services = duty_services
    _, this, other = _in_two_rounds(services, 73)
    phone = SmsPhone(create_app(services=services).test_client(), phone_number(73))
    phone.send("yes")
    phone.send("4")
    _close(services, this)
    [reply] = phone.send(RISKY)
    assert texts.is_disclosure_reply(reply)  # screened first, and the help reply alone
    with Session(services.engine) as session:
        [alert] = session.exec(select(Alert)).scalars().all()
        notices = session.exec(select(OutboxMessage).where(OutboxMessage.alert_id == alert.id)).scalars().all()
    assert alert.status == "open" and [n.kind for n in notices] == [OutboxKind.ALERT]
    assert _responses(services) == [(this, "safe_home", "4"), (None, None, RISKY)]  # kept once, in no round
    assert _runs(services)[other][0] == "invited"  # B was not what they answered
    # While the alert is live, what they say next gets what happens next and where help is, never B's invitation.
    said_after_disclosure(services, lambda: phone.send("ok"))


def test_a_late_answer_in_the_web_chat_gets_the_chats_words_and_no_buttons(client, services):
    participant_id, this, other = _in_two_rounds(services, 74)
    link = invite_link(services, participant_id)
    user = ChatUser(client)
    opening = user.start(invite=link.rsplit("/", 1)[1])
    assert opening["messages"][0]["text"].startswith("Hi Jo")  # A, the newest invitation
    assert "How safe" in user.replies("Yes")[0]
    assert "listened" in user.replies("4")[0]
    _close(services, this)

    late = user.say("3")
    [reply] = [m["text"] for m in late["messages"]]
    assert reply == texts.for_channel(texts.CLOSED, texts.WEBCHAT)
    assert "text" not in reply.lower() and "STOP" not in reply and "closed" in reply
    assert late["quick_replies"] == []  # no "Yes" / "Not now" for round B
    assert _runs(services)[other] == ("invited", None, False)
    assert _responses(services)[-1] == (None, None, "3")


def _run_row(updated_at: datetime) -> RunRow:
    return RunRow(1, 1, 1, "invited", None, True, False, "en", None, None, updated_at)


def test_answers_closed_is_for_a_closed_run_that_moved_last_and_closed_lately():
    closes = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)
    asked = closes - timedelta(hours=1)  # A's last question
    older = _run_row(asked - timedelta(days=2))  # B's invitation, before it
    newer = _run_row(asked + timedelta(minutes=5))  # B's invitation (or reminder), after it
    late = closes + timedelta(minutes=5)
    assert answers_closed(older, closed_moved=asked, last_closed=closes, now=late)
    assert answers_closed(older, closed_moved=asked, last_closed=closes, now=late + timedelta(hours=1))
    assert not answers_closed(newer, closed_moved=asked, last_closed=closes, now=late)
    assert not answers_closed(older, closed_moved=None, last_closed=None, now=late)
    long_after = closes + timedelta(days=CLOSED_REPLY_DAYS)
    assert not answers_closed(older, closed_moved=asked, last_closed=closes, now=long_after)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_closing_a_round_keeps_when_each_run_last_moved(services):
    add_participants(services, [{"phone": phone_number(75)}])
    round_id = launch(services)
    with Session(services.engine) as session:
        before = session.exec(select(Run)).scalars().one().updated_at
    with session_scope(services.engine) as session:
        close_round(session=session, round_id=round_id, now=datetime.now(UTC) + timedelta(days=1))
    with Session(services.engine) as session:
        run = session.exec(select(Run)).scalars().one()
    assert run.status == "closed" and run.updated_at == before and run.ended_at > run.updated_at
