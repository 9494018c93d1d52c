"""The audit log: `record(...)` one view or change; `search(...)` and `to_csv(...)` to read it back.

Every view of a conversation or a phone number, every export, acknowledgement, correction
and change is recorded: who, what, which record, when and from where. A row never holds
message text or a phone number: subjects are named by type and id only, and `record`
refuses anything that looks like a number. Rows are never changed or removed (the model
and the database both refuse).

    from voice_service.audit import record
    record(session=session, actor=user, action="alert.view", subject_type="alert", subject_id=alert.id, ip=ip)

Call it inside the same transaction as the change it describes, so both land or neither does.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from ..exports import safe_cell
from ..models import AuditEvent, User, utcnow

ACTION = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
SUBJECT_TYPE = re.compile(r"^[a-z][a-z_]{0,39}$")
SUBJECT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# A subject id is a row id or a pseudonym: a long run of digits is more likely a phone number.
PHONE_LIKE = re.compile(r"\d{7,}")
CSV_FIELDS = ("id", "at", "actor", "action", "subject_type", "subject_id", "ip")


class AuditError(ValueError):
    """An audit row that must not be written (a malformed action, or something like a number)."""


def actor_name(actor: User | str) -> tuple[str, int | None]:
    """The name and account id recorded for an actor (an account, or a label like `cli:root`)."""
    if isinstance(actor, User):
        return actor.email, actor.id
    if not isinstance(actor, str) or not actor.strip():
        raise AuditError("say who did it (an account, or a label such as 'cli:alice' or 'system')")
    if PHONE_LIKE.search(actor):
        raise AuditError("an audit actor must not be a phone number")
    return actor.strip()[:254], None


def record(
    *,
    session: Session,
    actor: User | str,
    action: str,
    subject_type: str | None = None,
    subject_id: int | str | None = None,
    ip: str | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Add one audit row to the caller's transaction (it is committed with the change it records)."""
    if not isinstance(action, str) or not ACTION.match(action) or len(action) > 60:
        raise AuditError(f"audit actions are dotted lower-case names like 'alert.view', not {action!r}")
    if subject_type is not None and not SUBJECT_TYPE.match(subject_type):
        raise AuditError(f"audit subject types are lower-case names like 'alert', not {subject_type!r}")
    subject = None if subject_id is None else str(subject_id)
    if subject is not None and (not SUBJECT_ID.match(subject) or PHONE_LIKE.search(subject)):
        raise AuditError("an audit subject is a row id or a pseudonym, never text or a phone number")
    name, actor_id = actor_name(actor)
    event = AuditEvent(
        at=now or utcnow(),
        actor=name,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject,
        ip=(ip or None) and ip[:45],
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class AuditFilter:
    """What to look for in the log; empty fields match everything."""

    actor: str = ""
    action: str = ""
    subject_type: str = ""
    subject_id: str = ""
    since: datetime | None = None
    until: datetime | None = None


def _query(filters: AuditFilter):
    query = select(AuditEvent)
    if filters.actor:
        query = query.where(col(AuditEvent.actor) == filters.actor.strip().lower())
    if filters.action:
        action = filters.action.strip()
        # "alert" finds every alert.* action; "alert.view" finds just that one.
        query = query.where((col(AuditEvent.action) == action) | col(AuditEvent.action).startswith(action + "."))
    if filters.subject_type:
        query = query.where(col(AuditEvent.subject_type) == filters.subject_type.strip())
    if filters.subject_id:
        query = query.where(col(AuditEvent.subject_id) == filters.subject_id.strip())
    if filters.since:
        query = query.where(col(AuditEvent.at) >= filters.since)
    if filters.until:
        query = query.where(col(AuditEvent.at) < filters.until)
    return query


def search(
    *, session: Session, filters: AuditFilter = AuditFilter(), limit: int | None = 100, offset: int = 0
) -> list[AuditEvent]:
    """Matching rows, newest first."""
    query = _query(filters).order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc()).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query).all())


def count(*, session: Session, filters: AuditFilter = AuditFilter()) -> int:
    """How many rows match."""
    subquery = _query(filters).subquery()
    return int(session.exec(select(func.count()).select_from(subquery)).one())


def to_csv(events: Sequence[AuditEvent]) -> str:
    """The rows as CSV text, with a header; times in UTC ISO 8601, no cell can start a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for event in events:
        writer.writerow(
            [
                event.id,
                event.at.isoformat(timespec="seconds"),
                safe_cell(event.actor),
                event.action,
                event.subject_type or "",
                safe_cell(event.subject_id or ""),
                event.ip or "",
            ]
        )
    return out.getvalue()
