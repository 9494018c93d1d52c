"""One rule for a live alert (open or acknowledged, not closed), read alike by the inbound path's one read of
the sender and by the alert service: both are built from `safeguarding.live`, and the sender is still read in
one statement."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from tests.factories import add_participants, phone_number
from voice_service.db import session_scope
from voice_service.inbound.situation import load_sender
from voice_service.models import Alert, AlertStatus
from voice_service.safeguarding.alerts import acknowledge, close, with_live_alert
from voice_service.safeguarding.live import alert_is_live, live_alert_of


@pytest.mark.parametrize("status", AlertStatus.ALL)
def test_the_sender_read_and_the_alert_service_agree_on_what_is_live(services, status):
    add_participants(services, [{"phone": phone_number(1)}, {"phone": phone_number(2)}])
    with session_scope(services.engine) as session:
        alert = Alert(participant_id=1, excerpt="worrying words")
        session.add(alert)
        session.flush()
        if status != AlertStatus.OPEN:
            acknowledge(session=session, vault=services.vault, config=services.config, alert_id=alert.id, by="Dee")
        if status == AlertStatus.CLOSED:
            close(
                session=session,
                vault=services.vault,
                config=services.config,
                alert_id=alert.id,
                by="Dee",
                action="called",
            )
    live = status != AlertStatus.CLOSED
    with Session(services.engine) as session:
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(session.connection(), "before_cursor_execute", listener)
        sender = load_sender(session, phone_hash=services.vault.hash(phone_number(1)), lock=False)
        event.remove(session.connection(), "before_cursor_execute", listener)
        assert sender is not None and sender.alert_live is live
        assert len(statements) == 1  # the rule adds no query to the inbound path: it is a column of its one read
        assert with_live_alert(session=session, participant_ids=[1, 2]) == ({1} if live else set())
        assert bool(session.exec(select(Alert.id).where(alert_is_live())).first()) is live
        assert bool(session.exec(select(live_alert_of(1))).one()) is live
        other = load_sender(session, phone_hash=services.vault.hash(phone_number(2)), lock=False)
        assert other is not None and other.alert_live is False


def test_the_sender_read_is_built_from_the_rule():
    """The inbound statement carries the rule's own SQL, not a copy of its own."""
    from sqlalchemy.dialects import sqlite

    from voice_service.inbound import situation

    rule = str(alert_is_live().compile(dialect=sqlite.dialect()))
    query = str(situation._sender_by_id("sqlite").compile(dialect=sqlite.dialect()))
    assert rule in query
