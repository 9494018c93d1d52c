"""The words of the notices themselves, without a database: what each reader needs, in an SMS they can read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from voice_service.config import load
from voice_service.models import Alert, OutboxKind
from voice_service.safeguarding.alerts import SMS_LIMIT, NoticeEvent, alert_notice, handled_notice, notice_subject

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
    assert overdue.startswith("ESCALATED: alert #1 high priority not acknowledged after 3 min (violence, abuse,")
    every = ["self_harm", "abuse", "exploitation", "missing", "violence", "unsafe_home"]
    text = alert_notice(_alert(categories=every), config=config, kind=OutboxKind.ESCALATION, now=RAISED)
    assert "self harm, abuse, exploitation, missing, violence, unsafe home" in text and len(text) <= 2 * 153


def test_the_duty_teams_first_notice_stays_one_sms():
    text = alert_notice(_alert(), config=_config(), now=RAISED)
    assert text.startswith("Safeguarding alert #1 high priority (violence, abuse, unsafe home, sms, Tue 1 Dec 23:35")
    assert len(text) <= SMS_LIMIT


def test_the_escalation_contacts_told_it_is_in_hand_hear_its_priority_categories_and_channel():
    """T3: "Alert #1 acknowledged by Kim Duty at ..." said nothing of which alert it was to a team juggling several.
    Now it has the priority, categories and channel as every notice does, in one SMS even with a long name."""
    config = _config()
    link = "https://voice.testshire.gov.uk/admin/alerts/1"
    later = RAISED + timedelta(minutes=12)
    acknowledged = handled_notice(_alert(), config=config, kind=OutboxKind.ALERT_ACKNOWLEDGED, by="Kim Duty", now=later)
    assert acknowledged == (
        f"Alert #1 high priority acknowledged by Kim Duty at Tue 1 Dec 23:47 (violence, abuse, unsafe home, sms) {link}"
    )
    name = "Siân Alexandra Montgomery-Fotheringham"
    closed = handled_notice(_alert(channel="webchat"), config=config, kind=OutboxKind.ALERT_CLOSED, by=name, now=later)
    assert closed.startswith("Alert #1 high priority closed by Sian Alexandra Montgomery") and closed.endswith(link)
    assert ", webchat) " in closed and " at Tue 1 Dec 23:47 (" in closed and len(closed) <= SMS_LIMIT, closed


def test_a_reminder_keeps_to_one_sms_with_the_time_it_now_carries():
    """T3: the raising time added to "Reminder N" must not push it into a second segment: the categories shorten
    ("violence +2", the first notice named them all) and then the flags the first notice had are left out."""
    config = _config()
    now = RAISED + timedelta(minutes=61)
    alert = _alert(id=12345, priority="medium", channel="webchat", delayed=True)
    reminder = alert_notice(alert, config=config, attempt=2, now=now)
    assert reminder.startswith("Reminder 2: alert #12345 medium priority still waiting, 61 min (violence +2, webchat")
    assert reminder.endswith(", Tue 1 Dec 23:35) https://voice.testshire.gov.uk/admin/alerts/12345")
    assert len(reminder) <= SMS_LIMIT
    short = alert_notice(_alert(categories=["abuse"]), config=config, attempt=1, now=now)
    assert "(abuse, sms, Tue 1 Dec 23:35, out of hours) " in short  # room enough: the flags stay


def test_a_year_on_a_reminder_and_the_notice_history_give_the_year_the_alert_was_raised():
    """Trial finding: read a year on (a scheduler down all that time), "Tue 1 Dec 23:35" passes for this week. A
    time not in this year keeps its year, in the reminder's SMS (still one segment) and in the notice history
    (`alerts show`, the duty page); a time from this year does not."""
    config = _config()
    a_year_on = RAISED + timedelta(days=365)  # Wed 1 Dec 2027
    reminder = alert_notice(_alert(id=12345, priority="medium"), config=config, attempt=3, now=a_year_on)
    assert ", sms, Tue 1 Dec 2026 23:35" in reminder and len(reminder) <= SMS_LIMIT, reminder
    escalated = alert_notice(_alert(), config=config, kind=OutboxKind.ESCALATION, now=a_year_on)
    assert "(violence, abuse, unsafe home, sms, Tue 1 Dec 2026 23:35, out of hours) https://" in escalated
    this_year = alert_notice(_alert(), config=config, attempt=1, now=RAISED + timedelta(days=20))  # 21 Dec 2026
    assert ", Tue 1 Dec 23:35" in this_year
    event = NoticeEvent(at=RAISED, kind=OutboxKind.ALERT, attempt=0, channels=("sms", "email"), state="sent")
    assert event.words("Europe/London", now=a_year_on) == "Tue 1 Dec 2026 23:35: duty team notified (text, email)"
    assert event.words("Europe/London", now=RAISED) == "Tue 1 Dec 23:35: duty team notified (text, email)"


def test_a_reminder_gives_its_wait_as_the_duty_pages_do():
    """A reminder's wait reads as on the duty pages and in `alerts list` (dates.uk_duration): "61 min" under
    two hours, then "2 h 30 min", "3 days", "1 year", never "525600 min", in the SMS and the email's subject."""
    config = _config()
    for waited, words in [(61, "61 min"), (150, "2 h 30 min"), (3 * 24 * 60, "3 days"), (365 * 24 * 60, "1 year")]:
        now = RAISED + timedelta(minutes=waited)
        alert = _alert(id=12345, priority="medium")
        reminder = alert_notice(alert, config=config, attempt=2, now=now)
        assert reminder.startswith(f"Reminder 2: alert #12345 medium priority still waiting, {words} ("), reminder
        assert len(reminder) <= SMS_LIMIT, reminder
        assert notice_subject(alert, OutboxKind.ALERT, attempt=2, now=now).endswith(f"still waiting after {words}")
