"""`voice-service responses export|corrections`.

Nobody is signed in at a command line, so a safeguarding disclosure's words (a response flagged as a risk) are
withheld from every export, as the dashboard withholds them from anyone not on the duty team
(`accounts.may_see_disclosure`, `exports`), and so are words flagged only because the screen could not read them
(not in English), under their own label: they are not counted as disclosures. `--include-disclosures --by
ACCOUNT` writes them for an active duty account named by name or email; every export is on the audit log, that
one in the duty account's name (`exports.export_action`: "response.export_disclosures"), written before a word
leaves."""

from __future__ import annotations

import click
from sqlmodel import Session

from ..accounts import may_see_disclosure, roles_of
from ..audit import record
from ..db import session_scope
from ..exports import (
    FIELDS,
    correction_rows,
    export_action,
    export_rows,
    flagged_count,
    withheld_count,
    write_csv,
    write_jsonl,
)
from ..models import Round, User
from ..safeguarding.alerts import NotOnDutyTeam, duty_account
from . import AppState, pass_state
from .audited import cli_actor

DISCLOSURE_RULE = "--include-disclosures is for the duty team: --by must name your own duty account"


def _include_disclosures(func):
    """The two options that let the duty team take a disclosure's words out (`_reader` checks them)."""
    func = click.option(
        "--by",
        "by",
        default=None,
        help="With --include-disclosures: your own duty account, by name or email (`users list` shows them). "
        "The export is recorded on the audit log in its name.",
    )(func)
    return click.option(
        "--include-disclosures",
        is_flag=True,
        help="Write the words of safeguarding disclosures (answers flagged as a risk), and of answers flagged "
        "because they are not in English. Without it each is kept as a row reading 'Withheld: safeguarding "
        "disclosure - the duty team holds this' (or 'Withheld: not in English, flagged for a person to read - "
        "...'), as on the dashboard for anyone not on the duty team. Needs --by naming a duty account.",
    )(func)


def _reader(session: Session, *, include: bool, by: str | None) -> tuple[User | str, bool]:
    """Who the export is for, for the audit log, and whether it may carry a disclosure's words: the duty
    account `--by` names when `--include-disclosures` asks for them (refused for anyone else), else whoever
    ran the command, with the words withheld."""
    if by is not None and not include:
        raise click.UsageError("--by goes with --include-disclosures")
    if not include:
        return cli_actor(), False
    if not (by or "").strip():
        raise click.UsageError(f"{DISCLOSURE_RULE} (`users list` shows them)")
    try:
        account = duty_account(session=session, who=by or "", rule=DISCLOSURE_RULE)
    except NotOnDutyTeam as exc:
        raise click.ClickException(str(exc)) from None
    if not may_see_disclosure(roles_of(session=session, user=account)):
        raise click.ClickException(f"{by!r} is not on the duty team: {DISCLOSURE_RULE}")
    return account, True


def _flagged(counts: tuple[int, int], *, disclosure: str = "disclosure") -> str:
    """(disclosures, answers not in English) in words, each called what it is: "2 disclosures and 1 answer not
    in English (flagged for a person to read)"; "" for none."""
    disclosures, unread = counts
    parts = [f"{disclosures} {disclosure}{'' if disclosures == 1 else 's'}"] if disclosures else []
    if unread:
        parts.append(f"{unread} answer{'' if unread == 1 else 's'} not in English (flagged for a person to read)")
    return " and ".join(parts)


def _withheld_words(counts: tuple[int, int]) -> str:
    """The note on standard error when words were withheld (`exports.withheld_count`, `exports.flagged_count`)."""
    if not (flagged := _flagged(counts)):
        return ""
    return f"; {flagged} withheld (the duty team's: --include-disclosures --by YOUR-DUTY-ACCOUNT)"


def _included_words(counts: tuple[int, int]) -> str:
    """The note on standard error when a duty account took flagged words out."""
    if not (flagged := _flagged(counts, disclosure="safeguarding disclosure")):
        return ""
    return f"; includes {flagged}: keep the file as safe as the alert"


@click.group()
def responses() -> None:
    """Answers young people gave."""


@responses.command("export")
@click.option("--round", "round_id", type=int, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--out", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout).")
@_include_disclosures
@pass_state
def responses_export(state: AppState, round_id: int, fmt: str, out, include_disclosures: bool, by: str | None) -> None:
    """One record per answer: pseudonym, question id, answer, themes, sentiment, risk.

    A safeguarding disclosure's words are withheld unless a duty account asks for them
    (--include-disclosures --by). Every export is recorded on the audit log."""
    services = state.services()
    with session_scope(services.engine) as session:
        if session.get(Round, round_id) is None:
            raise click.ClickException(f"there is no round {round_id}")
        actor, disclosures = _reader(session, include=include_disclosures, by=by)
        rows = export_rows(session=session, round_id=round_id, disclosures=disclosures)
        # On the record before a word is written, as the dashboard's download is.
        record(
            session=session,
            actor=actor,
            action=export_action("export", disclosures=disclosures),
            subject_type="round",
            subject_id=round_id,
        )
        session.commit()
    (write_csv if fmt == "csv" else write_jsonl)(rows, out)
    # Every flagged row is withheld unless the duty team asked for it.
    flagged = flagged_count(rows)
    note = _included_words(flagged) if disclosures else _withheld_words(flagged)
    click.echo(f"exported {len(rows)} answers ({', '.join(FIELDS[:3])}, ...){note}", err=True)


@responses.command("corrections")
@click.option("--round", "round_id", type=int, help="Only this round (default: every round).")
@click.option("--out", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout).")
@_include_disclosures
@pass_state
def responses_corrections(
    state: AppState, round_id: int | None, out, include_disclosures: bool, by: str | None
) -> None:
    """Workers' corrections of themes and sentiment as labelled JSONL, the machine's tags beside them.

    A safeguarding disclosure's words are withheld unless a duty account asks for them
    (--include-disclosures --by). Every export is recorded on the audit log."""
    services = state.services()
    with session_scope(services.engine) as session:
        actor, disclosures = _reader(session, include=include_disclosures, by=by)
        rows = correction_rows(session=session, round_id=round_id, disclosures=disclosures)
        record(
            session=session,
            actor=actor,
            action=export_action("export_corrections", disclosures=disclosures),
            subject_type="response",
        )
        session.commit()
    write_jsonl(rows, out)
    note = _withheld_words(withheld_count(rows, "text"))
    click.echo(f"exported {len(rows)} correction{'' if len(rows) == 1 else 's'}{note}", err=True)
