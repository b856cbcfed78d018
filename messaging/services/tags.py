"""Tagging a conversation from its history: journey, intent and language labels plus the custom
attributes Chatwoot shows (AI through integrations/openai, the rules when it is not there)."""

from __future__ import annotations

from django.db import transaction

from messaging.models import WhatsAppContact
from messaging.tagging.ai import tag_conversation_ai
from messaging.tagging.rules import MessageView, Tags

HISTORY = 50  # messages looked at; the journey needs the first one, so it is always included


def _views(contact: WhatsAppContact) -> list[MessageView]:
    recent = list(contact.messages.order_by("-sent_at")[:HISTORY])
    first = contact.messages.order_by("sent_at").first()
    if first is not None and first not in recent:
        recent.append(first)
    return [
        MessageView(text=m.text, timestamp=m.sent_at, direction=m.direction, type=m.message_type)
        for m in sorted(recent, key=lambda m: m.sent_at)
    ]


def conversation_tag(*, contact: WhatsAppContact) -> Tags:
    """Retag the conversation and keep the labels and attributes on the contact."""
    stage = contact.candidate.role_success_stage if contact.candidate_id and contact.candidate else None
    tags, source = tag_conversation_ai(_views(contact), candidate_stage=stage)
    attributes = {**tags.attributes, "whatsapp_phone": contact.phone}
    if contact.candidate_id:
        attributes["zoho_contact_id"] = contact.candidate.zoho_contact_id if contact.candidate else ""
    with transaction.atomic():
        WhatsAppContact.objects.filter(pk=contact.pk).update(
            labels=sorted(set(tags.labels)), attributes=attributes, language=tags.language, tag_source=source
        )
    contact.labels, contact.attributes, contact.language = sorted(set(tags.labels)), attributes, tags.language
    return tags
