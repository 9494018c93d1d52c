"""How long an alert waited to be picked up, against the acknowledgement target: the one rule the duty
pages and `voice-service alerts list|show` both show (`[safeguarding] acknowledge_within_minutes`).

Plain data, no database: each edge puts it in its own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..models import Alert, as_utc

MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Wait:
    """From raising to acknowledgement (or to now, while nobody has it), and the target it is held to."""

    waited: timedelta
    target_minutes: int
    picked_up: bool

    @property
    def overdue(self) -> bool:
        """True when it waited, or is still waiting, longer than the target (by any part of a minute)."""
        return self.waited > self.target_minutes * MINUTE

    @property
    def minutes(self) -> int:
        """Whole minutes waited. Past the target a part minute counts as a whole one, so an overdue wait
        never reads as the target itself ("16 min (target 15 min)", not "15 min (target 15 min)")."""
        whole, part = divmod(self.waited, MINUTE)
        return int(whole) + (1 if self.overdue and part else 0)


def wait(alert: Alert, *, now: datetime, target_minutes: int) -> Wait:
    """How long `alert` waited for someone to acknowledge it (or has waited so far), against the target."""
    raised, picked = as_utc(alert.created_at), as_utc(alert.acknowledged_at)
    waited = max(timedelta(0), (picked or now) - raised)
    return Wait(waited=waited, target_minutes=target_minutes, picked_up=picked is not None)
