"""Trial 12, finding 5: on an acknowledged alert, a further disclosure (a message the risk screen marks as risk) was
put off up to `renotify_minutes` (30 by default) before the duty team heard, like a chatty reply: "i cut again last
night" sent an "UPDATED" notice at once, and "he touched me again", 20 seconds later, waited for the window's end. A
further disclosure now goes at once, as a plea does, taking any notice still waiting with it; a reply to a worker
(an ordinary follow-up) still waits for the quiet window.

Through the real paths: the disclosures raised as the inbound path raises them (`raise_alert`), the duty worker's
acknowledgement, the outbox sent by the real dispatcher to the real routes (SMS against the fake Twilio API, email
over STARTTLS, the signed webhook), all on a passed-in clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from tests.outbox.helpers import Clock
from tests.support.alert_routes import (
    DESK_OPEN_NO_ESCALATION,
    RAISED,
    as_duty,
    disclose,
    duty_texts,
    flush_outbox,
    open_routes,
    young_person,
)
from voice_service.db import session_scope
from voice_service.models import OutboxKind, OutboxMessage, OutboxStatus
from voice_service.safeguarding import alerts as safeguarding


@pytest.fixture
def routes(database_url, fake_twilio, webhook, smtp_server):
    """Every duty route real, no escalation contacts, renotify_minutes 30, the duty desk open all day."""
    with open_routes(database_url, fake_twilio, webhook, smtp_server, **DESK_OPEN_NO_ESCALATION) as opened:
        yield opened


def _at(services, clock: Clock, minutes: float) -> None:
    """The scheduler's dispatcher runs `minutes` after RAISED."""
    clock.current = RAISED + timedelta(minutes=minutes)
    flush_outbox(services, clock)


def _news(fake_twilio, alert_id: int) -> list[str]:
    return [text for text in duty_texts(fake_twilio) if f" on alert #{alert_id} " in text and "UPDATED" not in text]


def _waiting(services) -> list[OutboxMessage]:
    with Session(services.engine) as session:
        return list(
            session.exec(
                select(OutboxMessage).where(
                    col(OutboxMessage.kind) == OutboxKind.ALERT_UPDATE,
                    col(OutboxMessage.status) == OutboxStatus.PENDING,
                )
            ).all()
        )


def _acknowledged(services, clock: Clock) -> tuple[int, int]:
    """A self-harm disclosure at RAISED, its notices sent, acknowledged five minutes on: (alert id, person)."""
    person = young_person(services)
    alert_id = disclose(services, person, when=RAISED)
    flush_outbox(services, clock)
    as_duty(services, safeguarding.acknowledge, alert_id, by="Kim Duty", now=RAISED + timedelta(minutes=5))
    return alert_id, person


def test_a_further_disclosure_after_an_update_is_told_at_once(routes, fake_twilio):
    """The trial's order: a disclosure that adds a category ("UPDATED" at once), then, 20 seconds later, one that
    changes nothing: told at once too, not half an hour on."""
    services, _, _ = routes
    clock = Clock(RAISED)
    alert_id, person = _acknowledged(services, clock)
    assert disclose(services, person, when=RAISED + timedelta(minutes=10), categories=("abuse",)) == alert_id
    _at(services, clock, 10)
    assert duty_texts(fake_twilio)[-1].startswith(f"UPDATED: alert #{alert_id} high priority, new category: abuse")
    assert disclose(services, person, when=RAISED + timedelta(minutes=10, seconds=20)) == alert_id
    _at(services, clock, 10.5)
    news = _news(fake_twilio, alert_id)
    assert len(news) == 1 and news[0].startswith(f"New message on alert #{alert_id} high priority ("), news
    assert ", Tue 1 Dec 14:15) " in news[0], news  # the time of the message
    assert _waiting(services) == []


def test_a_further_disclosure_inside_the_window_takes_the_waiting_notice_with_it(routes, fake_twilio):
    """A reply to a worker put off to the window's end, then a further disclosure: one notice at once counting both."""
    services, _, _ = routes
    clock = Clock(RAISED)
    alert_id, person = _acknowledged(services, clock)
    assert disclose(services, person, when=RAISED + timedelta(minutes=40)) == alert_id
    _at(services, clock, 40)
    assert len(_news(fake_twilio, alert_id)) == 1
    with session_scope(services.engine) as session:  # they write back to a worker: an ordinary follow-up
        safeguarding.notify_reply(
            session=session,
            vault=services.vault,
            config=services.config,
            participant_id=person,
            now=RAISED + timedelta(minutes=44),
        )
    _at(services, clock, 44)
    assert len(_news(fake_twilio, alert_id)) == 1 and len(_waiting(services)) == 3  # put off to 15:15
    assert disclose(services, person, when=RAISED + timedelta(minutes=46)) == alert_id
    _at(services, clock, 46)
    news = _news(fake_twilio, alert_id)
    assert len(news) == 2 and news[1].startswith(f"2 new messages on alert #{alert_id} "), news
    assert _waiting(services) == []
    _at(services, clock, 120)
    assert len(_news(fake_twilio, alert_id)) == 2


def test_a_further_disclosure_on_an_alert_nobody_has_yet_is_told_at_once_by_every_route(routes, fake_twilio):
    """A trial: on an open alert (not acknowledged), "he hit him again tonight and threw him down the stairs", in a
    category it already had, told nobody; the duty team heard only the next reminder, up to `renotify_minutes` on.
    Now every duty route hears at once, with no words of the message, and the next reminder counts from then."""
    services, hook, mails = routes
    clock = Clock(RAISED)
    person = young_person(services)
    alert_id = disclose(services, person, when=RAISED)
    _at(services, clock, 0)
    assert disclose(services, person, when=RAISED + timedelta(minutes=12)) == alert_id  # the same category
    _at(services, clock, 12)
    news = _news(fake_twilio, alert_id)
    assert len(news) == 1 and news[0].startswith(f"New message on alert #{alert_id} high priority ("), news
    assert sum(p["event"] == "safeguarding_alert_new_message" for p in hook.received) == 1
    subjects = [" ".join(str(mail["Subject"]).split()) for mail in mails]
    assert subjects[-1] == f"New message: Voice Service safeguarding alert #{alert_id} (high priority)", subjects

    def chased(minutes: float) -> list[int]:
        """The scheduler's re-notification job, then its dispatcher, `minutes` after RAISED."""
        with session_scope(services.engine) as session:
            now = RAISED + timedelta(minutes=minutes)
            done = safeguarding.renotify_overdue(session=session, vault=services.vault, config=services.config, now=now)
        _at(services, clock, minutes)
        return done

    assert chased(35) == []  # 30 minutes after the first notice, but not after the second
    assert chased(43) == [alert_id]
    assert duty_texts(fake_twilio)[-1].startswith(f"Reminder 1: alert #{alert_id} "), duty_texts(fake_twilio)
