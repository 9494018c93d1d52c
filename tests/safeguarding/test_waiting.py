"""An alert's wait against the target has one home (`safeguarding.waiting`): the duty pages and
`voice-service alerts list` never disagree about whether it is overdue, or by how much."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from voice_service.cli.alerts import wait_text
from voice_service.models import Alert
from voice_service.safeguarding.waiting import wait
from voice_service.web.admin.alerts_service import waiting

RAISED = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)


def _alert(**fields) -> Alert:
    return Alert(id=7, created_at=RAISED, channel="sms", categories=["harm"], **fields)


@pytest.mark.parametrize(
    ("after", "minutes", "overdue"),
    [
        (timedelta(minutes=7), 7, False),
        (timedelta(minutes=15), 15, False),
        # A part minute past the target is over it, and reads as the next minute, never as the target.
        (timedelta(minutes=15, seconds=30), 16, True),
        (timedelta(minutes=82), 82, True),
    ],
)
def test_the_page_and_the_command_line_read_one_wait(after, minutes, overdue):
    alert = _alert()
    now = RAISED + after
    core = wait(alert, now=now, target_minutes=15)
    assert (core.minutes, core.overdue, core.picked_up) == (minutes, overdue, False)
    page = waiting(alert, now=now, target_minutes=15)
    assert page.overdue is overdue and page.words == f"waiting {minutes} min (target 15 min)"
    assert wait_text(alert, target=15, now=now).endswith(f"(target 15 min, {'OVER' if overdue else 'within'})")


def test_a_picked_up_alert_waited_until_it_was_acknowledged():
    alert = _alert(status="acknowledged", acknowledged_at=RAISED + timedelta(minutes=6), acknowledged_by="Sam")
    later = RAISED + timedelta(hours=5)
    assert wait(alert, now=later, target_minutes=15).minutes == 6
    assert waiting(alert, now=later, target_minutes=15).words == "picked up after 6 min (target 15 min)"
    assert wait_text(alert, target=15, now=later) == "acknowledged after 6 min (target 15 min, within)"
