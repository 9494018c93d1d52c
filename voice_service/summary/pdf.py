"""The panel's summary as PDF, printed by WeasyPrint from the same HTML: tagged (PDF/UA), with its
language and title set, so screen readers can read it."""

from __future__ import annotations

from .render_html import render_html
from .report import Summary


def render_pdf(summary: Summary) -> bytes:
    """Tagged PDF bytes of the HTML summary (A4, page numbers)."""
    import logging

    from weasyprint import HTML

    # WeasyPrint logs every CSS property it ignores; the panel's PDF doesn't need that noise.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    # PDF/UA-1: a structure tree (headings, lists, tables, figures with their text alternatives),
    # the document language from <html lang> and the title from <title> shown in the title bar.
    return HTML(string=render_html(summary, for_pdf=True), base_url=None).write_pdf(pdf_variant="pdf/ua-1")
