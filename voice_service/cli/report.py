"""`voice-service report`: the year's pledge coverage across rounds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..db import session_scope
from ..summary import FORMATS
from ..summary.pdf import PdfUnavailable
from . import AppState, pass_state
from .dates import UK_DATE


@click.command("report")
@click.option("--year", type=click.IntRange(2000, 2100), help="Calendar year, e.g. 2026 (or give --from and --to).")
@click.option(
    "--from", "start", type=UK_DATE, help="First day (2026-04-01, 1/4/2026 or 1 April 2026); with --to, not --year."
)
@click.option("--to", "end", type=UK_DATE, help="Last day, written the same ways.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path), help="File to write.")
@pass_state
def report(state: AppState, year, start, end, fmt: str, out: Path | None) -> None:
    """The year's pledge coverage across rounds: evidence, trends, actions."""
    if year is None and (start is None or end is None):
        raise click.UsageError("give --year YYYY, or both --from and --to")
    if year is not None and (start is not None or end is not None):
        raise click.UsageError("give --year YYYY, or --from and --to, not both (--year would be ignored)")
    first = start or date(year, 1, 1)
    last = end or date(year, 12, 31)
    if last < first:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    from ..summary.year import render_year, year_report

    services = state.services()
    with session_scope(services.engine) as session:
        built = year_report(session=session, services=services, start=first, end=last)
    try:
        content = render_year(built, fmt)
    except PdfUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    if out is None:
        if fmt == "pdf":
            raise click.BadParameter("a PDF needs --out PATH", param_hint="--out")
        click.echo(content.decode("utf-8"), nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    click.echo(f"wrote {out} ({fmt}, {len(built.rounds)} rounds, {first} to {last})", err=True)
