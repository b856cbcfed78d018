"""Events from the other apps' domain signals (and contacts' saves, which have no service of their
own), written in their transaction (hub.services.events)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from campaigns.models import Campaign
from campaigns.signals import campaign_completed
from crm.models import Contact, ContactType, Deal, EmailLog, Task
from crm.services.imports import ImportedBatch
from crm.signals import contacts_import_wanted, contacts_imported, deal_changed, email_event, task_changed
from documents.models import Document
from documents.signals import document_uploaded
from hub import serializers as data
from hub.services.events import IMPORT_TYPES, event_record, events_record_imported, types_wanted
from messaging.models import WhatsAppMessage
from messaging.signals import whatsapp_message
from recruiting.models import Candidate
from recruiting.signals import candidate_ready_to_pitch


@receiver(deal_changed, dispatch_uid="hub-deal-changed")
def deal_event(sender: Any, deal: Deal, change: str, **_: Any) -> None:
    event_record(type=f"opportunity.{change}", brand=deal.pipeline.brand, data=data.deal_data(deal))


@receiver(post_save, sender=Contact, dispatch_uid="hub-contact-saved")
def contact_saved(sender: Any, instance: Contact, created: bool, raw: bool = False, **_: Any) -> None:
    """Every contact: contact.created / contact.updated; a lead also lead.created / lead.updated."""
    if raw:  # loaddata
        return
    change = "created" if created else "updated"
    payload = data.contact_data(instance)
    event_record(type=f"contact.{change}", brand=instance.brand, data=payload)
    if instance.contact_type == ContactType.LEAD:
        event_record(type=f"lead.{change}", brand=instance.brand, data=payload)


@receiver(post_delete, sender=Contact, dispatch_uid="hub-contact-deleted")
def contact_deleted(sender: Any, instance: Contact, **_: Any) -> None:
    if instance.contact_type == ContactType.LEAD:
        event_record(type="lead.deleted", brand=instance.brand, data=data.contact_data(instance))


@receiver(task_changed, dispatch_uid="hub-task-changed")
def task_event(sender: Any, task: Task, change: str, **_: Any) -> None:
    event_record(type=f"task.{change}", brand=task.brand, data=data.task_data(task))


@receiver(campaign_completed, dispatch_uid="hub-campaign-completed")
def campaign_event(sender: Any, campaign: Campaign, **_: Any) -> None:
    event_record(type="campaign.completed", brand=campaign.brand, data=data.campaign_data(campaign))


@receiver(document_uploaded, dispatch_uid="hub-document-uploaded")
def document_event(sender: Any, document: Document, **_: Any) -> None:
    event_record(type="document.uploaded", brand=document.brand, data=data.document_data(document))


@receiver(email_event, dispatch_uid="hub-email-replied")
def reply_event(sender: Any, email: EmailLog, event: str, **_: Any) -> None:
    if event == "replied":
        event_record(type="email.replied", brand=email.brand, data=data.reply_data(email))


@receiver(candidate_ready_to_pitch, dispatch_uid="hub-candidate-ready")
def candidate_event(sender: Any, candidate: Candidate, matches: list[dict[str, Any]], **_: Any) -> None:
    event_record(type="candidate.ready_to_pitch", brand=None, data=data.candidate_data(candidate, matches))


@receiver(whatsapp_message, dispatch_uid="hub-whatsapp-message")
def whatsapp_event(sender: Any, message: WhatsAppMessage, **_: Any) -> None:
    event_record(type="whatsapp.message", brand=None, data=data.whatsapp_data(message))


@receiver(contacts_import_wanted, dispatch_uid="hub-contacts-import-wanted")
def import_wanted(sender: Any, brand_id: int, **_: Any) -> bool:
    """An import is told to us only if some webhook wants what it makes."""
    return bool(types_wanted(brand_id) & IMPORT_TYPES)


@receiver(contacts_imported, dispatch_uid="hub-contacts-imported")
def imported_events(sender: Any, batch: ImportedBatch, **_: Any) -> None:
    events_record_imported(batch)
