"""Once a worker (or the duty team) has written to a young person, their next message is a reply to that
person: kept on the thread, screened, never taken as a survey answer or as consent, and the survey stays
where it was. GO ON, closing the thread, or `[schedule] talk_hours` ends it (tester finding: "no" to "Are
you safe right now?" was stored as a survey answer and the next question went out)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select, update

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch
from tests.support.alert_record import notes_of
from tests.web.test_chat_api import ChatUser
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.engine import texts
from voice_service.inbound.situation import RunRow, Sender, SenderRow
from voice_service.inbox import close, inbox, reply
from voice_service.models import (
    Alert,
    Direction,
    Message,
    OutboxKind,
    OutboxMessage,
    Participant,
    Response,
    Run,
    utcnow,
)
from voice_service.outbox.dispatch import build_dispatcher
from voice_service.rounds.reminders import queue_reminders
from voice_service.web import create_app

NUMBER = "+447700900457"


@pytest.fixture
def texter(api_services):
    """Jo, invited to a round, texting through the signed webhook."""
    add_participants(api_services, [{"phone": NUMBER, "first_name": "Jo", "age": 15}])
    launch(api_services)
    return SmsPhone(create_app(services=api_services).test_client(), NUMBER)


def _pid(services) -> int:
    with Session(services.engine) as session:
        return session.exec(select(Participant.id)).one()


def _answered(services) -> list[tuple[str, str]]:
    with Session(services.engine) as session:
        rows = session.exec(select(Response).where(Response.question_id.is_not(None)).order_by(Response.id)).all()
        return [(row.question_id, row.answer) for row in rows]


def _run(services) -> Run:
    with Session(services.engine) as session:
        return session.exec(select(Run)).one()


def _worker_says(services, text: str, token: str) -> None:
    with session_scope(services.engine) as session:
        reply(session=session, services=services, participant_id=_pid(services), text=text, by="duty", token=token)


def test_no_to_the_duty_worker_is_a_reply_to_them_not_a_survey_answer(api_services, texter):
    texter.send("yes")
    assert texter.send("4") == ["Do you feel listened to at your reviews? Reply YES or NO."]
    [help_reply] = texter.send("my carer hit me again")
    assert texts.is_disclosure_reply(help_reply)
    _worker_says(api_services, "Hi, this is Sam from the duty team. Are you safe right now?", "t1")

    assert texter.send("no") == []  # a person is answering them: no survey question, no automatic text
    assert _answered(api_services) == [("safe_home", "4")]
    run = _run(api_services)
    assert run.status == "paused" and run.current_question == "listened"
    with Session(api_services.engine) as session:
        [row] = inbox(session=session)
        assert row.unanswered and row.risk  # the inbox shows it waiting for the duty worker
        kept = session.exec(select(Message).where(Message.body == "no")).one()
        assert kept.direction == Direction.IN and kept.run_id is None

    # Still screened like every message: a disclosure to the worker raises (or adds to) the alert.
    assert texts.is_disclosure_reply(texter.send("he said hes going to hurt me again tonight")[0])
    assert _answered(api_services) == [("safe_home", "4")]
    with Session(api_services.engine) as session:
        assert len(session.exec(select(Alert)).all()) == 1

    # GO ON is their choice to go back to the survey: the question they were on comes back.
    assert texter.send("go on") == ["Do you feel listened to at your reviews? Reply YES or NO."]
    texter.send("no")
    assert _answered(api_services) == [("safe_home", "4"), ("listened", "no")]


def test_a_worker_reply_while_a_question_waits_and_closing_the_thread_ends_it(api_services, texter):
    texter.send("yes")
    texter.send("4")
    texter.send("can someone call me please")  # not an answer: flagged for a worker
    _worker_says(api_services, "Hi Jo, it's Sam. Shall I ring you after school?", "t1")
    assert texter.send("yes") == []
    run = _run(api_services)
    assert run.status == "active" and run.current_question == "listened"
    assert _answered(api_services) == [("safe_home", "4")]

    with session_scope(api_services.engine) as session:
        close(session=session, participant_id=_pid(api_services), by="w")
    texter.send("yes")  # the thread is closed: back to the survey's question
    assert _answered(api_services) == [("safe_home", "4"), ("listened", "yes")]


DUTY_PHONE = "+447700900555"


@pytest.fixture
def duty_services(api_services):
    """The fake-Twilio services, with a duty phone."""
    config = api_services.config.with_overrides(safeguarding={"duty_phones": [DUTY_PHONE], "renotify_minutes": 30})
    return Services.from_config(config, engine=api_services.engine)


def _updates(services) -> list[OutboxMessage]:
    with Session(services.engine) as session:
        query = select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.ALERT_UPDATE).order_by(OutboxMessage.id)
        return list(session.exec(query).all())


def test_the_duty_team_is_told_when_the_young_person_writes_back_at_most_once_in_a_while(duty_services):
    """They answer the duty worker's "Are you safe right now?": the answer is on the thread, and the duty
    phone gets a notice (no words, no number, the duty page's link), not one per message of a chatty thread."""
    add_participants(duty_services, [{"phone": NUMBER, "first_name": "Jo", "age": 17}])
    launch(duty_services)
    texter = SmsPhone(create_app(services=duty_services).test_client(), NUMBER)
    texter.send("yes")
    texter.send("my carer hit me again")
    _worker_says(duty_services, "Hi, this is Sam from the duty team. Are you safe right now?", "t1")
    assert _updates(duty_services) == []

    assert texter.send("no not really") == []
    [notice] = _updates(duty_services)
    with Session(duty_services.engine) as session:
        alert = session.exec(select(Alert)).one()
    assert notice.alert_id == alert.id and notice.channel == "sms" and not notice.respect_window
    assert duty_services.vault.decrypt(notice.to_encrypted) == DUTY_PHONE
    assert notice.body.startswith(f"New message on alert #{alert.id} ") and f"/admin/alerts/{alert.id}" in notice.body
    assert "really" not in notice.body and NUMBER not in notice.body and NUMBER[-6:] not in notice.body

    texter.send("my phone is about to die")
    texter.send("are you there")
    # Not one notice each, and none dropped (trial 11, T11-1): one more, at the end of `renotify_minutes`,
    # telling of both.
    first, later = _updates(duty_services)
    assert later.body.startswith(f"2 new messages on alert #{alert.id} ") and later.status == "pending"
    assert timedelta(minutes=29) < later.not_before - first.not_before <= timedelta(minutes=30)
    assert "phone" not in later.body and NUMBER not in later.body


def test_a_reminder_sent_after_the_worker_reply_ends_it(api_services):
    """A reminder is a survey message: once it has gone, it is the latest thing they were sent, so their
    answer goes to the survey, as after an invitation (not to the worker, with no reply at all)."""
    add_participants(api_services, [{"phone": NUMBER, "first_name": "Jo", "age": 17}])
    launch(api_services)
    texter = SmsPhone(create_app(services=api_services).test_client(), NUMBER)
    texter.send("yes")
    texter.send("4")
    texter.send("can someone call me please")
    _worker_says(api_services, "Hi Jo, it's Sam. Shall I ring you after school?", "t1")
    assert texter.send("maybe later") == []  # to Sam

    with session_scope(api_services.engine) as session:
        session.exec(
            update(OutboxMessage).where(OutboxMessage.kind == "invitation").values(status="sent", sent_at=utcnow())
        )
        later = utcnow() + timedelta(days=4)
        assert (
            queue_reminders(session=session, vault=api_services.vault, after_days=3, max_reminders=1, now=later).queued
            == 1
        )
    assert texter.send("yes") == []  # queued, not yet sent: still talking with Sam
    assert build_dispatcher(api_services, settle_seconds=0).flush().sent == 2  # Sam's text, then the reminder
    assert texter.send("yes")  # the survey answers them again
    assert _answered(api_services) == [("safe_home", "4"), ("listened", "yes")]


def test_web_chat_after_a_duty_reply_shows_no_consent_prompt_and_no_is_not_a_refusal(client, services):
    user = ChatUser(client)
    user.start()
    user.say("my mum's boyfriend hit me last night")
    _worker_says(services, "Hi, I'm Sam on the duty team. Are you safe right now?", "t1")

    resumed = client.get(f"/api/chat/sessions/{user.session}").get_json()
    assert resumed["messages"][-1]["text"] == "Hi, I'm Sam on the duty team. Are you safe right now?"
    assert resumed["quick_replies"] == []
    page = client.get("/chat").get_data(as_text=True)  # the reloaded page: nothing asked under the duty message
    assert page.rfind("Tap Yes") < page.find("Are you safe right now?")
    assert "Welcome back" not in page and 'value="No"' not in page

    turn = user.say("no")
    assert turn["messages"] == [] and turn["quick_replies"] == []
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).one()
        assert participant.onboarding["step"] == "consent"  # not declined
        [row] = inbox(session=session)
        assert row.unanswered


def _sender(replied: datetime | None, run_moved: datetime | None) -> Sender:
    run = None
    if run_moved is not None:
        run = RunRow(1, 1, 1, "paused", "q", True, False, "en", run_moved, None, run_moved)
    return Sender(SenderRow(1, "h", "import", None), False, run, None, None, last_reply_at=replied)


def test_what_ends_talking_with_a_person():
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    hour = timedelta(hours=1)
    three_days = timedelta(hours=72)
    assert _sender(now - hour, now - 2 * hour).talking_to_person(now, three_days)
    assert _sender(now - hour, None).talking_to_person(now, three_days)
    assert not _sender(None, now - 2 * hour).talking_to_person(now, three_days)  # no worker reply (or closed)
    assert not _sender(now - 2 * hour, now - hour).talking_to_person(now, three_days)  # a survey text since
    assert not _sender(now - three_days, None).talking_to_person(now, three_days)  # the time limit
    assert not _sender(now - hour, None).talking_to_person(now, timedelta(0))  # talk_hours = 0: off
    naive = (now - hour).replace(tzinfo=None)  # SQLite gives times back without their zone
    assert _sender(naive, naive - hour).talking_to_person(now, three_days)


def test_replying_to_them_picks_the_alert_up_so_it_is_not_escalated_while_someone_talks_to_them(api_services, texter):
    # Tester F17: the alert stayed "not acknowledged" and went to the emergency duty team while a
    # duty worker was talking to the young person.
    texter.send("yes")
    assert texts.is_disclosure_reply(texter.send("my carer hit me again")[0])
    _worker_says(api_services, "Hi, this is Sam from the duty team. Are you safe right now?", "t1")
    with Session(api_services.engine) as session:
        alert = session.exec(select(Alert)).one()
        assert alert.status == "acknowledged" and alert.acknowledged_by == "duty"
        assert "Picked up by replying to them" in (notes_of(session, alert.id) or "")
        acknowledged_at = alert.acknowledged_at
    _worker_says(api_services, "I'm calling you now", "t2")  # a second reply changes nothing
    with Session(api_services.engine) as session:
        alert = session.exec(select(Alert)).one()
        assert alert.acknowledged_at == acknowledged_at
        assert (notes_of(session, alert.id) or "").count("Picked up") == 1


def test_an_hour_after_the_workers_reply_their_words_are_answered_that_a_person_will_read_them(api_services, texter):
    """Trial 9, T9-3: once the duty worker had closed the alert, "thanks", "3" and "is it too late?" got no reply at
    all for up to talk_hours, with the worker perhaps long gone. Within an hour of their reply it is a live exchange
    (nothing automatic); after it, a person will read it, with where help is. Still kept on the thread, no answer."""
    from voice_service.models import Conversation

    texter.send("yes")
    texter.send("4")
    assert texts.is_disclosure_reply(texter.send("my carer hit me again")[0])
    _worker_says(api_services, "Hi, this is Sam. I'll call you in 10 minutes.", "t9")
    assert texter.send("ok thanks") == []
    with session_scope(api_services.engine) as session:
        # An hour on, as the clock would have it: the run last moved before the reply, as it did.
        session.exec(update(Run).values(updated_at=utcnow() - timedelta(minutes=62)))
        session.exec(update(Conversation).values(last_reply_at=utcnow() - timedelta(minutes=61)))
    (said,) = texter.send("is it too late?")
    assert texts.is_unread_reply(said) and "999" in said
    assert _answered(api_services) == [("safe_home", "4")]  # still no survey answer
    with Session(api_services.engine) as session:
        bodies = session.exec(select(Message.body).where(Message.direction == Direction.IN)).all()
    assert "is it too late?" in bodies
