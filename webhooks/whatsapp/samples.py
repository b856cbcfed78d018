"""A WhatsApp Cloud API delivery of one text message, as Meta posts it (INTEGRATIONS.md §5.1):
what `send_test_whatsapp` signs and posts, and what the tests post."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

BUSINESS_ACCOUNT_ID = "102290129340398"
METADATA = {"display_phone_number": "61280001234", "phone_number_id": "106540352242922"}


def cloud_text_delivery(
    phone_digits: str, text: str, *, name: str = "", wamid: str = "", at: float | None = None
) -> bytes:
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
        "metadata": METADATA,
        "contacts": [{"profile": {"name": name}, "wa_id": phone_digits}] if name else [],
        "messages": [message],
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": BUSINESS_ACCOUNT_ID, "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(body).encode()
