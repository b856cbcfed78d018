"""Who may post to a webhook: a shared token, or an HMAC-SHA256 signature of the raw body.

Comparisons are constant-time; an empty secret lets nobody in.
"""

from __future__ import annotations

import hashlib
import hmac

from django.http import HttpRequest


def signature(body: bytes, secret: str, *, prefix: str = "sha256=") -> str:
    """The header value signing `body`: "sha256=<hex HMAC-SHA256 of body keyed by secret>"
    (GitHub's and Meta's form)."""
    return prefix + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(body: bytes, header: str, secret: str, *, prefix: str = "sha256=") -> bool:
    if not secret or not header.startswith(prefix):
        return False
    expected = signature(body, secret, prefix=prefix)
    return hmac.compare_digest(expected, prefix + header.removeprefix(prefix).strip().lower())


def token_valid(presented: str, secret: str) -> bool:
    return bool(secret) and bool(presented) and hmac.compare_digest(presented.encode(), secret.encode())


def shared_secret_valid(request: HttpRequest, secret: str) -> bool:
    """Zoho CRM cannot sign, so its workflow carries the secret as a header or a query parameter;
    callers that can sign send X-Webhook-Signature instead."""
    signature = request.headers.get("X-Webhook-Signature", "")
    if signature:
        return signature_valid(request.body, signature, secret)
    presented = request.headers.get("X-Webhook-Token") or request.GET.get("token", "")
    return token_valid(presented, secret)
