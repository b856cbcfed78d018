"""Celery tasks of the inbound edge: process one stored event; pick up the ones left behind."""

from __future__ import annotations

from celery import shared_task

from webhooks.handlers import HANDLERS
from webhooks.services import inbound_event_process, inbound_events_due


@shared_task(name="webhooks.tasks.inbound_event_process_task", acks_late=True)
def inbound_event_process_task(event_id: int) -> str | None:
    return inbound_event_process(event_id=event_id, handlers=HANDLERS)


@shared_task(name="webhooks.tasks.inbound_events_dispatch_task")
def inbound_events_dispatch_task(event_ids: list[int]) -> int:
    """A web process's batch of new events (webhooks/dispatch.py): one processing task each."""
    for event_id in event_ids:
        inbound_event_process_task.delay(event_id)
    return len(event_ids)


@shared_task(name="webhooks.tasks.inbound_events_retry")
def inbound_events_retry() -> int:
    """Every minute: events whose task never reached the broker, or that are due for a retry."""
    event_ids = inbound_events_due()
    for event_id in event_ids:
        inbound_event_process_task.delay(event_id)
    return len(event_ids)
