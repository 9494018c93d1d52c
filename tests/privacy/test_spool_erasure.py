"""Erasure and subject access reach the inbound spool: a person's stored or failed spooled messages are
removed, a waiting (unscreened) one stops the erasure, and key rotation leaves the spool readable."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from tests.factories import add_participants, phone_number
from voice_service.db import session_scope
from voice_service.privacy.spooled import SpooledMessagesWaiting
from voice_service.privacy.subject import erase_subject, export_subject, find_subject
from voice_service.spool.store import Spool

MINE, THEIRS = phone_number(80), phone_number(81)


def _sms(spool: Spool, sender: str, body: str):
    form = [["From", sender.replace("+44", "0")], ["Body", body], ["MessageSid", f"SM{abs(hash(body))}"]]
    return spool.append("sms", {"path": "/sms/inbound", "query": "", "form": form, "signature": "x"})


@pytest.fixture
def spool(services, tmp_path):
    add_participants(services, [{"phone": MINE, "first_name": "Ffion"}, {"phone": THEIRS, "first_name": "Gwen"}])
    return Spool(tmp_path / "spool", services.config.privacy.phone_key)


def _erase(services, spool):
    with session_scope(services.engine) as session:
        subject = find_subject(session=session, vault=services.vault, phone=MINE)
        return erase_subject(session=session, subject=subject, spool=spool)


def test_a_waiting_message_stops_the_erasure_until_it_is_stored(services, spool):
    first = _sms(spool, MINE, "my placement is ending next week")
    _sms(spool, THEIRS, "someone else entirely")
    with pytest.raises(SpooledMessagesWaiting, match="1 message"):
        _erase(services, spool)
    spool.mark_done(first)  # replayed: stored and screened
    failed = _sms(spool, MINE, "a second one that could not be replayed")
    spool.mark_failed(failed)

    with session_scope(services.engine) as session:
        held = export_subject(
            session=session,
            vault=services.vault,
            subject=find_subject(session=session, vault=services.vault, phone=MINE),
            spool=spool,
        )
    assert sorted((item["state"], item["text"]) for item in held["spool"]) == [
        ("done", "my placement is ending next week"),
        ("failed", "a second one that could not be replayed"),
    ]

    report = _erase(services, spool)
    assert report.spooled == 2 and report.participants == 1
    records, unreadable = spool.records()
    assert unreadable == 0 and [r.data["form"][1][1] for r in records] == ["someone else entirely"]
    assert spool.finished() == (set(), set())
    assert _erase(services, spool).spooled == 0  # idempotent


def test_the_spool_reads_records_from_before_a_key_rotation(spool, services, tmp_path):
    _sms(spool, MINE, "spooled under the old key")
    rotated = Spool(tmp_path / "spool", Fernet.generate_key().decode(), [services.config.privacy.phone_key])
    records, unreadable = rotated.records()
    assert unreadable == 0 and records[0].data["form"][1][1] == "spooled under the old key"
