"""The safeguarding loop around an alert: one alert per young person at a time, notices that reach a
person through real routes (fake Twilio API, SMTP with STARTTLS, a webhook), escalation on a passed-in
clock, and the duty team's acknowledge / action / hand-over / close."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from tests.conftest import make_config
from tests.outbox.helpers import Clock
from tests.support.alert_record import notes_of
from tests.support.alert_routes import (
    DUTY_PHONE,
    EDT_PHONE,
    RAISED,
    WORDS,
    YOUNG_PERSON,
    as_duty,
    disclose,
    flush_outbox,
    open_routes,
    outbox_rows,
    young_person,
)
from voice_service.config import ConfigError
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.models import Alert, AlertMessage, Message, OutboxMessage, Participant
from voice_service.safeguarding import alerts as safeguarding
from voice_service.scheduler import jobs

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def routes(database_url, fake_twilio, webhook, smtp_server):
    """Every duty and escalation route real (`tests.support.alert_routes.open_routes`): the services, with the
    webhook's and the SMTP server's inboxes."""
    with open_routes(database_url, fake_twilio, webhook, smtp_server) as opened:
        yield opened


def test_the_notice_carries_what_the_duty_worker_needs_in_one_sms_and_nothing_said(routes):
    services, _, _ = routes
    alert_id = disclose(services, young_person(services), when=RAISED, categories=("self_harm", "abuse"))
    notices = {row.channel: row for row in outbox_rows(services, alert_id=alert_id)}
    assert set(notices) == {"sms", "email", "webhook"}
    body = notices["sms"].body
    assert len(body) <= 160
    assert f"#{alert_id}" in body and "high priority" in body and "self harm" in body and "sms" in body
    assert "Tue 1 Dec 14:05" in body  # council local time
    assert body.endswith(f"http://voice.test/admin/alerts/{alert_id}")
    assert "hurt" not in body and "Sam" not in body and not re.search(r"\+?\d{10,}", body)
    assert notices["email"].subject == f"Voice Service safeguarding alert #{alert_id} (high priority)"
    assert all(row.attempt == 0 and row.kind == "alert" for row in notices.values())


def test_a_summer_alert_shows_british_summer_time(routes):
    services, _, _ = routes
    alert_id = disclose(services, None, when=datetime(2026, 7, 1, 13, 5, tzinfo=UTC))
    (sms,) = outbox_rows(services, alert_id=alert_id, channel="sms")
    assert "Wed 1 Jul 14:05" in sms.body


def test_a_second_disclosure_is_added_to_the_open_alert_with_one_short_notice(routes):
    services, _, _ = routes
    person = young_person(services)
    first = disclose(services, person, when=RAISED, priority="low")
    assert len(outbox_rows(services)) == 3
    # Same priority while its notice has still to go: merged, and nothing more (that notice leads to the alert's page).
    second = disclose(services, person, when=RAISED + timedelta(minutes=1), categories=("self_harm",), priority="low")
    assert second == first and len(outbox_rows(services)) == 3
    # Once it has gone, while nobody has it yet: the duty routes hear of the new message at once (one short notice
    # each, not a second alert's round; a trial found it told nobody until the next reminder).
    flush_outbox(services, Clock(RAISED + timedelta(minutes=1)))
    again = disclose(services, person, when=RAISED + timedelta(minutes=2), categories=("self_harm",), priority="low")
    assert again == first and len(outbox_rows(services)) == 6
    news = outbox_rows(services, kind="alert_update")
    assert len(news) == 3 and news[0].body.startswith(f"New message on alert #{first} low priority (")
    # A higher priority: merged, and the duty routes hear what changed (not a reminder: nobody waited longer).
    third = disclose(services, person, when=RAISED + timedelta(minutes=4), categories=("violence",))
    assert third == first
    updated = outbox_rows(services, kind="alert_changed")
    assert len(updated) == 3 and not outbox_rows(services, attempt=1, kind="alert")
    assert updated[0].body.startswith(f"UPDATED: alert #{first} now high priority (was low): violence, self harm (")
    with Session(services.engine) as session:
        alert = session.get(Alert, first)
        links = session.exec(select(AlertMessage).where(AlertMessage.alert_id == first)).all()
        assert session.exec(select(Alert)).all() == [alert]
        assert alert.categories == ["self_harm", "violence"] and alert.priority == "high"
        assert alert.reasons == ["lexicon: self_harm", "lexicon: violence"]
        assert alert.message_count == 4 and len(links) == 4


def test_once_acknowledged_each_further_disclosure_sends_one_short_notice_at_once(routes):
    services, _, _ = routes
    person = young_person(services)
    alert_id = disclose(services, person, when=RAISED)
    as_duty(services, safeguarding.acknowledge, alert_id, by="Jo", now=RAISED + timedelta(minutes=5))
    disclose(services, person, when=RAISED + timedelta(minutes=40))
    disclose(services, person, when=RAISED + timedelta(minutes=50))  # inside `renotify_minutes`: no matter
    updates = outbox_rows(services, kind="alert_update")
    assert len(updates) == 6  # one per route for each, at once (trial 12, finding 5)
    assert updates[0].body.startswith(f"New message on alert #{alert_id}")
    assert {row.not_before for row in updates[3:]} == {RAISED + timedelta(minutes=50)}
    # Closed: the next disclosure is a new alert.
    as_duty(services, safeguarding.close, alert_id, by="Jo", action="called")
    assert disclose(services, person, when=RAISED + timedelta(hours=3)) != alert_id


def test_an_unacknowledged_alert_escalates_once_through_every_route_after_the_set_time(routes, fake_twilio):
    services, hook, mails = routes
    alert_id = disclose(services, young_person(services), when=RAISED)
    acknowledged = disclose(services, None, when=RAISED)
    as_duty(services, safeguarding.acknowledge, acknowledged, by="Jo", now=RAISED + timedelta(minutes=3))
    clock = Clock(RAISED)
    flush_outbox(services, clock)
    assert [m["to"] for m in fake_twilio.messages] == [DUTY_PHONE, DUTY_PHONE]
    assert jobs.escalate_alerts(services, now=RAISED + timedelta(minutes=44)) == 0
    assert jobs.escalate_alerts(services, now=RAISED + timedelta(minutes=45)) == 1
    assert jobs.escalate_alerts(services, now=RAISED + timedelta(minutes=90)) == 0  # once
    clock.current = RAISED + timedelta(minutes=45)
    report = flush_outbox(services, clock)
    assert report.sent == 3
    (text,) = fake_twilio.to(EDT_PHONE)
    assert text["body"].startswith(f"ESCALATED: alert #{alert_id} high priority not acknowledged after 45 min")
    assert len(text["body"]) <= 160 and "hurt" not in text["body"]
    escalation_mail = [mail for mail in mails if mail["To"] == "edt@council.test"]
    assert len(escalation_mail) == 1 and escalation_mail[0]["Subject"].startswith("ESCALATED: ")
    assert "hurt" not in escalation_mail[0].get_payload()
    # Email has room: what Voice Service is, that the words are behind the link, what to do (trial 3, F22).
    mail_text = escalation_mail[0].get_payload(decode=True).decode().replace("\r\n", "\n")
    assert mail_text.startswith(text["body"] + "\n\n"), mail_text
    assert f"Voice Service is how {services.config.app.council_name} hears from children in care" in mail_text
    assert "sign in with your duty account" in mail_text and "('sms')" in mail_text
    assert "acknowledge the alert on its page" in mail_text and "had not acknowledged it in time" in mail_text
    assert WORDS not in mail_text and "hurt" not in mail_text and YOUNG_PERSON not in mail_text
    duty_mail = next(mail for mail in mails if mail["To"] == "duty@council.test")
    duty_text = duty_mail.get_payload(decode=True).decode()
    assert "Voice Service is how" in duty_text and "so the rest of the duty team knows" in duty_text
    assert "hurt" not in duty_text and YOUNG_PERSON not in duty_text
    events = [payload for payload in hook.received if payload["event"] == "safeguarding_alert_escalated"]
    assert events == [
        {
            "event": "safeguarding_alert_escalated",
            "alert_id": alert_id,
            "attempt": 0,
            "reminder": None,  # not a notice of the alert or a reminder of it
            "categories": ["self_harm"],
            "priority": "high",
            "channel": "sms",
            "raised_at": RAISED.isoformat(timespec="seconds"),
            "out_of_hours": False,
            "delayed": False,
            "early_notice": False,
            "url": f"http://voice.test/admin/alerts/{alert_id}",
            "outbox_id": events[0]["outbox_id"],
        }
    ]
    assert "hurt" not in json.dumps(hook.received) and YOUNG_PERSON not in json.dumps(hook.received)
    with Session(services.engine) as session:
        assert session.get(Alert, alert_id).escalated_at == RAISED + timedelta(minutes=45)
        assert session.get(Alert, acknowledged).escalated_at is None


def test_out_of_hours_the_escalation_contacts_hear_at_once(routes, fake_twilio):
    """At 23:35 nobody is at the duty desk: the emergency duty team is told as the alert is raised, not an
    hour later (tester F16); the notice says why, and the scheduler does not escalate it a second time."""
    services, hook, _ = routes
    night = datetime(2026, 12, 1, 23, 35, tzinfo=UTC)  # Tuesday, outside office_hours 09:00-17:00
    alert_id = disclose(services, young_person(services), when=night)
    with Session(services.engine) as session:
        alert = session.get(Alert, alert_id)
        assert alert.out_of_hours and alert.escalated_at == night
    flush_outbox(services, Clock(night))
    (text,) = fake_twilio.to(EDT_PHONE)
    assert text["body"].startswith(f"ESCALATED: alert #{alert_id} high priority, duty desk closed (")
    assert len(text["body"]) <= 160 and "hurt" not in text["body"] and YOUNG_PERSON not in text["body"]
    assert [
        payload["out_of_hours"] for payload in hook.received if payload["event"] == "safeguarding_alert_escalated"
    ] == [True]
    assert jobs.escalate_alerts(services, now=night + timedelta(hours=2)) == 0  # once
    # In office hours it waits for the duty desk, as before.
    assert disclose(services, None, when=RAISED) and fake_twilio.to(EDT_PHONE) == [text]
    with Session(services.engine) as session:
        assert session.exec(select(Alert).where(Alert.id != alert_id)).one().escalated_at is None


def test_start_up_warns_when_no_one_hears_of_an_alert_out_of_hours(database_url):
    quiet = make_config(database_url, safeguarding={"duty_phones": [DUTY_PHONE]})
    assert "escalation_phones" in quiet.out_of_hours_warning() and "out of hours" in quiet.out_of_hours_warning()
    assert quiet.with_overrides(safeguarding={"escalation_emails": ["edt@council.test"]}).out_of_hours_warning() is None


def test_acknowledging_in_time_stops_the_escalation(routes):
    services, _, _ = routes
    alert_id = disclose(services, None, when=RAISED)
    as_duty(services, safeguarding.acknowledge, alert_id, by="Jo", now=RAISED + timedelta(minutes=44))
    assert jobs.escalate_alerts(services, now=RAISED + timedelta(minutes=46)) == 0
    assert jobs.renotify_alerts(services, now=RAISED + timedelta(minutes=46)) == 0


def _duty_account(services, name: str) -> str:
    """A duty account: an alert can be handed over only to someone on the duty team."""
    from voice_service.accounts import create_user

    with session_scope(services.engine) as session:
        email = f"{name.lower()}@council.test"
        create_user(session=session, email=email, roles=["duty"], password="correct horse battery staple", name=name)
        return email


def test_the_duty_team_acts_hands_over_and_closes(routes):
    services, _, _ = routes
    alert_id = disclose(services, None, when=RAISED)
    kim = _duty_account(services, "Kim")
    with session_scope(services.engine) as session:
        with pytest.raises(ValueError, match="record what was done before closing: --action called"):
            safeguarding.close(
                session=session, vault=services.vault, config=services.config, alert_id=alert_id, by="Jo"
            )
        with pytest.raises(ValueError, match="action must be one of"):
            safeguarding.record_action(
                session=session,
                vault=services.vault,
                config=services.config,
                alert_id=alert_id,
                action="shrugged",
                by="Jo",
            )
        with pytest.raises(LookupError):
            safeguarding.acknowledge(
                session=session, vault=services.vault, config=services.config, alert_id=alert_id + 99, by="Jo"
            )
        alert, _ = safeguarding.hand_over(
            session=session,
            vault=services.vault,
            config=services.config,
            alert_id=alert_id,
            to="Kim",
            by="Jo",
            note="Jo off shift",
        )
        assert (alert.status, alert.acknowledged_by, alert.assigned_to) == ("acknowledged", "Jo", kim)
        safeguarding.record_action(
            session=session,
            vault=services.vault,
            config=services.config,
            alert_id=alert_id,
            action="called",
            by="Kim",
            note="spoke to YP",
        )
        alert = safeguarding.close(
            session=session,
            vault=services.vault,
            config=services.config,
            alert_id=alert_id,
            by="Kim",
            now=RAISED + timedelta(hours=1),
        )
        assert (alert.status, alert.closed_by, alert.action_taken) == ("closed", "Kim", "called")
        assert notes_of(session, alert_id) == "Jo off shift\nspoke to YP"
        with pytest.raises(ValueError, match="is closed"):
            safeguarding.hand_over(
                session=session, vault=services.vault, config=services.config, alert_id=alert_id, to="Lee", by="Kim"
            )


def test_the_database_refuses_a_closed_alert_without_an_action(routes):
    services, _, _ = routes
    alert_id = disclose(services, None, when=RAISED)
    with pytest.raises(IntegrityError):
        with session_scope(services.engine) as session:
            alert = session.get(Alert, alert_id)
            alert.status, alert.acknowledged_by, alert.acknowledged_at = "closed", "Jo", RAISED
            alert.closed_by, alert.closed_at = "Jo", RAISED
    with pytest.raises(IntegrityError):
        with session_scope(services.engine) as session:
            session.get(Alert, alert_id).priority = "mid"


def test_out_of_hours_follows_the_office_hours_in_local_time(config):
    assert not safeguarding.is_out_of_hours(config, RAISED)
    assert safeguarding.is_out_of_hours(config, datetime(2026, 12, 1, 17, 0, tzinfo=UTC))
    assert safeguarding.is_out_of_hours(config, datetime(2026, 12, 5, 12, 0, tzinfo=UTC))  # a Saturday
    assert safeguarding.is_out_of_hours(config, datetime(2026, 7, 1, 7, 30, tzinfo=UTC))  # 08:30 BST


def test_serve_and_scheduler_refuse_to_start_with_no_duty_route(database_url, tmp_path):
    from voice_service.cli import main
    from voice_service.db import upgrade

    config = make_config(database_url)
    with pytest.raises(ConfigError) as caught:
        config.require_duty_route()
    for key in ("safeguarding.duty_phones", "safeguarding.duty_emails", "safeguarding.webhook_url"):
        assert key in str(caught.value)
    config.with_overrides(app={"demo": True}).require_duty_route()  # the demo may
    values = config.as_dict()
    path = tmp_path / "config.toml"
    path.write_text(
        f'[app]\nsecret_key = "{values["app"]["secret_key"]}"\n[database]\nurl = "{database_url}"\n'
        f'[privacy]\nphone_key = "{values["privacy"]["phone_key"]}"\nhash_key = "{values["privacy"]["hash_key"]}"\n'
        f'[twilio]\nauth_token = "{values["twilio"]["auth_token"]}"\n'
    )
    upgrade(database_url)
    for command in ("serve", "scheduler"):
        result = CliRunner().invoke(main, ["--config", str(path), command])
        assert result.exit_code == 1, result.output
        assert "safeguarding.duty_phones" in result.output and "refusing to start" in result.output


def test_an_email_route_without_an_smtp_host_is_refused_at_start(database_url, tmp_path):
    """duty_emails alone with [smtp] host empty: the alert would retry in the outbox for ever."""
    from voice_service.cli import main
    from voice_service.db import upgrade

    config = make_config(database_url, safeguarding={"duty_emails": ["duty@council.example"]})
    with pytest.raises(ConfigError) as caught:
        config.require_duty_route()
    assert "smtp.host" in str(caught.value) and "safeguarding.duty_emails" in str(caught.value)
    for extra in (
        {"safeguarding": {"escalation_emails": ["edt@council.example"], "webhook_url": "http://127.0.0.1:9/hook"}},
        {"safeguarding": {"webhook_url": "http://127.0.0.1:9/hook"}, "panel": {"emails": ["panel@council.example"]}},
        {"safeguarding": {"webhook_url": "http://127.0.0.1:9/hook"}, "advocacy": {"email": "adv@council.example"}},
    ):
        with pytest.raises(ConfigError, match="smtp.host"):
            make_config(database_url, **extra).require_duty_route()
    make_config(
        database_url, safeguarding={"duty_emails": ["duty@council.example"]}, smtp={"host": "127.0.0.1"}
    ).require_duty_route()
    config.with_overrides(app={"demo": True}).require_duty_route()  # the demo may
    values = config.as_dict()
    path = tmp_path / "config.toml"
    path.write_text(
        f'[app]\nsecret_key = "{values["app"]["secret_key"]}"\n[database]\nurl = "{database_url}"\n'
        f'[privacy]\nphone_key = "{values["privacy"]["phone_key"]}"\nhash_key = "{values["privacy"]["hash_key"]}"\n'
        '[safeguarding]\nduty_emails = ["duty@council.example"]\n[smtp]\nhost = ""\n'
    )
    upgrade(database_url)
    for command in ("serve", "scheduler"):
        result = CliRunner().invoke(main, ["--config", str(path), command])
        assert result.exit_code == 1, result.output
        assert "smtp.host" in result.output and "refusing to start" in result.output


def test_an_sms_duty_route_on_the_console_provider_is_refused_outside_the_demo(database_url):
    """A text printed to a console reaches nobody."""
    config = make_config(database_url, safeguarding={"duty_phones": ["+447700900111"]}, sms={"provider": "console"})
    with pytest.raises(ConfigError) as caught:
        config.require_duty_route()
    assert "safeguarding.duty_phones" in str(caught.value) and "sms.provider" in str(caught.value)
    escalating = make_config(
        database_url,
        safeguarding={"webhook_url": "http://127.0.0.1:9/hook", "escalation_phones": ["+447700900112"]},
    )
    with pytest.raises(ConfigError, match="safeguarding.escalation_phones"):
        escalating.require_duty_route()
    config.with_overrides(app={"demo": True}).require_duty_route()  # the demo may
    config.with_overrides(sms={"provider": "twilio"}).require_duty_route()


def test_alerts_list_shows_the_wait_against_the_target(routes):
    from voice_service.cli import alerts as cli_alerts

    services, _, _ = routes
    alert_id = disclose(services, None, when=RAISED)
    with Session(services.engine) as session:
        alert = session.get(Alert, alert_id)
    assert cli_alerts.wait_text(alert, target=15, now=RAISED + timedelta(minutes=7)) == (
        "waiting 7 min (target 15 min, within)"
    )
    assert cli_alerts.wait_text(alert, target=15, now=RAISED + timedelta(minutes=82)) == (
        "waiting 82 min (target 15 min, OVER)"  # as the duty page writes it
    )
    assert cli_alerts.wait_text(alert, target=15, now=RAISED + timedelta(minutes=150)) == (
        "waiting 2 h 30 min (target 15 min, OVER)"
    )


def _cli(services, now: datetime | None = None):
    """The real `voice-service` command on these services (configured from the environment), its clock at
    `now` (RAISED's day, 5 hours on, unless told): never today's date."""
    from voice_service.cli import main

    now = now or RAISED + timedelta(hours=5)

    env = {
        f"VOICE_{s.upper()}_{k.upper()}": ",".join(v) if isinstance(v, list) else str(v)
        for s, values in services.config.as_dict().items()
        for k, v in values.items()
    }
    runner = CliRunner(env=env)

    def invoke(*args):
        with patch("voice_service.cli.alerts.utcnow", return_value=now):
            return runner.invoke(main, list(args))

    return invoke


def _listed(cli, alert_id: int) -> str:
    result = cli("alerts", "list")
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.output.splitlines() if line.startswith(f"#{alert_id} ")]
    return line


def test_alerts_list_says_whether_the_duty_team_was_told(routes):
    """From the outbox, not a counter: nothing has gone until the dispatcher sends it."""
    services, _, _ = routes
    alert_id = disclose(services, None, when=RAISED)
    cli = _cli(services)
    line = _listed(cli, alert_id)
    assert "not notified yet; 3 notices waiting to be sent" in line and "1x" not in line, line
    clock = Clock(RAISED)
    assert flush_outbox(services, clock).sent == 3
    assert _listed(cli, alert_id).endswith("notified once")
    assert jobs.renotify_alerts(services, now=RAISED + timedelta(minutes=31)) == 1
    assert "notified once; 3 notices waiting to be sent" in _listed(cli, alert_id)
    clock.current = RAISED + timedelta(minutes=31)
    flush_outbox(services, clock)
    assert _listed(cli, alert_id).endswith("notified 2 times")


def test_alerts_list_says_when_the_duty_team_was_told_of_a_new_message(routes):
    """Trial 6b, N5: after a plea's "new message" notice had gone, the list said "notified once" alone, as if it
    had never been passed on."""
    services, _, _ = routes
    alert_id = disclose(services, young_person(services), when=RAISED)
    clock = Clock(RAISED)
    flush_outbox(services, clock)
    cli = _cli(services)
    assert _listed(cli, alert_id).endswith("notified once")
    later = RAISED + timedelta(minutes=5)
    with session_scope(services.engine) as session:
        (participant_id,) = session.exec(select(Alert.participant_id).where(Alert.id == alert_id)).all()
        plea = Message(
            direction="in", channel="sms", body="please help", participant_id=participant_id, created_at=later
        )
        session.add(plea)
        session.flush()
        assert safeguarding.add_plea(
            session=session, vault=services.vault, config=services.config, message=plea, now=later
        )
    assert "notified once; 3 notices waiting to be sent" in _listed(cli, alert_id)
    clock.current = later
    flush_outbox(services, clock)
    assert _listed(cli, alert_id).endswith("notified once; told of 1 new message")


def test_alerts_list_says_escalated_only_once_the_escalation_notice_has_left(routes):
    """Trial 3, F14: with no scheduler sending, `alerts list` said "escalated" while the escalation contacts had
    been told nothing; it says the escalation is waiting until a notice of it has gone."""
    services, _, _ = routes
    alert_id = disclose(services, None, when=RAISED)
    clock = Clock(RAISED)
    flush_outbox(services, clock)
    assert jobs.escalate_alerts(services, now=RAISED + timedelta(minutes=45)) == 1
    cli = _cli(services)
    line = _listed(cli, alert_id)
    assert "escalation waiting to be sent since Tue 1 Dec 14:50" in line and "; escalated" not in line, line
    clock.current = RAISED + timedelta(minutes=45)
    flush_outbox(services, clock)
    assert "; escalated Tue 1 Dec 14:50" in _listed(cli, alert_id)


def test_alerts_list_a_year_on_gives_the_year_and_the_wait_in_words(routes):
    """Trial finding T8: read a year after it was raised, an alert's escalation read "Tue 1 Dec 14:50" (which
    December?) and its wait "8760 h 00 min". A date not in this year (by the clock passed in) keeps its year,
    and a long wait reads as the duty page writes it."""
    services, _, _ = routes
    alert_id = disclose(services, None, when=RAISED)
    assert jobs.escalate_alerts(services, now=RAISED + timedelta(minutes=45)) == 1
    a_year_on = _cli(services, now=RAISED + timedelta(days=365, minutes=1))
    line = _listed(a_year_on, alert_id)
    assert "waiting 1 year (target 15 min, OVER)" in line, line
    # The warning that its notices never left, as the duty pages write a wait (it read "the oldest 525600 min").
    assert "(the oldest 1 year). Is the scheduler running?" in a_year_on("alerts", "list").output
    assert "escalation waiting to be sent since Tue 1 Dec 2026 14:50" in line, line
    assert f"#{alert_id:<5} 1 Dec 2026 14:05 " in line
    weeks_on = _listed(_cli(services, now=RAISED + timedelta(weeks=3, hours=3)), alert_id)  # still 2026
    assert "waiting 3 weeks (target 15 min, OVER)" in weeks_on and "since Tue 1 Dec 14:50" in weeks_on, weeks_on
    _duty_account(services, "Jo")
    shown = _cli(services, now=RAISED + timedelta(days=400))("alerts", "show", str(alert_id), "--by", "Jo")
    assert "Waiting 1 year 5 weeks (target 15 min, OVER)" in shown.output, shown.output
    assert "They said (Tue 1 Dec 2026 14:05)" in shown.output, shown.output
    # Who was told, at the same clock (`NoticeEvent.words`): nothing has gone, and that was in 2026.
    assert "Notices:\n  Tue 1 Dec 2026 14:05: notice to the duty team waiting to be sent" in shown.output, shown.output


def test_alerts_list_with_no_duty_route_says_nobody_was_notified(database_url):
    services = Services.from_config(make_config(database_url))
    try:
        alert_id = disclose(services, None, when=RAISED)
        line = _listed(_cli(services), alert_id)
        assert line.endswith("not notified yet") and "notified 1x" not in line, line
    finally:
        services.engine.dispose()


def test_the_command_line_acts_on_alerts_and_audits_each_change(routes, tmp_path):
    from voice_service.cli import main
    from voice_service.models.audit import AuditEvent

    services, _, _ = routes
    alert_id = disclose(services, None, when=RAISED)
    for name in ("Kim", "Jo", "Sam"):
        _duty_account(services, name)
    env = {
        f"VOICE_{s.upper()}_{k.upper()}": ",".join(v) if isinstance(v, list) else str(v)
        for s, values in services.config.as_dict().items()
        for k, v in values.items()
    }
    runner = CliRunner(env=env)
    for args in (
        ["alerts", "ack", str(alert_id), "--by", "Jo"],
        ["alerts", "handover", str(alert_id), "--to", "Kim", "--by", "Jo"],
        ["alerts", "close", str(alert_id), "--by", "Kim", "--action", "referred"],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    listed = runner.invoke(main, ["alerts", "list", "--all"])
    assert f"#{alert_id}" in listed.output and "closed" in listed.output and "target 15 min" in listed.output
    unnamed = runner.invoke(main, ["alerts", "show", str(alert_id)])
    assert unnamed.exit_code == 2 and "--by" in unnamed.output and "hurt" not in unnamed.output
    # the duty worker reads it, and the reading is on the record like the duty page's
    shown = runner.invoke(main, ["alerts", "show", str(alert_id), "--by", "Sam"]).output
    assert "hurt" in shown
    # Colleagues by name, as the duty page names them: no worker's email address on the screen.
    assert (
        "Acknowledged by Jo at " in shown and "Handed over to Kim by Jo at " in shown and "Closed by Kim at " in shown
    )
    assert "@council.test" not in shown
    refused = runner.invoke(main, ["alerts", "close", str(alert_id + 1), "--by", "Kim", "--action", "called"])
    assert refused.exit_code == 1 and "there is no alert" in refused.output
    with Session(services.engine) as session:
        events = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    assert [(e.actor, e.action, e.subject_id) for e in events] == [
        ("jo@council.test", "alert.acknowledge", str(alert_id)),
        ("jo@council.test", "alert.hand_over", str(alert_id)),
        ("kim@council.test", "alert.close", str(alert_id)),
        ("sam@council.test", "alert.view", str(alert_id)),
    ]


def test_a_reminder_reads_as_one_with_the_wait_and_the_history_shows_the_escalation(routes, fake_twilio):
    services, hook, mails = routes
    alert_id = disclose(services, None, when=RAISED)
    clock = Clock(RAISED)
    flush_outbox(services, clock)
    assert jobs.renotify_alerts(services, now=RAISED + timedelta(minutes=31)) == 1
    clock.current = RAISED + timedelta(minutes=31)
    flush_outbox(services, clock)
    assert jobs.escalate_alerts(services, now=RAISED + timedelta(minutes=45)) == 1
    clock.current = RAISED + timedelta(minutes=45)
    flush_outbox(services, clock)
    first, reminder = [m["body"] for m in fake_twilio.to(DUTY_PHONE)]
    assert first.startswith(f"Safeguarding alert #{alert_id} high priority")
    assert reminder.startswith(f"Reminder 1: alert #{alert_id} high priority still waiting, 31 min")
    assert len(reminder) <= 160 and "hurt" not in reminder
    # The webhook says which notice of the alert each is (a trial read "attempt" as the reminder's number).
    told = [(payload["event"], payload["reminder"]) for payload in hook.received]
    assert told == [
        ("safeguarding_alert", 0),
        ("safeguarding_alert", 1),
        ("safeguarding_alert_escalated", None),
    ], told
    subjects = [mail["Subject"] for mail in mails if mail["To"] == "duty@council.test"]
    assert subjects[1].startswith("Reminder 1: ") and subjects[1].endswith("still waiting after 31 min")
    with Session(services.engine) as session:
        words = [
            event.words("Europe/London", now=clock.current)
            for event in safeguarding.notice_history(session=session, alert_id=alert_id)
        ]
    assert words == [
        "Tue 1 Dec 14:05: duty team notified (text, email, webhook)",
        "Tue 1 Dec 14:36: reminder 1 sent to the duty team (text, email, webhook)",
        "Tue 1 Dec 14:50: escalated to the escalation contacts (e.g. the emergency duty team) (text, email, webhook)",
    ]
    line = _listed(_cli(services), alert_id)
    assert "; notified 2 times; escalated Tue 1 Dec 14:50" in line and "1 message;" in line, line
    _duty_account(services, "Sam")
    shown = _cli(services)("alerts", "show", str(alert_id), "--by", "Sam").output
    assert (
        "Notices:\n  Tue 1 Dec 14:05: duty team notified" in shown and "escalated to the escalation contacts" in shown
    )


def test_an_over_target_wait_never_reads_as_the_target_itself(routes):
    from voice_service.cli import alerts as cli_alerts

    services, _, _ = routes
    alert_id = disclose(services, None, when=RAISED)
    with Session(services.engine) as session:
        alert = session.get(Alert, alert_id)
    assert cli_alerts.wait_text(alert, target=1, now=RAISED + timedelta(seconds=65)) == (
        "waiting 2 min (target 1 min, OVER)"
    )
    assert cli_alerts.wait_text(alert, target=1, now=RAISED + timedelta(seconds=55)) == (
        "waiting 0 min (target 1 min, within)"
    )


def test_a_new_alert_is_one_statement_a_row_and_its_notices_are_queued_once_per_key(routes):
    """A disclosure's new alert goes in as compiled Core statements on the session's connection: the live-alert
    check, the alert, its message link and one notice per route (7 ORM statements before); each notice row is
    as `enqueue` writes one, and a notice whose key is already queued is left as it was."""
    from sqlalchemy import event

    services, _, _ = routes
    night = datetime(2026, 12, 1, 23, 35, tzinfo=UTC)  # out of hours: the escalation notices go at once too
    participant_id = young_person(services)
    with session_scope(services.engine) as session:
        # A row already holding the first escalation notice's key (as after a retry): not queued twice.
        session.add(
            OutboxMessage(key="escalation:1:0:sms:0", kind="escalation", to_encrypted="x", body="queued earlier")
        )
    statements: list[str] = []
    record = lambda _conn, _cursor, statement, *_args: statements.append(statement.split()[0].upper())  # noqa: E731
    event.listen(services.engine, "before_cursor_execute", record)
    try:
        with session_scope(services.engine) as session:
            message = Message(
                direction="in", channel="sms", body=WORDS, participant_id=participant_id, created_at=night
            )
            session.add(message)
            session.flush()
            participant = session.get(Participant, participant_id)
            statements.clear()
            alert_id = safeguarding.store_alert(
                session=session,
                vault=services.vault,
                config=services.config,
                message=message,
                participant=participant,
                categories=("self_harm",),
                reasons=("lexicon: self_harm",),
                now=night,
            )
            counted = list(statements)
    finally:
        event.remove(services.engine, "before_cursor_execute", record)
    assert alert_id == 1
    # The live check, the alert, its link, three duty notices and three escalation notices.
    assert counted == ["SELECT", "INSERT", "INSERT"] + ["INSERT"] * 6
    with Session(services.engine) as session:
        alert = session.get(Alert, alert_id)
        assert (alert.participant_id, alert.channel, alert.categories, alert.reasons, alert.status) == (
            participant_id,
            "sms",
            ["self_harm"],
            ["lexicon: self_harm"],
            "open",
        )
        assert alert.out_of_hours and alert.excerpt == WORDS and alert.message_count == 1
        assert alert.notified_count == 0 and alert.last_notified_at == night and alert.escalated_at == night
        (link,) = session.exec(select(AlertMessage).where(AlertMessage.alert_id == alert_id)).all()
        assert (link.categories, link.priority, link.reasons, link.created_at) == (
            ["self_harm"],
            "high",
            ["lexicon: self_harm"],
            night,
        )
        rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    assert rows[0].body == "queued earlier"  # left as it was
    notices = rows[1:]
    assert [row.key for row in notices] == [
        "alert:1:0:sms:0",
        "alert:1:0:email:1",
        "alert:1:0:webhook:2",
        "escalation:1:0:email:1",
        "escalation:1:0:webhook:2",
    ]
    for row in notices:
        assert (row.alert_id, row.attempt, row.participant_id, row.status, row.attempts) == (
            1,
            0,
            participant_id,
            "pending",
            0,
        )
        assert not row.respect_window and not row.under_16 and row.not_before == night
        assert row.body.startswith(("Safeguarding alert #1 high priority", "ESCALATED: alert #1 high priority"))
        assert WORDS not in row.body and (row.subject is not None) == (row.channel == "email")
        assert services.vault.decrypt(row.to_encrypted) and row.to_hash == services.vault.hash(
            services.vault.decrypt(row.to_encrypted)
        )


def test_alerts_list_says_when_an_update_went_to_the_duty_team(routes):
    """New-user trial, 6 December: after an "UPDATED: alert #N" notice (a higher priority) had gone, the list and the
    dashboard still said "notified once" alone, as if the change had never been passed on."""
    services, _, _ = routes
    person = young_person(services)
    alert_id = disclose(services, person, when=RAISED, priority="low")
    clock = Clock(RAISED)
    flush_outbox(services, clock)
    cli = _cli(services)
    assert _listed(cli, alert_id).endswith("notified once")
    later = RAISED + timedelta(minutes=4)
    assert disclose(services, person, when=later, categories=("violence",)) == alert_id  # now high priority
    assert "notified once; 3 notices waiting to be sent" in _listed(cli, alert_id)
    clock.current = later
    flush_outbox(services, clock)
    assert _listed(cli, alert_id).endswith("notified once; 1 update sent")
