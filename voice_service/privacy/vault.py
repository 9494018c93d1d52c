"""Encrypt phone numbers (Fernet, with key rotation) and hash them for look-up (HMAC-SHA256)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


def fernet_for(key: str, *, name: str) -> Fernet:
    """A Fernet for one configured key, or ValueError naming the key (never repeating it)."""
    try:
        return Fernet(key.encode())
    except (ValueError, TypeError, AttributeError):
        raise ValueError(f"{name} is not a Fernet key (32 url-safe base64-encoded bytes)") from None


class PhoneVault:
    """Holds the privacy keys; the only place a phone number is encrypted or decrypted.

    `phone_key` encrypts everything new. `old_phone_keys` still decrypt what was stored
    before a key change, until `voice-service privacy rotate-key` has re-encrypted it all.
    """

    def __init__(self, phone_key: str, hash_key: str, old_phone_keys: Sequence[str] = ()):
        self._current = fernet_for(phone_key, name="privacy.phone_key")
        old = [fernet_for(key, name=f"privacy.old_phone_keys[{i}]") for i, key in enumerate(old_phone_keys)]
        self._fernet = MultiFernet([self._current, *old])
        self._hash_key = hash_key.encode()

    @classmethod
    def from_config(cls, config) -> PhoneVault:
        """Build from `[privacy]` configuration."""
        privacy = config.privacy
        return cls(privacy.phone_key, privacy.hash_key, getattr(privacy, "old_phone_keys", ()))

    def encrypt(self, value: str) -> str:
        """Encrypt a phone number (or any contact address) for storage, under the current key."""
        return self._current.encrypt(value.encode()).decode()

    def decrypt(self, token: str, *, ttl: int | None = None) -> str:
        """Decrypt a stored value (current or old key); raises ValueError if no configured key fits, or when
        `ttl` is given and the value was encrypted more than `ttl` seconds ago."""
        try:
            return self._fernet.decrypt(token.encode(), ttl=ttl).decode()
        except InvalidToken:
            raise ValueError("cannot decrypt: privacy.phone_key does not match the stored data") from None

    def is_current(self, token: str) -> bool:
        """True when a stored value is already encrypted under the current key (rotation skips it)."""
        try:
            self._current.decrypt(token.encode())
        except InvalidToken:
            return False
        return True

    def rotate(self, token: str) -> str:
        """Re-encrypt a stored value under the current key, keeping its original timestamp."""
        try:
            return self._fernet.rotate(token.encode()).decode()
        except InvalidToken:
            raise ValueError("cannot decrypt: no configured phone key matches this stored value") from None

    def hash(self, value: str) -> str:
        """A keyed hash for looking a number up without decrypting."""
        return hmac.new(self._hash_key, value.encode(), hashlib.sha256).hexdigest()
