"""Who a young person is, in the service's own terms: the one home for participant statuses and age bands.

Pure constants, imported by the models, onboarding, rounds and the web chat alike.
"""

from __future__ import annotations

from datetime import date


def area_key(area: str) -> str:
    """An area as areas are compared: case and spaces do not matter ("North ", "north", "NORTH" and "North  East"
    with two spaces for "North East" are one)."""
    return area_as_typed(area).lower()


def area_as_typed(area: str) -> str:
    """An area as it is kept: as written, with its spaces made single ("North  East " is kept "North East")."""
    return " ".join(area.split())


class ParticipantStatus:
    """Named status values, as the import CSV spells them."""

    IN_CARE = "in_care"
    CARE_LEAVER = "care_leaver"
    UNKNOWN = "unknown"
    ALL = (IN_CARE, CARE_LEAVER, UNKNOWN)
    KNOWN = (IN_CARE, CARE_LEAVER)


# A young person's status in a duty worker's words (the alert page, `alerts show`): labelled when not known, never a
# bare "unknown" (trial 11, T11-8).
STATUS_WORDS = {
    ParticipantStatus.IN_CARE: "in care",
    ParticipantStatus.CARE_LEAVER: "care leaver",
    ParticipantStatus.UNKNOWN: "in care or care leaver: not known",
}


def status_words(status: str | None) -> str:
    """ "in care", "care leaver", or "in care or care leaver: not known" (`STATUS_WORDS`)."""
    return STATUS_WORDS.get(status or "", STATUS_WORDS[ParticipantStatus.UNKNOWN])


# The bands young people pick from in onboarding, youngest first, with the ages each covers.
AGE_BAND_RANGES: dict[str, tuple[int, int]] = {
    "11-15": (11, 15),
    "16-17": (16, 17),
    "18-21": (18, 21),
    "22-25": (22, 25),
}
AGE_BANDS: tuple[str, ...] = tuple(AGE_BAND_RANGES)

# A summary's words for an age outside every band (a date of birth making someone 10 or 26) and for no age at all.
OTHER_AGES = "other"
AGE_NOT_KNOWN = "not known"

# From this age a young person is pointed to Samaritans (any age) rather than Childline (under 19s).
ADULT_AGE = 18


def age_on(date_of_birth: date | None, day: date) -> int | None:
    """Age in whole years on a day, from date of birth (None when unknown)."""
    if date_of_birth is None:
        return None
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def band_on(date_of_birth: date | None, age_band: str | None, day: date) -> str | None:
    """The age band a young person is counted in on a day: the one they told us, else the one their date of
    birth puts them in that day (`OTHER_AGES` outside every band); None when neither is known."""
    if age_band is not None:
        return age_band
    age = age_on(date_of_birth, day)
    if age is None:
        return None
    return next((band for band, (low, high) in AGE_BAND_RANGES.items() if low <= age <= high), OTHER_AGES)


def is_adult(date_of_birth: date | None, age_band: str | None, day: date) -> bool:
    """18 or over on `day`: by date of birth, else by the age band they chose; not when neither is known."""
    age = age_on(date_of_birth, day)
    if age is not None:
        return age >= ADULT_AGE
    return age_band in AGE_BAND_RANGES and AGE_BAND_RANGES[age_band][0] >= ADULT_AGE


def adult_if_known(date_of_birth: date | None, age_band: str | None, day: date) -> bool | None:
    """`is_adult`, or None when neither their date of birth nor an age band is known (they may be any age)."""
    if date_of_birth is None and age_band not in AGE_BAND_RANGES:
        return None
    return is_adult(date_of_birth, age_band, day)
