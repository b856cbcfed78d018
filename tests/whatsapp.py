"""Signed WhatsApp Cloud API deliveries for tests, shaped like webhooks/whatsapp/tests/fixtures/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from webhooks.auth import signature
from webhooks.whatsapp.samples import cloud_text_delivery

FIXTURES = Path(__file__).resolve().parents[1] / "webhooks" / "whatsapp" / "tests" / "fixtures"
APP_SECRET = "tests-whatsapp-app-secret"
VERIFY_TOKEN = "tests-verify-token"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return signature(body, secret)


text_message = cloud_text_delivery  # one inbound text message in Meta's envelope


def post(client: Any, body: bytes, *, signature: str | None = None) -> Any:
    headers = {"X-Hub-Signature-256": sign(body) if signature is None else signature}
    return client.post("/webhook/whatsapp/", body, content_type="application/json", headers=headers)
