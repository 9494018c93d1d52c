"""The "You said, we did" summary: aggregate in SQL, protect, render for the panel and for young people."""

from __future__ import annotations

import base64
import tomllib
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from ..models import utcnow
from ..models.round import RoundStatus
from .aggregate import aggregate_round, aggregate_rounds, previous_round_id
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


def logo_data_uri(path: str) -> str:
    """The council's logo as a data: URI, so the summary stays one self-contained file ("" if unreadable)."""
    if not path:
        return ""
    kinds = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
    kind = kinds.get(Path(path).suffix.lower())
    try:
        data = Path(path).read_bytes()
    except OSError:
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}" if kind else ""


def summarise(
    *, session: Session, services, round_id: int, now: datetime | None = None, as_if_closed: bool = False
) -> Summary:
    """Count a round (and the one before it, in the same queries) and build its publishable summary
    as it stands at `now` (the caller's clock; the current time when not given).

    `as_if_closed`: an open round's summary as it would read were the round closed now, for a worker's own
    warnings only (what the summary will keep private); never given out, as it is what `open_round` withholds."""

    config = services.config
    before_id = previous_round_id(session=session, round_id=round_id)
    target = config.panel_alert_target_minutes
    figures = aggregate_rounds(
        session=session,
        round_ids=[round_id] + ([before_id] if before_id else []),
        quotes_for={round_id},
    )
    current = figures[round_id]
    if as_if_closed:
        current = replace(current, status=RoundStatus.CLOSED)
    return build_summary(
        current=current,
        previous=figures.get(before_id) if before_id else None,
        catalogue=services.catalogue,
        theme_labels=theme_labels(config.conversations.folder),
        council=config.app.council_name,
        council_logo=logo_data_uri(config.app.council_logo),
        minimum_rate=config.panel.min_response_rate,
        alert_target_minutes=target,
        now=now or utcnow(),
        timezone=config.app.timezone,
    )


def action_kept_private(
    *, session: Session, services, round_id: int, theme: str | None, pledge: int | None, message: int | None
) -> str:
    """Why the summaries would keep an action's "You said" private, for an action of this round about this
    theme, pledge and top-ten message (`report.said_kept_private`: too few answered, or the theme's count is
    under 5 or hidden to protect a smaller group, or each of the pledge's or message's themes' is), or "" when
    they would print it."""
    from .report import said_kept_private

    figures = aggregate_rounds(session=session, round_ids=[round_id], quotes_for=set()).get(round_id)
    if figures is None:
        return ""
    # What the summary will print once the round is closed: while it is open, every "You said" waits (`open_round`).
    themes = {
        t.id: t for t in summarise(session=session, services=services, round_id=round_id, as_if_closed=True).themes
    }
    return said_kept_private(
        responded=figures.responded,
        theme=theme,
        pledge=pledge,
        message=message,
        themes=themes,
        catalogue=services.catalogue,
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
    "aggregate_rounds",
    "build_summary",
    "previous_round_id",
    "render",
    "summarise",
    "theme_labels",
]
