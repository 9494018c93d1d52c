"""Phone number normalisation to E.164 (UK numbers by default)."""

from __future__ import annotations

import phonenumbers


class InvalidPhone(ValueError):
    """A phone number that cannot be a real mobile or landline number. The message never repeats the number."""


def normalise_phone(raw: str, *, region: str = "GB") -> str:
    """Return the E.164 form of a phone number ("07700 900123" -> "+447700900123")."""
    if raw is None or not str(raw).strip():
        raise InvalidPhone("phone number is empty")
    try:
        parsed = phonenumbers.parse(str(raw).strip(), region)
    except phonenumbers.NumberParseException:
        raise InvalidPhone("phone number could not be read") from None
    if not (phonenumbers.is_valid_number(parsed) or _is_drama_number(parsed)):
        raise InvalidPhone("phone number is not a valid number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _is_drama_number(parsed: phonenumbers.PhoneNumber) -> bool:
    """Ofcom's 07700 900000-900999 range is kept for fiction; the demo and tests use it so no real phone is ever texted."""  # noqa: E501
    return parsed.country_code == 44 and 7700900000 <= (parsed.national_number or 0) <= 7700900999


def mask(e164: str) -> str:
    """A safe-to-show form for workers' screens: last three digits only."""
    return "•" * 4 + e164[-3:]
