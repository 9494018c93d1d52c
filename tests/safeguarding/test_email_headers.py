"""A notice's email headers, read back from the bytes the SMTP server received (trial finding T10)."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.outbox.helpers import Clock
from tests.support.alert_routes import RAISED, disclose, flush_outbox, young_person
from voice_service.scheduler import jobs


def test_the_email_headers_are_one_clean_line(routes):
    """T10: a Subject or Message-ID a little longer than its first line was folded whole onto the next, so the
    value read by the receiving end began with a line break. Read back from the bytes the SMTP server received
    (kept as sent: `email.policy.compat32`), each header is one line with nothing before its value."""
    services, _, mails = routes
    person = young_person(services)
    alert_id = disclose(services, person, when=RAISED - timedelta(hours=1), categories=("unsafe_home",), priority="low")
    assert disclose(services, person, when=RAISED, categories=("abuse",)) == alert_id  # now high priority
    flush_outbox(services, Clock(RAISED))
    assert jobs.renotify_alerts(services, now=RAISED + timedelta(minutes=31)) == 1
    flush_outbox(services, Clock(RAISED + timedelta(minutes=31)))
    subjects = [mail["Subject"] for mail in mails]
    assert subjects == [
        f"Voice Service safeguarding alert #{alert_id} (low priority)",
        f"UPDATED: Voice Service safeguarding alert #{alert_id} (now high priority, was low)",
        f"Reminder 1: Voice Service safeguarding alert #{alert_id} (high priority), still waiting after 91 min",
    ]
    for mail in mails:
        for name in ("Subject", "Message-ID", "Date", "From", "To"):
            value = mail[name]
            assert value == value.strip() and "\n" not in value and "\r" not in value, (name, value)
        assert re.fullmatch(r"<[^@<>\s]+@testshire\.gov\.uk>", mail["Message-ID"])
