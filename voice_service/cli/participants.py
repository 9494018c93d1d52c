"""`voice-service participants import FILE.csv`."""

import io

import click

from ..db import session_scope
from ..participants.importer import (
    CsvShapeError,
    NotAddedBack,
    decode_csv,
    erased_note,
    ignored_note,
    import_participants,
    kept_note,
)
from ..privacy import InvalidPhone, normalise_mobile
from . import AppState, pass_state
from .audited import audit


@click.group()
def participants() -> None:
    """The list of young people who can be messaged."""


@participants.command("import")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--include-erased",
    "include_erased",
    metavar="PHONE",
    multiple=True,
    help="Add back the young person with this number, erased at their request (`privacy erase`), whom an import "
    "otherwise leaves out and counts: only when they have asked to be on the list again. Give it once for each "
    "person; other erased young people in the file are still left out. A number that is not erased, or has no "
    "row in the file that can be imported, is refused (exit 1, nothing imported).",
)
@pass_state
def participants_import(state: AppState, file, include_erased: tuple[str, ...]) -> None:
    """Import FILE.csv (phone,first_name,status,date_of_birth,area,language): bad rows reported by line, good rows kept.

    Columns may be separated by commas, semicolons (Excel in some locales) or tabs: the header line says which.
    Headings are read as a council writes them ("Mobile number", "First Name", "Date of Birth" or "DOB",
    "Legal status", "Locality"); other columns ("Social worker", "Notes") are left out, unread, and named.
    Status: in_care or care_leaver ("Looked after", "LAC", "CLA", legal-status codes such as C2, V2 or S20, and
    "Eligible" are in_care; "Relevant", "Former relevant" and "Qualifying" are care_leaver); a care leaver under
    16 or over 25, or a child in care aged 18 or over (by date of birth), is a bad row. Dates of birth:
    YYYY-MM-DD, DD/MM/YYYY, 12.06.2012 or 3 April 2009, with the year in full. A landline (or any number a
    text cannot reach) is a bad row. A file without a first_name, date_of_birth or area column keeps what is
    stored in it for each young person already on the list (a note says so). Language (optional column):
    en/English or cy/Welsh/Cymraeg, blank is English; a Welsh speaker gets the Welsh text of each question that
    has one (`text_cy`), English otherwise.
    An area is one area whatever its case and spacing, written as the latest import first writes it, for
    everyone on the list (a note names each spelling it replaced). A young person erased at their request
    (`privacy erase`) is left out and counted, never named, unless named with --include-erased PHONE.

    Exit status: 0 when every row was imported (or left out as erased); 1 when any row was rejected (the others
    are kept; each rejected row is named by line on standard error), or when the file could not be read (empty,
    or headings but no rows), the database reached, or a number given to --include-erased added back (nothing
    imported); 2 when the command was used wrongly (no such file, or --include-erased not a mobile number).
    """
    try:
        named = [normalise_mobile(phone) for phone in include_erased]
    except InvalidPhone as exc:
        raise click.BadParameter(str(exc), param_hint="--include-erased") from None
    try:
        text = decode_csv(file.read())  # the dashboard's reading rule: UTF-8 or a plain message, exit 1
    except CsvShapeError as exc:
        raise click.ClickException(f"{file.name}: {exc}") from None
    services = state.services()
    try:
        with session_scope(services.engine) as session:
            report = import_participants(
                session=session, vault=services.vault, handle=io.StringIO(text), include_erased=named
            )
            audit(session, "participant.import", subject_type="participant")
    except CsvShapeError as exc:
        raise click.ClickException(f"{file.name}: {exc}") from None
    except NotAddedBack as refused:
        for line, problem in refused.report.problems:
            click.echo(f"{file.name}:{line}: {problem}", err=True)
        for reason in refused.reasons:
            click.echo(f"{file.name}: {reason}", err=True)
        raise click.ClickException(
            f"{file.name}: nothing imported, as a number given to --include-erased was not added back"
        ) from None
    if report.ignored:
        click.echo(f"{file.name}: {ignored_note(report.ignored)}")
    if report.kept:
        click.echo(f"{file.name}: {kept_note(report.kept)}")
    if report.areas:
        said = "; ".join(f'"{written}" is kept as "{kept}"' for written, kept in sorted(report.areas.items()))
        click.echo(f"{file.name}: an area is written one way, as this file first writes it: {said}")
    if report.respelled:
        said = "; ".join(f'"{was}" is now "{now}"' for was, now in sorted(report.respelled.items()))
        click.echo(f"{file.name}: areas on the list now written as this file writes them: {said}")
    if report.erased:
        click.echo(f"{file.name}: {erased_note(report.erased)}")
    for line, problem in report.problems:
        click.echo(f"{file.name}:{line}: {problem}", err=True)
    click.echo(
        f"imported: {report.created} new, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.problems)} rejected" + (f", {report.erased} erased left out" if report.erased else "")
    )
    if report.problems:
        raise SystemExit(1)
