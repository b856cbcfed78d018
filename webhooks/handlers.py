"""Event type -> handler, for every provider: the one table inbound_event_process looks in."""

from __future__ import annotations

from webhooks.services import Handler
from webhooks.whatsapp.handlers import HANDLERS as WHATSAPP_HANDLERS
from webhooks.zoho.handlers import HANDLERS as ZOHO_HANDLERS

HANDLERS: dict[str, Handler] = {**ZOHO_HANDLERS, **WHATSAPP_HANDLERS}
