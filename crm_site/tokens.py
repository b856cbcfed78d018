"""API tokens for scripts (django-rest-knox: only a hash is stored)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from knox.models import AuthToken
from knox.settings import knox_settings


def api_token_create(*, user: AbstractBaseUser, days: int | None = None) -> tuple[AuthToken, str]:
    """Create a token for `user`; return the row and the token, which is never stored.

    `days` overrides the default lifetime (API_TOKEN_TTL_DAYS); 0 means no expiry.
    """
    expiry = knox_settings.TOKEN_TTL if days is None else (timedelta(days=days) if days else None)
    row, token = AuthToken.objects.create(user=user, expiry=expiry)
    return row, token
