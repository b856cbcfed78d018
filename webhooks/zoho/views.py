"""Zoho CRM's contact webhook: token or signature, store, enqueue, 200. The staff endpoints of the
Ready-to-Pitch system are in recruiting/api/views.py."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from webhooks.auth import shared_secret_valid
from webhooks.dispatch import dispatcher
from webhooks.models import Provider
from webhooks.services import inbound_event_store
from webhooks.zoho.handlers import CONTACT_UPDATED
from webhooks.zoho.payloads import PayloadError, request_fields


@csrf_exempt
@require_POST
def contact_webhook(request: HttpRequest) -> JsonResponse:
    if not shared_secret_valid(request, settings.WEBHOOK_SECRET):
        return JsonResponse({"error": "unauthorized", "detail": "a valid X-Webhook-Token is required"}, status=401)
    try:
        fields = request_fields(request)
    except PayloadError as exc:
        return JsonResponse({"error": "invalid", "field": exc.field, "detail": str(exc)}, status=400)
    return JsonResponse(accept_contact_fields(fields))


def accept_contact_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Every delivery is an event of its own. Zoho sends no delivery id, and the same body again
    is often a new CV uploaded under the same fields; the flow is idempotent per attachment, so a
    true redelivery costs one look at the attachments and changes nothing."""
    event_id, _ = inbound_event_store(
        provider=Provider.ZOHO_CRM,
        event_type=CONTACT_UPDATED,
        external_id=f"{fields['contact_id']}:{uuid.uuid4().hex}",
        payload=fields,
        enqueue=dispatcher.submit,
    )
    return {"status": "accepted", "event_id": event_id}
