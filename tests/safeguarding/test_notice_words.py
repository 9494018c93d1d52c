"""The words of the notices themselves, without a database: what each reader needs, in an SMS they can read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from voice_service.config import load
from voice_service.models import Alert, OutboxKind
from voice_service.safeguarding.alerts import SMS_LIMIT, alert_notice

RAISED = datetime(2026, 12, 1, 23, 35, tzinfo=UTC)  # Tuesday night: the duty desk is shut
CATEGORIES = ["violence", "abuse", "unsafe_home"]


def _config():
    app = {"public_url": "https://voice.testshire.gov.uk"}
    return load(None, environ={}).with_overrides(app=app, safeguarding={"escalate_after_minutes": 3})


def _alert(**fields) -> Alert:
    values = {"id": 1, "categories": CATEGORIES, "priority": "high", "channel": "sms", "excerpt": ""}
    return Alert(**(values | {"created_at": RAISED, "out_of_hours": True} | fields))


def test_the_escalation_names_every_category_for_a_team_that_saw_no_earlier_notice():
    """Trial 3, F6: "ESCALATED: ... (abuse +2, ...)" told the emergency duty team nothing of the other two."""
    config = _config()
    for now in (RAISED, RAISED + timedelta(minutes=3)):  # escalated as raised (desk shut), and when overdue
        text = alert_notice(_alert(), config=config, kind=OutboxKind.ESCALATION, now=now)
        assert "(violence, abuse, unsafe home, sms, Tue 1 Dec 23:35, out of hours) https://" in text, text
        assert "+" not in text and len(text) <= 2 * 153
    overdue = alert_notice(_alert(), config=config, kind=OutboxKind.ESCALATION, now=RAISED + timedelta(minutes=3))
    assert overdue.startswith("ESCALATED: alert #1 high priority not acknowledged in 3 min (violence, abuse,")
    every = ["self_harm", "abuse", "exploitation", "missing", "violence", "unsafe_home"]
    text = alert_notice(_alert(categories=every), config=config, kind=OutboxKind.ESCALATION, now=RAISED)
    assert "self harm, abuse, exploitation, missing, violence, unsafe home" in text and len(text) <= 2 * 153


def test_the_duty_teams_first_notice_stays_one_sms():
    text = alert_notice(_alert(), config=_config(), now=RAISED)
    assert text.startswith("Safeguarding alert #1 high priority (violence, abuse, unsafe home, sms, Tue 1 Dec 23:35")
    assert len(text) <= SMS_LIMIT
