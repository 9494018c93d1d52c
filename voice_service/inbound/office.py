"""When a worker will next be at their desk: `[safeguarding] office_hours`, Monday to Friday, council time.

The replies to a disclosure and to "can someone call me" say so honestly out of hours,
instead of promising that a worker will read it soon.
"""

from __future__ import annotations

from datetime import datetime

from ..engine import texts
from ..safeguarding.alerts import duty_routes
from ..safeguarding.office import next_opening

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# From a week ahead a day's name reads as the coming one ("on Tue" said on a Wednesday before Christmas, of a
# Tuesday 13 days off): the date is said instead ("at 9am on 5 Jan").
WEEK = 7
# The longest "back" every out-of-hours help reply has room for in one SMS segment, in the words for someone
# whose age is not known (tests/engine/test_help_reply_segments.py checks every opening).
BACK_ROOM = 16


def _clock(minutes: int) -> str:
    """9am, 9:30am, 1pm: the way a young person reads a time."""
    hour, minute = divmod(minutes, 60)
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}{suffix}" if minute == 0 else f"{hour}:{minute:02d}{suffix}"


def office_reopens(config, now: datetime) -> str | None:
    """None while the office is open; otherwise when it opens next, in words that follow "We're back" and
    "The office opens": "at 9am today", "at 9am tomorrow", "at 9am on Monday" (never "on Monday" said on a
    Monday at 2am), "tomorrow" or "first thing Mon" when it opens at midnight. Where that will not fit
    the reply's one SMS (`BACK_ROOM`), the day is shortened ("at 9am on Wed"), then the words reordered
    ("12:30pm tomorrow", "Wed at 10:45am"). A week or more ahead (a Christmas closure) the date is named,
    never a day that reads as the coming one: "at 9am on 5 Jan", "12 Jan at 9:30am", "on 5 Jan".

    Bank holidays and `[safeguarding] closed_days` count as closed (the rule's home is
    `safeguarding.office`, which also marks alerts out of hours)."""
    opening = next_opening(config, now)
    if opening is None:
        return None
    days_ahead = (opening.date() - now.astimezone(opening.tzinfo).date()).days
    full = DAY_NAMES[opening.weekday()]
    short = full[:3]
    dated = f"{opening.day} {MONTH_NAMES[opening.month - 1]}"
    if opening.hour == opening.minute == 0:  # not "at 12am"
        if days_ahead == 1:
            return "tomorrow"
        # "first thing on Monday" would not fit
        return f"on {dated}" if days_ahead >= WEEK else f"first thing {short}"
    time = _clock(opening.hour * 60 + opening.minute)
    if days_ahead in (0, 1):
        day = "today" if days_ahead == 0 else "tomorrow"
        said = [f"at {time} {day}", f"{time} {day}"]
    elif days_ahead >= WEEK:
        said = [f"at {time} on {dated}", f"{dated} at {time}", f"{dated}, {time}"]
    else:
        said = [f"at {time} on {full}", f"at {time} on {short}", f"{short} at {time}"]
    return next((words for words in said if len(words) <= BACK_ROOM), said[-1])


def disclosure_reply(config, now: datetime, *, plea: bool = False, passed_on: bool = False) -> str:
    """The help reply to a disclosure received at `now`, with the office's hours applied: the one place
    the inbound path and the spool (when the database cannot take the message) get it from. `plea`: a further
    disclosure that also pleads while their alert is live (`routing.pleads`), whose "New message on alert #N"
    goes to the duty routes at once: the reply says the team has been told, when there is a route to tell.
    `passed_on`: out of hours, their alert is with the out-of-hours team (`texts.PASSED_ON`)."""
    if plea and duty_routes(config):
        return texts.plea_disclosure_reply(office_reopens(config, now), passed_on=passed_on)
    return texts.disclosure_reply(office_reopens(config, now), passed_on=passed_on)
