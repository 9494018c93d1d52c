"""Trial 5, F1: while an alert is live, a plea the screen also scores as a further disclosure ("please help me hes
back", "help me hes back", even after STOP; by text and in the web chat) took the disclosure's branch only: no
"New message on alert #N" to the duty routes (an unchanged alert sends nothing while it is open), no "asked for
help" on the duty page, and a reply that did not say the team knew. Now it is a plea as well (`routing.pleads`,
the rule's one home): added to the same alert, marked "asked for help", the duty routes told at once, and the
reply says so. Through the real routes: the signed SMS webhook and the chat API in; the real twilio client
against the fake Twilio API, email over STARTTLS and the webhook out."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlmodel import Session, col, select

from tests.conftest import SmsPhone
from tests.factories import add_participants
from tests.support.alert_routes import (
    DESK_OPEN_NO_ESCALATION,
    DUTY_PHONE,
    FIRST_NAME,
    YOUNG_PERSON,
    duty_texts,
    nothing_said,
    open_routes,
)
from tests.web.test_chat_api import ChatUser
from voice_service.db import session_scope
from voice_service.engine import texts
from voice_service.inbound.office import office_reopens
from voice_service.models import Alert, AlertMessage, Message, OutboxKind, OutboxMessage, utcnow
from voice_service.outbox.dispatch import build_dispatcher
from voice_service.safeguarding.alerts import PLEA
from voice_service.web import create_app

DISCLOSURE = "my step dad hit me again and i dont want to go home"
SAID = ("step dad", "hit me", "hes back", "go home")


@pytest.fixture
def routes(database_url, fake_twilio, webhook, smtp_server):
    """Every real route (`tests.support.alert_routes`), at the address the test phones sign their texts for; the
    duty desk open all day on weekdays and no escalation contacts (the texts come in on the real clock: after
    5pm or at a weekend, with escalation contacts, the reply would say the out-of-hours team has been told,
    whatever this test is about; a run on a Saturday, or a year ahead on one, failed so)."""
    with open_routes(database_url, fake_twilio, webhook, smtp_server, **DESK_OPEN_NO_ESCALATION) as opened:
        yield opened


def _flush(services) -> None:
    build_dispatcher(services, settle_seconds=0).flush()


def _plea(services, send, *, adult: bool | None):
    """Send the plea; returns a check that the reply said the team has been told, in the words for the office's
    hours either side of the send (a test running across 9am or 5pm still agrees)."""
    before = office_reopens(services.config, utcnow())
    got = send()
    after = office_reopens(services.config, utcnow())

    def check() -> None:
        wanted = [[texts.for_age(texts.plea_disclosure_reply(back), adult=adult)] for back in (before, after)]
        assert got in wanted, got
        assert "told the team" in got[0] and "999" in got[0]

    return check


def _sms(services, before: tuple[str, ...]):
    """A young person (15) texting through the signed webhook: the disclosure, then `before`; returns the sender."""
    add_participants(services, [{"phone": YOUNG_PERSON, "first_name": FIRST_NAME, "age": 15}])
    phone = SmsPhone(create_app(services=services).test_client(), YOUNG_PERSON)
    assert texts.is_disclosure_reply(phone.send(DISCLOSURE)[0])
    for text in before:
        phone.send(text)
    return phone.send, False


def _chat(services, before: tuple[str, ...]):
    """An anonymous web chatter (age not known): the disclosure, then `before`; returns the sender."""
    user = ChatUser(create_app(services=services).test_client())
    user.start()
    assert texts.is_disclosure_reply(user.replies(DISCLOSURE)[0])
    for text in before:
        user.replies(text)
    return user.replies, None


def _show(services, alert_id: int) -> str:
    """`alerts show ID --by` a duty account, as a duty worker runs it."""
    from voice_service.accounts.service import create_user
    from voice_service.cli import main

    with session_scope(services.engine) as session:
        create_user(session=session, email="dee@council.test", roles=["duty"], password="a long pass phrase 42")
    env = {
        f"VOICE_{section.upper()}_{key.upper()}": ",".join(value) if isinstance(value, list) else str(value)
        for section, values in services.config.as_dict().items()
        for key, value in values.items()
    }
    shown = CliRunner(env=env).invoke(main, ["alerts", "show", str(alert_id), "--by", "dee@council.test"])
    assert shown.exit_code == 0, shown.output
    return shown.output


@pytest.mark.parametrize(
    ("start", "before", "plea"),
    [
        (_sms, (), "please help me hes back"),
        (_sms, ("STOP",), "help me hes back"),
        (_chat, (), "help me hes back"),
    ],
    ids=["sms", "sms-after-stop", "webchat"],
)
def test_a_plea_the_screen_also_flags_tells_the_duty_routes_at_once(routes, fake_twilio, start, before, plea):
    services, hook, mails = routes
    send, adult = start(services, before)
    _flush(services)
    assert len(duty_texts(fake_twilio)) == 1  # the alert's first notice

    reply_said_so = _plea(services, lambda: send(plea), adult=adult)
    _flush(services)

    with Session(services.engine) as session:
        [alert] = session.exec(select(Alert)).all()  # the same alert: never a second one
        added = session.exec(
            select(Message.body, AlertMessage.reasons)
            .join(AlertMessage, col(AlertMessage.message_id) == col(Message.id))
            .order_by(col(AlertMessage.id))
        ).all()
        updates = session.exec(select(OutboxMessage).where(col(OutboxMessage.kind) == OutboxKind.ALERT_UPDATE)).all()
    assert alert.message_count == 2 and alert.status == "open"
    assert [body for body, _ in added] == [DISCLOSURE, plea]
    assert list(added[1][1])[0] == PLEA and any(str(r).startswith("model: ") for r in added[1][1])  # both
    assert {update.channel for update in updates} == {"sms", "email", "webhook"}  # every duty route, at once
    # The duty phone, the duty email and the webhook each hear of the new message, with no words or number.
    texts_sent = duty_texts(fake_twilio, DUTY_PHONE)
    assert len(texts_sent) == 2 and texts_sent[1].startswith(f"New message on alert #{alert.id} high priority (")
    assert str(mails[-1]["Subject"]).startswith(f"New message: Voice Service safeguarding alert #{alert.id} ")
    assert hook.received[-1]["event"] == "safeguarding_alert_new_message"
    parts = [part.get_payload(decode=True).decode("utf-8") for mail in mails for part in mail.walk()]
    subjects = [str(mail["Subject"]) for mail in mails]
    nothing_said(texts_sent + parts + subjects + [body.decode("utf-8") for _, body in hook.raw], words=SAID)
    # The duty worker reads it as a plea, with what the screen found.
    why = _show(services, alert.id).split("Why:\n")[1]
    assert "Message 2 (" in why and f"): {PLEA}; The screening model" in why, why
    reply_said_so()


def test_a_plea_that_adds_a_category_is_told_in_one_update_that_says_they_asked_for_help(routes, fake_twilio):
    """A plea that is a further disclosure of something new: one notice, the "UPDATED" one naming the new category
    and saying they asked for help (trial 12, finding 6: a "New message on alert #N" as well sent the duty phone two
    texts for one message)."""
    services, _, _ = routes
    send, adult = _sms(services, ())
    _flush(services)
    reply_said_so = _plea(services, lambda: send("help me i want to kill myself"), adult=adult)
    _flush(services)
    first, *rest = duty_texts(fake_twilio)
    with Session(services.engine) as session:
        [alert_id] = session.exec(select(Alert.id)).all()
    update = f"UPDATED: alert #{alert_id} high priority, asked for help, new category: "
    assert len(rest) == 1 and rest[0].startswith(update), rest
    reply_said_so()


def test_a_further_disclosure_that_is_no_plea_is_told_at_once_and_answered_as_before(routes, fake_twilio):
    """No plea, nothing new, the alert still open: the duty team hears of the new message at once (a trial found
    it told nobody until the next reminder), and the reply is the usual help reply."""
    services, _, _ = routes
    send, _ = _sms(services, ())
    _flush(services)
    assert texts.is_disclosure_reply(send("he hit me again last night")[0])
    _flush(services)
    told = duty_texts(fake_twilio)
    assert len(told) == 2 and told[1].startswith("New message on alert #"), told
