"""A Welsh answer in a Welsh run is flagged only because the English screen cannot read it. By default it is told and
escalated at once, out of hours too (the screen cannot tell a Welsh disclosure from an ordinary answer). Where the
council sets `safeguarding.unread_answers_wait_for_office_hours` (trial 5, F5: every Welsh answer at night texted
the duty phone), it is for a person to read in office hours: raised while the desk is shut, its notices are due
when the desk opens and it is not escalated at once, nor before `escalate_after_minutes` past the opening. Welsh
text that answers nothing (it may be a disclosure the screen cannot read), and an answer the screen cannot read in
an English run, still go at once, escalated out of hours, as before."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, col, select

from tests.conftest import make_config
from tests.factories import launch, phone_number
from tests.support.people import import_people
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.inbound import receive
from voice_service.models import Alert, OutboxKind, OutboxMessage
from voice_service.safeguarding.alerts import escalate_overdue

FRIDAY = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)
SATURDAY_NIGHT = datetime(2026, 11, 28, 4, 26, tzinfo=UTC)  # the desk is shut
MONDAY_OPENING = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # London is on GMT
SURVEY = """
id = "cymraeg"
title = "Sut mae?"
intro = "Hi {first_name}! Reply YES to start, or STOP to opt out."
outro = "Thank you!"

[[questions]]
id = "why"
kind = "text"
text = "What would make things better?"
text_cy = "Beth fyddai'n gwneud pethau'n well?"
"""
WELSH = "Mae fy ngofalwr yn garedig iawn ac rydw i'n hapus yn y ty"


def _services(database_url, *, wait: bool = True) -> Services:
    config = make_config(
        database_url,
        safeguarding={
            "unread_answers_wait_for_office_hours": wait,
            "duty_phones": ["+447700900555"],
            "escalation_phones": ["+447700900777"],
            "escalate_after_minutes": 60,
            "office_hours": "09:00-17:00",
            "bank_holidays": "none",
            "closed_days": [],
        },
    )
    services = Services.from_config(config)
    import_people(services, (61, "Cai", "Cymraeg"), (62, "Cai", "Cymraeg"), (63, "Sam", ""))
    launch(services, survey_source=SURVEY, now=FRIDAY)
    return services


def _send(services, number: int, text: str, now: datetime) -> None:
    with Session(services.engine, expire_on_commit=False) as session:
        receive(session=session, services=services, channel="sms", text=text, phone=phone_number(number), now=now)
        session.commit()


def _notices(services, alert_id: int) -> list[tuple[str, datetime]]:
    with Session(services.engine) as session:
        rows = session.exec(select(OutboxMessage).where(col(OutboxMessage.alert_id) == alert_id)).all()
        return sorted((row.kind, row.not_before.replace(tzinfo=UTC)) for row in rows)


def _alert_id(services) -> int:
    with Session(services.engine) as session:
        return session.exec(select(Alert.id).order_by(col(Alert.id).desc())).first()


def _escalated(services, now: datetime) -> list[int]:
    with session_scope(services.engine) as session:
        return escalate_overdue(session=session, vault=services.vault, config=services.config, now=now)


def test_a_welsh_answer_at_night_waits_for_the_desk_where_the_council_chose_so(database_url):
    services = _services(database_url)
    try:
        _send(services, 61, "ie", SATURDAY_NIGHT.replace(minute=20))
        _send(services, 61, WELSH, SATURDAY_NIGHT)
        answer_alert = _alert_id(services)
        assert _notices(services, answer_alert) == [(OutboxKind.ALERT, MONDAY_OPENING)]  # no night text, no EDT
        assert _escalated(services, SATURDAY_NIGHT.replace(hour=6)) == []
        assert _escalated(services, MONDAY_OPENING.replace(minute=59)) == []
        assert _escalated(services, MONDAY_OPENING.replace(hour=10)) == [answer_alert]

        # Welsh that answers nothing waiting (at an invitation): it may be a disclosure, so at once, as before.
        _send(services, 62, WELSH, SATURDAY_NIGHT)
        text_in_alert = _alert_id(services)
        assert text_in_alert != answer_alert
        assert _notices(services, text_in_alert) == [
            (OutboxKind.ALERT, SATURDAY_NIGHT),
            (OutboxKind.ESCALATION, SATURDAY_NIGHT),
        ]

        # A non-English answer in an English run is unusual, not one of many: at once too.
        _send(services, 63, "yes", SATURDAY_NIGHT.replace(minute=20))
        _send(services, 63, WELSH, SATURDAY_NIGHT)
        english_run_alert = _alert_id(services)
        assert english_run_alert not in (answer_alert, text_in_alert)
        assert _notices(services, english_run_alert) == [
            (OutboxKind.ALERT, SATURDAY_NIGHT),
            (OutboxKind.ESCALATION, SATURDAY_NIGHT),
        ]
    finally:
        services.engine.dispose()


def test_by_default_a_welsh_answer_at_night_is_told_and_escalated_at_once(database_url):
    """Safeguarding is never traded for convenience by default: a Welsh answer may be a disclosure nobody can read."""
    services = _services(database_url, wait=False)
    try:
        _send(services, 61, "ie", SATURDAY_NIGHT.replace(minute=20))
        _send(services, 61, WELSH, SATURDAY_NIGHT)
        assert _notices(services, _alert_id(services)) == [
            (OutboxKind.ALERT, SATURDAY_NIGHT),
            (OutboxKind.ESCALATION, SATURDAY_NIGHT),
        ]
    finally:
        services.engine.dispose()
