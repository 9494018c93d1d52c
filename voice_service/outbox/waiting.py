"""Texts waiting for the send window: how many, and when it opens for them (`outbox flush`, `round status`).

A text waits for the window when it is queued, keeps to a send window, is due by the time the window
next opens for it (so a retry backing off past the opening is not counted), and that window is shut
now: just what the dispatcher would hold. Invitations queued by a launch before 16:00 are the usual
case; a worker who has just launched wants to know when they go.

The dispatcher holds such a text by making it due when the window opens, marked `WINDOW_HOLD`. The
window is judged again from the current settings when a dispatcher starts (`release_for_window`), so
a council that widens a window, or turns school hours off, has its held texts go at once rather than
at the time the old window would have opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ..dates import uk_day_time
from ..models import OutboxKind, OutboxMessage, OutboxStatus
from .windows import Windows

# The outbox row's error_message while the dispatcher holds it for the send window (never an error).
WINDOW_HOLD = "held for the send window"


@dataclass(frozen=True)
class Waiting:
    """`count` texts that go when the send window opens at `opens` (UTC)."""

    opens: datetime
    count: int


def waiting_for_window(
    *,
    session: Session,
    windows: Windows,
    now: datetime,
    kinds: tuple[str, ...] = OutboxKind.SURVEY,
    round_id: int | None = None,
) -> list[Waiting]:
    """Queued texts of these kinds (of one round, if given) held only by a shut send window, earliest first."""
    by_time: dict[datetime, int] = {}
    for under_16 in (False, True):
        for reply in (False, True):
            # A worker's reply keeps to reply_hours, every other survey text to the survey windows.
            wanted = [kind for kind in kinds if (kind == OutboxKind.REPLY) == reply]
            if not wanted:
                continue
            opens = windows.next_open(now, under_16=under_16, reply=reply)
            if opens <= now:
                continue
            query = select(func.count()).where(
                col(OutboxMessage.status) == OutboxStatus.PENDING,
                col(OutboxMessage.respect_window).is_(True),
                col(OutboxMessage.under_16).is_(under_16),
                col(OutboxMessage.kind).in_(wanted),
                col(OutboxMessage.not_before) <= opens,
            )
            if round_id is not None:
                query = query.where(col(OutboxMessage.round_id) == round_id)
            count = session.exec(query).one()
            if count:
                by_time[opens] = by_time.get(opens, 0) + count
    return [Waiting(opens=opens, count=count) for opens, count in sorted(by_time.items())]


def release_for_window(*, engine: Engine, windows: Windows, now: datetime) -> int:
    """Make texts held for the send window due when the current `windows` open for them, where that
    is sooner than the time they were held to (the window was widened or school hours turned off).

    Returns how many were brought forward. A text held to a later time than the window now needs is
    held again, by the current windows, when it comes due."""
    moved = 0
    with engine.begin() as connection:
        for under_16 in (False, True):
            for reply in (False, True):
                kinds = [kind for kind in OutboxKind.SURVEY if (kind == OutboxKind.REPLY) == reply]
                opens = windows.next_open(now, under_16=under_16, reply=reply)
                result = connection.execute(
                    update(OutboxMessage)
                    .where(
                        col(OutboxMessage.status) == OutboxStatus.PENDING,
                        col(OutboxMessage.error_message) == WINDOW_HOLD,
                        col(OutboxMessage.respect_window).is_(True),
                        col(OutboxMessage.under_16).is_(under_16),
                        col(OutboxMessage.kind).in_(kinds),
                        col(OutboxMessage.not_before) > opens,
                    )
                    .values(not_before=opens)
                )
                moved += getattr(result, "rowcount", 0) or 0
    return moved


def describe_waiting(waiting: list[Waiting], *, now: datetime, tz: ZoneInfo) -> str | None:
    """ "5 waiting for the send window (opens 16:00 today)", or None when nothing waits for it."""
    total = sum(item.count for item in waiting)
    if not total:
        return None
    if len(waiting) == 1:
        return f"{total} waiting for the send window (opens {_when(waiting[0].opens, now, tz)})"
    parts = ", ".join(f"{item.count} at {_when(item.opens, now, tz)}" for item in waiting)
    return f"{total} waiting for the send window ({parts})"


def _when(opens: datetime, now: datetime, tz: ZoneInfo) -> str:
    """A time as a worker reads it, in the council's time zone: "16:00 today", "10:00 tomorrow", or later as the
    dates are written everywhere (`dates.uk_day_time`): "Mon 7 Dec 16:00", "Mon 4 Jan 2027 16:00" from 2026."""
    local, today = opens.astimezone(tz), now.astimezone(tz).date()
    if local.date() == today:
        return f"{local:%H:%M} today"
    if local.date() == today + timedelta(days=1):
        return f"{local:%H:%M} tomorrow"
    return uk_day_time(opens, tz, now=now)
