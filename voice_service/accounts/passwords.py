"""Password hashing with argon2id (argon2-cffi's RFC 9106 defaults); nothing else ever stores a password."""

from __future__ import annotations

import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # argon2 takes any length; a cap stops a megabyte "password" costing CPU

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2id hash to store for a password."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True when the password matches the stored hash (never raises for a wrong or odd password)."""
    if not isinstance(password, str) or len(password) > MAX_LENGTH:
        password = ""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker settings than today's, so it should be replaced."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash of a random password, checked for unknown emails so they take as long as known ones."""
    return _hasher.hash(secrets.token_urlsafe(16))


def password_problem(password: str) -> str | None:
    """Why a new password is not good enough, in plain words, or None when it is."""
    if len(password) < MIN_LENGTH:
        return f"Passwords must be at least {MIN_LENGTH} characters long."
    if len(password) > MAX_LENGTH:
        return f"Passwords must be at most {MAX_LENGTH} characters long."
    if len(set(password)) < 4:
        return "That password is too easy to guess."
    return None


def generate_password() -> str:
    """A random password for a new account (about 120 bits), shown once to whoever makes the account."""
    return secrets.token_urlsafe(15)
