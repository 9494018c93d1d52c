"""The panel's summary as PDF, printed by WeasyPrint from the same HTML."""

from __future__ import annotations

from .render_html import render_html
from .report import Summary


def render_pdf(summary: Summary) -> bytes:
    """PDF bytes of the HTML summary (A4, page numbers)."""
    import logging

    from weasyprint import HTML

    # WeasyPrint logs every CSS property it ignores; the panel's PDF doesn't need that noise.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return HTML(string=render_html(summary, for_pdf=True), base_url=None).write_pdf()
