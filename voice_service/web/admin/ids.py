"""Whole numbers read from dashboard addresses and forms (`?round=`, `?page=`, a form's round or pledge).

The one place they are read, so a number the database cannot hold (`?round=99999999999999999999999`)
is treated as no number (a 400 or 404, or the first page), never passed on to become a 500.
Path ids (`<int:...>`) are checked the same way by `web.limits` before any view runs.
"""

from __future__ import annotations

from ..limits import INT_MAX

# No list is anywhere near this many pages; past it a page number is nonsense, not a request.
MAX_PAGE = 100_000


def record_id(text: str | None) -> int | None:
    """A positive id within the database's range, or None for anything else (blank, words, too big)."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= INT_MAX else None


def page_number(text: str | None) -> int:
    """A page of a list: 1 unless `text` is a sensible page number."""
    value = record_id(text)
    return min(value, MAX_PAGE) if value else 1
