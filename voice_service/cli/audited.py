"""The command line's one way onto the audit log: who ran a command (`cli:<login name>`) and `audit(...)`.

Nobody is signed in at a command line, so a command's entry names the login that ran it. Every command that
changes data or writes an export records it here, under the same action as the dashboard's button for the same
thing ("round.launch", "participant.import", "summary.download", ...), with the same subject (a type and a row
id, never words, a name or a number). Call it inside the command's own transaction, so the change and its
entry land together; for an export, before a word is written.
"""

from __future__ import annotations

import getpass

from sqlmodel import Session

from ..audit import record
from ..models import User


def cli_actor() -> str:
    """Who ran the command, for the audit log (`cli:<login name>`)."""
    try:
        return f"cli:{getpass.getuser()}"[:254]
    except Exception:  # no login name in some containers
        return "cli"


def audit(
    session: Session,
    action: str,
    *,
    subject_type: str | None = None,
    subject_id: int | str | None = None,
    actor: User | str | None = None,
) -> None:
    """Record what a command did in the caller's transaction, as the person who ran it (or `actor`, in whose name it
    was run: then the entry's "From" names the login that ran it, as a page's names the address it came from)."""
    record(
        session=session,
        actor=actor if actor is not None else cli_actor(),
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        ip=None if actor is None else cli_actor(),
    )
