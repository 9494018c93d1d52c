"""An alert raised just before the duty desk shuts, and not picked up by then, goes to the out-of-hours team when it
shuts, as one raised a minute after it does at once (trial 14: one raised at 16:58 was still with nobody at 17:10,
and would have been until 17:58). One already acknowledged stays with whoever has it; with no escalation contacts
the `escalate_after_minutes` clock is all there is, as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from tests.conftest import make_config
from tests.factories import phone_number
from tests.support.people import import_people
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.inbound import receive
from voice_service.models import Alert, OutboxKind, OutboxMessage
from voice_service.safeguarding.alerts import acknowledge, escalate_overdue

BEFORE_CLOSING = datetime(2026, 12, 8, 16, 58, tzinfo=UTC)  # a Tuesday; London is on GMT
CLOSING = datetime(2026, 12, 8, 17, 0, tzinfo=UTC)
DISCLOSURE = "my dad punches me"


def _services(database_url, *, escalation_phones: tuple[str, ...] = ("+447700900777",)) -> Services:
    config = make_config(
        database_url,
        safeguarding={
            "duty_phones": ["+447700900555"],
            "escalation_phones": list(escalation_phones),
            "escalate_after_minutes": 60,
            "office_hours": "09:00-17:00",
            "bank_holidays": "none",
            "closed_days": [],
        },
    )
    services = Services.from_config(config)
    import_people(services, (71, "Sam", ""), (72, "Alex", ""))
    return services


def _disclose(services, number: int, now: datetime) -> int:
    with Session(services.engine, expire_on_commit=False) as session:
        result = receive(
            session=session, services=services, channel="sms", text=DISCLOSURE, phone=phone_number(number), now=now
        )
        session.commit()
    assert result.alert_id is not None
    return result.alert_id


def _escalated(services, now: datetime) -> list[int]:
    with session_scope(services.engine) as session:
        return escalate_overdue(session=session, vault=services.vault, config=services.config, now=now)


def _escalations(services, alert_id: int) -> list[str]:
    with Session(services.engine) as session:
        return list(
            session.exec(
                select(OutboxMessage.body).where(
                    col(OutboxMessage.alert_id) == alert_id, col(OutboxMessage.kind) == OutboxKind.ESCALATION
                )
            ).all()
        )


def test_an_alert_nobody_has_picked_up_goes_to_the_out_of_hours_team_when_the_desk_shuts(database_url):
    services = _services(database_url)
    try:
        waiting = _disclose(services, 71, BEFORE_CLOSING)
        taken = _disclose(services, 72, BEFORE_CLOSING)
        with session_scope(services.engine) as session:
            acknowledge(
                session=session,
                vault=services.vault,
                config=services.config,
                alert_id=taken,
                by="Jo",
                now=BEFORE_CLOSING,
            )
        assert _escalations(services, waiting) == []  # raised in office hours: the duty desk has it

        assert _escalated(services, CLOSING - timedelta(seconds=30)) == []  # the desk is still open
        assert _escalated(services, CLOSING + timedelta(seconds=30)) == [waiting]
        [notice] = _escalations(services, waiting)
        assert notice.startswith(f"ESCALATED: alert #{waiting} high priority, duty desk closed")
        assert "punches" not in notice and "7700" not in notice  # no message text, no number
        assert _escalations(services, taken) == []  # Jo has it

        assert _escalated(services, CLOSING + timedelta(hours=2)) == []  # once
        with Session(services.engine) as session:
            alert = session.get(Alert, waiting)
            assert alert is not None and alert.escalated_at is not None
    finally:
        services.engine.dispose()


def test_with_no_escalation_contacts_the_clock_alone_decides(database_url):
    services = _services(database_url, escalation_phones=())
    try:
        waiting = _disclose(services, 71, BEFORE_CLOSING)
        assert _escalated(services, CLOSING + timedelta(minutes=1)) == []
        assert _escalated(services, BEFORE_CLOSING + timedelta(minutes=60)) == [waiting]
    finally:
        services.engine.dispose()
