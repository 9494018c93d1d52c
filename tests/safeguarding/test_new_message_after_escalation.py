"""Review gap after 73dded6: once an alert had been escalated, "New message on alert #N" (a plea, a picture, a reply
to a worker, a further disclosure once acknowledged) went to the duty routes only, never to the escalation
contacts, the emergency duty team who are the ones acting at night. It now goes to everyone already told of the
alert (`told_routes`, the rule "UPDATED" notices follow): the escalation contacts too once it has been escalated,
not before. Through the real routes: the young person's texts through `receive` (the inbound path the signed
webhook drives), on a passed-in clock; the real twilio client against the fake Twilio API, email over STARTTLS
and the webhook out; office hours set here, never read from the day the tests run."""

from __future__ import annotations

from collections.abc import Callable
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
    disclose,
    flush_outbox,
    nothing_said,
    open_routes,
)
from voice_service.accounts import create_user
from voice_service.db import session_scope
from voice_service.inbound.receive import receive
from voice_service.models import Alert
from voice_service.safeguarding import alerts as safeguarding

# Tuesday 1 December 2026 in London (GMT): 23:35 with the duty desk shut (escalated at once), 14:05 with it open.
NIGHT = datetime(2026, 12, 1, 23, 35, tzinfo=UTC)
DAY = datetime(2026, 12, 1, 14, 5, tzinfo=UTC)
OFFICE_HOURS = {"office_hours": "09:00-17:00", "bank_holidays": "england-and-wales", "closed_days": []}
DISCLOSURE = "my step dad hit me again and i dont want to go home"
SAID = ("step dad", "hit me", "hes back", "go home", "need help", "thanks")
EDT_EMAIL = "edt@council.test"
NEW_MESSAGE = "New message: Voice Service safeguarding alert #"


@pytest.fixture
def routes(database_url, fake_twilio, webhook, smtp_server):
    """Every duty and escalation route real (`tests.support.alert_routes`), office hours 09:00-17:00."""
    with open_routes(database_url, fake_twilio, webhook, smtp_server, **OFFICE_HOURS) as opened:
        yield opened


def _text(services, text: str, when: datetime, *, media: int = 0) -> None:
    """The young person's text, in through the inbound path at `when`."""
    with session_scope(services.engine) as session:
        receive(session=session, services=services, channel="sms", text=text, phone=YOUNG_PERSON, now=when, media=media)


def _plea(services, alert_id: int, when: datetime) -> None:
    _text(services, "i need help", when)  # words the screen does not flag (`add_plea`)


def _plea_and_disclosure(services, alert_id: int, when: datetime) -> None:
    _text(services, "please help me hes back", when)  # the screen flags it too (`store_alert(plea=True)`)


def _picture(services, alert_id: int, when: datetime) -> None:
    _text(services, "", when, media=1)


def _reply_to_worker(services, alert_id: int, when: datetime) -> None:
    """A duty worker replies (which picks the alert up), and they write back to her (`notify_reply`)."""
    from voice_service.inbox.threads import reply

    with session_scope(services.engine) as session:
        create_user(session=session, email="kim@council.test", roles=["duty"], password="a long pass phrase 42")
        person = session.get(Alert, alert_id).participant_id  # type: ignore[union-attr]
        reply(
            session=session,
            services=services,
            participant_id=person,
            text="Hi, it's Kim from the duty team. Are you safe right now?",
            by="kim@council.test",
            token="t1",
            now=when - timedelta(minutes=5),
        )
    _text(services, "ok thanks", when)


def _further_message(services, alert_id: int, when: datetime) -> None:
    """Acknowledged, then more of the same (nothing new): the quiet "new message" notice after renotify_minutes."""
    safeguarding_acknowledge(services, alert_id, when - timedelta(minutes=40))
    with Session(services.engine) as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        categories, priority, person = tuple(alert.categories), alert.priority, alert.participant_id
    assert disclose(services, person, when=when, categories=categories, priority=priority) == alert_id


def safeguarding_acknowledge(services, alert_id: int, when: datetime) -> None:
    with session_scope(services.engine) as session:
        safeguarding.acknowledge(
            session=session, vault=services.vault, config=services.config, alert_id=alert_id, by="Kim Duty", now=when
        )


KINDS = [_plea, _plea_and_disclosure, _picture, _reply_to_worker, _further_message]
IDS = ["plea", "plea-and-disclosure", "picture", "reply-to-worker", "further-message"]


def _alert_then(services, fake_twilio, raised: datetime, new_message: Callable) -> tuple[int, Clock]:
    """The disclosure at `raised`, its notices sent; then the new message an hour later, and its notices sent."""
    add_participants(services, [{"phone": YOUNG_PERSON, "first_name": FIRST_NAME, "date_of_birth": "2011-03-04"}])
    clock = Clock(raised)
    _text(services, DISCLOSURE, raised)
    flush_outbox(services, clock)
    with Session(services.engine) as session:
        [alert_id] = session.exec(select(Alert.id)).all()
    assert alert_id is not None
    clock.current = raised + timedelta(hours=1)
    new_message(services, alert_id, clock.current)
    flush_outbox(services, clock)
    return alert_id, clock


def _history(services, alert_id: int, clock: Clock) -> list[str]:
    with Session(services.engine) as session:
        return [
            event.words("Europe/London", now=clock.current)
            for event in safeguarding.notice_history(session=session, alert_id=alert_id)
        ]


@pytest.mark.parametrize("new_message", KINDS, ids=IDS)
def test_once_escalated_a_new_message_reaches_the_escalation_contacts(routes, fake_twilio, new_message):
    services, hook, mails = routes
    alert_id, clock = _alert_then(services, fake_twilio, NIGHT, new_message)

    edt = [m["body"] for m in fake_twilio.to(EDT_PHONE)]
    duty = [m["body"] for m in fake_twilio.to(DUTY_PHONE)]
    assert edt[0].startswith(f"ESCALATED: alert #{alert_id} ")  # the escalation left first
    new = f"New message on alert #{alert_id} "
    assert edt[-1].startswith(new) and duty[-1] == edt[-1], (duty, edt)
    assert sum(text.startswith(new) for text in edt) == 1
    edt_mails = [" ".join(str(mail["Subject"]).split()) for mail in mails if mail["To"] == EDT_EMAIL]
    assert sum(subject.startswith(f"{NEW_MESSAGE}{alert_id} ") for subject in edt_mails) == 1, edt_mails
    # The webhook is a duty and an escalation route: told once.
    assert sum(p["event"] == "safeguarding_alert_new_message" for p in hook.received) == 1
    parts = [str(part.get_payload(decode=True) or b"", "utf-8") for mail in mails for part in mail.walk()]
    subjects = [str(mail["Subject"]) for mail in mails]
    nothing_said(duty + edt + parts + subjects + [body.decode("utf-8") for _, body in hook.raw], words=SAID)
    # "Who was told" says the escalation contacts heard of it too.
    told = [line for line in _history(services, alert_id, clock) if "new message" in line]
    assert told == ["Wed 2 Dec 00:35: duty team and escalation contacts told of a new message (text, email, webhook)"]


@pytest.mark.parametrize("new_message", KINDS, ids=IDS)
def test_not_escalated_a_new_message_goes_to_the_duty_routes_only(routes, fake_twilio, new_message):
    services, hook, mails = routes
    alert_id, clock = _alert_then(services, fake_twilio, DAY, new_message)

    assert fake_twilio.to(EDT_PHONE) == []
    assert not [mail for mail in mails if mail["To"] == EDT_EMAIL]
    assert fake_twilio.to(DUTY_PHONE)[-1]["body"].startswith(f"New message on alert #{alert_id} ")
    assert any(" ".join(str(m["Subject"]).split()).startswith(f"{NEW_MESSAGE}{alert_id} ") for m in mails)
    assert sum(p["event"] == "safeguarding_alert_new_message" for p in hook.received) == 1
    told = [line for line in _history(services, alert_id, clock) if "new message" in line]
    assert told == ["Tue 1 Dec 15:05: duty team told of a new message (text, email, webhook)"]


def test_the_alert_page_says_the_escalation_contacts_were_told_of_the_new_message(routes, fake_twilio):
    """ "Who was told" on the page every notice links to names who heard of the plea, as `alerts show` does."""
    import html

    from tests.admin.conftest import StaffAccount, sign_in
    from voice_service.web import create_app

    services, _, _ = routes
    alert_id, _ = _alert_then(services, fake_twilio, NIGHT, _plea)
    with session_scope(services.engine) as session:
        user = create_user(session=session, email="dee@council.test", roles=["duty"], password="a long pass phrase 42")
        assert user.id is not None
        account = StaffAccount(user.id, user.email, "a long pass phrase 42", ("duty",))
    client = create_app(services=services).test_client()
    assert sign_in(client, account).status_code == 303
    page = html.unescape(client.get(f"/admin/alerts/{alert_id}").get_data(as_text=True))
    told = page.split('id="notice-history">')[1].split("</ul>")[0]
    assert "duty team and escalation contacts told of a new message (text, email, webhook)" in told, told
