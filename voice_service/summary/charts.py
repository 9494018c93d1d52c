"""Inline SVG bar charts with text alternatives (<title> and <desc>), drawn to print in black and white."""

from __future__ import annotations

import itertools
from html import escape

from .formatting import count

_ids = itertools.count(1)
COLOURS = {"positive": "#2b6a9e", "neutral": "#8a8a8a", "negative": "#c0561b", None: "#4a4a4a"}
ROW, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 26, 250, 300, 110
FONT = 'font-family="Arial, Helvetica, sans-serif" font-size="12"'


def _shorten(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(
    title: str, rows: list[tuple[str, int | None, str | None]], *, total: int | None = None, unit: str = "people"
) -> str:
    """Horizontal bars, one per (label, count, feeling); a hidden count is written, not drawn."""
    number = next(_ids)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = ROW * len(rows) + 6
    scale = max([total or 0] + [c for _, c, _ in rows if c]) or 1
    described = "; ".join(f"{label}: {count(c)} {unit}" for label, c, _ in rows)
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="chart-{number}-title chart-{number}-desc">',
        f'<title id="chart-{number}-title">{escape(title)}</title>',
        f'<desc id="chart-{number}-desc">{escape(described)}</desc>',
    ]
    for index, (label, value, feeling) in enumerate(rows):
        y = 3 + index * ROW
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end" {FONT} fill="#1d1d1d">'
            f"{escape(_shorten(label))}</text>"
        )
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{BAR_WIDTH}" height="{ROW - 8}" fill="#eef0f2"/>')
        if value:
            length = max(2, round(BAR_WIDTH * value / scale))
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{ROW - 8}" '
                f'fill="{COLOURS.get(feeling, COLOURS[None])}"/>'
            )
        text = count(value)
        style = 'font-style="italic" fill="#555555"' if value is None else 'font-weight="bold" fill="#1d1d1d"'
        parts.append(f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + 17}" {FONT} {style}>{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)
