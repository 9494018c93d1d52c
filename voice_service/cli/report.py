"""`voice-service report`: the year's pledge coverage across rounds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..db import session_scope
from ..models import utcnow
from ..rounds.membership import local_date
from ..summary import FORMATS
from ..summary.pdf import PdfUnavailable
from ..summary.reissue import REPORT_CHANGED_BY_ERASURE, rounds_erased_since_given_out, rounds_named
from . import AppState, pass_state
from .audited import audit
from .dates import UK_DATE
from .output import out_option, refuse_pdf_to_terminal, write_out


@click.command("report")
@click.option("--year", type=click.IntRange(2000, 2100), help="Calendar year, e.g. 2026 (or give --from and --to).")
@click.option(
    "--from", "start", type=UK_DATE, help="First day (2026-04-01, 1/4/2026 or 1 April 2026); with --to, not --year."
)
@click.option("--to", "end", type=UK_DATE, help="Last day, written the same ways.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True)
@out_option("File to write; - or none for standard output (a pdf needs --out).")
@pass_state
def report(state: AppState, year, start, end, fmt: str, out: Path | None) -> None:
    """The year's pledge coverage across rounds: evidence, trends, actions.

    Recorded on the audit log ("report.download", the days it covers), as a summary's download is. Warns, naming
    them, when a young person in any of its rounds was erased after that round's summary was first given out (a
    year's report covering it counts): the two copies, compared, would show their answers."""
    if year is None and (start is None or end is None):
        raise click.UsageError("give --year YYYY, or both --from and --to")
    if year is not None and (start is not None or end is not None):
        raise click.UsageError("give --year YYYY, or --from and --to, not both (--year would be ignored)")
    first = start or date(year, 1, 1)
    last = end or date(year, 12, 31)
    if last < first:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    refuse_pdf_to_terminal(fmt, out)
    from ..summary.year import render_year, year_report

    services = state.services()
    with session_scope(services.engine) as session:
        today = local_date(utcnow(), services.config.app.timezone)  # the clock, read at the edge
        built = year_report(session=session, services=services, start=first, end=last, today=today)
    try:
        content = render_year(built, fmt)
    except PdfUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    with session_scope(services.engine) as session:
        # Asked before this report is on the record, or it would count as the first given out.
        changed = rounds_erased_since_given_out(
            session=session, round_ids=[r.id for r in built.rounds], timezone=services.config.app.timezone
        )
        # On the record before a word is written, as a summary's download is.
        audit(session, "report.download", subject_type="report", subject_id=f"{first}_{last}")
    if write_out(out, content):
        rounds = f"{len(built.rounds)} round{'' if len(built.rounds) == 1 else 's'}"
        click.echo(f"wrote {out} ({fmt}, {rounds}, {first} to {last})", err=True)
    if changed:
        click.echo(f"Warning ({rounds_named(changed)}): {REPORT_CHANGED_BY_ERASURE}", err=True)
