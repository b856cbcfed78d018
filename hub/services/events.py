"""The outbox: an event is a row written in the transaction of the change; after commit a task
fans it out to the webhooks that want it (and a sweep does what a lost task left)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from crm.models import Brand, Contact, ContactType, Deal
from crm.services.imports import ImportedBatch
from hub.models import Event, MessageState, Webhook, WebhookDelivery, WebhookMessage

logger = logging.getLogger(__name__)
IMPORT_TYPES = {"contact.created", "lead.created", "opportunity.created"}


def event_record(*, type: str, brand: Brand | None, data: dict[str, Any]) -> Event:  # noqa: A002 - the spec's word
    """Write the event now, in the caller's transaction; nothing leaves before it commits."""
    event = Event.objects.create(type=type, brand=brand, data=data, occurred_at=timezone.now())
    if Webhook.objects.filter(is_active=True).filter(Q(brand=brand) | Q(brand__isnull=True)).exists():
        transaction.on_commit(_dispatch_soon)  # else beat's hub-dispatch marks it fanned out in its time
    return event


def types_wanted(brand_id: int | None) -> set[str]:
    """The event types some active webhook wants for this brand."""
    hooks = Webhook.objects.filter(is_active=True).filter(Q(brand_id=brand_id) | Q(brand__isnull=True))
    return {event_type for events in hooks.values_list("events", flat=True) for event_type in events}


def events_record_imported(batch: ImportedBatch) -> int:
    """An import batch's new contacts and leads and the deals it opened, as events written together,
    and only the types some webhook wants (an import of 100,000 rows nobody listens to writes none);
    how many. The blanks an import fills in known contacts are not told."""
    wanted = types_wanted(batch.brand_id) & IMPORT_TYPES
    if not wanted:
        return 0
    from hub.serializers import contact_data, deals_data

    now, events = timezone.now(), []
    if wanted & {"contact.created", "lead.created"}:
        for contact in Contact.objects.filter(pk__in=batch.contact_ids):
            kinds = (
                ["contact.created", "lead.created"] if contact.contact_type == ContactType.LEAD else ["contact.created"]
            )
            data = contact_data(contact)
            events += [
                Event(type=kind, brand_id=batch.brand_id, data=data, occurred_at=now)
                for kind in kinds
                if kind in wanted
            ]
    if batch.deal_ids and "opportunity.created" in wanted:
        events += [
            Event(type="opportunity.created", brand_id=batch.brand_id, data=data, occurred_at=now)
            for data in deals_data(Deal.objects.filter(pk__in=batch.deal_ids))
        ]
    Event.objects.bulk_create(events, batch_size=500)
    if events:
        transaction.on_commit(_dispatch_soon)
    return len(events)


def _dispatch_soon() -> None:
    """Ask a worker to send now; with the broker away, beat's hub-dispatch finds the event later
    (the outbox row is the record, not the task message)."""
    from hub.tasks import hub_dispatch_task

    try:
        hub_dispatch_task.delay()
    except Exception:  # noqa: BLE001 - any broker failure: the row waits for the sweep
        logger.warning("hub: event stored but its dispatch not enqueued; hub-dispatch on beat will send it")


def wants(hook: Webhook, event: Event) -> bool:
    return event.type in hook.events and hook.brand_id in (None, event.brand_id)


def events_fan_out(*, limit: int = 500) -> int:
    """One message per waiting event and webhook that wants it; the events marked fanned out.
    Safe to run twice at once: the messages are unique per (webhook, event)."""
    with transaction.atomic():
        events = list(
            Event.objects.filter(fanned_out_at__isnull=True)
            .order_by("occurred_at")[:limit]
            .select_for_update(skip_locked=True)
        )
        hooks = list(Webhook.objects.filter(is_active=True)) if events else []
        messages = [
            WebhookMessage(webhook=hook, event=event) for event in events for hook in hooks if wants(hook, event)
        ]
        WebhookMessage.objects.bulk_create(messages, ignore_conflicts=True)
        Event.objects.filter(pk__in=[event.pk for event in events]).update(fanned_out_at=timezone.now())
    return len(events)


def events_prune(*, now: datetime | None = None) -> int:
    """Delete the events older than HUB_EVENT_RETENTION_DAYS that nothing waits on (fanned out, no
    message still pending), with their messages and attempts; how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.HUB_EVENT_RETENTION_DAYS)
    pending = WebhookMessage.objects.filter(event=OuterRef("pk"), state=MessageState.PENDING)
    old = Event.objects.filter(occurred_at__lt=cutoff, fanned_out_at__isnull=False).exclude(Exists(pending))
    deleted = 0
    while ids := list(old.values_list("pk", flat=True)[:1000]):
        with transaction.atomic():
            WebhookDelivery.objects.filter(message__event__in=ids).delete()
            WebhookMessage.objects.filter(event__in=ids).delete()
            deleted += Event.objects.filter(pk__in=ids).delete()[1].get("hub.Event", 0)
    return deleted
