"""The "You said, we did" summary: aggregate in SQL, protect, render for the panel and for young people."""

from __future__ import annotations

import tomllib
from pathlib import Path

from sqlmodel import Session

from .aggregate import aggregate_round, previous_round_id
from .report import Summary, build_summary

FORMATS = ("html", "md", "json", "csv", "pdf")


def theme_labels(conversations: Path) -> dict[str, str]:
    """Theme ids to the council's labels, from `themes.toml` (ids as words when a label is missing)."""
    try:
        data = tomllib.loads((Path(conversations) / "themes.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {
        theme: table.get("label") or theme.replace("_", " ").capitalize()
        for theme, table in data.get("themes", {}).items()
        if isinstance(table, dict)
    }


def summarise(*, session: Session, services, round_id: int) -> Summary:
    """Count a round (and the one before it) and build its publishable summary."""
    from ..context import conversations_dir

    current = aggregate_round(session=session, round_id=round_id)
    before_id = previous_round_id(session=session, round_id=round_id)
    previous = aggregate_round(session=session, round_id=before_id, quotes=False) if before_id else None
    return build_summary(
        current=current,
        previous=previous,
        catalogue=services.catalogue,
        theme_labels=theme_labels(conversations_dir(services.config)),
        council=services.config.app.council_name,
    )


def render(summary: Summary, fmt: str) -> bytes:
    """The summary in one of FORMATS, as bytes ready to write."""
    if fmt == "html":
        from .render_html import render_html

        return render_html(summary).encode("utf-8")
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(summary)
    if fmt == "md":
        from .render_text import render_markdown

        return render_markdown(summary).encode("utf-8")
    if fmt == "json":
        from .render_data import render_json

        return render_json(summary).encode("utf-8")
    if fmt == "csv":
        from .render_data import render_csv

        return render_csv(summary).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


__all__ = [
    "FORMATS",
    "Summary",
    "aggregate_round",
    "build_summary",
    "previous_round_id",
    "render",
    "summarise",
    "theme_labels",
]
