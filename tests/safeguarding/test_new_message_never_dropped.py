"""Trial 11, T11-1: a young person's message on a live alert, arriving within `renotify_minutes` of the last "New
message on alert #N" notice, was dropped for good: nothing was queued for later, and an acknowledged alert is not
chased by reminders, so "yes please call" after a duty worker's "Are you safe? I can call you" reached nobody's
phone. The limit now puts the notice off, never drops it: one notice is queued for the end of the quiet window, and
every message that comes meanwhile is counted into it ("2 new messages on alert #N"). The first message after a
worker's own reply goes at once: that worker is waiting for exactly that answer.

Through the real paths: the young person's texts in through `receive` (the path the signed webhook drives), the
duty worker's reply through the inbox, the outbox sent by the real dispatcher to the real routes (SMS against the
fake Twilio API, email over STARTTLS, the signed webhook), all on a passed-in clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from tests.factories import add_participants
from tests.outbox.helpers import Clock
from tests.support.alert_routes import (
    DESK_OPEN_NO_ESCALATION,
    FIRST_NAME,
    RAISED,
    YOUNG_PERSON,
    as_duty,
    disclose,
    duty_texts,
    flush_outbox,
    nothing_said,
    open_routes,
)
from voice_service.accounts import create_user
from voice_service.db import session_scope
from voice_service.inbound.receive import receive
from voice_service.models import Alert, OutboxKind, OutboxMessage, OutboxStatus
from voice_service.safeguarding import alerts as safeguarding

DISCLOSURE = "my step dad hit me again and i dont want to go home"
SAID = ("step dad", "hit me", "need help", "ok thanks", "are you there", "still here")
WORKER = "kim@council.test"


@pytest.fixture
def routes(database_url, fake_twilio, webhook, smtp_server):
    """Every duty route real, no escalation contacts, renotify_minutes 30, the duty desk open all day."""
    with open_routes(database_url, fake_twilio, webhook, smtp_server, **DESK_OPEN_NO_ESCALATION) as opened:
        yield opened


def _text(services, text: str, minutes: float) -> None:
    """The young person's text, in through the inbound path `minutes` after RAISED."""
    with session_scope(services.engine) as session:
        receive(
            session=session,
            services=services,
            channel="sms",
            text=text,
            phone=YOUNG_PERSON,
            now=RAISED + timedelta(minutes=minutes),
        )


def _worker_replies(services, alert_id: int, minutes: float) -> None:
    """A duty worker answers them from the alert's thread (which picks the alert up)."""
    from voice_service.inbox.threads import reply

    with session_scope(services.engine) as session:
        person = session.get(Alert, alert_id).participant_id  # type: ignore[union-attr]
        reply(
            session=session,
            services=services,
            participant_id=person,
            text="Hi, it's Kim from the duty team. Are you safe right now? I can call you.",
            by=WORKER,
            token=f"t{minutes}",
            now=RAISED + timedelta(minutes=minutes),
        )


def _raised(services, clock: Clock) -> int:
    add_participants(services, [{"phone": YOUNG_PERSON, "first_name": FIRST_NAME, "date_of_birth": "2011-03-04"}])
    with session_scope(services.engine) as session:
        create_user(session=session, email=WORKER, roles=["duty"], password="a long pass phrase 42")
    _text(services, DISCLOSURE, 0)
    flush_outbox(services, clock)
    with Session(services.engine) as session:
        [alert_id] = session.exec(select(Alert.id)).all()
    assert alert_id is not None
    return alert_id


def _at(services, clock: Clock, minutes: float) -> None:
    """The scheduler's dispatcher runs at `minutes` after RAISED."""
    clock.current = RAISED + timedelta(minutes=minutes)
    flush_outbox(services, clock)


def _more(services, alert_id: int, minutes: float) -> None:
    """More of the same disclosure (nothing new: no "UPDATED" notice), `minutes` after RAISED."""
    with Session(services.engine) as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        categories, priority, person = tuple(alert.categories), alert.priority, alert.participant_id
    when = RAISED + timedelta(minutes=minutes)
    assert disclose(services, person, when=when, categories=categories, priority=priority) == alert_id


def _follow_up(services, alert_id: int, minutes: float) -> None:
    """They write back to a worker (`ToPerson`: an ordinary follow-up, not a disclosure), `minutes` after RAISED."""
    with Session(services.engine) as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None and alert.participant_id is not None
        person = alert.participant_id
    with session_scope(services.engine) as session:
        told = safeguarding.notify_reply(
            session=session,
            vault=services.vault,
            config=services.config,
            participant_id=person,
            now=RAISED + timedelta(minutes=minutes),
        )
        assert told is not None and told.id == alert_id


def _news(fake_twilio, alert_id: int) -> list[str]:
    return [
        text
        for text in duty_texts(fake_twilio)
        if text.startswith((f"New message on alert #{alert_id} ", "2 new messages", "3 new messages"))
    ]


def test_a_reply_to_the_worker_inside_the_window_is_told_at_once_and_later_ones_at_its_end(routes, fake_twilio):
    services, hook, mails = routes
    clock = Clock(RAISED)
    alert_id = _raised(services, clock)
    link = f"/admin/alerts/{alert_id}"

    _text(services, "i need help", 10)  # a plea: "New message on alert #N" at once
    _at(services, clock, 10)
    assert len(_news(fake_twilio, alert_id)) == 1
    _worker_replies(services, alert_id, 12)
    _at(services, clock, 12)

    # Two minutes after the plea's notice, inside renotify_minutes: the answer the worker waits for goes at once.
    _text(services, "ok thanks", 14)
    _at(services, clock, 14)
    news = _news(fake_twilio, alert_id)
    assert len(news) == 2 and news[1].startswith(f"New message on alert #{alert_id} high priority ("), news

    # More inside the window: one notice, put off to its end (30 minutes after the last one), counting them all.
    _text(services, "are you there", 16)
    _text(services, "still here", 25)
    _at(services, clock, 43)
    assert len(_news(fake_twilio, alert_id)) == 2  # not yet
    _at(services, clock, 44)
    news = _news(fake_twilio, alert_id)
    assert len(news) == 3, news
    assert news[2].startswith(f"2 new messages on alert #{alert_id} high priority (") and link in news[2], news
    assert ", sms, Tue 1 Dec 14:30) " in news[2], news  # the time of the latest
    assert len(news[2]) <= safeguarding.SMS_LIMIT
    subjects = [" ".join(str(mail["Subject"]).split()) for mail in mails]
    assert subjects[-1] == f"2 new messages: Voice Service safeguarding alert #{alert_id} (high priority)", subjects
    told = [p["new_messages"] for p in hook.received if p["event"] == "safeguarding_alert_new_message"]
    assert told == [1, 1, 2], told  # the webhook says how many, as the text and the email do
    assert all("new_messages" not in p for p in hook.received if p["event"] != "safeguarding_alert_new_message")
    parts = [str(part.get_payload(decode=True) or b"", "utf-8") for mail in mails for part in mail.walk()]
    nothing_said(duty_texts(fake_twilio) + parts + subjects + [b.decode() for _, b in hook.raw], words=SAID)

    # Nothing more waits, and "Who was told" lists each notice once, none as failed.
    _at(services, clock, 120)
    assert len(_news(fake_twilio, alert_id)) == 3
    with Session(services.engine) as session:
        told = [
            event.words("Europe/London", now=clock.current)
            for event in safeguarding.notice_history(session=session, alert_id=alert_id)
            if event.kind == OutboxKind.ALERT_UPDATE
        ]
    assert told == [
        "Tue 1 Dec 14:15: duty team told of a new message (text, email, webhook)",
        "Tue 1 Dec 14:19: duty team told of a new message (text, email, webhook)",
        "Tue 1 Dec 14:49: duty team told of 2 new messages (text, email, webhook)",
    ], told
    # `alerts list` and the dashboard's list count the messages told of, not the notices.
    with Session(services.engine) as session:
        state = safeguarding.notice_states(session=session, alert_ids=[alert_id])[alert_id]
    assert state.words() == "notified once; told of 4 new messages", state.words()


def test_a_follow_up_on_an_acknowledged_alert_waits_for_the_window_not_for_ever(routes, fake_twilio):
    """No worker has replied since the last notice: a follow-up on an acknowledged alert, inside the window, is told
    at its end. (A further disclosure never waits: `test_further_disclosure_at_once`.)"""
    services, _, _ = routes
    clock = Clock(RAISED)
    alert_id = _raised(services, clock)
    as_duty(services, safeguarding.acknowledge, alert_id, by="Kim Duty", now=RAISED + timedelta(minutes=5))
    _more(services, alert_id, 40)  # acknowledged, nothing new, 40 minutes on: the short notice at once
    _at(services, clock, 40)
    assert len(_news(fake_twilio, alert_id)) == 1
    _follow_up(services, alert_id, 45)  # inside the window
    _at(services, clock, 69)
    assert len(_news(fake_twilio, alert_id)) == 1
    _at(services, clock, 70)
    news = _news(fake_twilio, alert_id)
    assert len(news) == 2 and news[1].startswith(f"New message on alert #{alert_id} "), news
    assert news[1].split(", ")[-1].startswith("Tue 1 Dec 14:50)"), news  # the time of the message


def test_a_plea_takes_the_waiting_notice_with_it(routes, fake_twilio):
    """A message waiting for the window's end, then a plea: one notice at once counting both, nothing left behind."""
    services, _, _ = routes
    clock = Clock(RAISED)
    alert_id = _raised(services, clock)
    as_duty(services, safeguarding.acknowledge, alert_id, by="Kim Duty", now=RAISED + timedelta(minutes=5))
    _more(services, alert_id, 40)
    _at(services, clock, 40)
    _follow_up(services, alert_id, 45)  # waits until 15:15
    _text(services, "i need help", 50)  # a plea never waits
    _at(services, clock, 50)
    news = _news(fake_twilio, alert_id)
    assert len(news) == 2 and news[1].startswith(f"2 new messages on alert #{alert_id} "), news
    _at(services, clock, 120)
    assert len(_news(fake_twilio, alert_id)) == 2
    with Session(services.engine) as session:
        waiting = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.kind == OutboxKind.ALERT_UPDATE, OutboxMessage.status == OutboxStatus.PENDING
            )
        ).all()
    assert waiting == []
