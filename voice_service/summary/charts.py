"""Inline SVG bar charts with text alternatives (<title> and <desc>), readable in black and white.

Colours say whether an answer is good or bad news (blue better, orange worse, grey neither),
never whether a number went up or down; every bar also carries its figure in words.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from html import escape

from .disclosure import Hidden
from .formatting import count, counted

_ids = itertools.count(1)
COLOURS = {"better": "#1d70b8", "neutral": "#6f777b", "worse": "#b54708", None: "#505a5f"}
PREVIOUS = "#c9cdd0"
FEELING_TONE = {"positive": "better", "negative": "worse", "neutral": "neutral"}
ROW, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 26, 210, 300, 230
FONT = 'font-family="Arial, Helvetica, sans-serif" font-size="12"'


def _shorten(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, int | Hidden | None, str | None]],
    *,
    total: int | Hidden | None = None,
    previous: Sequence[tuple[str, int | Hidden | None]] | None = None,
    previous_total: int | Hidden | None = None,
    unit: str = "people",
) -> str:
    """Horizontal bars, one per (label, count, tone); a hidden count is written, not drawn.

    With `previous` (last round's counts for the same labels), a pale bar of last round's share
    sits under each of this round's, so the change is seen, not just read.
    """
    number = next(_ids)
    before = dict(previous or [])
    paired = previous is not None
    row = ROW + (12 if paired else 0)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = row * len(rows) + 6
    whole = total if isinstance(total, int) and total > 0 else None
    whole_before = previous_total if isinstance(previous_total, int) and previous_total > 0 else None
    # Shares when both rounds can be compared, else people.
    as_share = paired and whole is not None and whole_before is not None
    if as_share:
        scale = 1.0
    else:
        scale = max([total if isinstance(total, int) else 0] + [c for _, c, _ in rows if isinstance(c, int)]) or 1

    def described(label: str, value, tone) -> str:
        text = f"{label}: {counted(value, unit, 'person' if unit == 'people' else unit)}"
        if isinstance(value, int) and whole:
            text += f" ({_percent(value / whole)})"
        if tone in ("better", "worse"):
            text += f", {tone} news"
        if paired:
            old = before.get(label)
            if isinstance(old, int) and whole_before:
                text += f"; last round {_percent(old / whole_before)}"
            elif old is not None:
                text += f"; last round {count(old)}"
        return text

    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="chart-{number}-title chart-{number}-desc">',
        f'<title id="chart-{number}-title">{escape(title)}</title>',
        f'<desc id="chart-{number}-desc">{escape("; ".join(described(*r) for r in rows))}</desc>',
    ]
    for index, (label, value, tone) in enumerate(rows):
        y = 3 + index * row
        bar_height = ROW - 10
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" {FONT} fill="#1d1d1d">'
            f"{escape(_shorten(label))}</text>"
        )
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{BAR_WIDTH}" height="{bar_height}" fill="#f0f2f3"/>')
        if isinstance(value, int) and value:
            size = value / whole if as_share and whole else value / scale
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{max(2, round(BAR_WIDTH * size))}" '
                f'height="{bar_height}" fill="{COLOURS.get(tone, COLOURS[None])}"/>'
            )
        text = count(value)
        if isinstance(value, int) and whole and value:
            text += f" ({_percent(value / whole)})"
        style = (
            'font-style="italic" fill="#505a5f"' if isinstance(value, Hidden) else 'font-weight="bold" fill="#1d1d1d"'
        )
        parts.append(f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + 16}" {FONT} {style}>{escape(text)}</text>')
        if paired:
            old = before.get(label)
            y2 = y + ROW - 4
            if as_share and isinstance(old, int) and old and whole_before:
                parts.append(
                    f'<rect x="{LABEL_WIDTH}" y="{y2}" width="{max(2, round(BAR_WIDTH * old / whole_before))}" '
                    f'height="7" fill="{PREVIOUS}"/>'
                )
            note = (
                f"last round {_percent(old / whole_before)}"
                if isinstance(old, int) and whole_before
                else f"last round {count(old)}"
                if old is not None
                else ""
            )
            if note:
                parts.append(
                    f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y2 + 7}" font-family="Arial, Helvetica, sans-serif" '
                    f'font-size="10" fill="#505a5f">{escape(note)}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)
