"""Privacy: phone numbers normalised, encrypted at rest and looked up by keyed hash."""

from .phones import InvalidPhone, normalise_mobile, normalise_phone
from .vault import PhoneVault

__all__ = ["InvalidPhone", "PhoneVault", "normalise_mobile", "normalise_phone"]
