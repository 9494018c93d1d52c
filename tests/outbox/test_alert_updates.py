"""Everyone told of an alert hears when it changes, and the escalation contacts hear when it is in hand
(tester U6): through the real routes (the fake Twilio API, SMTP with STARTTLS, the webhook), with the
clock passed in and office hours set here (09:00-17:00), never read from the day the tests run."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlmodel import Session

from tests.outbox.helpers import Clock
from tests.support.alert_routes import (
    DUTY_PHONE,
    EDT_PHONE,
    disclose,
    flush_outbox,
    nothing_said,
    open_routes,
    outbox_rows,
    young_person,
)
from voice_service.accounts import create_user
from voice_service.cli import main
from voice_service.db import session_scope
from voice_service.models import Alert
from voice_service.safeguarding import alerts as safeguarding
from voice_service.scheduler import jobs

# Monday 30 November 2026, 08:51 in London (GMT): before the duty desk opens at 09:00.
BEFORE_NINE = datetime(2026, 11, 30, 8, 51, tzinfo=UTC)
# Tuesday 1 December 2026, 16:50 in London: the desk is open, for ten more minutes.
LATE_AFTERNOON = datetime(2026, 12, 1, 16, 50, tzinfo=UTC)
OFFICE_HOURS = {"office_hours": "09:00-17:00", "bank_holidays": "england-and-wales", "closed_days": []}


@pytest.fixture
def told(database_url, fake_twilio, webhook, smtp_server):
    """Services with every duty and escalation route real (SMS, email over STARTTLS, webhook), and the
    office hours these tests are about set here."""
    with open_routes(database_url, fake_twilio, webhook, smtp_server, **OFFICE_HOURS) as opened:
        yield opened


def test_out_of_hours_a_rise_to_high_priority_reaches_everyone_told_and_is_not_a_reminder(told, fake_twilio):
    """U6: "1" to "How safe do you feel where you live?" before nine (low, unsafe home: escalated at once,
    the desk is shut), then an abuse disclosure four seconds later. The emergency duty team and the duty
    desk both hear it is now high priority abuse, at once; no "Reminder 1 ... 0 min"."""
    services, hook, mails = told
    person = young_person(services)
    alert_id = disclose(services, person, when=BEFORE_NINE, categories=("unsafe_home",), priority="low")
    later = BEFORE_NINE + timedelta(seconds=4)
    assert disclose(services, person, when=later, categories=("abuse",), priority="high") == alert_id
    clock = Clock(later)
    flush_outbox(services, clock)

    duty = [m["body"] for m in fake_twilio.to(DUTY_PHONE)]
    edt = [m["body"] for m in fake_twilio.to(EDT_PHONE)]
    assert duty[0].startswith(f"Safeguarding alert #{alert_id} low priority (unsafe home")
    assert edt[0].startswith(f"ESCALATED: alert #{alert_id} low priority, duty desk closed (unsafe home")
    update = f"UPDATED: alert #{alert_id} now high priority (was low): abuse, unsafe home (sms, Mon 30 Nov 08:51"
    assert len(duty) == len(edt) == 2 and duty[1] == edt[1] and duty[1].startswith(update), (duty, edt)
    assert "out of hours" in duty[1] and duty[1].endswith(f"http://voice.test/admin/alerts/{alert_id}")
    assert len(duty[1]) <= 160 and not any("Reminder" in text for text in duty + edt)
    unfolded = [(mail["To"], " ".join(mail["Subject"].split())) for mail in mails]  # a long subject is folded
    subjects = {to: subject for to, subject in unfolded if subject.startswith("UPDATED: ")}
    assert subjects == {
        address: f"UPDATED: Voice Service safeguarding alert #{alert_id} (now high priority, was low)"
        for address in ("duty@council.test", "edt@council.test")
    }
    updated = [payload for payload in hook.received if payload["event"] == "safeguarding_alert_updated"]
    assert len(updated) == 1  # the webhook is a duty and an escalation route: told once
    assert (updated[0]["alert_id"], updated[0]["priority"], updated[0]["categories"]) == (
        alert_id,
        "high",
        ["unsafe_home", "abuse"],
    )
    nothing_said(duty + edt + [mail.get_payload() for mail in mails] + [json.dumps(hook.received)], words=["hits me"])

    # The reminder comes after the configured wait (30 minutes from when the first notice went, four seconds
    # after the raising: trial finding T9), not at once.
    assert jobs.renotify_alerts(services, now=later + timedelta(minutes=29, seconds=59)) == 0
    assert jobs.renotify_alerts(services, now=later + timedelta(minutes=30)) == 1
    clock.current = later + timedelta(minutes=30)
    flush_outbox(services, clock)
    reminder = fake_twilio.to(DUTY_PHONE)[-1]["body"]
    assert reminder.startswith(f"Reminder 1: alert #{alert_id} high priority still waiting, 30 min (")
    with Session(services.engine) as session:
        history = [
            e.words("Europe/London", now=clock.current)
            for e in safeguarding.notice_history(session=session, alert_id=alert_id)
        ]
    assert history == [
        "Mon 30 Nov 08:51: duty team notified (text, email, webhook)",
        "Mon 30 Nov 08:51: escalated to the escalation contacts (e.g. the emergency duty team) (text, email, webhook)",
        "Mon 30 Nov 08:51: update sent (higher priority or a new category) (text, email, webhook)",
        "Mon 30 Nov 09:21: reminder 1 sent to the duty team (text, email, webhook)",
    ]


def test_a_rise_to_high_priority_after_the_desk_shuts_escalates_at_once(told, fake_twilio):
    """Raised low at 16:50 (the desk open: not escalated), high at 17:05 (the desk shut): the escalation
    contacts hear now, at the new priority, rather than at 17:35; in office hours a rise waits as before."""
    services, _, _ = told
    person, other = young_person(services), young_person(services, "+447700900124")
    alert_id = disclose(services, person, when=LATE_AFTERNOON, categories=("unsafe_home",), priority="low")
    in_hours = disclose(services, other, when=LATE_AFTERNOON - timedelta(hours=2), priority="low")
    assert not outbox_rows(services, kind="escalation")
    shut = LATE_AFTERNOON + timedelta(minutes=15)
    assert disclose(services, person, when=shut, categories=("abuse",)) == alert_id
    flush_outbox(services, Clock(shut))
    (escalated,) = [m["body"] for m in fake_twilio.to(EDT_PHONE)]  # told once, as it now stands
    assert escalated.startswith(f"ESCALATED: alert #{alert_id} high priority, duty desk closed (unsafe home, abuse")
    assert fake_twilio.to(DUTY_PHONE)[-1]["body"].startswith(f"UPDATED: alert #{alert_id} now high priority (was low)")
    # The other alert rose in office hours: the duty desk is there, so it waits for them as before.
    assert disclose(services, other, when=LATE_AFTERNOON - timedelta(hours=1), categories=("abuse",)) == in_hours
    with Session(services.engine) as session:
        assert session.get(Alert, alert_id).escalated_at == shut
        assert session.get(Alert, in_hours).escalated_at is None and session.get(Alert, in_hours).priority == "high"
    jobs.escalate_alerts(services, now=shut + timedelta(hours=1))  # escalates the other one, when overdue
    assert len(outbox_rows(services, alert_id=alert_id, kind="escalation")) == 3  # this one once: text, email, webhook


def test_a_message_that_changes_nothing_is_a_new_message_and_a_new_category_updates_the_duty_team(told):
    """In office hours, not escalated: the same category at the same priority is a short "New message" notice to
    the duty routes, no "UPDATED"; a new category goes to the duty routes only (the escalation contacts were never
    told)."""
    services, _, _ = told
    person = young_person(services)
    alert_id = disclose(services, person, when=LATE_AFTERNOON - timedelta(hours=3))
    flush_outbox(services, Clock(LATE_AFTERNOON - timedelta(hours=3)))  # the alert's notice has gone
    before = len(outbox_rows(services))
    disclose(services, person, when=LATE_AFTERNOON - timedelta(hours=3, minutes=-1))
    assert len(outbox_rows(services)) == before + 3 and not outbox_rows(services, kind="alert_changed")
    assert [row.channel for row in outbox_rows(services, kind="alert_update")] == ["sms", "email", "webhook"]
    disclose(services, person, when=LATE_AFTERNOON - timedelta(hours=3, minutes=-2), categories=("abuse",))
    changed = outbox_rows(services, kind="alert_changed")
    assert [row.channel for row in changed] == ["sms", "email", "webhook"]
    # High all along (trial 3, F5): the notice says what changed, not "now high priority".
    what = "high priority, new category: abuse"
    assert changed[0].body.startswith(f"UPDATED: alert #{alert_id} {what}; also self harm (")
    assert changed[1].subject == f"UPDATED: Voice Service safeguarding alert #{alert_id} ({what})"
    assert "now" not in changed[0].body + changed[1].subject and len(changed[0].body) <= 160
    assert not outbox_rows(services, kind="escalation")


def test_an_update_names_every_new_category_and_every_earlier_one(told):
    """Two new categories at once on a high alert: both named; the earlier ones too, without the spaces when that
    keeps one SMS, else into a second segment, never as a count ("and 2 earlier": trial 5, F14)."""
    services, _, _ = told
    person = young_person(services)
    start = LATE_AFTERNOON - timedelta(hours=3)
    alert_id = disclose(services, person, when=start, categories=("self_harm", "missing"))
    disclose(services, person, when=start + timedelta(minutes=1), categories=("violence", "exploitation"))
    (sms,) = outbox_rows(services, kind="alert_changed", channel="sms")
    new = f"UPDATED: alert #{alert_id} high priority, new categories: violence, exploitation; "
    assert sms.body.startswith(new + "also self harm, missing (sms, Tue 1 Dec 13:51) http://"), sms.body
    assert len(sms.body) <= 160
    with session_scope(services.engine) as session:
        alert = session.get(Alert, alert_id)
        app = dataclasses.replace(services.config.app, public_url="https://voice.example.gov.uk/x")
        long_link = dataclasses.replace(services.config, app=app)
        notice = safeguarding.change_notice(
            alert, config=long_link, was_priority="high", added=["violence", "exploitation"], now=start
        )
    assert notice.startswith(new + "also self harm, missing (sms, "), notice
    assert len(notice) <= safeguarding.ESCALATION_SMS_LIMIT


def _duty(services, email: str, name: str) -> None:
    with session_scope(services.engine) as session:
        create_user(session=session, email=email, roles=["duty"], password="correct horse battery staple", name=name)


def test_the_escalation_contacts_hear_when_an_escalated_alert_is_acknowledged_and_closed(told, fake_twilio):
    services, hook, mails = told
    night = datetime(2026, 12, 1, 23, 35, tzinfo=UTC)
    alert_id = disclose(services, young_person(services), when=night)
    quiet = disclose(services, None, when=LATE_AFTERNOON - timedelta(hours=3))  # in hours: never escalated
    _duty(services, "kim@council.test", "Kim Duty")
    with session_scope(services.engine) as session:
        for alert in (alert_id, quiet):
            safeguarding.acknowledge(
                session=session,
                vault=services.vault,
                config=services.config,
                alert_id=alert,
                by="kim@council.test",
                now=night + timedelta(minutes=12),
            )
    clock = Clock(night + timedelta(minutes=12))
    flush_outbox(services, clock)
    with session_scope(services.engine) as session:
        safeguarding.close(
            session=session,
            vault=services.vault,
            config=services.config,
            alert_id=alert_id,
            by="kim@council.test",
            action="called",
            now=night + timedelta(minutes=55),
        )
    clock.current = night + timedelta(minutes=55)
    flush_outbox(services, clock)
    link = f"http://voice.test/admin/alerts/{alert_id}"
    assert [m["body"] for m in fake_twilio.to(EDT_PHONE)][1:] == [
        f"Alert #{alert_id} high priority acknowledged by Kim Duty at Tue 1 Dec 23:47 (self harm, sms) {link}",
        f"Alert #{alert_id} high priority closed by Kim Duty at Wed 2 Dec 00:30 (self harm, sms) {link}",
    ]
    assert not any("acknowledged by" in m["body"] for m in fake_twilio.to(DUTY_PHONE))  # they did it
    edt_mail = [mail["Subject"] for mail in mails if mail["To"] == "edt@council.test"][1:]
    assert edt_mail == [
        f"Voice Service safeguarding alert #{alert_id} acknowledged by Kim Duty",
        f"Voice Service safeguarding alert #{alert_id} closed by Kim Duty",
    ]
    events = [(p["event"], p["alert_id"]) for p in hook.received if p["event"].endswith(("acknowledged", "closed"))]
    assert events == [("safeguarding_alert_acknowledged", alert_id), ("safeguarding_alert_closed", alert_id)]
    assert not outbox_rows(services, alert_id=quiet, kind="alert_acknowledged")
    with Session(services.engine) as session:
        history = [
            e.words("Europe/London", now=clock.current)
            for e in safeguarding.notice_history(session=session, alert_id=alert_id)
        ]
    assert history[-2:] == [
        "Tue 1 Dec 23:47: escalation contacts told it was acknowledged (text, email, webhook)",
        "Wed 2 Dec 00:30: escalation contacts told it was closed (text, email, webhook)",
    ]
    nothing_said([m["body"] for m in fake_twilio.messages] + [json.dumps(hook.received)], words=["hits me"])


def test_picking_up_an_escalated_alert_on_the_command_line_or_by_acting_on_it_tells_the_escalation_contacts(told):
    """The duty account's name (not its email) in the notice; closing an open escalated alert in one step
    sends the one "closed" notice; a hand-over of an acknowledged alert sends nothing more."""
    services, _, _ = told
    night = datetime(2026, 12, 1, 23, 35, tzinfo=UTC)
    _duty(services, "kim@council.test", "Kim Duty")
    _duty(services, "lee@council.test", "Lee Duty")
    first = disclose(services, young_person(services), when=night)
    second = disclose(services, young_person(services, "+447700900125"), when=night)
    env = {
        f"VOICE_{s.upper()}_{k.upper()}": ",".join(v) if isinstance(v, list) else str(v)
        for s, values in services.config.as_dict().items()
        for k, v in values.items()
    }
    runner = CliRunner(env=env)
    for args in (
        ["alerts", "ack", str(first), "--by", "Kim Duty"],
        ["alerts", "handover", str(first), "--to", "Lee Duty", "--by", "Kim Duty"],
        ["alerts", "close", str(second), "--by", "Lee Duty", "--action", "called"],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    (acknowledged,) = outbox_rows(services, kind="alert_acknowledged", channel="sms")
    assert acknowledged.alert_id == first
    assert acknowledged.body.startswith(f"Alert #{first} high priority acknowledged by Kim Duty at ")
    (closed,) = outbox_rows(services, kind="alert_closed", channel="sms")
    assert closed.alert_id == second and closed.body.startswith(f"Alert #{second} high priority closed by Lee Duty at ")
    assert not outbox_rows(services, alert_id=second, kind="alert_acknowledged")


def test_replying_to_a_young_person_with_an_escalated_alert_tells_the_escalation_contacts(told):
    """Replying picks their open alert up (`take_on_reply`): the emergency duty team hears someone has it."""
    from voice_service.inbox.threads import reply

    services, _, _ = told
    night = datetime(2026, 12, 1, 23, 35, tzinfo=UTC)
    _duty(services, "kim@council.test", "Kim Duty")
    person = young_person(services)
    alert_id = disclose(services, person, when=night)
    with session_scope(services.engine) as session:
        reply(
            session=session,
            services=services,
            participant_id=person,
            text="Hi Sam, it's Kim from the duty team. Are you safe right now?",
            by="kim@council.test",
            token="t1",
            now=night + timedelta(minutes=6),
        )
    (told_sms,) = outbox_rows(services, kind="alert_acknowledged", channel="sms")
    assert (
        told_sms.body
        == f"Alert #{alert_id} high priority acknowledged by Kim Duty at Tue 1 Dec 23:41 (self harm, sms) "
        f"http://voice.test/admin/alerts/{alert_id}"
    )
    assert told_sms.alert_id == alert_id
