"""Integrations: Slack and Teams post chosen events to a channel (through a webhook row of their
format, so they share the outbox's retries and delivery log); Zapier subscribes Zaps to events
with REST hooks (each subscription a signed webhook); a calendar feed gives a user's tasks and
deals' next actions at a secret address. Every outgoing call is an IntegrationLog row."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Todo
from icalendar import Event as CalendarEvent

from crm.models import Brand, Deal, Task
from hub.errors import HubError
from hub.models import (
    EVENT_TYPES,
    Event,
    IntegrationKind,
    IntegrationLog,
    MessageState,
    ThirdPartyIntegration,
    Webhook,
    WebhookFormat,
    WebhookMessage,
)
from hub.services.webhooks import (
    webhook_create,
    webhook_message_send,
    webhook_ping,
    webhook_url_problem,
)

FEED_PAST = timedelta(days=30)
FEED_FUTURE = timedelta(days=180)
SAMPLES = 3


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Created:
    integration: ThirdPartyIntegration
    feed_token: str = ""  # a calendar's, shown once


def integration_check(*, kind: str, target_url: str, events: list[str]) -> None:
    if kind in (IntegrationKind.SLACK, IntegrationKind.TEAMS):
        if not target_url:
            raise HubError("The channel's incoming webhook address.", field="target_url")
        problem = webhook_url_problem(target_url)
        if problem:
            raise HubError(problem, field="target_url")
        if not events:
            raise HubError("At least one event to post.", field="events")
    unknown = [event for event in events if event not in EVENT_TYPES]
    if unknown:
        raise HubError(f"{unknown[0]!r} is not an event type.", field="events")


def integration_create(
    *,
    name: str,
    kind: str,
    brand: Brand | None,
    user: User | None,
    events: list[str] = (),  # type: ignore[assignment]
    target_url: str = "",
) -> Created:
    """A new integration; a calendar gets its secret feed token (shown once)."""
    events = list(events)
    integration_check(kind=kind, target_url=target_url, events=events)
    token = secrets.token_urlsafe(32) if kind == IntegrationKind.CALENDAR else ""
    with transaction.atomic():
        integration = ThirdPartyIntegration.objects.create(
            name=name, kind=kind, brand=brand, events=events, target_url=target_url, created_by=user,
            user=user if kind in (IntegrationKind.CALENDAR, IntegrationKind.ZAPIER) else None,
            feed_token_hash=feed_token_hash(token) if token else None,
        )  # fmt: skip
        _channel_sync(integration)
    return Created(integration, token)


def integration_update(*, integration: ThirdPartyIntegration, **fields: Any) -> ThirdPartyIntegration:
    for name, value in fields.items():
        setattr(integration, name, value)
    integration_check(kind=integration.kind, target_url=integration.target_url, events=integration.events)
    with transaction.atomic():
        integration.save()
        _channel_sync(integration)
    return integration


def _channel_sync(integration: ThirdPartyIntegration) -> None:
    """Slack and Teams deliver through one webhook row that follows the integration's settings."""
    if integration.kind not in (IntegrationKind.SLACK, IntegrationKind.TEAMS):
        if integration.kind == IntegrationKind.ZAPIER:
            integration.webhooks.update(is_active=integration.is_active)
        return
    hook = integration.webhooks.first()
    if hook is None:
        webhook_create(
            name=integration.name, url=integration.target_url, events=integration.events, brand=integration.brand,
            user=integration.created_by, format=WebhookFormat(integration.kind), integration=integration,
        )  # fmt: skip
        if not integration.is_active:
            integration.webhooks.update(is_active=False)
        return
    hook.name, hook.url, hook.events, hook.brand = (
        integration.name,
        integration.target_url,
        integration.events,
        integration.brand,
    )
    if integration.is_active and not hook.is_active:
        hook.disabled_reason, hook.failing_since = "", None
    hook.is_active = integration.is_active
    hook.save()


def _log(
    integration: ThirdPartyIntegration, action: str, *, ok: bool, detail: str = "", event_type: str = ""
) -> IntegrationLog:
    return IntegrationLog.objects.create(
        integration=integration, action=action, ok=ok, detail=detail[:2048], event_type=event_type
    )


@dataclass(frozen=True)
class Outcome:
    ok: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail}


def integration_test(*, integration: ThirdPartyIntegration) -> Outcome:
    """Check the connection: Slack and Teams get a test message (a `ping`); Zapier's subscriptions
    and a calendar's feed are checked here."""
    if integration.kind in (IntegrationKind.SLACK, IntegrationKind.TEAMS):
        hook = integration.webhooks.first()
        if hook is None:
            outcome = Outcome(False, "no channel address")
        else:
            message = webhook_ping(webhook=hook)
            last = message.deliveries.first()
            ok = message.state == MessageState.DELIVERED
            detail = (
                f"answered {last.status_code}" if last and last.status_code else (last.error if last else "not sent")
            )
            outcome = Outcome(ok, f"test message sent: {detail}" if ok else f"test message failed: {detail}")
    elif integration.kind == IntegrationKind.ZAPIER:
        live = integration.webhooks.filter(is_active=True).count()
        outcome = Outcome(True, f"{live} active Zap subscription(s)")
        _log(integration, "test", ok=True, detail=outcome.detail)
    else:
        calendar = calendar_feed(integration=integration)
        items = len(calendar.walk("VTODO")) + len(calendar.walk("VEVENT"))
        outcome = Outcome(True, f"the feed lists {items} item(s)")
        _log(integration, "test", ok=True, detail=outcome.detail)
    ThirdPartyIntegration.objects.filter(pk=integration.pk).update(
        last_tested_at=timezone.now(), last_test_ok=outcome.ok, last_error="" if outcome.ok else outcome.detail[:500]
    )
    return outcome


def integration_sync(*, integration: ThirdPartyIntegration) -> Outcome:
    """Slack and Teams: send what waits for the channel now (retries whose time has not come
    included); a calendar: rebuild the feed; Zapier has nothing to sync (Zaps are told as it
    happens). Raises HubError for a kind without a sync."""
    if integration.kind == IntegrationKind.ZAPIER:
        raise HubError("Zapier has no sync: its Zaps hear of each event as it happens.", field="kind")
    if integration.kind == IntegrationKind.CALENDAR:
        calendar = calendar_feed(integration=integration)
        outcome = Outcome(True, f"the feed lists {len(calendar.walk('VTODO')) + len(calendar.walk('VEVENT'))} item(s)")
        _log(integration, "sync", ok=True, detail=outcome.detail)
    else:
        waiting = list(
            WebhookMessage.objects.filter(
                webhook__integration=integration, webhook__is_active=True, state=MessageState.PENDING
            ).values_list("pk", flat=True)
        )
        WebhookMessage.objects.filter(pk__in=waiting).update(retry_at=None)
        states = [webhook_message_send(message_id=pk) for pk in waiting]
        sent = sum(state == MessageState.DELIVERED for state in states)
        outcome = Outcome(sent == len(waiting), f"{sent} of {len(waiting)} waiting message(s) delivered")
        _log(integration, "sync", ok=outcome.ok, detail=outcome.detail)
    ThirdPartyIntegration.objects.filter(pk=integration.pk).update(last_synced_at=timezone.now())
    return outcome


# --- Zapier REST hooks --------------------------------------------------------------------------


def zapier_integration(*, user: User, brand: Brand | None) -> ThirdPartyIntegration:
    """The user's Zapier integration for `brand` (made on their first subscription)."""
    name = f"Zapier ({brand.name if brand else 'all brands'}, {user.get_username()})"
    integration, _ = ThirdPartyIntegration.objects.get_or_create(
        kind=IntegrationKind.ZAPIER, user=user, brand=brand, defaults={"name": name, "created_by": user}
    )
    return integration


def zapier_subscribe(*, user: User, brand: Brand | None, target_url: str, event: str) -> Webhook:
    """A Zap's REST hook: `event` posted to `target_url` (signed, retried, logged) until it
    unsubscribes or answers 410."""
    if event not in EVENT_TYPES:
        raise HubError(f"{event!r} is not an event type.", field="event")
    problem = webhook_url_problem(target_url)
    if problem:
        raise HubError(problem, field="target_url")
    with transaction.atomic():
        integration = zapier_integration(user=user, brand=brand)
        hook = webhook_create(
            name=f"Zap: {event}", url=target_url, events=[event], brand=brand, user=user, integration=integration
        )
        _log(integration, "subscribe", ok=True, event_type=event, detail=f"subscription {hook.pk}")
    return hook


def zapier_unsubscribe(*, user: User, hook: Webhook) -> None:
    integration = hook.integration
    with transaction.atomic():
        event = (hook.events or [""])[0]
        hook.delete()
        if integration is not None:
            _log(integration, "unsubscribe", ok=True, event_type=event, detail=f"subscription {hook.pk} by {user}")


def zapier_samples(*, event: str, brands: Any) -> list[dict[str, Any]]:
    """The last few payloads of `event` in `brands` (Zapier's "perform list" for a Zap's set-up);
    a made-up one when none has happened yet, so a Zap can be built on a new install."""
    if event not in EVENT_TYPES:
        raise HubError(f"{event!r} is not an event type.", field="event")
    recent = (
        Event.objects.filter(type=event).filter(Q(brand__in=brands) | Q(brand__isnull=True)).order_by("-occurred_at")
    )
    samples = [
        {"id": str(e.pk), "type": e.type, "timestamp": e.occurred_at.isoformat(), "data": e.data}
        for e in recent[:SAMPLES]
    ]
    return samples or [
        {"id": "sample", "type": event, "timestamp": timezone.now().isoformat(), "data": {"sample": True}}
    ]


# --- the calendar feed --------------------------------------------------------------------------


def calendar_by_token(token: str) -> ThirdPartyIntegration | None:
    if not token or len(token) > 100:
        return None
    return (
        ThirdPartyIntegration.objects.select_related("user")
        .filter(kind=IntegrationKind.CALENDAR, is_active=True, feed_token_hash=feed_token_hash(token))
        .first()
    )


def calendar_feed(*, integration: ThirdPartyIntegration) -> Calendar:
    """The open tasks assigned to the user (VTODO, with their due time) and the next actions of open deals in
    their brands (VEVENT, 30 minutes), from 30 days back to 180 days ahead."""
    user, now = integration.user, timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//agency back office//hub calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", integration.name)
    if user is None or not user.is_active:
        return calendar
    brands = Brand.objects.visible_to(user)
    if integration.brand_id:
        brands = brands.filter(pk=integration.brand_id)
    tasks = Task.objects.open().filter(brand__in=brands, assignee=user)
    for task in tasks.filter(Q(due_at__isnull=True) | Q(due_at__gte=now - FEED_PAST)).order_by("due_at")[:500]:
        todo = Todo()
        todo.add("uid", f"task-{task.pk}@hub")
        todo.add("summary", task.title)
        todo.add("dtstamp", task.updated_at)
        if task.due_at:
            todo.add("due", task.due_at)
        if task.notes:
            todo.add("description", task.notes[:1000])
        calendar.add_component(todo)
    deals = (
        Deal.objects.open()
        .filter(pipeline__brand__in=brands, next_action_date__range=(now - FEED_PAST, now + FEED_FUTURE))
        .select_related("contact", "current_stage")
        .order_by("next_action_date")[:500]
    )
    for deal in deals:
        item = CalendarEvent()
        item.add("uid", f"deal-{deal.pk}@hub")
        item.add("summary", f"Next action: {deal.contact.name or deal.contact.email} ({deal.current_stage.name})")
        item.add("dtstart", deal.next_action_date)
        item.add("dtend", deal.next_action_date + timedelta(minutes=30))  # type: ignore[operator]
        item.add("dtstamp", deal.updated_at)
        calendar.add_component(item)
    return calendar
