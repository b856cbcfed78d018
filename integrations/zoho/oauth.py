"""Zoho OAuth: trade a refresh token for an access token, cached until shortly before it expires.

Docs: https://www.zoho.com/accounts/protocol/oauth/web-apps/access-token-expiry.html
Errors come back with HTTP 200 and a body of {"error": "..."}; a refresh token
may mint only ~10 access tokens in 10 minutes, so the token is cached in
Django's cache (shared by every worker when the cache is Redis).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache

from integrations.http import OutgoingSession
from integrations.zoho.errors import ZohoError
from integrations.zoho.urls import accounts_base_url

EXPIRY_MARGIN_SECONDS = 300


@dataclass(frozen=True)
class ZohoCredentials:
    client_id: str
    client_secret: str
    refresh_token: str
    api_domain: str = "zoho.com"  # the data centre: zoho.com, zoho.eu, zoho.com.au, ...

    def __repr__(self) -> str:  # never print secrets
        return f"ZohoCredentials(client_id={self.client_id!r}, api_domain={self.api_domain!r})"

    @property
    def cache_key(self) -> str:
        digest = hashlib.sha256(f"{self.client_id}:{self.refresh_token}:{self.api_domain}".encode()).hexdigest()
        return f"zoho-token:{digest[:32]}"


def _expires_in(body: dict[str, Any]) -> float:
    # Older Zoho answers carry expires_in in milliseconds next to expires_in_sec.
    if "expires_in_sec" in body:
        return float(body["expires_in_sec"])
    return float(body.get("expires_in", 3600))


class ZohoOAuth:
    def __init__(self, credentials: ZohoCredentials, session: requests.Session | None = None) -> None:
        self.credentials = credentials
        self.session = session or OutgoingSession(role="zoho-oauth", timeout=settings.HTTP_TIMEOUT_SECONDS)
        self._token: tuple[str, float] | None = None  # this client's copy: (token, monotonic expiry)

    def access_token(self, *, force_refresh: bool = False) -> str:
        if not force_refresh:
            if self._token and self._token[1] > time.monotonic():
                return self._token[0]
            cached = cache.get(self.credentials.cache_key)
            if cached:
                self._remember(str(cached), 60)
                return str(cached)
        token, lifetime = self._refresh()
        keep = max(lifetime - EXPIRY_MARGIN_SECONDS, 30)
        cache.set(self.credentials.cache_key, token, timeout=keep)
        self._remember(token, keep)
        return token

    def _remember(self, token: str, seconds: float) -> None:
        self._token = (token, time.monotonic() + seconds)

    def _refresh(self) -> tuple[str, float]:
        url = f"{accounts_base_url(self.credentials.api_domain)}/oauth/v2/token"
        data = {
            "grant_type": "refresh_token",
            "client_id": self.credentials.client_id,
            "client_secret": self.credentials.client_secret,
            "refresh_token": self.credentials.refresh_token,
        }
        started = time.monotonic()
        try:
            response = self.session.post(url, data=data)
        except requests.RequestException as exc:
            raise ZohoError(f"Zoho accounts unreachable: {type(exc).__name__}", retryable=True) from exc
        return self._parse(response, time.monotonic() - started)

    def _parse(self, response: requests.Response, elapsed: float) -> tuple[str, float]:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.ok and isinstance(body, dict) and body.get("access_token"):
            return str(body["access_token"]), _expires_in(body) - elapsed
        error = str(body.get("error", "")) if isinstance(body, dict) else ""
        retryable = response.status_code >= 500 or response.status_code == 429 or error == "access_denied"
        hint = {
            "invalid_code": "the refresh token is expired or revoked: generate a new one",
            "invalid_client": "wrong client id/secret, or the wrong data centre",
            "access_denied": "too many token requests: Zoho blocks new tokens for a few minutes",
        }.get(error, "")
        message = f"Zoho token refresh failed ({response.status_code} {error or 'no access_token'})"
        raise ZohoError(
            message + (f": {hint}" if hint else ""), retryable=retryable, status=response.status_code, code=error
        )
