"""Model fields shared by the apps."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

from crm_site import crypto

ENCRYPTED_PREFIX = "fernet:"


class EncryptedTextField(models.TextField):
    """Text encrypted at rest with crm_site.crypto; Python code sees plain text.

    Stored as "fernet:<token>"; the empty string stays empty so "is it set?"
    needs no decryption. Values cannot be filtered on (each encryption differs).
    """

    def from_db_value(self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper) -> str | None:
        if not value or not value.startswith(ENCRYPTED_PREFIX):
            return value
        return crypto.decrypt(value.removeprefix(ENCRYPTED_PREFIX))

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value or str(value).startswith(ENCRYPTED_PREFIX):
            return value
        return ENCRYPTED_PREFIX + crypto.encrypt(str(value))
