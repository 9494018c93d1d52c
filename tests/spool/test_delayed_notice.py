"""A disclosure stored from the spool is notified as delayed: the duty team reads that it came in late.

The replay stores the text through the webhook's own path, which queues the alert's notices, then marks
the alert delayed; the notices not yet sent must say so too (trial2 finding F1: they did not).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import ACCOUNT_SID, make_config
from voice_service.context import Services
from voice_service.models import Alert, OutboxKind, OutboxMessage
from voice_service.spool import Spool
from voice_service.spool.guard import sms_record
from voice_service.spool.replay import replay


def test_first_notices_of_a_replayed_disclosure_say_delayed(database_url):
    config = make_config(
        database_url,
        safeguarding={
            "duty_phones": ["+447700900999"],
            "duty_emails": ["duty@council.test"],
            "escalation_phones": ["+447700900998"],
        },
    )
    services = Services.from_config(config)
    try:
        form = {
            "MessageSid": f"SM{uuid.uuid4().hex}",
            "AccountSid": ACCOUNT_SID,
            "From": "+447700900331",
            "To": "+447700900000",
            "Body": "i want to kill myself",
            "NumMedia": "0",
        }
        # What the webhook spools while the database is away (the signature was checked as it came in).
        Spool.from_config(config).append("sms", sms_record("/sms/inbound", "", [[k, v] for k, v in form.items()], "x"))
        report = replay(services)
        assert (report.stored, report.pending) == (1, 0)
        with Session(services.engine) as session:
            alert = session.exec(select(Alert)).scalars().one()
            assert alert.delayed
            notices = (
                session.exec(
                    select(OutboxMessage).where(
                        OutboxMessage.alert_id == alert.id,
                        OutboxMessage.kind.in_([OutboxKind.ALERT, OutboxKind.ESCALATION]),
                    )
                )
                .scalars()
                .all()
            )
        assert {row.channel for row in notices if row.kind == OutboxKind.ALERT} == {"sms", "email"}
        for row in notices:
            assert ", delayed)" in row.body, row.body
            assert len(row.body) <= 160 or row.channel == "email"
    finally:
        services.engine.dispose()
