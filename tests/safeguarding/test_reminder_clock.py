"""The reminder clock runs from when the last notice went, not from when it was queued (trial finding T9)."""

from __future__ import annotations

from datetime import timedelta

from tests.outbox.helpers import Clock
from tests.support.alert_routes import RAISED, disclose, duty_texts, flush_outbox, outbox_rows
from voice_service.scheduler import jobs


def test_no_reminder_arrives_with_a_first_notice_held_up_by_a_scheduler_outage(routes, fake_twilio):
    """T9: with the scheduler stopped for 40 minutes, its first pass sent the first notice and "Reminder 1"
    together. The reminder clock runs from when the first notice went, whichever job runs first in the pass."""
    services, _, _ = routes
    early = disclose(services, None, when=RAISED)
    late = disclose(services, None, when=RAISED + timedelta(seconds=1))
    back = RAISED + timedelta(minutes=40)
    clock = Clock(back)
    assert jobs.renotify_alerts(services, now=back) == 0  # reminders before the outbox: nothing has gone yet
    flush_outbox(services, clock)
    assert jobs.renotify_alerts(services, now=back) == 0  # and after it: the first notices went just now
    assert [text.split(" (")[0] for text in duty_texts(fake_twilio)] == [
        f"Safeguarding alert #{early} high priority",
        f"Safeguarding alert #{late} high priority",
    ]
    assert jobs.renotify_alerts(services, now=back + timedelta(minutes=29)) == 0
    assert jobs.renotify_alerts(services, now=back + timedelta(minutes=30)) == 2
    clock.current = back + timedelta(minutes=30)
    flush_outbox(services, clock)
    reminders = [text for text in duty_texts(fake_twilio) if text.startswith("Reminder 1: ")]
    assert len(reminders) == 2 and all(", sms, Tue 1 Dec 14:05) " in text for text in reminders)
    assert [row.attempt for row in outbox_rows(services, alert_id=early, channel="sms")] == [0, 1]
