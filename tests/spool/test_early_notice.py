"""A disclosure the database cannot take: the duty team hears at once by the early notice, not hours later.

Trial 13, T13-5: a worrying text spooled during an outage had the help reply, but no duty route heard of it until the
database was back. Now, as it is spooled, the early notice goes to every duty route (the real twilio client against
the fake Twilio API, email over STARTTLS to a local SMTP server, the signed webhook), saying a message that may show
a risk came in while the database was unavailable, on which channel, and that its full alert will be on the
dashboard as soon as the database is back; never a word of it, the name or the number. A second worrying text from
the same young person in the outage sends no second notice. On replay the full alert is raised as usual, recording
the early notice, and its notices say "early notice sent". A route the early notice could not reach is noted and
counted, not lost. The outage is real: another connection holds the lock the text needs, on both databases.
"""

from __future__ import annotations

import time

import pytest
from sqlmodel import Session, select

from tests.conftest import PUBLIC_URL
from tests.outbox.conftest import smtp_server, webhook  # noqa: F401  (fixtures)
from tests.outbox.helpers import Clock
from tests.spool.test_deadline_cut import Blocker, Texter, replies
from tests.support.alert_routes import (
    DESK_OPEN_NO_ESCALATION,
    DUTY_PHONE,
    dead_url,
    duty_texts,
    every_route,
    flush_outbox,
    nothing_said,
)
from tests.web.test_chat_api import ChatUser
from voice_service import analysis
from voice_service.engine import texts
from voice_service.models import Alert, utcnow
from voice_service.safeguarding.alerts import EARLY_FLAG, EARLY_SENT, EARLY_UNSENT
from voice_service.spool.replay import replay
from voice_service.web import create_app

JO = "+447700900141"
DISCLOSURE = "my uncle said he will hurt me if i tell anyone what happens"
AGAIN = "he is hurting me again tonight"
CASES = [("sqlite", "sqlite-lock"), ("postgres", "pg-lock")]


def _services(database_url, fake_twilio, hook, smtp, **settings):
    services = every_route(
        database_url,
        fake_twilio,
        hook,
        smtp,
        spool={"deadline_seconds": 1.0},
        **{**DESK_OPEN_NO_ESCALATION, **settings},
    )
    analysis.warm_up(services.conversations_dir)
    return services


def _wait_for(found, seconds: float = 15.0):
    """Poll until `found()` is true (the early notice goes from a thread of its own)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if found():
            return
        time.sleep(0.05)
    raise AssertionError("the early notice never came")


def _alerts(services) -> list[Alert]:
    with Session(services.engine) as session:
        return list(session.exec(select(Alert)).all())


@pytest.mark.parametrize(("database_url", "how"), CASES, indirect=["database_url"])
def test_the_duty_team_hears_at_once_and_the_full_alert_says_they_did(
    database_url,
    how,
    fake_twilio,
    webhook,  # noqa: F811
    smtp_server,  # noqa: F811
    caplog,
):
    hook, mail = webhook[0], smtp_server[0]
    services = _services(database_url, fake_twilio, webhook, smtp_server)
    try:
        client = create_app(services=services).test_client()
        jo = Texter(client, JO)
        blocker = Blocker(database_url, how)
        try:
            status, body, _ = jo.send(DISCLOSURE)
            # The young person's help reply, at once, on their channel (the database is not needed for it).
            assert status == 200 and texts.is_disclosure_reply(replies(body)[0])
            _wait_for(lambda: duty_texts(fake_twilio) and mail and hook.received)
            health = client.get("/healthz").get_json()
            assert health["spool"]["worrying"] == 1 and health["spool"]["unwarned"] == 0
            # A second worrying text from Jo in the same outage: its help reply, and no second early notice.
            status, body, _ = jo.send(AGAIN)
            assert texts.is_disclosure_reply(replies(body)[0])
            time.sleep(0.5)
        finally:
            blocker.release()

        [early] = duty_texts(fake_twilio)
        assert early.startswith("Safeguarding EARLY NOTICE, high priority: a message that may show a risk came in")
        assert "while the service's database was unavailable" in early
        assert "Its full alert will be on the dashboard as soon as the database is back" in early
        assert ", sms, " in early and early.endswith(f" {PUBLIC_URL}/admin/alerts")
        assert len(early) <= 306  # two SMS segments at most
        [email] = mail
        assert email["Subject"].startswith("EARLY NOTICE: Voice Service safeguarding")
        email_text = email.get_payload(decode=True).decode() if not email.is_multipart() else str(email)
        assert early in email_text.replace("\r\n", "\n") and "help reply" in email_text
        [posted] = hook.received
        assert posted["event"] == "safeguarding_alert_early" and posted["alert_id"] is None
        assert posted["channel"] == "sms" and posted["delayed"] is True
        assert posted["url"] == f"{PUBLIC_URL}/admin/alerts"
        nothing_said([early, email_text, str(posted)], words=[DISCLOSURE, "uncle", AGAIN, JO.removeprefix("+")])
        logged = [r.getMessage() for r in caplog.records if r.name.startswith("voice_service")]
        assert not [line for line in logged if any(said in line for said in ("uncle", JO, "duty@", "duty-hook"))]

        report = replay(services)
        assert (report.stored, report.failed, report.pending) == (2, 0, 0)
        [alert] = _alerts(services)  # the second disclosure joined the first's alert
        assert alert.delayed
        [recorded] = [reason for reason in alert.reasons if reason.startswith(EARLY_SENT)]
        assert recorded == f"{EARLY_SENT}, by text, email and webhook"

        flush_outbox(services, Clock(utcnow()))
        # The full alert, once: its notice says the early notice went, so nobody takes it for a second emergency.
        [_, full] = duty_texts(fake_twilio)
        assert full.startswith(f"Safeguarding alert #{alert.id} high priority")
        assert f"delayed, {EARLY_FLAG}) {PUBLIC_URL}/admin/alerts/{alert.id}" in full, full
        assert len(mail) == 2 and len(hook.received) == 2
        assert hook.received[1]["event"] == "safeguarding_alert" and hook.received[1]["alert_id"] == alert.id
        assert hook.received[1]["early_notice"] is True and posted["early_notice"] is False
    finally:
        services.engine.dispose()


@pytest.mark.parametrize(("database_url", "how"), CASES, indirect=["database_url"])
def test_an_early_notice_that_cannot_go_is_counted_and_recorded(
    database_url,
    how,
    fake_twilio,
    webhook,  # noqa: F811
    smtp_server,  # noqa: F811
    caplog,
):
    hook, mail = webhook[0], smtp_server[0]
    # Only a webhook, and it is dead: no route can hear of it.
    services = _services(
        database_url, fake_twilio, webhook, smtp_server, duty_phones=[], duty_emails=[], webhook_url=dead_url()
    )
    try:
        client = create_app(services=services).test_client()
        blocker = Blocker(database_url, how)
        try:
            status, body, _ = Texter(client, JO).send(DISCLOSURE)
            assert texts.is_disclosure_reply(replies(body)[0])

            def failed() -> list[str]:
                return [r.getMessage() for r in caplog.records if "not sent by webhook_url" in r.getMessage()]

            _wait_for(failed)
            [said] = failed()
            assert "URLError" in said and "127.0.0.1" not in said and "trying again" in said
            health = client.get("/healthz").get_json()
            assert health["spool"]["worrying"] == 1 and health["spool"]["unwarned"] == 1
        finally:
            blocker.release()
        assert not fake_twilio.messages and not mail and not hook.received

        report = replay(services)
        assert report.stored == 1
        [alert] = _alerts(services)
        [recorded] = [reason for reason in alert.reasons if reason.startswith("early notice")]
        assert recorded.startswith(f"{EARLY_UNSENT}: webhook (webhook URLError")
        assert client.get("/healthz").get_json()["spool"]["unwarned"] == 0
    finally:
        services.engine.dispose()


def test_the_early_notice_words_name_no_alert_and_fit_two_segments():
    from datetime import UTC, datetime

    from tests.conftest import make_config
    from voice_service.safeguarding.alerts import early_notice

    config = make_config("sqlite://", app={"public_url": PUBLIC_URL})
    when = datetime(2026, 12, 1, 23, 35, tzinfo=UTC)  # a Tuesday night: the desk is shut
    words = early_notice(
        config,
        channel="webchat",
        when=when,
        categories=["self_harm", "abuse", "unsafe_home"],
        reasons=[],
        priority="high",
    )
    assert "(self harm, abuse, unsafe home, webchat, Tue 1 Dec 23:35, out of hours)" in words
    assert "#" not in words and len(words) <= 306


@pytest.mark.parametrize(("database_url", "how"), CASES, indirect=["database_url"])
def test_a_chat_disclosure_has_its_early_notice_too(
    database_url,
    how,
    fake_twilio,
    webhook,  # noqa: F811
    smtp_server,  # noqa: F811
):
    services = _services(database_url, fake_twilio, webhook, smtp_server, duty_emails=[], webhook_url="")
    try:
        client = create_app(services=services).test_client()
        chat = ChatUser(client)
        chat.start()
        blocker = Blocker(database_url, how)
        try:
            held = chat.say(DISCLOSURE, expect=202)
            assert held["held"] and texts.is_disclosure_reply(held["messages"][0]["text"])
            _wait_for(lambda: duty_texts(fake_twilio))
        finally:
            blocker.release()
        [early] = duty_texts(fake_twilio)
        assert "EARLY NOTICE" in early and ", webchat, " in early
        nothing_said([early], words=[DISCLOSURE, "uncle"])

        assert replay(services).stored == 1
        [alert] = _alerts(services)
        assert alert.channel == "webchat" and f"{EARLY_SENT}, by text" in alert.reasons
        flush_outbox(services, Clock(utcnow()))
        [_, full] = duty_texts(fake_twilio)
        assert "webchat, " in full and f"{EARLY_FLAG}) " in full, full
    finally:
        services.engine.dispose()


def test_a_duty_phone_s_own_text_spooled_has_no_early_notice(database_url, fake_twilio, webhook, smtp_server):  # noqa: F811
    # A duty worker answering the early notice in words the screen flags ("is she going to hurt herself"), spooled:
    # nobody to tell the duty team of (the replay answers it with where alerts are acknowledged).
    from voice_service.spool import Spool
    from voice_service.spool.early import start

    services = _services(database_url, fake_twilio, webhook, smtp_server)
    try:
        spool = Spool.from_config(services.config)
        form = [["MessageSid", "SM" + "1" * 32], ["From", DUTY_PHONE], ["Body", "on it, is she going to hurt herself"]]
        record = spool.append(
            "sms", {"path": "/sms/inbound", "query": "", "form": form, "signature": ""}, worrying=True
        )
        screen = analysis.screen(record.text, directory=services.conversations_dir)
        assert screen.risk and start(services, spool, record, screen) is None
        young = spool.append("sms", {"path": "/sms/inbound", "query": "", "form": [*form[:1], ["From", JO], form[2]]})
        thread = start(services, spool, young, screen)  # the same words from a young person: told
        assert thread is not None
        thread.join(15)
        assert len(duty_texts(fake_twilio)) == 1
    finally:
        services.engine.dispose()
