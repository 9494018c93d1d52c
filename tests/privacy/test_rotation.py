"""Key rotation: numbers re-encrypted under a new phone_key in committed batches; interrupted, it carries on."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlmodel import Session, select

from tests.factories import add_participants, launch, phone_number
from voice_service.models import OutboxMessage, Participant
from voice_service.privacy import PhoneVault
from voice_service.privacy.rotation import rotate_keys


class Interrupted(Exception):
    """Stands in for Ctrl+C or a killed process between two batches."""


def _stored(services) -> list[str]:
    with Session(services.engine) as session:
        numbers = [p.phone_encrypted for p in session.exec(select(Participant)).all()]
        return numbers + [o.to_encrypted for o in session.exec(select(OutboxMessage)).all()]


def _readable(vault: PhoneVault, tokens: list[str]) -> int:
    count = 0
    for token in tokens:
        try:
            vault.decrypt(token)
            count += 1
        except ValueError:
            pass
    return count


def test_an_interrupted_rotation_carries_on_where_it_stopped(services):
    add_participants(services, [{"phone": phone_number(60 + i)} for i in range(5)])
    launch(services)  # 5 invitations: 10 stored numbers in all
    old_key, new_key = services.config.privacy.phone_key, Fernet.generate_key().decode()
    hash_key = services.config.privacy.hash_key
    rotating = PhoneVault(new_key, hash_key, [old_key])
    new_only, old_only = PhoneVault(new_key, hash_key), PhoneVault(old_key, hash_key)
    before = _stored(services)
    assert len(before) == 10 and _readable(new_only, before) == 0

    def stop_after_three(report):
        if report.batches == 3:
            raise Interrupted

    with pytest.raises(Interrupted):
        rotate_keys(engine=services.engine, vault=rotating, batch_size=2, after_batch=stop_after_three)
    halfway = _stored(services)
    # Three committed batches (2 + 2 + 1 participants); the service still reads every number with both keys configured.
    assert _readable(new_only, halfway) == 5 and _readable(old_only, halfway) == 5
    assert _readable(rotating, halfway) == 10
    assert sorted(rotating.decrypt(t) for t in halfway) == sorted(old_only.decrypt(t) for t in before)

    report = rotate_keys(engine=services.engine, vault=rotating, batch_size=2)
    assert (report.rotated, report.already_current, report.unreadable) == (5, 5, 0) and report.finished
    after = _stored(services)
    assert _readable(new_only, after) == 10
    assert sorted(new_only.decrypt(t) for t in after) == sorted(old_only.decrypt(t) for t in before)
    # Look-ups are by the keyed hash, which rotation never changes.
    with Session(services.engine) as session:
        hashes = {p.phone_hash for p in session.exec(select(Participant)).all()}
    assert hashes == {new_only.hash(phone_number(60 + i)) for i in range(5)}


def test_a_number_under_a_key_nobody_configured_is_reported_not_lost(services):
    add_participants(services, [{"phone": phone_number(70)}])
    stranger = PhoneVault(Fernet.generate_key().decode(), "h" * 32)
    report = rotate_keys(engine=services.engine, vault=stranger)
    assert report.unreadable == 1 and not report.finished
    assert _readable(PhoneVault.from_config(services.config), _stored(services)) == 1
