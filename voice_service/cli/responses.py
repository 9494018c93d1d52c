"""`voice-service responses export`."""

import click

from ..db import session_scope
from ..exports import FIELDS, export_rows, write_csv, write_jsonl
from ..labels import corrections
from ..models import Round
from . import AppState, pass_state


@click.group()
def responses() -> None:
    """Answers young people gave."""


@responses.command("export")
@click.option("--round", "round_id", type=int, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--out", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout).")
@pass_state
def responses_export(state: AppState, round_id: int, fmt: str, out) -> None:
    """One record per answer: pseudonym, question id, answer, themes, sentiment, risk."""
    services = state.services()
    with session_scope(services.engine) as session:
        if session.get(Round, round_id) is None:
            raise click.ClickException(f"there is no round {round_id}")
        rows = export_rows(session=session, round_id=round_id)
        (write_csv if fmt == "csv" else write_jsonl)(rows, out)
    click.echo(f"exported {len(rows)} answers ({', '.join(FIELDS[:3])}, ...)", err=True)


@responses.command("corrections")
@click.option("--round", "round_id", type=int, help="Only this round (default: every round).")
@click.option("--out", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout).")
@pass_state
def responses_corrections(state: AppState, round_id: int | None, out) -> None:
    """Workers' corrections of themes and sentiment as labelled JSONL, the machine's tags beside them."""
    services = state.services()
    with session_scope(services.engine) as session:
        rows = corrections(session=session, round_id=round_id)
        write_jsonl(rows, out)
    click.echo(f"exported {len(rows)} correction{'' if len(rows) == 1 else 's'}", err=True)
