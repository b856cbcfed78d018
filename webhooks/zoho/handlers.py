"""What a stored Zoho CRM event does: hand the contact to recruiting."""

from __future__ import annotations

from recruiting.services.pitch import candidate_webhook_handle
from webhooks.models import InboundEvent
from webhooks.services import Handler

CONTACT_UPDATED = "contact.updated"


def contact_updated(event: InboundEvent) -> None:
    """Upsert the candidate; at Ready to Pitch, run the CV flow (a retryable Zoho error retries the event)."""
    candidate_webhook_handle(fields=dict(event.payload))


HANDLERS: dict[str, Handler] = {CONTACT_UPDATED: contact_updated}
