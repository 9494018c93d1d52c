"""When a worker will next be at their desk: `[safeguarding] office_hours`, Monday to Friday, council time.

The replies to a disclosure and to "can someone call me" say so honestly out of hours,
instead of promising that a worker will read it soon.
"""

from __future__ import annotations

from datetime import datetime

from ..engine import texts
from ..safeguarding.office import next_opening

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _clock(minutes: int) -> str:
    """9am, 9:30am, 1pm: the way a young person reads a time."""
    hour, minute = divmod(minutes, 60)
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}{suffix}" if minute == 0 else f"{hour}:{minute:02d}{suffix}"


def office_reopens(config, now: datetime) -> str | None:
    """None while the office is open; otherwise when it opens next, in short words: "today 9am",
    "tomorrow 9am", "Mon 9am" (never "Mon 9am" said on a Monday at 2am).

    Bank holidays and `[safeguarding] closed_days` count as closed (the rule's home is
    `safeguarding.office`, which also marks alerts out of hours)."""
    opening = next_opening(config, now)
    if opening is None:
        return None
    days_ahead = (opening.date() - now.astimezone(opening.tzinfo).date()).days
    day = {0: "today", 1: "tomorrow"}.get(days_ahead, DAYS[opening.weekday()])
    if opening.hour == opening.minute == 0:
        return "tomorrow" if days_ahead == 1 else f"first thing {day}"  # not "Mon 12am"
    return f"{day} {_clock(opening.hour * 60 + opening.minute)}"


def disclosure_reply(config, now: datetime) -> str:
    """The help reply to a disclosure received at `now`, with the office's hours applied: the one place
    the inbound path and the spool (when the database cannot take the message) get it from."""
    return texts.disclosure_reply(office_reopens(config, now))
