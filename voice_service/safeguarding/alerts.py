"""Raise a safeguarding alert: persisted with the message, duty team notified through every route.

The notification says that there is an alert and where to look, never what was said:
the duty worker reads the message in the service, so no message text or phone number
travels by SMS, email or webhook.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from ..models import Alert, Message, Participant, utcnow
from ..outbox import enqueue
from ..privacy import PhoneVault

RISK_REPLY = (
    "Thank you for telling us. A worker will read this soon. Need help now? "
    "Childline 0800 1111, Samaritans 116 123, text SHOUT to 85258. In danger call 999."
)


def alert_notice(alert: Alert, participant: Participant | None, public_url: str) -> str:
    """The short notice sent to the duty team: alert number, categories, pseudonym, where to look."""
    who = participant.pseudonym if participant else "an anonymous web chat"
    kinds = ", ".join(category.replace("_", " ") for category in alert.categories) or "possible risk"
    return (
        f"Voice Service safeguarding alert #{alert.id} ({kinds}) from {who} by {alert.channel}. "
        f"Please read and acknowledge: {public_url.rstrip('/')}/admin/alerts/{alert.id} "
        f"or voice-service alerts ack {alert.id}"
    )


def raise_alert(
    *,
    session: Session,
    vault: PhoneVault,
    config,
    message: Message,
    participant: Participant | None,
    categories: tuple[str, ...],
    attempt: int = 0,
    now: datetime | None = None,
) -> Alert:
    """Store an alert for this message and queue a notice to every duty route, in the caller's transaction."""
    now = now or utcnow()
    alert = Alert(
        created_at=now,
        participant_id=participant.id if participant else None,
        message_id=message.id,
        channel=message.channel,
        categories=list(categories),
        excerpt=message.body[:1000],
    )
    session.add(alert)
    session.flush()
    notify_duty_team(
        session=session, vault=vault, config=config, alert=alert, participant=participant, attempt=attempt, now=now
    )
    return alert


def notify_duty_team(
    *, session: Session, vault: PhoneVault, config, alert: Alert, participant, attempt: int, now: datetime | None = None
) -> int:
    """Queue one notice per configured duty route; alerts ignore send windows. Returns how many."""
    notice = alert_notice(alert, participant, config.app.public_url)
    routes: list[tuple[str, str]] = [("sms", phone) for phone in config.safeguarding.duty_phones]
    routes += [("email", address) for address in config.safeguarding.duty_emails]
    if config.safeguarding.webhook_url:
        routes.append(("webhook", config.safeguarding.webhook_url))
    for index, (channel, destination) in enumerate(routes):
        enqueue(
            session=session,
            vault=vault,
            key=f"alert:{alert.id}:{attempt}:{channel}:{index}",
            kind="alert",
            channel=channel,
            to=destination,
            body=notice,
            participant_id=alert.participant_id,
            respect_window=False,
            not_before=now,
        )
    return len(routes)


def acknowledge(*, session: Session, alert_id: int, by: str, note: str | None = None) -> Alert:
    """Record that a duty worker has picked the alert up; re-notification stops. Acknowledging twice keeps the first."""
    from ..models import AlertStatus, utcnow

    if not by or not by.strip():
        raise ValueError("say who is acknowledging (--by NAME)")
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise LookupError(f"there is no alert {alert_id}")
    if alert.status == AlertStatus.ACKNOWLEDGED:
        return alert
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = utcnow()
    alert.acknowledged_by = by.strip()[:120]
    alert.note = note
    session.flush()
    return alert
