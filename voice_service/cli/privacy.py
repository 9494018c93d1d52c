"""`voice-service privacy export|erase|purge|rotate-key`: subject access, erasure, retention and key rotation."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import click
from sqlmodel import Session

from ..config import config_path
from ..db import session_scope
from ..privacy import InvalidPhone
from ..privacy.processes import started_before
from ..privacy.retention import purge_expired
from ..privacy.rotation import rotate_keys
from ..privacy.storage import checkpoint
from ..privacy.subject import (
    AlertStillOpen,
    DutyNumber,
    ErasureReport,
    SpooledMessagesWaiting,
    erase_subject,
    export_subject,
    find_subject,
)
from ..spool.store import Spool
from ..summary.formatting import plural
from . import AppState, pass_state
from .audited import audit, cli_actor
from .dates import UK_DATE
from .output import out_option, write_out


@click.group()
def privacy() -> None:
    """Subject access, erasure, retention and key rotation."""


def privacy_config(services) -> Any:
    """The `[privacy]` section."""
    return services.config.privacy


def _who(phone: str | None, pseudonym: str | None) -> dict:
    if (phone is None) == (pseudonym is None):
        raise click.UsageError("give --phone or --pseudonym (one of them)")
    return {"phone": phone, "pseudonym": pseudonym}


@privacy.command("export")
@click.option("--phone", help="Their mobile number, in any format (07700 900123, +447700900123).")
@click.option("--pseudonym", help="Or their pseudonym (P-1A2B3C4D), for a web chat with no number.")
@out_option("Write the JSON here (default, or -: print it).")
@pass_state
def export(state: AppState, phone: str | None, pseudonym: str | None, out: Path | None) -> None:
    """Everything held about one young person, as JSON (a subject access request)."""
    who = _who(phone, pseudonym)
    services = state.services()
    try:
        with session_scope(services.engine) as session:
            subject = find_subject(session=session, vault=services.vault, **who)
            held = export_subject(
                session=session,
                vault=services.vault,
                subject=subject,
                spool=Spool.from_config(services.config),
                actor=cli_actor(),
            )
    except InvalidPhone as exc:
        raise click.BadParameter(str(exc), param_hint="--phone") from None
    text = json.dumps(held, indent=2, ensure_ascii=False, default=str)
    if write_out(out, (text + "\n").encode("utf-8")):
        click.echo(f"written to {out}" + ("" if held["found"] else " (no participant with that number)"), err=True)


@privacy.command("erase")
@click.option("--phone", help="Their mobile number, in any format.")
@click.option("--pseudonym", help="Or their pseudonym (P-1A2B3C4D), for a web chat with no number.")
@click.option(
    "--keep-opt-out/--forget-opt-out",
    default=True,
    show_default=True,
    help="Keep a STOP: the number's keyed hash (nothing else) stays in the opt-out register, so a re-imported "
    "list can never text them again; and mark the number as erased (its keyed hash and the date), so the next "
    "`participants import` leaves them out and says so. --forget-opt-out keeps neither, for someone who asks "
    "to be texted again.",
)
@click.option("--by", "actor", default=None, help="Who is doing this, for the audit log (default: your login name).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def erase(
    state: AppState, phone: str | None, pseudonym: str | None, keep_opt_out: bool, actor: str | None, yes: bool
) -> None:
    """Remove one young person everywhere (safe to run again). Alerts keep only what was done.

    Refused while an alert about them is open, and for the duty team's own numbers.
    """
    who = _who(phone, pseudonym)
    services = state.services()
    if not yes:
        click.confirm("This deletes everything held about this person and cannot be undone. Go on?", abort=True)
    try:
        with session_scope(services.engine) as session:
            subject = find_subject(session=session, vault=services.vault, **who)
            report = erase_subject(
                session=session,
                subject=subject,
                spool=Spool.from_config(services.config),
                keep_opt_out=keep_opt_out,
                actor=f"cli:{actor.strip()}" if actor and actor.strip() else cli_actor(),
                config=services.config,
            )
    except InvalidPhone as exc:
        raise click.BadParameter(str(exc), param_hint="--phone") from None
    except (AlertStillOpen, DutyNumber, SpooledMessagesWaiting) as exc:
        raise click.ClickException(str(exc)) from None
    checkpoint(services.engine)
    if not report.anything:
        click.echo("nothing held about that person (already erased, or never known)")
        return
    click.echo(erased_words(report))


def erased_words(report: ErasureReport) -> str:
    """What an erasure removed, counted in words that agree with their numbers ("1 answer", "2 answers")."""
    return (
        f"erased: {plural(report.participants, 'participant')}, {plural(report.messages, 'message')}, "
        f"{plural(report.answers, 'answer')}, {plural(report.runs, 'run')}, "
        f"{plural(report.outbox, 'outbox message')}, {plural(report.chat_sessions, 'chat')}, "
        f"{plural(report.opt_outs, 'opt-out')}, {report.spooled} spooled; "
        f"{plural(report.alerts_kept, 'alert')} kept without their text"
    )


@privacy.command("purge")
@click.option(
    "--as-of",
    type=UK_DATE,
    help="Apply retention as if today were this date (2028-01-01, 1/1/2028 or 1 Jan 2028; default: now). "
    "A later date deletes what the retention "
    "period still keeps today: add --dry-run to see what a future purge would remove.",
)
@click.option("--dry-run", is_flag=True, help="Count what would be removed, and remove nothing.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation before purging as of a later date.")
@pass_state
def purge(state: AppState, as_of: date | None, dry_run: bool, yes: bool) -> None:
    """Delete what is older than the retention period (the scheduler does this every night at 03:15).

    Raw text goes; themes, sentiment and counts stay. This cannot be undone.
    """
    services = state.services()
    days = privacy_config(services).retention_days
    today = datetime.now(UTC).date()
    day = as_of or today
    now = datetime.combine(day, time(12, 0), tzinfo=UTC) if as_of else None
    if day > today and not dry_run and not yes:
        click.confirm(
            f"Purging as of {day.isoformat()} deletes, today, words the {days}-day retention period still keeps, "
            "and cannot be undone (--dry-run only counts). Go on?",
            abort=True,
        )
    if dry_run:
        with Session(services.engine) as session:
            report = purge_expired(session=session, retention_days=days, now=now)
            session.rollback()
        click.echo(f"retention ({days} days, as of {day.isoformat()}), dry run, nothing removed: would be {report}")
        return
    with session_scope(services.engine) as session:
        report = purge_expired(session=session, retention_days=days, now=now)
        audit(session, "privacy.purge", subject_type="retention", subject_id=day.isoformat())
    checkpoint(services.engine)
    click.echo(f"retention ({days} days, as of {day.isoformat()}): {report}")


@privacy.command("rotate-key")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 100_000))
@click.option(
    "--force",
    is_flag=True,
    help="Rotate even though serve or scheduler processes on this machine started before the configuration "
    "file last changed (they may still use the old key).",
)
@pass_state
def rotate_key(state: AppState, batch_size: int, force: bool) -> None:
    """Re-encrypt every stored number under the new phone_key (old_phone_keys still read); safe to re-run.

    First restart serve and scheduler with the new phone_key and the old key in old_phone_keys:
    this refuses while a serve or scheduler process on this machine started before the
    configuration file last changed (it would still write new numbers under the old key).
    """
    services = state.services()
    if not privacy_config(services).old_phone_keys:
        click.echo(
            "note: privacy.old_phone_keys is empty, so only values already under phone_key can be read", err=True
        )
    file = config_path(state.config_file)
    stale = started_before(file) if file is not None else []
    if stale:
        named = ", ".join(f"{process.command} (pid {process.pid})" for process in stale)
        problem = (
            f"{named} started before {file} last changed, so {'they' if len(stale) > 1 else 'it'} may still "
            "encrypt new numbers with the old phone_key and be unable to read numbers under the new one. "
            "Restart serve and scheduler (with the "
            "new phone_key, and the old key in old_phone_keys, they read both), then run `privacy rotate-key` again"
        )
        if not force:
            raise click.ClickException(problem + " (or add --force to rotate anyway).")
        click.echo(f"warning (--force): {problem}.", err=True)

    def progress(report) -> None:
        click.echo(f"  batch {report.batches}: {report.rotated} re-encrypted so far", err=True)

    report = rotate_keys(engine=services.engine, vault=services.vault, batch_size=batch_size, after_batch=progress)
    with session_scope(services.engine) as session:  # the batches committed as they went; this says who ran them
        audit(session, "privacy.rotate_key", subject_type="phone_key")
    click.echo(
        f"{report.rotated} re-encrypted, {report.already_current} already under the new key, "
        f"{report.unreadable} unreadable with the configured keys"
    )
    if report.unreadable:
        raise click.ClickException(
            "some numbers could not be read: add the key they were stored under to privacy.old_phone_keys and run again"
        )
    click.echo(
        "done: every stored number is under privacy.phone_key. Remove privacy.old_phone_keys only once every "
        "serve and scheduler (on every machine) was restarted before this run, then restart them again; "
        "if unsure, run `privacy rotate-key` again: 0 re-encrypted means nothing is left under an old key"
    )
