"""Event data: the object as the REST API serialises it (each app's API serializer, read-only);
objects with no REST resource of their own (an email reply, a WhatsApp message, a candidate ready
to pitch) as their staff endpoints and admin pages show them."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from rest_framework.renderers import JSONRenderer

from campaigns.api.serializers import CampaignSerializer
from campaigns.models import Campaign
from crm.api.serializers import ContactSerializer, DealSerializer, TaskSerializer
from crm.models import Contact, Deal, EmailLog, Task
from documents.api.serializers import DocumentSerializer
from documents.models import Document
from messaging.models import WhatsAppMessage
from recruiting.models import Candidate

_NOBODY = {"request": SimpleNamespace(user=AnonymousUser())}  # the serializers limit choices by user; none are made


def as_json(data: Any) -> dict[str, Any]:
    """What the API would send: ids and dates as strings, money as "900.00"."""
    return dict(json.loads(JSONRenderer().render(data)))


def deal_data(deal: Deal) -> dict[str, Any]:
    deal = Deal.objects.select_related("contact", "current_stage", "pipeline").get(pk=deal.pk)
    return as_json(DealSerializer(deal, context=_NOBODY).data)


def deals_data(deals: QuerySet[Deal]) -> list[dict[str, Any]]:
    """Many deals as the API serialises them, read in one query."""
    deals = deals.select_related("contact", "current_stage", "pipeline")
    return [as_json(row) for row in DealSerializer(deals, many=True, context=_NOBODY).data]


def contact_data(contact: Contact) -> dict[str, Any]:
    return as_json(ContactSerializer(contact, context=_NOBODY).data)


def task_data(task: Task) -> dict[str, Any]:
    return as_json(TaskSerializer(task, context=_NOBODY).data)


def campaign_data(campaign: Campaign) -> dict[str, Any]:
    return as_json(CampaignSerializer(campaign, context=_NOBODY).data)


def document_data(document: Document) -> dict[str, Any]:
    return as_json(DocumentSerializer(document, context=_NOBODY).data)


def reply_data(email: EmailLog) -> dict[str, Any]:
    email = EmailLog.objects.select_related("contact").get(pk=email.pk)
    return as_json(
        {
            "email": {
                "id": email.pk, "kind": email.kind, "to_email": email.to_email, "subject": email.subject,
                "sent_at": email.sent_at, "replied_at": email.replied_at, "reply": email.reply_content,
            },
            "contact": ContactSerializer(email.contact, context=_NOBODY).data,
            "deal": deal_data(email.deal) if email.deal_id else None,  # type: ignore[arg-type]
        }
    )  # fmt: skip


def whatsapp_data(message: WhatsAppMessage) -> dict[str, Any]:
    return as_json(
        {
            "id": message.pk, "wa_message_id": message.wa_message_id, "from": message.sender_phone,
            "profile_name": message.profile_name, "type": message.message_type, "text": message.text,
            "sent_at": message.sent_at, "intents": message.intents,
            "candidate": message.contact.candidate_id,
        }
    )  # fmt: skip


def candidate_data(candidate: Candidate, matches: list[dict[str, Any]]) -> dict[str, Any]:
    return as_json(
        {
            "candidate": {
                "id": candidate.pk, "zoho_contact_id": candidate.zoho_contact_id,
                "first_name": candidate.first_name, "last_name": candidate.last_name, "email": candidate.email,
                "phone": candidate.phone, "location": candidate.location, "country": candidate.country,
                "work_policy": candidate.work_policy, "processing_status": candidate.processing_status,
                "processed_at": candidate.processed_at,
            },
            "matches": matches,
        }
    )  # fmt: skip
