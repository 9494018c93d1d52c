"""Email addresses: the one spelling stored and the check that one could be delivered to.

Apart from the models, so reading the configuration (which checks its email routes) imports no database code:
`voice-service text-in` and the other commands that only read the configuration start quickly."""

from __future__ import annotations


def normalise_email(email: str) -> str:
    """The one spelling of an email address we store and look up: trimmed and lower-case."""
    return (email or "").strip().lower()


def valid_email(email: str) -> bool:
    """An address that could be delivered to: something@domain.tld, no spaces, at most 254 characters."""
    local, _, domain = email.partition("@")
    return bool(local) and "." in domain and " " not in email and len(email) <= 254
