"""Outgoing webhooks, signed as Standard Webhooks says (`webhook-id`, `webhook-timestamp`,
`webhook-signature`; the `standardwebhooks` package signs), sent through integrations.http's
checked POST, retried from the database: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after
each failure (the spec authors' schedule). An endpoint that answers 410, or whose messages have
failed for five days, is disabled with the reason, and its waiting messages cancelled."""

from __future__ import annotations

import base64
import json
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from standardwebhooks.webhooks import Webhook as Signer

from crm.models import Brand
from crm.services.tasks import task_create
from crm_site.claims import Claim, claim_batch, claim_row, let_go, release_all, working
from hub.models import (
    Event,
    IntegrationLog,
    MessageState,
    ThirdPartyIntegration,
    Webhook,
    WebhookDelivery,
    WebhookFormat,
    WebhookMessage,
)
from hub.services.notifications import slack_body, teams_body
from integrations.http import BlockedAddress, CheckedPoster, PageFetchError, public_address

logger = logging.getLogger(__name__)

RETRY_SCHEDULE = [
    timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
    timedelta(hours=5), timedelta(hours=10), timedelta(hours=10),
]  # fmt: skip
DISABLE_AFTER = timedelta(days=5)
LEASE = timedelta(seconds=60)  # plus the timeout of each delivery a claim covers
BATCH = 50  # messages claimed and sent together
FLUSH = 10  # deliveries recorded together
BODY_KEPT = 2048


def webhook_url_problem(url: str) -> str:
    """Why outgoing webhooks may not go to `url` ("" when they may)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "An http or https address."
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        return ""
    try:
        public_address(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except BlockedAddress as exc:
        return f"{exc}; private, loopback and link-local targets are refused (WEBHOOK_ALLOW_PRIVATE_TARGETS)"
    except (OSError, UnicodeError, ValueError) as exc:
        return f"{parts.hostname} does not resolve ({type(exc).__name__})."
    return ""


def format_for(url: str) -> str:
    """The body an address expects: Slack's incoming webhooks take a message, everyone else ours."""
    host = (urlsplit(url).hostname or "").lower()
    return WebhookFormat.SLACK if host == "hooks.slack.com" else WebhookFormat.STANDARD


def secret_new() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def webhook_create(
    *,
    name: str,
    url: str,
    events: list[str],
    brand: Brand | None,
    user: User | None,
    format: str = WebhookFormat.STANDARD,  # noqa: A002 - the field's name
    integration: ThirdPartyIntegration | None = None,
) -> Webhook:
    """A new endpoint with a new secret (show it once: `webhook.secret`)."""
    return Webhook.objects.create(
        name=name, url=url, events=events, brand=brand, secret=secret_new(), created_by=user, format=format,
        integration=integration,
    )  # fmt: skip


def body_of(event: Event, format: str = WebhookFormat.STANDARD) -> bytes:  # noqa: A002 - the field's name
    """The Standard Webhooks body `{"type", "timestamp", "data"}`, or a Slack or Teams message."""
    if format == WebhookFormat.SLACK:
        payload = slack_body(event)
    elif format == WebhookFormat.TEAMS:
        payload = teams_body(event)
    else:
        payload = {"type": event.type, "timestamp": event.occurred_at.isoformat(), "data": event.data}
    return json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":")).encode()


def signed_headers(*, secret: str, message_id: str, at: datetime, body: bytes) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Signer(secret).sign(message_id, at, body),
    }


def webhook_message_send(*, message_id: int) -> str | None:
    """One attempt at one message, if it is due and nobody else holds it; its new state."""
    claim = claim_row(WebhookMessage, message_id, lease=_lease(1), where=Q(state=MessageState.PENDING))
    return _attempt([claim])[claim.pk] if claim else None


def webhook_messages_send_due(*, budget: int = 200) -> int:
    """Send what is due (new messages and retries whose time has come), BATCH at a time; how
    many were tried."""
    due = WebhookMessage.objects.filter(state=MessageState.PENDING, webhook__is_active=True).order_by("created_at")
    sent = 0
    while sent < budget:
        size = min(BATCH, budget - sent)
        claims = claim_batch(due, lease=_lease(size), limit=size)
        if not claims:
            break
        _attempt(claims)
        sent += len(claims)
    return sent


def _lease(size: int) -> timedelta:
    """Long enough for `size` deliveries that each take the whole timeout."""
    return LEASE + timedelta(seconds=size * settings.WEBHOOK_TIMEOUT_SECONDS)


@dataclass
class _Batch:
    """What a run writes every FLUSH deliveries and at its end: attempts, log rows, and successes
    (released as delivered in one UPDATE)."""

    deliveries: list[WebhookDelivery] = field(default_factory=list)
    logs: list[IntegrationLog] = field(default_factory=list)
    delivered: list[Claim] = field(default_factory=list)
    healthy: set[int] = field(default_factory=set)
    bodies: dict[tuple[Any, str], bytes] = field(default_factory=dict)


def _attempt(claims: list[Claim]) -> dict[Any, str]:
    """Deliver each claimed message (one session, so a receiver's connection is reused); their new
    states. Anything raised delivering one puts it back for a retry (`working`) and the others go
    on; if the run itself stops (its time limit), the ones not yet tried are handed back untouched."""
    messages = WebhookMessage.objects.in_bulk([claim.pk for claim in claims])
    hooks = Webhook.objects.in_bulk({message.webhook_id for message in messages.values()})  # decrypted once each
    events = Event.objects.in_bulk({message.event_id for message in messages.values()})
    batch, stopped = _Batch(), set[int]()
    states: dict[Any, str] = {}
    poster = CheckedPoster(
        role="hub", timeout=settings.WEBHOOK_TIMEOUT_SECONDS, max_bytes=BODY_KEPT,
        allow_private=settings.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    )  # fmt: skip
    try:
        with poster:
            for claim in claims:
                message = messages.get(claim.pk)
                if message is None:  # deleted since it was claimed (its Zap unsubscribed)
                    states[claim.pk] = MessageState.CANCELLED
                    continue
                webhook = hooks[message.webhook_id]
                if webhook.pk in stopped:  # disabled a moment ago: its messages were cancelled
                    let_go([claim])
                    states[claim.pk] = MessageState.CANCELLED
                    continue
                try:
                    with working(claim, retry_in=RETRY_SCHEDULE[0]):
                        states[claim.pk] = _deliver(claim, message, webhook, events[message.event_id], poster, batch)
                except SoftTimeLimitExceeded:
                    raise  # the task's time is up: the rest is handed back below
                except Exception:  # put back by `working`; one bad message does not hold up the others
                    logger.exception("hub: delivering message %s raised; it waits for a retry", claim.pk)
                    states[claim.pk] = MessageState.PENDING
                    continue
                if len(batch.deliveries) >= FLUSH:  # a worker killed now resends at most FLUSH deliveries
                    batch = _write(batch)
                if (
                    states[claim.pk] != MessageState.DELIVERED
                    and not Webhook.objects.filter(pk=webhook.pk, is_active=True).exists()
                ):
                    stopped.add(webhook.pk)
    finally:
        let_go([claim for claim in claims if claim.pk not in states])
        _write(batch)
    return states


def _deliver(
    claim: Claim, message: WebhookMessage, webhook: Webhook, event: Event, poster: CheckedPoster, batch: _Batch
) -> str:
    now, attempt = timezone.now(), message.attempts + 1
    body = batch.bodies.get((event.pk, webhook.format))
    if body is None:
        body = batch.bodies[(event.pk, webhook.format)] = body_of(event, webhook.format)
    headers = signed_headers(secret=webhook.secret, message_id=f"msg_{event.pk.hex}", at=now, body=body)
    status, answer, error, seconds = None, b"", "", 0.0
    try:
        reply = poster.post(webhook.url, body=body, headers=headers)
        status, answer, seconds = reply.status, reply.body, reply.seconds
    except BlockedAddress as exc:
        error = f"refused: {exc}"
    except PageFetchError as exc:
        error = str(exc)
    ok = status is not None and 200 <= status < 300
    text = answer.decode("utf-8", "replace")[:BODY_KEPT]
    batch.deliveries.append(
        WebhookDelivery(
            message_id=message.pk, attempt=attempt, status_code=status, succeeded=ok, duration_ms=int(seconds * 1000),
            response_body=text, error=error[:2000],
        )
    )  # fmt: skip
    if webhook.integration_id:
        batch.logs.append(
            IntegrationLog(
                integration_id=webhook.integration_id, action="test" if event.type == "ping" else "notify",
                event_type=event.type, ok=ok, status_code=status, duration_ms=int(seconds * 1000),
                detail=(error or text)[:BODY_KEPT],
            )
        )  # fmt: skip
    if ok:
        batch.delivered.append(claim)
        if webhook.failing_since is not None:
            batch.healthy.add(webhook.pk)
        return MessageState.DELIVERED
    reason = error or f"answered {status}"
    if attempt > len(RETRY_SCHEDULE):
        claim.fail(reason, state=MessageState.FAILED)
    else:
        claim.fail(reason, retry_in=RETRY_SCHEDULE[attempt - 1])
    _failing(webhook, status=status, reason=reason, now=now)
    return MessageState.FAILED if attempt > len(RETRY_SCHEDULE) else MessageState.PENDING


def _write(batch: _Batch) -> _Batch:
    """The run's attempts and log rows, and its successes released as delivered, in one go; an
    empty batch to go on with (the bodies kept)."""
    with transaction.atomic():
        WebhookDelivery.objects.bulk_create(batch.deliveries)
        IntegrationLog.objects.bulk_create(batch.logs)
        release_all(batch.delivered, state=MessageState.DELIVERED, delivered_at=timezone.now())
        if batch.healthy:
            Webhook.objects.filter(pk__in=batch.healthy).update(failing_since=None)
    return _Batch(bodies=batch.bodies)


def _failing(webhook: Webhook, *, status: int | None, reason: str, now: datetime) -> None:
    Webhook.objects.filter(pk=webhook.pk, failing_since__isnull=True).update(failing_since=now)
    webhook.refresh_from_db(fields=["failing_since"])
    if status == 410:
        webhook_disable(webhook=webhook, reason="the endpoint answered 410 Gone")
    elif webhook.failing_since and now - webhook.failing_since > DISABLE_AFTER:
        webhook_disable(webhook=webhook, reason=f"every delivery failed for {DISABLE_AFTER.days} days ({reason})")


def webhook_disable(*, webhook: Webhook, reason: str) -> None:
    """Stop the endpoint, say why (shown on its admin page and in the API), cancel what waits, and
    leave staff a task saying so (for a brand's webhook: its maker, else the brand's first manager)."""
    with transaction.atomic():
        if not Webhook.objects.filter(pk=webhook.pk, is_active=True).update(
            is_active=False, disabled_reason=reason[:500]
        ):
            return  # already off
        WebhookMessage.objects.filter(webhook=webhook, state=MessageState.PENDING).update(
            state=MessageState.CANCELLED, retry_at=None
        )
        if webhook.brand is not None:
            owner = webhook.created_by or webhook.brand.managers.order_by("pk").first()
            task_create(
                title=f"Outgoing webhook \u201c{webhook.name}\u201d was turned off",
                brand=webhook.brand, assignee=owner,
                notes=f"Why: {reason}. Put the receiver right, turn the webhook back on, and deliver the "
                "cancelled messages again (Integrations \u2192 Webhook messages).",
                due_at=timezone.now(),
            )  # fmt: skip
    logger.warning("webhook %s (%s) disabled: %s", webhook.pk, webhook.name, reason)


def webhook_ping(*, webhook: Webhook) -> WebhookMessage:
    """A `ping` event for this endpoint only, sent now; the message with its delivery."""
    event = Event.objects.create(
        type="ping", brand=webhook.brand, data={"webhook": webhook.pk, "name": webhook.name}, occurred_at=timezone.now()
    )
    Event.objects.filter(pk=event.pk).update(fanned_out_at=timezone.now())
    message = WebhookMessage.objects.create(webhook=webhook, event=event)
    webhook_message_send(message_id=message.pk)
    message.refresh_from_db()
    return message


def webhook_redeliver(*, message: WebhookMessage) -> WebhookMessage:
    """Send a delivered, failed or cancelled message again now, with a fresh set of retries."""
    WebhookMessage.objects.filter(pk=message.pk).exclude(state=MessageState.PENDING).update(
        state=MessageState.PENDING, attempts=0, retry_at=None, last_error=""
    )
    webhook_message_send(message_id=message.pk)
    message.refresh_from_db()
    return message
