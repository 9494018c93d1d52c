"""Trial 12, finding 6: one message sent the duty phone two texts within a second. Following the README's quick
start, "my mate has to carry stuff for older boys" then "help me hes back" (a plea the screen also flags, adding a
category) sent both "UPDATED: alert #N ... new category: unsafe home" and "New message on alert #N" (out of hours,
4 texts to 2 phones for 1 message), and the "New message" text left out the "out of hours" marker every other
notice carries. Now one message sends one notice a route: the update, saying they asked for help; and a "New
message" notice says "out of hours" when it fits one SMS.

Through the real paths: the young person's texts in through `receive` (the path the signed webhook drives) on a
passed-in clock, the outbox sent by the real dispatcher to the real routes (the real twilio client against the fake
Twilio API, email over STARTTLS, the signed webhook); office hours set here, never read from the day the tests run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from tests.factories import add_participants
from tests.outbox.helpers import Clock
from tests.support.alert_routes import (
    DUTY_PHONE,
    EDT_PHONE,
    FIRST_NAME,
    YOUNG_PERSON,
    as_duty,
    flush_outbox,
    nothing_said,
    open_routes,
)
from voice_service.db import session_scope
from voice_service.inbound.receive import receive
from voice_service.models import Alert, OutboxKind, OutboxStatus
from voice_service.safeguarding import alerts as safeguarding

# Tuesday 1 December 2026 in London (GMT): 23:35 with the duty desk shut (escalated at once), 14:05 with it open.
NIGHT = datetime(2026, 12, 1, 23, 35, tzinfo=UTC)
DAY = datetime(2026, 12, 1, 14, 5, tzinfo=UTC)
OFFICE_HOURS = {"office_hours": "09:00-17:00", "bank_holidays": "england-and-wales", "closed_days": []}
FIRST = "my mate has to carry stuff for older boys"  # the README's quick start, step 3: exploitation
PLEA = "help me hes back"  # a plea the screen flags too: unsafe home, a new category
SAID = ("carry stuff", "older boys", "hes back", "help me")


@pytest.fixture
def routes(database_url, fake_twilio, webhook, smtp_server):
    """Every duty and escalation route real (`tests.support.alert_routes`), office hours 09:00-17:00."""
    with open_routes(database_url, fake_twilio, webhook, smtp_server, **OFFICE_HOURS) as opened:
        yield opened


def _text(services, text: str, when: datetime) -> None:
    """The young person's text, in through the inbound path at `when`."""
    with session_scope(services.engine) as session:
        receive(session=session, services=services, channel="sms", text=text, phone=YOUNG_PERSON, now=when)


def _raised(services, clock: Clock) -> int:
    """The README's first worrying text at the clock's time, its notices sent; the alert's id."""
    add_participants(services, [{"phone": YOUNG_PERSON, "first_name": FIRST_NAME, "date_of_birth": "2011-03-04"}])
    _text(services, FIRST, clock.current)
    flush_outbox(services, clock)
    with Session(services.engine) as session:
        [alert_id] = session.exec(select(Alert.id)).all()
    assert alert_id is not None
    return alert_id


def _texts(fake_twilio, phone: str) -> list[str]:
    return [message["body"] for message in fake_twilio.to(phone)]


@pytest.mark.parametrize("raised", [DAY, NIGHT], ids=["day", "night"])
def test_a_plea_that_adds_a_category_sends_one_notice_a_route(routes, fake_twilio, raised):
    services, hook, mails = routes
    clock = Clock(raised)
    alert_id = _raised(services, clock)
    before = (len(_texts(fake_twilio, DUTY_PHONE)), len(_texts(fake_twilio, EDT_PHONE)), len(mails), len(hook.received))
    clock.current = raised + timedelta(seconds=20)
    _text(services, PLEA, clock.current)
    flush_outbox(services, clock)

    duty, edt = _texts(fake_twilio, DUTY_PHONE), _texts(fake_twilio, EDT_PHONE)
    update = f"UPDATED: alert #{alert_id} high priority, asked for help, new category: unsafe home; also exploitation ("
    assert len(duty) == before[0] + 1 and duty[-1].startswith(update), duty
    # One SMS by day; at night, with "out of hours" too, it may run into a second segment (as an update naming every
    # category does), still one message on the phone, where two texts came before.
    assert len(duty[-1]) <= (safeguarding.SMS_LIMIT if raised == DAY else safeguarding.ESCALATION_SMS_LIMIT), duty[-1]
    assert ("out of hours" in duty[-1]) == (raised == NIGHT), duty[-1]
    if raised == NIGHT:  # escalated at once: the escalation contacts hear the same, once
        assert len(edt) == before[1] + 1 and edt[-1] == duty[-1], edt
    else:
        assert edt == []
    subjects = [" ".join(str(mail["Subject"]).split()) for mail in mails[before[2] :]]
    wanted = f"UPDATED: Voice Service safeguarding alert #{alert_id} (high priority, asked for help, new category: "
    assert subjects and all(subject.startswith(wanted) for subject in subjects), subjects
    assert len(subjects) == (2 if raised == NIGHT else 1), subjects  # the duty email, and the escalation email
    events = [payload["event"] for payload in hook.received[before[3] :]]
    assert events == ["safeguarding_alert_updated"], events
    parts = [str(part.get_payload(decode=True) or b"", "utf-8") for mail in mails for part in mail.walk()]
    nothing_said(duty + edt + parts + subjects + [body.decode("utf-8") for _, body in hook.raw], words=SAID)
    with Session(services.engine) as session:
        history = safeguarding.notice_history(session=session, alert_id=alert_id)
    assert [event.kind for event in history if event.at >= clock.current] == [OutboxKind.ALERT_CHANGED], history


def test_an_update_takes_a_waiting_notice_of_replies_with_it(routes, fake_twilio):
    """A reply to a worker waits for the window's end; then a disclosure that adds a category: the update goes at once
    and nothing is left to follow it a few minutes later about the same messages."""
    services, _, _ = routes
    clock = Clock(DAY)
    alert_id = _raised(services, clock)
    as_duty(services, safeguarding.acknowledge, alert_id, by="Kim Duty", now=DAY + timedelta(minutes=5))
    _text(services, "i need help", DAY + timedelta(minutes=10))  # a plea: "New message" at once
    clock.current = DAY + timedelta(minutes=10)
    flush_outbox(services, clock)
    with session_scope(services.engine) as session:
        person = session.get(Alert, alert_id).participant_id  # type: ignore[union-attr]
        safeguarding.notify_reply(
            session=session,
            vault=services.vault,
            config=services.config,
            participant_id=person,
            now=DAY + timedelta(minutes=12),
        )
    clock.current = DAY + timedelta(minutes=14)
    _text(services, "he touched me", clock.current)  # abuse: a new category
    flush_outbox(services, clock)
    clock.current = DAY + timedelta(hours=2)
    flush_outbox(services, clock)
    after = _texts(fake_twilio, DUTY_PHONE)[1:]  # after the first notice
    assert len(after) == 2 and after[0].startswith(f"New message on alert #{alert_id} "), after
    assert after[1].startswith(f"UPDATED: alert #{alert_id} high priority, new category: abuse"), after
    with Session(services.engine) as session:
        waiting = session.exec(
            select(safeguarding.OutboxMessage).where(safeguarding.OutboxMessage.status == OutboxStatus.PENDING)
        ).all()
    assert waiting == []


def test_a_new_message_notice_out_of_hours_says_so(routes, fake_twilio):
    """A plea on an acknowledged alert at night: "New message on alert #N" carries "out of hours", as the others."""
    services, _, _ = routes
    clock = Clock(NIGHT)
    alert_id = _raised(services, clock)
    as_duty(services, safeguarding.acknowledge, alert_id, by="Kim Duty", now=NIGHT + timedelta(minutes=5))
    clock.current = NIGHT + timedelta(minutes=10)
    _text(services, "i need help", clock.current)
    flush_outbox(services, clock)
    news = _texts(fake_twilio, DUTY_PHONE)[-1]
    assert news == (
        f"New message on alert #{alert_id} high priority (exploitation, sms, Tue 1 Dec 23:45, out of hours) "
        f"http://voice.test/admin/alerts/{alert_id}"
    ), news


def test_the_out_of_hours_marker_is_left_out_when_it_would_take_a_second_segment(
    database_url, fake_twilio, webhook, smtp_server
):
    """At a council's very long address the marker would run the text into a second SMS: left out, as a reminder's."""
    long_url = "https://voice.the-royal-borough-of-windsor-and-maidenhead.gov.uk"
    with open_routes(database_url, fake_twilio, webhook, smtp_server, app={"public_url": long_url}, **OFFICE_HOURS) as (
        services,
        _,
        _,
    ):
        clock = Clock(NIGHT)
        alert_id = _raised(services, clock)
        as_duty(services, safeguarding.acknowledge, alert_id, by="Kim Duty", now=NIGHT + timedelta(minutes=5))
        clock.current = NIGHT + timedelta(minutes=10)
        _text(services, "i need help", clock.current)
        flush_outbox(services, clock)
        news = _texts(fake_twilio, DUTY_PHONE)[-1]
    assert news == (
        f"New message on alert #{alert_id} high priority (exploitation, sms, Tue 1 Dec 23:45) "
        f"{long_url}/admin/alerts/{alert_id}"
    ), news
    assert len(news) <= safeguarding.SMS_LIMIT < len(news) + len(", out of hours")
