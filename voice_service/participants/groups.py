"""Who a young person is, in the service's own terms: the one home for participant statuses and age bands.

Pure constants, imported by the models, onboarding, rounds and the web chat alike.
"""

from __future__ import annotations


class ParticipantStatus:
    """Named status values, as the import CSV spells them."""

    IN_CARE = "in_care"
    CARE_LEAVER = "care_leaver"
    UNKNOWN = "unknown"
    ALL = (IN_CARE, CARE_LEAVER, UNKNOWN)
    KNOWN = (IN_CARE, CARE_LEAVER)


# The bands young people pick from in onboarding, youngest first, with the ages each covers.
AGE_BAND_RANGES: dict[str, tuple[int, int]] = {
    "11-15": (11, 15),
    "16-17": (16, 17),
    "18-21": (18, 21),
    "22-25": (22, 25),
}
AGE_BANDS: tuple[str, ...] = tuple(AGE_BAND_RANGES)
