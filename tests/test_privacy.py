"""Phone numbers: normalised, encrypted at rest, looked up by keyed hash."""

import pytest
from cryptography.fernet import Fernet

from voice_service.privacy import InvalidPhone, PhoneVault, normalise_mobile, normalise_phone


@pytest.mark.parametrize("raw", ["07700 900123", "+44 7700 900123", "447700900123", "(07700) 900-123", "+447700900123"])
def test_uk_numbers_normalise_to_e164(raw):
    assert normalise_phone(raw) == "+447700900123"


@pytest.mark.parametrize("raw", ["", "hello", "123", "0770090012345678"])
def test_bad_numbers_are_rejected_without_echoing_them(raw):
    with pytest.raises(InvalidPhone) as error:
        normalise_phone(raw)
    if raw:
        assert raw not in str(error.value)


@pytest.mark.parametrize(
    "raw, e164",
    [
        ("07700 900123", "+447700900123"),  # Ofcom's drama range for mobiles
        ("07911 123456", "+447911123456"),
        ("+33 6 12 34 56 78", "+33612345678"),  # a French mobile, with its country code
        ("+1 202 555 0143", "+12025550143"),  # the US plan does not tell mobiles from landlines
    ],
)
def test_mobile_numbers_can_be_texted(raw, e164):
    assert normalise_mobile(raw) == e164


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("020 7946 0123", "phone number is a landline: texts cannot reach it (a mobile number is needed)"),
        ("0113 496 0123", "phone number is a landline: texts cannot reach it (a mobile number is needed)"),
        ("0808 157 0123", "phone number is not a mobile number: texts cannot reach it (a mobile number is needed)"),
        ("0300 123 4567", "phone number is not a mobile number: texts cannot reach it (a mobile number is needed)"),
    ],
)
def test_numbers_a_text_cannot_reach_are_refused_without_echoing_them(raw, reason):
    # Tester T3: a landline was imported, and its invitation failed at Twilio later.
    assert normalise_phone(raw)  # a real number all the same
    with pytest.raises(InvalidPhone) as error:
        normalise_mobile(raw)
    assert str(error.value) == reason


def test_vault_round_trip_and_hash_is_keyed():
    key = Fernet.generate_key().decode()
    vault = PhoneVault(key, "hash-one")
    token = vault.encrypt("+447700900123")
    assert "+447700900123" not in token and "7700900123" not in token
    assert vault.decrypt(token) == "+447700900123"
    assert vault.hash("+447700900123") == PhoneVault(key, "hash-one").hash("+447700900123")
    assert vault.hash("+447700900123") != PhoneVault(key, "hash-two").hash("+447700900123")
    with pytest.raises(ValueError, match="phone_key"):
        PhoneVault(Fernet.generate_key().decode(), "x").decrypt(token)


def test_a_bad_key_is_named():
    with pytest.raises(ValueError, match="privacy.phone_key"):
        PhoneVault("not-a-key", "x")
