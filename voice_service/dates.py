"""Dates and times as the council writes them, in its own time zone: the one home of their formats.

UK style, no leading zeros, the month in words: "30 November 2026" for a day, "30 Nov 2026 14:05"
for a moment, and "Mon 30 Nov 14:05" where space is short and the year is plain (a duty notice, a
line of a conversation). Every stored time is UTC; it is shown in the council's zone (`[app]
timezone`, Europe/London by default, so British Summer Time is allowed for). A plain `date` (a
closing or due date) is a day already and is not moved. The dashboard's filters, the duty notices,
`alerts list`/`show` and the panel's summary all write dates through these functions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Europe/London"


def local(value: datetime, timezone: str | ZoneInfo = DEFAULT_TIMEZONE) -> datetime:
    """A stored timestamp in the council's zone (a value without a zone is UTC, as everything is stored)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    zone = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(str(timezone))
    return value.astimezone(zone)


def _day(value: date | datetime, timezone: str | ZoneInfo) -> date | datetime:
    return local(value, timezone) if isinstance(value, datetime) else value


def uk_date(value: date | datetime | None, timezone: str | ZoneInfo = DEFAULT_TIMEZONE) -> str:
    """ "30 November 2026": the council's day of a timestamp, or a date as it is; "" for none."""
    if value is None:
        return ""
    day = _day(value, timezone)
    return f"{day.day} {day:%B %Y}"


def uk_date_time(value: datetime | None, timezone: str | ZoneInfo = DEFAULT_TIMEZONE, *, seconds: bool = False) -> str:
    """ "30 Nov 2026 14:05" in the council's time zone ("14:05:09" with `seconds`); "" for none."""
    if value is None:
        return ""
    moment = local(value, timezone)
    return f"{moment.day} {moment:%b %Y %H:%M}" + (f":{moment:%S}" if seconds else "")


def uk_day_time(value: datetime | None, timezone: str | ZoneInfo = DEFAULT_TIMEZONE) -> str:
    """ "Mon 30 Nov 14:05" in the council's time zone, where space is short; "" for none."""
    if value is None:
        return ""
    moment = local(value, timezone)
    return f"{moment:%a} {moment.day} {moment:%b %H:%M}"
