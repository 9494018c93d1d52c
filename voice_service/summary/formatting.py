"""How figures read in every format: hidden counts say "fewer than 5", shares are whole percentages."""

from __future__ import annotations

from datetime import date

from .disclosure import SUPPRESSED_LABEL, Hidden


def count(value: int | Hidden | None) -> str:
    """A published count, or what stands in its place: "fewer than 5" or "hidden to protect a smaller group"."""
    if isinstance(value, Hidden):
        return value.label
    return SUPPRESSED_LABEL if value is None else f"{value:,}"


def percent(value: float | None, *, empty: str = "not shown") -> str:
    """A share as a whole percentage."""
    return empty if value is None else f"{round(value * 100)}%"


def points(change: float | None) -> str:
    """A change in a share, in percentage points with a sign ("+12 points")."""
    if change is None:
        return "no comparison"
    value = round(change * 100)
    if value == 0:
        return "no change"
    return f"{value:+d} points"


def mean_change(change: float | None) -> str:
    """A change in an average rating, with a sign."""
    if change is None:
        return "no comparison"
    if round(change, 1) == 0:
        return "no change"
    return f"{change:+.1f}"


def day(value: date | None) -> str:
    """A date as the council writes it (3 March 2026)."""
    return "open" if value is None else f"{value.day} {value:%B %Y}"


def period(start: date, end: date | None) -> str:
    """A round's dates."""
    return f"{day(start)} to {day(end)}" if end else f"from {day(start)} (still open)"
