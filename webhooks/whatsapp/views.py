"""WhatsApp webhooks. Meta: GET verification, POST signed with X-Hub-Signature-256 over the raw body.
Gateway (WAHA): POST with a token. Both: verify first, store one event per message, 200 at once."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from webhooks.auth import signature_valid, token_valid
from webhooks.dispatch import dispatcher
from webhooks.models import Provider
from webhooks.services import inbound_event_store
from webhooks.whatsapp.payloads import Item, cloud_items, waha_items

logger = logging.getLogger(__name__)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def cloud_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _verify(request)
    return _receive(request, Provider.WHATSAPP, _meta_signed, cloud_items)


@csrf_exempt
@require_POST
def waha_webhook(request: HttpRequest) -> HttpResponse:
    return _receive(request, Provider.WAHA, _gateway_token, waha_items)


def _verify(request: HttpRequest) -> HttpResponse:
    """Meta's subscription check: echo hub.challenge when hub.verify_token is ours."""
    mode, token = request.GET.get("hub.mode"), request.GET.get("hub.verify_token", "")
    if mode == "subscribe" and token_valid(token, settings.WHATSAPP_VERIFY_TOKEN):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return JsonResponse({"error": "wrong verify token"}, status=403)


def _meta_signed(request: HttpRequest, body: bytes) -> bool:
    return signature_valid(body, request.headers.get("X-Hub-Signature-256", ""), settings.WHATSAPP_APP_SECRET)


def _gateway_token(request: HttpRequest, body: bytes) -> bool:
    presented = request.headers.get("X-Webhook-Token") or request.GET.get("token", "")
    return token_valid(presented, settings.WAHA_WEBHOOK_TOKEN)


def _receive(
    request: HttpRequest,
    provider: str,
    authorised: Callable[[HttpRequest, bytes], bool],
    split: Callable[[dict[str, Any], bytes], list[Item]],
) -> HttpResponse:
    if int(request.headers.get("Content-Length") or 0) > settings.WHATSAPP_MAX_BODY_BYTES:
        return JsonResponse({"error": "too large", "limit": settings.WHATSAPP_MAX_BODY_BYTES}, status=413)
    body = request.body
    if not authorised(request, body):
        logger.warning("%s webhook with a bad signature or token from %s", provider, request.META.get("REMOTE_ADDR"))
        return JsonResponse({"error": "unauthorized"}, status=401)
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "invalid", "field": "body", "detail": "the body is not valid JSON"}, status=400)
    if not isinstance(parsed, dict):
        return JsonResponse(
            {"error": "invalid", "field": "body", "detail": "the body must be a JSON object"}, status=400
        )
    stored = sum(_store(provider, item) for item in split(parsed, body))
    return JsonResponse({"status": "ok", "stored": stored})


def _store(provider: str, item: Item) -> bool:
    _, created = inbound_event_store(
        provider=provider,
        event_type=item.event_type,
        external_id=item.external_id[:200],
        payload=item.payload,
        enqueue=dispatcher.submit,
    )
    return created
