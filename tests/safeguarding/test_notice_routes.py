"""What each notice carries when it reaches a person through the real routes (the real twilio client against the
fake Twilio API, SMTP with STARTTLS, the webhook), with the clock passed in (trial findings T3, T4)."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.outbox.helpers import Clock
from tests.safeguarding.conftest import PUBLIC_URL
from tests.support.alert_routes import (
    DUTY_PHONE,
    EDT_PHONE,
    FIRST_NAME,
    RAISED,
    WORDS,
    YOUNG_PERSON,
    as_duty,
    disclose,
    duty_texts,
    flush_outbox,
    nothing_said,
    open_routes,
    young_person,
)
from voice_service.safeguarding import alerts as safeguarding
from voice_service.scheduler import jobs

EVERY = ("self_harm", "abuse", "exploitation", "missing", "violence", "unsafe_home")


def _first_line(mail) -> str:
    """The first line of an email's text, decoded as a mail client shows it."""
    return mail.get_payload(decode=True).decode("utf-8").splitlines()[0]


def test_a_reminder_and_a_new_message_notice_carry_the_time_in_one_sms_and_the_email(routes, fake_twilio):
    """T3: "Reminder 1" said the wait but not when the young person wrote; "New message on alert #N" said
    neither. Now the reminder has the time the alert was raised, the new-message notice the time of that message,
    in the council's time and format, in the SMS (one segment, as the first notice) and the email's first line."""
    services, _, mails = routes
    person = young_person(services)
    alert_id = disclose(services, person, when=RAISED, categories=("violence", "abuse", "unsafe_home"))
    clock = Clock(RAISED)
    flush_outbox(services, clock)
    assert jobs.renotify_alerts(services, now=RAISED + timedelta(minutes=31)) == 1
    clock.current = RAISED + timedelta(minutes=31)
    flush_outbox(services, clock)
    as_duty(services, safeguarding.acknowledge, alert_id, by="Kim Duty", now=RAISED + timedelta(minutes=40))
    again = RAISED + timedelta(minutes=62)  # after `renotify_minutes` of quiet: the short notice goes
    assert disclose(services, person, when=again, categories=("abuse",)) == alert_id
    clock.current = again
    flush_outbox(services, clock)

    first, reminder, new_message = duty_texts(fake_twilio)
    link = f"{PUBLIC_URL}/admin/alerts/{alert_id}"
    assert (
        first
        == f"Safeguarding alert #{alert_id} high priority (violence, abuse, unsafe home, sms, Tue 1 Dec 14:05) {link}"
    )
    assert reminder.startswith(f"Reminder 1: alert #{alert_id} high priority still waiting, 31 min (")
    assert reminder.endswith(f", sms, Tue 1 Dec 14:05) {link}"), reminder
    assert new_message == (
        f"New message on alert #{alert_id} high priority (violence, abuse, unsafe home, sms, Tue 1 Dec 15:07) {link}"
    )
    assert all(len(text) <= safeguarding.SMS_LIMIT for text in (first, reminder, new_message))
    lines = [_first_line(mail) for mail in mails]
    assert lines == [first, reminder, new_message]  # the email's first line is the SMS notice, time and all


def test_the_first_notice_names_every_category_the_webhook_does(routes, fake_twilio):
    """T4: four categories at a council's long address read "self harm +3" in the SMS while the webhook's payload
    named all four. The SMS names them all, from the same list, without the spaces when that keeps one segment,
    and runs into a second segment rather than leave one out."""
    services, hook, _ = routes
    four = disclose(services, None, when=RAISED, categories=("self_harm", "abuse", "exploitation", "violence"))
    six = disclose(services, None, when=RAISED, categories=EVERY)
    flush_outbox(services, Clock(RAISED))
    sent = {int(re.search(r"#(\d+)", text).group(1)): text for text in duty_texts(fake_twilio)}
    named = {payload["alert_id"]: payload["categories"] for payload in hook.received}
    assert named == {four: ["self_harm", "abuse", "exploitation", "violence"], six: list(EVERY)}
    for alert_id, categories in named.items():
        words = re.search(r"priority \((.*), sms, Tue 1 Dec 14:05\)", sent[alert_id]).group(1)
        assert re.split(r", ?", words) == [category.replace("_", " ") for category in categories], sent[alert_id]
        assert "+" not in words
    assert len(sent[four]) <= safeguarding.SMS_LIMIT and "self harm,abuse,exploitation,violence" in sent[four]
    assert len(sent[six]) <= safeguarding.ESCALATION_SMS_LIMIT  # two segments, every category named


def test_no_notice_carries_what_was_said_a_name_or_a_number(database_url, fake_twilio, webhook, smtp_server):
    """Every kind of notice, as it arrives through every real route (duty and escalation: the text, the email's
    subject and every part, the webhook's bytes), carries no message text, name or phone number: the link to the
    alert page is how the duty team reads what was said. A note the duty worker writes stays in the service."""
    with open_routes(database_url, fake_twilio, webhook, smtp_server) as (services, hook, mails):
        person = young_person(services)
        alert_id = disclose(services, person, when=RAISED)
        clock = Clock(RAISED)
        flush_outbox(services, clock)
        for minutes, job in ((31, jobs.renotify_alerts), (45, jobs.escalate_alerts)):
            assert job(services, now=RAISED + timedelta(minutes=minutes)) == 1
            clock.current = RAISED + timedelta(minutes=minutes)
            flush_outbox(services, clock)
        duty = {"by": "Kim Duty", "note": f"Rang {FIRST_NAME} on {YOUNG_PERSON}: {WORDS}"}
        as_duty(services, safeguarding.acknowledge, alert_id, **duty, now=RAISED + timedelta(minutes=50))
        assert disclose(services, person, when=RAISED + timedelta(minutes=90)) == alert_id  # "New message"
        as_duty(services, safeguarding.close, alert_id, **duty, action="called", now=RAISED + timedelta(minutes=95))
        clock.current = RAISED + timedelta(minutes=95)
        flush_outbox(services, clock)
        events = {payload["event"] for payload in hook.received}
        assert {"safeguarding_alert", "safeguarding_alert_escalated", "safeguarding_alert_new_message"} <= events
        assert {"safeguarding_alert_acknowledged", "safeguarding_alert_closed"} <= events
        sent = [message["body"] for message in fake_twilio.messages]
        assert {message["to"] for message in fake_twilio.messages} == {DUTY_PHONE, EDT_PHONE}
        parts = [
            part.get_payload(decode=True).decode("utf-8")
            for mail in mails
            for part in mail.walk()
            if not part.is_multipart()
        ]
        subjects = [str(mail["Subject"]) for mail in mails]
        bodies = [body.decode("utf-8") for _, body in hook.raw]
        assert sent and parts and subjects and bodies
        nothing_said(sent + parts + subjects + bodies, words=["Rang"])


def test_the_escalation_says_how_long_the_alert_waited(database_url, fake_twilio, webhook, smtp_server):
    """Trial 5, F14: "not acknowledged in 10 min" gave the threshold, when the alert had waited 15 (the scheduler
    escalates on its next run after it). The escalation says the wait, as the duty pages write one."""
    with open_routes(database_url, fake_twilio, webhook, smtp_server, app={"public_url": PUBLIC_URL}) as opened:
        services, _, mails = opened
        alert_id = disclose(services, young_person(services), when=RAISED)  # escalate_after_minutes = 45
        overdue = RAISED + timedelta(minutes=52)
        assert jobs.escalate_alerts(services, now=overdue) == 1
        flush_outbox(services, Clock(overdue))
        (escalated,) = duty_texts(fake_twilio, EDT_PHONE)
        head = f"ESCALATED: alert #{alert_id} high priority not acknowledged after 52 min (self harm, sms, "
        assert escalated.startswith(head), escalated
        assert "45" not in escalated.split("(")[0] and len(escalated) <= safeguarding.SMS_LIMIT
        [mail] = [mail for mail in mails if mail["To"] == "edt@council.test"]
        assert _first_line(mail) == escalated
        nothing_said([escalated])


def test_an_update_names_the_earlier_categories(routes, fake_twilio):
    """Trial 5, F14: "UPDATED: ... new category: unsafe home; and 3 earlier" said nothing of the three. They are
    named, as the README's example does ("new category: violence; also abuse"): in one SMS where they fit at a
    council's long address, else running into a second segment rather than counted."""
    services, _, _ = routes
    person, other = young_person(services), young_person(services, "+447700900124")
    one = disclose(services, person, when=RAISED, categories=("violence",))
    three = disclose(services, other, when=RAISED, categories=("self_harm", "exploitation", "violence"))
    later = RAISED + timedelta(minutes=5)
    assert disclose(services, person, when=later, categories=("unsafe_home",)) == one
    assert disclose(services, other, when=later, categories=("unsafe_home",)) == three
    flush_outbox(services, Clock(later))
    updated = {int(re.search(r"#(\d+)", text).group(1)): text for text in duty_texts(fake_twilio) if "UPDATED" in text}
    link = f"{PUBLIC_URL}/admin/alerts"
    assert updated[one] == (
        f"UPDATED: alert #{one} high priority, new category: unsafe home; also violence (sms, Tue 1 Dec 14:10) "
        f"{link}/{one}"
    )
    assert len(updated[one]) <= safeguarding.SMS_LIMIT
    assert updated[three] == (
        f"UPDATED: alert #{three} high priority, new category: unsafe home; also self harm, exploitation, violence "
        f"(sms, Tue 1 Dec 14:10) {link}/{three}"
    )
    assert len(updated[three]) <= safeguarding.ESCALATION_SMS_LIMIT  # two segments, every category named
    nothing_said(updated.values())
