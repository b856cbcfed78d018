"""Sending: queue an email, claim it, deliver it once, reconcile what a dead worker left behind.

EmailLog moves pending -> sending -> sent | failed | needs_reconcile (or
cancelled when it must not go out). A worker claims a row with a conditional
update that is committed before any network call; a row found in `sending`
is never sent again: its send key is looked for in the Sent folder, and if it
is not there the row waits for a person as needs_reconcile. Zoho Mail has no
idempotency key, so this is what "never twice" takes.

Before each send, under a lock on the brand row: the hourly and daily caps,
the suppression list (unsubscribed, bounced, replied since the email was
queued), the deal's state and the sending window in the recipient's time zone
(else the brand's). A deferred email keeps its place: the queue is ordered by
when emails were queued, not by when they were deferred to.
"""

from __future__ import annotations

import logging
import time
import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from crm.mail.base import Mailbox, MailboxError, SendResult
from crm.mail.content import render
from crm.models import (
    ActivityType,
    Brand,
    Deal,
    DealActivity,
    DealStatus,
    EmailLog,
    EmailStatus,
    SequenceStep,
)
from crm.services.email_service import get_email_service
from integrations.zoho import ZohoError

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
CANDIDATES_PER_CLAIM = 50
COUNTED_STATUSES = (EmailStatus.SENDING, EmailStatus.SENT, EmailStatus.NEEDS_RECONCILE)


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    cancelled: int = 0
    needs_reconcile: int = 0
    reconciled: int = 0
    cap_reached: bool = False
    errors: list[str] = field(default_factory=list)


# --- queueing ------------------------------------------------------------------------------


def email_queue(
    *,
    deal: Deal,
    subject: str,
    body: str,
    step: SequenceStep | None = None,
    ai_generated: bool = False,
    scheduled_for: datetime | None = None,
) -> EmailLog:
    """Create a pending EmailLog for `deal`; send_scheduled_emails picks it up."""
    with transaction.atomic():
        email = EmailLog.objects.create(
            deal=deal,
            sequence_step=step,
            to_email=deal.contact.email,
            subject=subject[:300],
            body=body,
            ai_generated=ai_generated,
            scheduled_for=scheduled_for,
        )
        DealActivity.objects.create(
            deal=deal, activity_type=ActivityType.EMAIL_QUEUED, description=subject, metadata={"email": str(email.pk)}
        )
    return email


# --- the gate: may this email go now? ----------------------------------------------------------


def next_window_start(brand: Brand, zone: zoneinfo.ZoneInfo, after: datetime) -> datetime:
    """The first moment from `after` on that is inside the brand's window, in `zone`."""
    moment = after.replace(second=0, microsecond=0) - timedelta(minutes=after.minute % 15)
    for _ in range(8 * 24 * 4):  # fifteen-minute steps over eight days
        moment += timedelta(minutes=15)
        if brand.in_send_window(moment, zone):
            return moment
    return after + timedelta(days=1)  # no window at all: look again tomorrow


def recipient_zone(email: EmailLog, brand: Brand) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(email.deal.contact.timezone) if email.deal.contact.timezone else brand.zone


def _gate(email: EmailLog, brand: Brand, now: datetime) -> tuple[str, str | datetime | None]:
    """("send", None) | ("cancel", reason) | ("defer", until)."""
    contact, deal = email.deal.contact, email.deal
    if contact.unsubscribed_at:
        return "cancel", "the contact unsubscribed"
    if contact.bounced_at:
        return "cancel", "the contact's address bounced"
    if deal.status in (DealStatus.WON, DealStatus.LOST):
        return "cancel", f"the deal is {deal.status}"
    if EmailLog.objects.filter(deal=deal, replied=True, replied_at__gte=email.created_at).exists():
        return "cancel", "the contact replied; the sequence stopped"
    if deal.status == DealStatus.PAUSED:
        return "defer", now + timedelta(hours=1)
    zone = recipient_zone(email, brand)
    if not brand.in_send_window(now, zone):
        return "defer", next_window_start(brand, zone, now)
    return "send", None


def _under_caps(brand: Brand, now: datetime) -> bool:
    counted = EmailLog.objects.filter(deal__pipeline__brand=brand, status__in=COUNTED_STATUSES)
    if counted.filter(claimed_at__gte=now - timedelta(hours=1)).count() >= brand.hourly_send_cap:
        return False
    return counted.filter(claimed_at__gte=now - timedelta(days=1)).count() < brand.daily_send_cap


def email_claim_next(*, brand: Brand, now: datetime, report: SendReport) -> EmailLog | None:
    """Claim the brand's next sendable email (pending -> sending, committed) or return None."""
    with transaction.atomic():
        Brand.objects.select_for_update().filter(pk=brand.pk).first()  # one claimer per brand: caps hold
        if not _under_caps(brand, now):
            report.cap_reached = True
            return None
        due = Q(scheduled_for__isnull=True) | Q(scheduled_for__lte=now)
        candidates = (
            EmailLog.objects.filter(due, deal__pipeline__brand=brand, status=EmailStatus.PENDING)
            .select_related("deal__contact")
            .order_by("created_at")[:CANDIDATES_PER_CLAIM]
        )
        for email in candidates:
            verdict, detail = _gate(email, brand, now)
            if verdict == "cancel":
                _cancel(email, str(detail), report)
            elif verdict == "defer":
                EmailLog.objects.filter(pk=email.pk, status=EmailStatus.PENDING).update(scheduled_for=detail)
                report.deferred += 1
            elif _claim(email, now):
                return EmailLog.objects.select_related("deal__contact", "deal__current_stage").get(pk=email.pk)
    return None


def _claim(email: EmailLog, now: datetime) -> bool:
    return bool(
        EmailLog.objects.filter(pk=email.pk, status=EmailStatus.PENDING).update(
            status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def _cancel(email: EmailLog, reason: str, report: SendReport) -> None:
    if EmailLog.objects.filter(pk=email.pk, status=EmailStatus.PENDING).update(
        status=EmailStatus.CANCELLED, error=reason
    ):
        report.cancelled += 1


# --- delivery ---------------------------------------------------------------------------------


def email_deliver(*, email: EmailLog, brand: Brand, mailbox: Mailbox, report: SendReport) -> None:
    """Send a claimed (sending) email once and record what happened."""
    rendered = render(
        body=email.body,
        tracking_token=email.tracking_token,
        send_key=email.send_key,
        sender=brand.from_name or brand.name,
    )
    headers = {
        "List-Unsubscribe": f"<{rendered.unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    try:
        result = mailbox.send(email.to_email, email.subject, rendered.html, rendered.text, headers)
    except (ZohoError, MailboxError) as exc:
        _after_failure(email, exc, report)
        return
    email_mark_sent(email=email, result=result, sent_at=timezone.now())
    report.sent += 1


def email_mark_sent(*, email: EmailLog, result: SendResult, sent_at: datetime) -> bool:
    """sending (or needs_reconcile) -> sent, once; the deal counts the email and waits for a reply."""
    with transaction.atomic():
        updated = EmailLog.objects.filter(
            pk=email.pk, status__in=[EmailStatus.SENDING, EmailStatus.NEEDS_RECONCILE]
        ).update(
            status=EmailStatus.SENT,
            sent_at=sent_at,
            provider=result.provider,
            provider_message_id=result.message_id,
            provider_thread_id=result.thread_id,
            rfc_message_id=result.rfc_message_id,
            error="",
        )
        if not updated:
            return False
        deal = Deal.objects.select_related("current_stage").get(pk=email.deal_id)
        wait = timedelta(days=max(deal.current_stage.days_until_followup or 1, 1))
        changes: dict[str, Any] = {"emails_sent": F("emails_sent") + 1}
        if deal.status == DealStatus.ACTIVE:
            changes["next_action_date"] = sent_at + wait
        Deal.objects.filter(pk=deal.pk).update(**changes, updated_at=sent_at)
        DealActivity.objects.create(
            deal=deal,
            activity_type=ActivityType.EMAIL_SENT,
            description=email.subject,
            metadata={"email": str(email.pk), "provider": result.provider},
            created_at=sent_at,
        )
    return True


def _after_failure(email: EmailLog, exc: ZohoError | MailboxError, report: SendReport) -> None:
    now, message = timezone.now(), str(exc)[:1000]
    report.errors.append(message)
    sending = EmailLog.objects.filter(pk=email.pk, status=EmailStatus.SENDING)
    if exc.outcome_unknown:
        # It may have gone out: only the Sent folder can tell, so never send it again blindly.
        sending.update(status=EmailStatus.NEEDS_RECONCILE, error=message)
        report.needs_reconcile += 1
    elif exc.retryable and email.attempts < MAX_ATTEMPTS:
        wait = getattr(exc, "retry_after", None) or 60 * 2**email.attempts
        sending.update(status=EmailStatus.PENDING, scheduled_for=now + timedelta(seconds=wait), error=message)
        report.deferred += 1
    else:
        sending.update(status=EmailStatus.FAILED, error=message)
        DealActivity.objects.create(deal_id=email.deal_id, activity_type=ActivityType.EMAIL_FAILED, description=message)
        report.failed += 1


# --- reconciliation -----------------------------------------------------------------------------


def emails_reconcile(*, brand: Brand, mailbox: Mailbox, now: datetime, report: SendReport) -> None:
    """Settle rows a worker left in `sending`, and look again for those waiting in needs_reconcile."""
    stale = now - timedelta(seconds=settings.EMAIL_SENDING_STALE_SECONDS)
    rows = EmailLog.objects.filter(deal__pipeline__brand=brand).filter(
        Q(status=EmailStatus.SENDING, claimed_at__lt=stale)
        | Q(status=EmailStatus.NEEDS_RECONCILE, claimed_at__gte=now - timedelta(days=2))
    )
    for email in rows:
        try:
            found = mailbox.find_sent(email.send_key)
        except (ZohoError, MailboxError) as exc:
            logger.warning("reconciling %s: %s", email.pk, exc)
            return
        if found is not None:
            if email_mark_sent(email=email, result=found, sent_at=email.claimed_at or now):
                report.reconciled += 1
        elif EmailLog.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
            status=EmailStatus.NEEDS_RECONCILE, error="Left in sending by a worker and not found in the Sent folder."
        ):
            report.needs_reconcile += 1


def email_reconcile_by_hand(*, email: EmailLog, outcome: str) -> bool:
    """A person's verdict on a needs_reconcile email: "sent", "pending" (send again) or "failed"."""
    if email.status != EmailStatus.NEEDS_RECONCILE:
        return False
    if outcome == "sent":
        result = SendResult(provider=email.provider or "manual", message_id=email.provider_message_id)
        return email_mark_sent(email=email, result=result, sent_at=email.claimed_at or timezone.now())
    status = {"pending": EmailStatus.PENDING, "failed": EmailStatus.FAILED}[outcome]
    return bool(
        EmailLog.objects.filter(pk=email.pk, status=EmailStatus.NEEDS_RECONCILE).update(
            status=status, scheduled_for=None, error=f"Reconciled by hand: {outcome}"
        )
    )


# --- the periodic job ------------------------------------------------------------------------------


def brand_send_due(*, brand: Brand, deadline: float | None = None) -> SendReport:
    """Reconcile, then send the brand's due emails until none is left, a cap is reached or the
    deadline (time.monotonic()) passes."""
    report = SendReport()
    mailbox = get_email_service(brand)
    emails_reconcile(brand=brand, mailbox=mailbox, now=timezone.now(), report=report)
    deadline = deadline or time.monotonic() + settings.EMAIL_SEND_BUDGET_SECONDS
    while time.monotonic() < deadline:
        email = email_claim_next(brand=brand, now=timezone.now(), report=report)
        if email is None:
            break
        email_deliver(email=email, brand=brand, mailbox=mailbox, report=report)
    return report


def emails_send_scheduled(*, budget_seconds: float | None = None) -> dict[str, SendReport]:
    """Every active brand with due emails, one after the other (crm.tasks.send_scheduled_emails)."""
    due = Q(emails__status=EmailStatus.PENDING) | Q(
        emails__status__in=[EmailStatus.SENDING, EmailStatus.NEEDS_RECONCILE]
    )
    brand_ids = set(Deal.objects.filter(due).values_list("pipeline__brand_id", flat=True))
    deadline = time.monotonic() + (budget_seconds or settings.EMAIL_SEND_BUDGET_SECONDS)
    return {
        brand.slug: brand_send_due(brand=brand, deadline=deadline)
        for brand in Brand.objects.filter(pk__in=brand_ids, is_active=True).order_by("pk")
    }
