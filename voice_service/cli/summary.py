"""`voice-service summary`: the "You said, we did" summary of a round."""

from pathlib import Path

import click

from ..db import session_scope
from ..summary import FORMATS, render, summarise
from ..summary.pdf import PdfUnavailable
from ..summary.reissue import erased_since_given_out
from . import AppState, pass_state
from .audited import audit
from .output import out_option, refuse_pdf_to_terminal, write_out


@click.command("summary")
@click.option("--round", "round_id", type=int, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True)
@click.option(
    "--audience",
    type=click.Choice(["panel", "young-people"]),
    default="panel",
    show_default=True,
    help="young-people: the short plain-English version (text; --format md or html).",
)
@out_option("File to write; - or none for standard output (a pdf needs --out).")
@pass_state
def summary(state: AppState, round_id: int, fmt: str, audience: str, out: Path | None) -> None:
    """Write the "You said, we did" summary of a round: figures under 5 are hidden, quotes redacted.

    Recorded on the audit log ("summary.download"), as the dashboard's download is. Warns when a young person in
    the round was erased after its summary was first given out: the two copies, compared, would show their answers."""
    if audience == "young-people" and fmt not in ("md", "html"):
        raise click.BadParameter("the young people's version is text: use --format md or html", param_hint="--format")
    refuse_pdf_to_terminal(fmt, out)
    services = state.services()
    with session_scope(services.engine) as session:
        try:
            built = summarise(session=session, services=services, round_id=round_id)
        except LookupError as exc:
            raise click.ClickException(str(exc)) from None
        from ..models import Round
        from ..summary.loop import public_link

        round_ = session.get(Round, round_id)
        if round_ is None:
            raise click.ClickException(f"there is no round {round_id}")
        link = public_link(services, round_)
    if audience == "young-people":
        from ..summary.loop import young_people_text

        text = young_people_text(built, link=link)
        if fmt == "html":
            from html import escape

            body = "".join(f"<p>{escape(part).replace(chr(10), '<br>')}</p>" for part in text.strip().split("\n\n"))
            text = f'<!DOCTYPE html><html lang="en-GB"><meta charset="utf-8"><title>You said, we did</title><body>{body}</body></html>\n'  # noqa: E501
        content = text.encode("utf-8")
    else:
        try:
            content = render(built, fmt)
        except PdfUnavailable as exc:
            raise click.ClickException(str(exc)) from None
    with session_scope(services.engine) as session:
        # Asked before this copy is on the record, or it would count as the first given out.
        changed = erased_since_given_out(session=session, round_id=round_id, timezone=services.config.app.timezone)
        # On the record before a word is written, as the dashboard's download is.
        audit(session, "summary.download", subject_type="round", subject_id=round_id)
    if write_out(out, content):
        click.echo(f"wrote {out} ({fmt}, round {round_id})", err=True)
    if changed:
        click.echo(f"Warning (round {round_id}): {changed}", err=True)
