"""API tokens for scripts (django-rest-knox: only a hash is stored), sent as
`Authorization: Token <token>` or, as OAuth-minded scripts do, `Authorization: Bearer <token>`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from knox.settings import knox_settings


def api_token_create(*, user: AbstractBaseUser, days: int | None = None) -> tuple[AuthToken, str]:
    """Create a token for `user`; return the row and the token, which is never stored.

    `days` overrides the default lifetime (API_TOKEN_TTL_DAYS); 0 means no expiry.
    """
    expiry = knox_settings.TOKEN_TTL if days is None else (timedelta(days=days) if days else None)
    row, token = AuthToken.objects.create(user=user, expiry=expiry)
    return row, token


class BearerTokenAuthentication(TokenAuthentication):
    """The same tokens under the `Bearer` scheme (the extra features document's scripts send it).
    Listed after knox's own class, which answers `Token` and passes any other scheme on."""

    def authenticate_header(self, request: object) -> str:
        return "Bearer"


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The `Bearer` scheme in the OpenAPI schema (registered by being defined)."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        scheme: dict[str, Any] = build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Bearer",  # noqa: S106 - the scheme's name, not a secret
        )
        return scheme
