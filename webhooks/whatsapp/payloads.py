"""What a WhatsApp delivery holds, split into one stored event per message and per status.

Meta's Cloud API nests everything under entry[].changes[].value (INTEGRATIONS.md §5.1);
360dialog's older numbers post the value's keys at the top level (§5.2); a WAHA-style gateway
posts {"event", "payload"} with whatsapp-web ids (§5.3) and is turned into the Cloud API's
message shape here, so one handler serves all three.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

MESSAGE = "message"
STATUS = "status"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Item:
    event_type: str
    external_id: str
    payload: dict[str, Any]


def _values(body: dict[str, Any]) -> list[dict[str, Any]]:
    if body.get("object") == "whatsapp_business_account" or "entry" in body:
        return [
            change.get("value") or {}
            for entry in body.get("entry") or []
            for change in entry.get("changes") or []
            if isinstance(change, dict)
        ]
    return [body]  # 360dialog's flat shape


def content_id(message: dict[str, Any]) -> str:
    """An id for a message that came without one (the Chatwoot integration summary's sample does):
    derived from its content, so the same delivery posted again is still absorbed as a redelivery."""
    canonical = json.dumps(message, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "content:" + hashlib.sha256(canonical.encode()).hexdigest()[:40]


def cloud_items(body: dict[str, Any], raw: bytes) -> list[Item]:
    """One item per message and per status; a delivery with neither is one UNKNOWN item."""
    items: list[Item] = []
    for value in _values(body):
        names = {c.get("wa_id"): (c.get("profile") or {}).get("name", "") for c in value.get("contacts") or []}
        metadata = value.get("metadata") or {}
        for message in value.get("messages") or []:
            if isinstance(message, dict) and message.get("from"):
                message = message if message.get("id") else {**message, "id": content_id(message)}
                profile = names.get(message.get("from"), "")
                payload = {"message": message, "profile_name": profile, "metadata": metadata}
                items.append(Item(MESSAGE, str(message["id"]), payload))
        for status in value.get("statuses") or []:
            if isinstance(status, dict) and status.get("id"):
                items.append(Item(STATUS, f"{status['id']}:{status.get('status', '')}", {"status": status}))
    if not items:
        items.append(Item(UNKNOWN, "sha256:" + hashlib.sha256(raw).hexdigest(), {"body": body}))
    return items


def waha_items(body: dict[str, Any], raw: bytes) -> list[Item]:
    """A gateway's {"event": "message", "payload": {...}} as a Cloud API message."""
    payload = body.get("payload") or {}
    if body.get("event") not in ("message", "message.any") or not payload.get("id") or payload.get("fromMe"):
        return [Item(UNKNOWN, "sha256:" + hashlib.sha256(raw).hexdigest(), {"body": body})]
    data = payload.get("_data") or {}
    message: dict[str, Any] = {
        "from": str(payload.get("from", "")),
        "id": str(payload["id"]),
        "timestamp": str(payload.get("timestamp", "")),
        "type": "text" if not payload.get("hasMedia") else str(payload.get("type") or "document"),
        "text": {"body": str(payload.get("body") or "")},
    }
    profile = str(data.get("notifyName") or data.get("pushName") or "")
    return [Item(MESSAGE, str(payload["id"]), {"message": message, "profile_name": profile, "metadata": {}})]
