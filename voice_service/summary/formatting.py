"""How figures read in every format: hidden counts say "fewer than 5", shares are whole percentages.

A hidden count reads two ways. In a table cell, under a heading that says what is counted, it is
just the label ("fewer than 5", "hidden to protect a smaller group"). In a sentence it is a
phrase with its noun: "fewer than 5 people", "5 or more people (exact number hidden to protect
a smaller group)". Saying "5 or more" gives nothing away: every count hidden to protect another
is 5 or more (the smaller ones are the "fewer than 5"), and protection assumes readers know it.
"""

from __future__ import annotations

import math
from datetime import date

from ..dates import uk_date
from .disclosure import (
    PROTECTING_LABEL,
    SECONDARY_LABEL,
    SUPPRESSED_LABEL,
    Count,
    Hidden,
)

PROTECTING_NOTE = f"exact number {PROTECTING_LABEL}"


def _secondary(value: object) -> bool:
    return isinstance(value, Hidden) and value.reason == "secondary"


def count(value: int | Hidden | None) -> str:
    """A count in a table cell, or what stands in its place ("fewer than 5", "hidden to protect a smaller group")."""
    if isinstance(value, Hidden):
        return value.label
    return SUPPRESSED_LABEL if value is None else f"{value:,}"


def figure(value: int | Hidden | None) -> str:
    """The figure part of a phrase: "8", "fewer than 5" or "5 or more" (see `hidden_note`)."""
    if _secondary(value):
        return SECONDARY_LABEL
    return count(value)


def hidden_note(value: int | Hidden | None, *, bracketed: bool = True) -> str:
    """What follows a "5 or more": " (exact number hidden to protect a smaller group)"; "" otherwise.

    `bracketed=False` gives "; exact number ..." for a phrase that is itself in brackets.
    """
    if not _secondary(value):
        return ""
    return f" ({PROTECTING_NOTE})" if bracketed else f"; {PROTECTING_NOTE}"


def counted(value: int | Hidden | None, noun: str = "people", one: str = "person", *, bracketed: bool = True) -> str:
    """A count and what it counts, as a phrase: "8 people", "1 person", "fewer than 5 people",
    "5 or more people (exact number hidden to protect a smaller group)"."""
    word = one if value == 1 and not isinstance(value, Hidden) else noun
    return f"{figure(value)} {word}{hidden_note(value, bracketed=bracketed)}"


def capital(text: str) -> str:
    """`text` with its first letter a capital, to start a sentence ("Fewer than 5 answered")."""
    return text[:1].upper() + text[1:]


def plural(number: int, one: str, many: str | None = None) -> str:
    """A whole number and its noun: "1 point", "2 points"."""
    return f"{number} {one if abs(number) == 1 else (many or one + 's')}"


def percent(value: float | None, *, empty: str = "not shown") -> str:
    """A share as a whole percentage."""
    return empty if value is None else f"{round(value * 100)}%"


def share_change(now: float | None, before: float | None) -> float | None:
    """How far a share moved, as the two are shown (whole percentages, `percent`): 67% to 65% is 2 points down, never
    the 1 point of the unrounded 66.7% and 65.2% (trial 9, T9-9). None when either is not shown."""
    if now is None or before is None:
        return None
    return (round(now * 100) - round(before * 100)) / 100


# When a change in a share is called better or worse (trial 10, T10-11: "down 2 points (worse)" on 46 answers):
# only when it is clear of what chance alone would move it with the numbers behind it, by a two-proportion test
# at the 95% level (z of at least 1.96, the pooled share's standard error) on the shares as shown and the number
# who answered each round. Otherwise it reads "about the same", its figure kept. A number behind it that the
# summary does not show is never used: the change is then not called, so the word gives away nothing the page
# does not show. docs/panel-csv.md says the rule; this is its one home.
CLEAR_CHANGE_Z = 1.96
ABOUT_THE_SAME = "about the same"
# The rule in the council's words, in every summary that compares rounds and in the pledge report.
CHANGE_RULE = (
    "A change in a share is called better or worse only when it is bigger than chance alone would make it with "
    "the numbers who answered (a two-proportion test at the 95% level); otherwise it reads "
    f'"{ABOUT_THE_SAME}", with its figure. A theme raised by a bigger or smaller share of those who commented is '
    f'never called better or worse, but reads "{ABOUT_THE_SAME}" too when the change is within chance. A change '
    "in an average rating is given as a figure only."
)


def change_called(before: float | None, now: float | None, before_people: Count, now_people: Count) -> str:
    """A share's move in words: "better" (up) or "worse" (down) when clear of chance by the rule above, else
    "about the same"; `before_people` and `now_people` are the numbers who answered, as the summary shows them."""
    if before is None or now is None or isinstance(before_people, Hidden) or isinstance(now_people, Hidden):
        return ABOUT_THE_SAME
    if before_people <= 0 or now_people <= 0:
        return ABOUT_THE_SAME
    before, now = round(before, 2), round(now, 2)  # as shown: whole percentages
    pooled = (before * before_people + now * now_people) / (before_people + now_people)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / before_people + 1 / now_people))
    if spread == 0 or abs(now - before) < CLEAR_CHANGE_Z * spread:
        return ABOUT_THE_SAME
    return "better" if now > before else "worse"


def points(change: float | None) -> str:
    """A change in a share, in percentage points with a sign ("+12 points", "-1 point")."""
    if change is None:
        return "no comparison"
    value = round(change * 100)
    if value == 0:
        return "no change"
    return f"{value:+d} point{'' if abs(value) == 1 else 's'}"


def mean_change(change: float | None) -> str:
    """A change in an average rating, with a sign."""
    if change is None:
        return "no comparison"
    if round(change, 1) == 0:
        return "no change"
    return f"{change:+.1f}"


def day(value: date | None) -> str:
    """A date as the council writes it (3 March 2026)."""
    return "open" if value is None else uk_date(value)


def period(start: date, end: date | None) -> str:
    """A round's dates: one date for a round that opened and closed on the same day."""
    if end is None:
        return f"from {day(start)} (still open)"
    return day(start) if day(start) == day(end) else f"{day(start)} to {day(end)}"
