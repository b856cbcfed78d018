"""Receiving WhatsApp messages and delivery statuses: stored once, linked to a candidate, tagged,
and queued for Chatwoot (after commit; the sync_chatwoot beat job catches what a lost task missed)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from integrations.chatwoot import chatwoot_configured
from messaging.models import DeliveryStatus, Direction, SyncState, WhatsAppContact, WhatsAppMessage
from messaging.phones import whatsapp_phone_e164
from messaging.services.tags import conversation_tag
from messaging.signals import whatsapp_message
from recruiting.selectors import candidate_by_phone

logger = logging.getLogger(__name__)

STATUS_ORDER: dict[str, int] = {DeliveryStatus.SENT: 1, DeliveryStatus.DELIVERED: 2, DeliveryStatus.READ: 3}
CAPTIONED = ("image", "video", "document")


def _when(timestamp: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(timestamp), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return timezone.now()


def message_text(message: dict[str, Any]) -> str:
    """The words of a Cloud API message of any type (a media message's caption, a button's text...)."""
    kind = str(message.get("type", "text"))
    found = message.get(kind)
    part: dict[str, Any] = found if isinstance(found, dict) else {}
    if kind == "text":
        return str(part.get("body", ""))
    if kind in CAPTIONED:
        return str(part.get("caption") or part.get("filename") or "")
    if kind == "location":
        return ", ".join(str(part[key]) for key in ("name", "address") if part.get(key))
    if kind == "button":
        return str(part.get("text", ""))
    if kind == "interactive":
        reply = part.get("button_reply") or part.get("list_reply") or {}
        return str(reply.get("title", ""))
    if kind == "reaction":
        return str(part.get("emoji", ""))
    return ""


def whatsapp_message_receive(*, message: dict[str, Any], profile_name: str = "") -> WhatsAppMessage | None:
    """Store an inbound message once; None when its sender is not a phone number (a group, a linked id)."""
    phone = whatsapp_phone_e164(str(message.get("from", "")))
    if not phone:
        return None
    with transaction.atomic():
        contact = _contact(phone, profile_name)
        stored, created = WhatsAppMessage.objects.get_or_create(
            wa_message_id=str(message["id"])[:200],
            defaults={
                "contact": contact,
                "sender_phone": phone,
                "profile_name": profile_name[:255],
                "sent_at": _when(message.get("timestamp")),
                "message_type": str(message.get("type", "text"))[:20],
                "text": message_text(message),
                "direction": Direction.IN,
                "raw": message,
                "sync_state": SyncState.PENDING if chatwoot_configured() else SyncState.WAITING,
            },
        )
        if created:
            tags = conversation_tag(contact=contact)
            WhatsAppMessage.objects.filter(pk=stored.pk).update(intents=list(tags.intents))
            stored.intents = list(tags.intents)
            whatsapp_message.send(sender=WhatsAppMessage, message=stored)
            transaction.on_commit(lambda: _enqueue_sync(stored.pk))
    return stored


def _contact(phone: str, profile_name: str) -> WhatsAppContact:
    contact, _ = WhatsAppContact.objects.get_or_create(phone=phone, defaults={"profile_name": profile_name[:255]})
    changed = []
    if profile_name and contact.profile_name != profile_name:
        contact.profile_name = profile_name[:255]
        changed.append("profile_name")
    if contact.candidate_id is None and (candidate := candidate_by_phone(phone)) is not None:
        contact.candidate = candidate
        changed.append("candidate")
    if changed:
        contact.save(update_fields=[*changed, "updated_at"])
    return contact


def _enqueue_sync(message_id: int) -> None:
    from messaging.tasks import chatwoot_sync_message_task

    if not chatwoot_configured():
        return
    try:
        chatwoot_sync_message_task.delay(message_id)
    except Exception:  # the broker is away: sync_chatwoot on beat will take it
        logger.warning("WhatsApp message %s stored but its sync not enqueued; sync_chatwoot will", message_id)


def whatsapp_status_apply(*, status: dict[str, Any]) -> bool:
    """Record a delivery status on our message; statuses only move forward (failed always counts)."""
    name = str(status.get("status", ""))
    message = WhatsAppMessage.objects.filter(wa_message_id=str(status.get("id", ""))).first()
    if message is None or name not in DeliveryStatus.values:
        return False
    message.statuses[name] = _when(status.get("timestamp")).isoformat()
    if name == DeliveryStatus.FAILED or STATUS_ORDER.get(name, 0) > STATUS_ORDER.get(message.status, 0):
        message.status = name
    message.save(update_fields=["statuses", "status"])
    return True
