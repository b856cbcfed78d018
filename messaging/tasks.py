"""Celery tasks of messaging: sync one message to Chatwoot; sweep what is due."""

from __future__ import annotations

from celery import shared_task

from messaging.services.chatwoot_sync import PhoneBusy, message_sync, messages_due


@shared_task(
    name="messaging.tasks.chatwoot_sync_message_task",
    bind=True,
    autoretry_for=(PhoneBusy,),
    retry_backoff=1,
    retry_backoff_max=10,
    retry_jitter=True,
    max_retries=30,
)
def chatwoot_sync_message_task(self: object, message_id: int) -> str:
    """Mirror one WhatsApp message into Chatwoot (a busy phone is tried again in a second or two)."""
    return message_sync(message_id=message_id).state


@shared_task(name="messaging.tasks.sync_chatwoot")
def sync_chatwoot() -> int:
    """Every 2 minutes: messages due for a (re)try, never enqueued, or left half-posted."""
    ids = messages_due()
    for message_id in ids:
        chatwoot_sync_message_task.delay(message_id)
    return len(ids)
