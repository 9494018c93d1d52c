"""Queue outgoing messages as outbox rows inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from ..models import OutboxMessage, OutboxStatus, Participant, utcnow
from ..privacy import PhoneVault


def enqueue(
    *,
    session: Session,
    vault: PhoneVault,
    key: str,
    kind: str,
    body: str,
    to: str | None = None,
    participant: Participant | None = None,
    channel: str = "sms",
    participant_id: int | None = None,
    round_id: int | None = None,
    respect_window: bool = True,
    under_16: bool = False,
    not_before: datetime | None = None,
    alert_id: int | None = None,
    attempt: int | None = None,
    subject: str | None = None,
    html_body: str | None = None,
    attachments: list[dict[str, str]] | None = None,
    route: str | None = None,
) -> OutboxMessage:
    """Add a message to the outbox unless one with the same key is already there (then return that).

    Address it with `to` (a phone number, email or URL), or with `participant`, whose number is
    reused as stored (already encrypted and hashed). Nothing is sent here: the row commits with
    the caller's change, and the dispatcher sends it.

    Email rows may carry a `subject`, an `html_body` alternative and `attachments`
    ([{"path": ..., "filename": ..., "content_type": ...}]; the file is read when the email goes).
    A safeguarding notice names its `route` in the settings ("duty_phones:0", "webhook_url"), so it goes to
    that route as configured when it is sent (`readdress`).
    """
    if (to is None) == (participant is None):
        raise ValueError("give exactly one of `to` or `participant`")
    existing = session.exec(select(OutboxMessage).where(col(OutboxMessage.key) == key)).first()
    if existing is not None:
        return existing
    if participant is not None:
        if participant.phone_encrypted is None:
            raise ValueError("this participant has no phone number to text")
        to_encrypted, to_hash = participant.phone_encrypted, participant.phone_hash
    else:
        assert to is not None
        to_encrypted, to_hash = vault.encrypt(to), vault.hash(to)
    row = OutboxMessage(
        key=key,
        kind=kind,
        channel=channel,
        participant_id=participant.id if participant is not None else participant_id,
        round_id=round_id,
        to_encrypted=to_encrypted,
        to_hash=to_hash,
        route=route,
        body=body,
        subject=subject,
        html_body=html_body,
        attachments=attachments,
        alert_id=alert_id,
        attempt=attempt,
        respect_window=respect_window,
        under_16=under_16,
        not_before=not_before or utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def cancel_unsent(*, session: Session, round_id: int, kinds: tuple[str, ...], reason: str, now: datetime) -> int:
    """Cancel a round's texts of these kinds that have not gone yet (a row being sent is left to finish).

    Returns how many were cancelled."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.round_id) == round_id,
            col(OutboxMessage.kind).in_(kinds),
            col(OutboxMessage.status) == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.CANCELLED, error_message=reason, updated_at=now)
    )
    return getattr(result, "rowcount", 0) or 0
