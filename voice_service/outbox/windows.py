"""Send windows: when survey texts, and workers' ordinary replies, may go out, in the council's time zone
(pure functions).

Survey texts keep to `[schedule] weekday_window`/`weekend_window`. A worker's own reply in the inbox is
not a survey text: it keeps only to `reply_hours` (every day: no texts in the night). Both keep school
hours free for under-16s on weekdays. Replies on a thread with a live safeguarding alert, the help reply
and the duty notices keep to no window at all (they are queued with `respect_window=False`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..config import parse_window, school_hours_window


@dataclass(frozen=True)
class Windows:
    """Opening times in minutes since local midnight."""

    tz: ZoneInfo
    weekday: tuple[int, int]
    weekend: tuple[int, int]
    school: tuple[int, int] | None  # None: no school-hours rule (`schedule.school_hours = "off"`)
    reply: tuple[int, int] = (0, 24 * 60)  # a worker's ordinary reply: every day

    @classmethod
    def from_config(cls, config) -> Windows:
        """Build from `[app] timezone` and `[schedule]`."""
        return cls(
            tz=ZoneInfo(config.app.timezone),
            weekday=parse_window(config.schedule.weekday_window),
            weekend=parse_window(config.schedule.weekend_window),
            school=school_hours_window(config.schedule.school_hours),
            reply=parse_window(config.schedule.reply_hours),
        )

    def _open_spans(self, day, under_16: bool, reply: bool = False) -> list[tuple[int, int]]:
        """The open spans of one local day, with school hours cut out for under-16s on weekdays."""
        weekend = day.weekday() >= 5
        start, end = self.reply if reply else self.weekend if weekend else self.weekday
        spans = [(start, end)]
        if under_16 and not weekend and self.school is not None:
            school_start, school_end = self.school
            spans = []
            if start < school_start:
                spans.append((start, min(end, school_start)))
            if end > school_end:
                spans.append((max(start, school_end), end))
        return [span for span in spans if span[0] < span[1]]

    def next_open(self, when: datetime, *, under_16: bool = False, reply: bool = False) -> datetime:
        """`when` if a message may go then, else the start of the next open span (UTC, aware).

        `reply`: a worker's ordinary reply (`reply_hours`), not a survey text."""
        local = when.astimezone(self.tz)
        for offset in range(0, 8):
            day = (local + timedelta(days=offset)).date()
            for start, end in self._open_spans(day, under_16, reply):
                span_start = _local(day, start, self.tz)
                span_end = _local(day, end, self.tz)
                if span_end <= when:
                    continue
                return max(when, span_start).astimezone(UTC)
        raise ValueError("the send windows are never open")

    def is_open(self, when: datetime, *, under_16: bool = False, reply: bool = False) -> bool:
        """True when a survey text (or, with `reply`, a worker's ordinary reply) may be sent at this moment."""
        return self.next_open(when, under_16=under_16, reply=reply) == when.astimezone(UTC)


def window_rules(schedule, what: str = "Texts") -> str:
    """What the configured send windows and school hours mean for survey texts, in a sentence for a worker:
    "Invitations wait for the send window (weekdays 16:00-20:00, weekends 10:00-18:00), and are never sent
    to under-16s in school hours (08:30-15:30 on weekdays)." It follows the settings, so it is never untrue."""
    always = schedule.weekday_window == schedule.weekend_window == "00:00-24:00"
    school = school_hours_window(schedule.school_hours)
    if always and school is None:
        return f"{what} go at once: the send windows are open all day and school hours are off."
    if always:
        return f"{what} go at once, except to under-16s in school hours ({schedule.school_hours} on weekdays)."
    rule = f"{what} wait for the send window (weekdays {schedule.weekday_window}, weekends {schedule.weekend_window})"
    if school is None:
        return rule + "; school hours are off."
    return rule + f", and are never sent to under-16s in school hours ({schedule.school_hours} on weekdays)."


def _local(day, minutes: int, tz: ZoneInfo) -> datetime:
    """The aware local datetime at `minutes` past midnight on `day` (24:00 is next midnight)."""
    if minutes >= 24 * 60:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    # fold=0 picks the first of two repeated times at the autumn change; a gap time in spring
    # is normalised forward by the UTC round trip.
    naive = datetime.combine(day, time(minutes // 60, minutes % 60))
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
