"""What a stored WhatsApp event does: a message is kept, tagged and queued for Chatwoot; a status
updates its message; anything else was stored for the record and needs nothing more."""

from __future__ import annotations

from messaging.services.messages import whatsapp_message_receive, whatsapp_status_apply
from webhooks.models import InboundEvent
from webhooks.services import EventIgnored, Handler
from webhooks.whatsapp.payloads import MESSAGE, STATUS, UNKNOWN


def message(event: InboundEvent) -> None:
    payload = event.payload
    whatsapp_message_receive(message=payload["message"], profile_name=str(payload.get("profile_name") or ""))


def status(event: InboundEvent) -> None:
    whatsapp_status_apply(status=event.payload["status"])


def unknown(event: InboundEvent) -> None:
    raise EventIgnored("neither a message nor a status: stored for the record")


HANDLERS: dict[str, Handler] = {MESSAGE: message, STATUS: status, UNKNOWN: unknown}
