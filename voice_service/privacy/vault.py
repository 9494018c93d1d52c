"""Encrypt phone numbers (Fernet) and hash them for look-up (HMAC-SHA256)."""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken


class PhoneVault:
    """Holds the two privacy keys; the only place a phone number is encrypted or decrypted."""

    def __init__(self, phone_key: str, hash_key: str):
        try:
            self._fernet = Fernet(phone_key.encode())
        except (ValueError, TypeError):
            raise ValueError("privacy.phone_key is not a Fernet key (32 url-safe base64-encoded bytes)") from None
        self._hash_key = hash_key.encode()

    @classmethod
    def from_config(cls, config) -> PhoneVault:
        """Build from `[privacy]` configuration."""
        return cls(config.privacy.phone_key, config.privacy.hash_key)

    def encrypt(self, value: str) -> str:
        """Encrypt a phone number (or any contact address) for storage."""
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, token: str) -> str:
        """Decrypt a stored value; raises ValueError if the key is wrong."""
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise ValueError("cannot decrypt: privacy.phone_key does not match the stored data") from None

    def hash(self, value: str) -> str:
        """A keyed hash for looking a number up without decrypting."""
        return hmac.new(self._hash_key, value.encode(), hashlib.sha256).hexdigest()
