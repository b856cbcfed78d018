"""Storing and processing inbound events.

inbound_event_store() writes the delivery once (a redelivery meets the unique constraint) and
enqueues its processing after commit; if the broker is away the event waits in the database
for inbound_events_retry. inbound_event_process() claims the event with a short lease, runs
the provider's handler, and records the outcome: done, failed for good, or due again later
with back-off when the failure is one that retrying can fix.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from webhooks.group_commit import committer, rows_store
from webhooks.models import EventState, InboundEvent

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
_payload_field = InboundEvent._meta.get_field("payload")
MAX_ATTEMPTS = 8
Handler = Callable[[InboundEvent], None]


class EventIgnored(Exception):
    """The handler looked and found nothing to do (an unknown event type, a stage we skip)."""


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... capped at an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def inbound_event_store(
    *, provider: str, event_type: str, external_id: str, payload: dict[str, Any], enqueue: Callable[[int], object]
) -> tuple[int, bool]:
    """Store one delivery, durably; returns (event id, created). A duplicate changes nothing.

    On PostgreSQL, outside a transaction, concurrent requests share one INSERT and one commit
    (webhooks/group_commit.py); otherwise the same INSERT ... ON CONFLICT DO NOTHING, here.
    """
    values = [provider, event_type, external_id, _payload_field.get_db_prep_save(payload, connection), timezone.now()]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Committed through the committer's own connection, so enqueue now: on_commit would open a
        # connection in this request thread only to ask whether it is in autocommit mode, and every
        # thread of every web worker would then hold an idle PostgreSQL connection.
        event_id, created = committer.store(values)
        if created:
            _enqueue_quietly(enqueue, event_id)
        return event_id, created
    event_id, created = rows_store([values])[0]
    if created:
        transaction.on_commit(lambda: _enqueue_quietly(enqueue, event_id))
    return event_id, created


def _enqueue_quietly(enqueue: Callable[[int], object], event_id: int) -> None:
    try:
        enqueue(event_id)
    except Exception:  # the broker is away: the event is stored and the retry job will take it
        logger.warning("inbound event %s stored but not enqueued; the retry job will process it", event_id)


def inbound_event_claim(*, event_id: int) -> InboundEvent | None:
    now = timezone.now()
    free = InboundEvent.objects.filter(pk=event_id, state=EventState.PENDING).exclude(locked_until__gt=now)
    if not free.update(locked_until=now + LEASE):
        return None
    return InboundEvent.objects.get(pk=event_id)


def inbound_event_process(*, event_id: int, handlers: dict[str, Handler]) -> str | None:
    """Run the handler of a pending event once; returns the event's new state (None: not ours now)."""
    event = inbound_event_claim(event_id=event_id)
    if event is None:
        return None
    handler = handlers.get(event.event_type)
    try:
        if handler is None:
            raise EventIgnored(f"no handler for {event.event_type!r}")
        handler(event)
    except EventIgnored as exc:
        return _finish(event, EventState.IGNORED, str(exc))
    except Exception as exc:
        return _failed(event, exc)
    return _finish(event, EventState.DONE, "")


def _finish(event: InboundEvent, state: str, error: str) -> str:
    InboundEvent.objects.filter(pk=event.pk).update(
        state=state, processed_at=timezone.now(), attempts=event.attempts + 1, error=error, locked_until=None
    )
    return state


def _failed(event: InboundEvent, exc: Exception) -> str:
    attempts = event.attempts + 1
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if getattr(exc, "retryable", False) and attempts < MAX_ATTEMPTS:
        logger.warning("inbound event %s failed (attempt %s), retrying later: %s", event.pk, attempts, error)
        InboundEvent.objects.filter(pk=event.pk).update(
            attempts=attempts, error=error, locked_until=None, next_attempt_at=timezone.now() + backoff(attempts)
        )
        return EventState.PENDING
    logger.exception("inbound event %s failed for good", event.pk, exc_info=exc)
    return _finish(event, EventState.FAILED, error)


def inbound_events_due(*, stale: timedelta = timedelta(minutes=2), limit: int = 500) -> list[int]:
    """Pending events nobody is working on: never enqueued (broker down), or due for a retry."""
    now = timezone.now()
    due = InboundEvent.objects.filter(state=EventState.PENDING, received_at__lte=now - stale).exclude(
        next_attempt_at__gt=now
    )
    return list(due.exclude(locked_until__gt=now).order_by("received_at").values_list("pk", flat=True)[:limit])
