"""Dates and times as the council writes them, in its own time zone: the one home of their formats.

UK style, no leading zeros, the month in words: "30 November 2026" for a day, "30 Nov 2026 14:05"
for a moment, and "Mon 30 Nov 14:05" where space is short and the year is plain (a duty notice, a
line of a conversation); given the time now, that one keeps the year when it is not this year's
("Mon 30 Nov 2026 14:05" read in 2027), so an old alert is never taken for a recent one. How long
something took or has waited is `uk_duration`: "7 min", "2 h 30 min", "3 days", "12 weeks", "1 year".

Every stored time is UTC; it is shown in the council's zone (`[app] timezone`, Europe/London by
default, so British Summer Time is allowed for). A plain `date` (a
closing or due date) is a day already and is not moved. The dashboard's filters, the duty notices,
`alerts list`/`show` and the panel's summary all write dates through these functions.

Reading goes the same way: a date as a UK council worker types it, day first ("30/11/2026", "30 Nov
2026", "30 November 2026", or ISO "2026-11-30"), in one box or in GOV.UK's three (day, month, year).
A 2-digit year ("30/11/26") is refused, not guessed, as the participant importer refuses one: the
message says to write the year in full. The forms' date boxes, `round launch --closes`, `report --from`
and `--to`, and the importer's dates of birth all read dates through `read_date`/`parse_uk_date`. A time of
day is read as typed ("14:30", "1430", "2:30pm", `parse_time`) and, with its day, taken in the council's zone
(`local_moment`): the inbox's "when was the call".
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
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


def uk_day_time(
    value: datetime | None, timezone: str | ZoneInfo = DEFAULT_TIMEZONE, *, now: datetime | None = None
) -> str:
    """ "Mon 30 Nov 14:05" in the council's time zone, where space is short; "" for none. With `now`, a
    moment not in now's year (in that zone) keeps its year: "Mon 30 Nov 2026 14:05" read in 2027."""
    if value is None:
        return ""
    moment = local(value, timezone)
    year = f" {moment.year}" if now is not None and local(now, timezone).year != moment.year else ""
    return f"{moment:%a} {moment.day} {moment:%b}{year} {moment:%H:%M}"


DAY, WEEK, YEAR = 24 * 60, 7 * 24 * 60, 365 * 24 * 60  # in minutes


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def uk_duration(minutes: int) -> str:
    """How long, in whole minutes, as the duty pages write it, read at a glance: "7 min" (under 2 hours),
    "2 h 30 min" or "5 h" (under 2 days), "3 days" (under 2 weeks), "12 weeks" (under a year), "1 year",
    "2 years 3 weeks". Each is rounded down, so a wait never reads longer than it was."""
    minutes = max(0, minutes)
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 2 * DAY:
        hours, rest = divmod(minutes, 60)
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    if minutes < 2 * WEEK:
        return f"{minutes // DAY} days"
    if minutes < YEAR:
        return f"{minutes // WEEK} weeks"
    years, rest = divmod(minutes, YEAR)
    weeks = rest // WEEK
    return _plural(years, "year") + (f" {_plural(weeks, 'week')}" if weeks else "")


# --- Reading dates as a UK council worker types them ------------------------------------------

EXAMPLE = "30/11/2026"
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name} | {
    name.lower(): number for number, name in enumerate(calendar.month_abbr) if name
}
_MONTHS["sept"] = 9
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+)?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMBERS = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d+)")
_WORDS = re.compile(_WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?\s*[\s-]\s*([a-z]+)\.?,?\s*[\s-]\s*(\d+)", re.I)
PARTS = ("day", "month", "year")


class DateError(ValueError):
    """A date that cannot be read, with why in a worker's words; `parts` names the GOV.UK boxes that are
    wrong ("day", "month", "year"), empty when the whole date is."""

    def __init__(self, message: str, parts: tuple[str, ...] = ()):
        super().__init__(message)
        self.parts = parts


class ShortYear(DateError):
    """A date with a 2-digit year ("30/11/26"): refused, as the century would be a guess."""

    def __init__(self, message: str, day: int, month: int, year: int, parts: tuple[str, ...] = ()):
        super().__init__(message, parts)
        self.day, self.month, self.year = day, month, year


def month_number(text: str) -> int | None:
    """A month as typed: "11", "Nov", "nov.", "November", "Sept"; None if it is not one."""
    text = text.strip().rstrip(".").lower()
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return _MONTHS.get(text)


def _real(day: int, month: int, year: int, label: str, parts: tuple[str, ...] = ()) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        if not parts:  # one box: perhaps month first, as in the US
            raise DateError(f"{label} must be a real date, day first: for example {EXAMPLE}") from None
        raise DateError(f"{label} must be a real date", ("day",) if 1 <= month <= 12 else ("month",)) from None


def _year(text: str, day: int, month: int, label: str, parts: tuple[str, ...] = ()) -> int:
    """A 4-figure year; a 2-figure one is refused with the date written in full as the example."""
    wrong = ("year",) if parts else ()
    if len(text) == 2:
        raise ShortYear(
            f"{label} must have the year in full, with 4 numbers: for example {day}/{month}/20{text}, not "
            f"{day}/{month}/{text}",
            day,
            month,
            int(text),
            wrong,
        )
    if len(text) != 4:
        raise DateError(f"The year in {label.lower()} must include 4 numbers, for example 2026", wrong)
    return int(text)


def parse_uk_date(text: str, *, label: str = "The date") -> date:
    """One box's date, day first as in the UK: "30/11/2026" (or with - or .), "30 Nov 2026", "30 November
    2026", "Monday 30 November 2026", or ISO "2026-11-30". DateError (ShortYear for "30/11/26") says why not;
    `label` names the field in the message ("The closing date")."""
    text = " ".join(text.split())
    if found := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in found.groups())
        return _real(day, month, year, label)
    if found := _NUMBERS.fullmatch(text):
        day, month = int(found[1]), int(found[3])
        return _real(day, month, _year(found[4], day, month, label), label)
    if (found := _WORDS.fullmatch(text)) and (named := month_number(found[2])) is not None:
        day = int(found[1])
        return _real(day, named, _year(found[3], day, named, label), label)
    raise DateError(
        f"{label} must be a date, day first: for example {EXAMPLE}, 30 Nov 2026, 30 November 2026 or 2026-11-30"
    )


def date_from_parts(day: str, month: str, year: str, *, label: str = "The date") -> date | None:
    """A date from GOV.UK's three boxes (day, month as a number or a word, year); None when all are empty.

    The messages are GOV.UK's pattern ("The closing date must include a month", "... must be a real date"),
    and DateError's `parts` says which boxes to mark. A whole date typed or pasted into one box, the others
    left empty, is read as `parse_uk_date` reads it.
    """
    given = {name: value.strip() for name, value in zip(PARTS, (day, month, year))}
    filled = [name for name, value in given.items() if value]
    if not filled:
        return None
    if len(filled) == 1 and not given[filled[0]].isalnum():
        whole = given[filled[0]]
        try:
            return parse_uk_date(whole, label=label)
        except DateError as error:
            error.parts = (filled[0],)
            raise
    missing = tuple(name for name in PARTS if not given[name])
    if missing:
        raise DateError(f"{label} must include a {' and '.join(missing)}", missing)
    if not given["day"].isdigit() or not 1 <= int(given["day"]) <= 31:
        raise DateError(f"{label} must be a real date", ("day",))
    number = month_number(given["month"])
    if number is None:
        raise DateError(f"{label} must be a real date", ("month",))
    if not given["year"].isdigit():
        raise DateError(f"{label} must be a real date", ("year",))
    whole_year = _year(given["year"], int(given["day"]), number, label, PARTS)
    return _real(int(given["day"]), number, whole_year, label, PARTS)


def read_date(form: Mapping[str, str], name: str, *, label: str) -> date | None:
    """A form's date: GOV.UK's boxes `<name>-day`, `<name>-month` and `<name>-year`, or one box `<name>`
    (a script, or a page carrying a checked date on); None when it is left empty. DateError if wrong."""
    if any(form.get(f"{name}-{part}") for part in PARTS):
        return date_from_parts(*(form.get(f"{name}-{part}") or "" for part in PARTS), label=label)
    whole = (form.get(name) or "").strip()
    return parse_uk_date(whole, label=label) if whole else None


# --- Reading a time of day --------------------------------------------------------------------

_TIME = re.compile(r"(\d{1,2})(?:\s*[:.]\s*(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?", re.I)
TIME_EXAMPLE = "14:30 or 2:30pm"
_NAMED_TIMES = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}


def parse_time(text: str, *, label: str = "The time") -> time:
    """A time of day as a worker types it: "14:30", "14.30", "1430", "2:30pm", "2pm", "9am", "noon", "midday",
    "midnight"; "12am" is midnight and "12pm" midday. DateError says why not, in GOV.UK's words for a time."""
    text = " ".join(text.split())
    if text.lower() in _NAMED_TIMES:
        return _NAMED_TIMES[text.lower()]
    if len(text) == 4 and text.isdigit():  # "1430", as some write a 24-hour time
        text = f"{text[:2]}:{text[2:]}"
    found = _TIME.fullmatch(text)
    if found is None:
        raise DateError(f"{label} must be a time of day, for example {TIME_EXAMPLE}")
    hour, minute = int(found[1]), int(found[2] or 0)
    suffix = (found[3] or "").replace(".", "").lower()
    if suffix:
        if not 1 <= hour <= 12:
            raise DateError(f"{label} must be a real time: with am or pm, the hour is 1 to 12")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif found[2] is None:
        raise DateError(f"{label} must include minutes, or am or pm: for example {TIME_EXAMPLE}")
    if hour > 23 or minute > 59:
        raise DateError(f"{label} must be a real time, for example {TIME_EXAMPLE}")
    return time(hour, minute)


def local_moment(day: date, at: time, timezone: str | ZoneInfo = DEFAULT_TIMEZONE) -> datetime:
    """A day and time of day in the council's zone, as the UTC moment it is stored as. A time the clocks skip
    (01:30 on the day British Summer Time starts) is read as the moment it would have been; one they pass twice
    (01:30 on the day it ends) as the first."""
    zone = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(str(timezone))
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
