"""Trial 11, T11-10: out of hours, with escalation contacts configured (the alert goes to them at once), the young
person was told "We're back at 9am tomorrow", as if nobody would know until then. The reply now says truthfully that
the out-of-hours team has been told, promising no call, with the help lines and 999, in one segment; with no
escalation contacts, it keeps today's words. Through the inbound path on a passed-in clock, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from tests.conftest import make_config
from tests.factories import add_participants
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.engine import texts
from voice_service.inbound.receive import receive
from voice_service.models import Alert

# Thursday 3 December 2026, 22:40 in London: the duty desk (09:00-17:00) is shut.
NIGHT = datetime(2026, 12, 3, 22, 40, tzinfo=UTC)
DAY = datetime(2026, 12, 3, 14, 40, tzinfo=UTC)
PHONE = "+447700900432"
OFFICE = {"office_hours": "09:00-17:00", "bank_holidays": "none", "closed_days": [], "duty_phones": ["+447700900555"]}


def _services(database_url, **safeguarding) -> Services:
    return Services.from_config(make_config(database_url, safeguarding={**OFFICE, **safeguarding}))


@pytest.fixture
def with_edt(database_url):
    services = _services(database_url, escalation_phones=["+447700900777"])
    yield services
    services.engine.dispose()


@pytest.fixture
def without_edt(database_url):
    services = _services(database_url, escalation_phones=[], escalation_emails=[])
    yield services
    services.engine.dispose()


def _text(services, text: str, when: datetime) -> list[str]:
    with session_scope(services.engine) as session:
        return receive(session=session, services=services, channel="sms", text=text, phone=PHONE, now=when).replies


def _jay(services) -> None:
    add_participants(services, [{"phone": PHONE, "first_name": "Jay", "date_of_birth": "2011-05-01"}])


def _one_segment(words: str) -> None:
    assert texts.is_gsm7(words) and texts.sms_segments(words) == 1, (len(words), words)
    assert "Childline 0800 1111" in words and "999" in words, words


def test_out_of_hours_with_escalation_contacts_the_reply_says_the_out_of_hours_team_knows(with_edt):
    _jay(with_edt)
    (first,) = _text(with_edt, "i want to end it all tonight", NIGHT)
    with Session(with_edt.engine) as session:
        alert = session.exec(select(Alert)).one()
        assert alert.escalated_at is not None  # told at once: what the reply says is true
    assert first.startswith("Thank you. We've told the team on duty now. "), first
    assert "back" not in first and "call you" not in first
    _one_segment(first)
    assert texts.is_disclosure_reply(first)
    (help_reply,) = _text(with_edt, "HELP", NIGHT + timedelta(minutes=2))
    assert help_reply.startswith("Thanks. We've told the team on duty now. "), help_reply
    _one_segment(help_reply)
    (after,) = _text(with_edt, "ok", NIGHT + timedelta(minutes=3))
    assert after.startswith("You did the right thing telling us. We've told the team on duty now. "), after
    _one_segment(after)


def test_out_of_hours_with_no_escalation_contacts_the_reply_is_as_it_was(without_edt):
    _jay(without_edt)
    (first,) = _text(without_edt, "i want to end it all tonight", NIGHT)
    assert first == texts.for_age(texts.DISCLOSURE_OUT_OF_HOURS.format(back="at 9am tomorrow"), adult=False)
    (help_reply,) = _text(without_edt, "HELP", NIGHT + timedelta(minutes=2))
    assert "We're back at 9am tomorrow" in help_reply and "out-of-hours" not in help_reply


def test_in_office_hours_the_reply_is_as_it_was(with_edt):
    _jay(with_edt)
    assert _text(with_edt, "i want to end it all tonight", DAY) == [
        texts.for_age(texts.DISCLOSURE_IN_HOURS, adult=False)
    ]
