"""Signed WhatsApp Cloud API deliveries for tests, shaped like webhooks/whatsapp/tests/fixtures/."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "webhooks" / "whatsapp" / "tests" / "fixtures"
APP_SECRET = "tests-whatsapp-app-secret"
VERIFY_TOKEN = "tests-verify-token"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def text_message(phone_digits: str, text: str, *, name: str = "", wamid: str = "", at: float | None = None) -> bytes:
    """One inbound text message from `phone_digits` (international digits, no +) in Meta's envelope."""
    message = {
        "from": phone_digits,
        "id": wamid or f"wamid.{uuid.uuid4().hex}",
        "timestamp": str(int(at if at is not None else time.time())),
        "type": "text",
        "text": {"body": text},
    }
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "61280001234", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": name}, "wa_id": phone_digits}] if name else [],
        "messages": [message],
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(body).encode()


def post(client: Any, body: bytes, *, signature: str | None = None) -> Any:
    headers = {"X-Hub-Signature-256": sign(body) if signature is None else signature}
    return client.post("/webhook/whatsapp/", body, content_type="application/json", headers=headers)
