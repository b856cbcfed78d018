"""Encryption of secrets kept in the database (brand credentials).

MultiFernet over settings.FIELD_ENCRYPTION_KEYS: the first key encrypts,
every key decrypts, so a key is rotated by putting the new one first and
running `manage.py rotate_field_encryption`. Keys live in the environment,
never in the database.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionError(Exception):
    """A stored value cannot be read with any of the configured keys."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must hold Fernet keys (32 url-safe base64-encoded bytes)."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError("stored secret does not decrypt with FIELD_ENCRYPTION_KEY") from None


def rotate(token: str) -> str:
    """Re-encrypt `token` with the first key."""
    return fernet().rotate(token.encode()).decode()
