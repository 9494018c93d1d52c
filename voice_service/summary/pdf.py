"""The panel's summary as PDF, printed by WeasyPrint from the same HTML: tagged (PDF/UA), with its
language and title set, so screen readers can read it."""

from __future__ import annotations

from typing import Any

from .render_html import render_html
from .report import Summary

# The Debian/Ubuntu packages WeasyPrint loads to lay out text (README's quick start lists them too).
PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"


class PdfUnavailable(RuntimeError):
    """PDF output cannot work on this machine: WeasyPrint could not load the system libraries it needs."""


def weasyprint_html() -> Any:
    """WeasyPrint's HTML class, quiet, or PdfUnavailable naming the packages to install (the one place a
    PDF is started from: the round's summary and the year's report)."""
    import contextlib
    import io
    import logging

    try:
        # WeasyPrint prints a banner to stdout when a library is missing: our message says what to do.
        with contextlib.redirect_stdout(io.StringIO()):
            from weasyprint import HTML
    except (OSError, ImportError) as exc:
        raise PdfUnavailable(
            "PDF output needs the Pango text library, which WeasyPrint uses and could not load "
            f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no detail'}); on Debian or Ubuntu "
            f"install it with `apt-get install {PANGO_PACKAGES}` (other systems: WeasyPrint's installation "
            "notes). Every other format (html, md, csv, json) works without it"
        ) from None
    # WeasyPrint logs every CSS property it ignores; the panel's PDF doesn't need that noise.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return HTML


def render_pdf(summary: Summary) -> bytes:
    """Tagged PDF bytes of the HTML summary (A4, page numbers)."""
    HTML = weasyprint_html()  # noqa: N806 (WeasyPrint's class)
    # PDF/UA-1: a structure tree (headings, lists, tables, figures with their text alternatives),
    # the document language from <html lang> and the title from <title> shown in the title bar.
    return HTML(string=render_html(summary, for_pdf=True), base_url=None).write_pdf(pdf_variant="pdf/ua-1")
