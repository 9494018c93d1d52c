"""When the duty desk is staffed: `[safeguarding] office_hours`, Monday to Friday, council local time,
except bank holidays (England and Wales, built in, unless `bank_holidays = "none"`) and the council's
own `closed_days`.

The one home of that rule: an alert raised when the desk is shut is marked out of hours, and the
reply to a disclosure names when the team is back instead of promising that a worker will read it
soon. Pure functions of the configuration and a time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from ..config import parse_window

# One-off changes to England and Wales bank holidays, by proclamation: a day moved, and extra days.
_MOVED = {date(2020, 5, 4): date(2020, 5, 8), date(2022, 5, 30): date(2022, 6, 2)}
_EXTRA = frozenset({date(2022, 6, 3), date(2022, 9, 19), date(2023, 5, 8)})
ENGLAND_AND_WALES = "england-and-wales"


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own name)
    m = (a + 11 * h + 19 * l) // 433
    month, day = divmod(h + l - 7 * m + 90, 25)
    return date(year, month, (h + l - 7 * m + 33 * month + 19) % 32)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = (date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in `year`, with substitute days for those falling at a weekend."""
    easter = easter_sunday(year)
    new_year = date(year, 1, 1)
    days = {
        new_year if new_year.weekday() < 5 else _monday_on_or_after(new_year),
        easter - timedelta(days=2),  # Good Friday
        easter + timedelta(days=1),  # Easter Monday
        _monday_on_or_after(date(year, 5, 1)),  # early May
        _last_monday(year, 5),  # spring
        _last_monday(year, 8),  # summer
    }
    # Christmas and Boxing Day: a day at the weekend moves to the next weekday not already taken.
    for holiday in (date(year, 12, 25), date(year, 12, 26)):
        while holiday.weekday() >= 5 or holiday in days:
            holiday += timedelta(days=1)
        days.add(holiday)
    days = {_MOVED.get(day, day) for day in days}
    return frozenset(days | {day for day in _EXTRA if day.year == year})


@lru_cache(maxsize=32)
def _closed_days(days: tuple[str, ...]) -> frozenset[date]:
    return frozenset(date.fromisoformat(day) for day in days)


def is_closed_day(config, day: date) -> bool:
    """True on a weekend, a bank holiday (unless `bank_holidays = "none"`) or one of `closed_days`."""
    guard = config.safeguarding
    if day.weekday() >= 5 or day in _closed_days(tuple(guard.closed_days)):
        return True
    return guard.bank_holidays == ENGLAND_AND_WALES and day in bank_holidays(day.year)


def desk_open(config, when: datetime) -> bool:
    """True while the duty desk is staffed (office hours on a working day, council local time)."""
    local = when.astimezone(ZoneInfo(config.app.timezone))
    start, end = parse_window(config.safeguarding.office_hours, name="safeguarding.office_hours")
    minutes = local.hour * 60 + local.minute
    return not is_closed_day(config, local.date()) and start <= minutes < end


def next_opening(config, when: datetime) -> datetime | None:
    """None while the desk is staffed; otherwise when it next opens (council local time)."""
    if desk_open(config, when):
        return None
    tz = ZoneInfo(config.app.timezone)
    local = when.astimezone(tz)
    start, _ = parse_window(config.safeguarding.office_hours, name="safeguarding.office_hours")
    day = local.date()
    if local.hour * 60 + local.minute >= start:
        day += timedelta(days=1)
    for _ in range(366):
        if not is_closed_day(config, day):
            return datetime.combine(day, time(start // 60 % 24, start % 60), tzinfo=tz)
        day += timedelta(days=1)
    raise ValueError("the duty desk is never open: check [safeguarding] closed_days")
