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


# Number types that can receive a text. FIXED_LINE_OR_MOBILE is how the numbering plans of some countries
# (the US and Canada) write every number: it may be a mobile, so it is kept.
TEXTABLE = frozenset({phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE})


def normalise_mobile(raw: str, *, region: str = "GB") -> str:
    """The E.164 form of a number that can receive texts; InvalidPhone for a landline or another number that
    cannot (freephone, shared cost, personal numbers). A mobile written with its country code is kept."""
    e164 = normalise_phone(raw, region=region)
    parsed = phonenumbers.parse(e164)
    if _is_drama_number(parsed):
        return e164
    kind = phonenumbers.number_type(parsed)
    if kind == phonenumbers.PhoneNumberType.FIXED_LINE:
        raise InvalidPhone("phone number is a landline: texts cannot reach it (a mobile number is needed)")
    if kind not in TEXTABLE:
        raise InvalidPhone("phone number is not a mobile number: texts cannot reach it (a mobile number is needed)")
    return e164


def _is_drama_number(parsed: phonenumbers.PhoneNumber) -> bool:
    """Ofcom's 07700 900000-900999 range is kept for fiction; the demo and tests use it so no real phone is ever texted."""  # noqa: E501
    return parsed.country_code == 44 and 7700900000 <= (parsed.national_number or 0) <= 7700900999


def mask(e164: str) -> str:
    """A safe-to-show form for workers' screens: last three digits only."""
    return "•" * 4 + e164[-3:]
