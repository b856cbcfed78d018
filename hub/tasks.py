"""Thin tasks: the dispatcher fans out waiting events and sends what is due; safe to run twice."""

from __future__ import annotations

from celery import shared_task

from hub.services.events import events_fan_out, events_prune
from hub.services.webhooks import webhook_messages_send_due


@shared_task
def hub_dispatch_task() -> int:
    events_fan_out()
    return webhook_messages_send_due()


@shared_task
def hub_events_prune_task() -> int:
    return events_prune()
