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
import uuid
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone

from crm.errors import EmailError
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
    MailboxState,
    SequenceStep,
)
from crm.services.email_service import get_email_service
from crm_site.db import relaxed_commit
from integrations.zoho import ZohoError

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
SEND_BATCH = 200
BATCH_SECONDS = 1.0
CANDIDATE_SLACK = 5
# One statement, many rows (executemany: a single round trip on psycopg).
MARK_SENT_SQL = f"""
UPDATE {EmailLog._meta.db_table} SET status = '{EmailStatus.SENT.value}', sent_at = %s, error = '', provider = %s,
    provider_message_id = %s, provider_thread_id = %s, rfc_message_id = %s
WHERE id = %s
"""  # noqa: S608 - table and status are constants
COUNT_ON_DEAL_SQL = f"""
UPDATE {Deal._meta.db_table} SET emails_sent = emails_sent + %s,
    next_action_date = CASE WHEN status = '{DealStatus.ACTIVE.value}' THEN %s ELSE next_action_date END, updated_at = %s
WHERE id = %s
"""  # noqa: S608 - table and status are constants
COUNTED_STATUSES = (EmailStatus.SENDING, EmailStatus.SENT, EmailStatus.NEEDS_RECONCILE)
# Why the gate cancels a suppressed contact's email (campaigns count these as skipped).
SKIP_UNSUBSCRIBED = "the contact unsubscribed"
SKIP_BOUNCED = "the contact's address bounced"


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    cancelled: int = 0
    needs_reconcile: int = 0
    reconciled: int = 0
    held: int = 0  # pending emails of a brand that cannot send (no credentials): kept for later
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
) -> EmailLog | None:
    """Create a pending EmailLog for `deal`; send_scheduled_emails picks it up. None when the
    deal already has this sequence step queued or sent (two runs composed the same step)."""
    try:
        with transaction.atomic():
            email = EmailLog.objects.create(
                deal=deal,
                brand_id=deal.pipeline.brand_id,
                contact_id=deal.contact_id,
                sequence_step=step,
                to_email=deal.contact.email,
                subject=subject[:300],
                body=body,
                ai_generated=ai_generated,
                scheduled_for=scheduled_for,
            )
            DealActivity.objects.create(
                deal=deal,
                activity_type=ActivityType.EMAIL_QUEUED,
                description=subject,
                metadata={"email": str(email.pk)},
            )
    except IntegrityError:
        if step is None:
            raise
        logger.info("deal %s: step %s is already queued or sent; not queued again", deal.pk, step.pk)
        return None
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
    return zoneinfo.ZoneInfo(email.contact.timezone) if email.contact.timezone else brand.zone


def _gate(
    email: EmailLog, brand: Brand, now: datetime, last_reply: dict[object, datetime], *, window: bool = True
) -> tuple[str, str | datetime | None]:
    """("send", None) | ("cancel", reason) | ("defer", until). `last_reply`: deal id -> latest reply.
    Campaign mail has no deal: only the contact's suppression and the window apply (unless not
    `window`: staff sending one email now)."""
    contact, deal = email.contact, email.deal
    if contact.unsubscribed_at:
        return "cancel", SKIP_UNSUBSCRIBED
    if contact.bounced_at:
        return "cancel", SKIP_BOUNCED
    if deal is not None:
        if deal.status in (DealStatus.WON, DealStatus.LOST):
            return "cancel", f"the deal is {deal.status}"
        replied = last_reply.get(deal.pk)
        if replied is not None and replied >= email.created_at:
            return "cancel", "the contact replied; the sequence stopped"
        if deal.status == DealStatus.PAUSED:
            return "defer", now + timedelta(hours=1)
    zone = recipient_zone(email, brand)
    if window and not brand.in_send_window(now, zone):
        return "defer", next_window_start(brand, zone, now)
    return "send", None


def _last_replies(emails: list[EmailLog]) -> dict[object, datetime]:
    rows = (
        EmailLog.objects.filter(
            deal_id__in={e.deal_id for e in emails if e.deal_id is not None}, replied=True, replied_at__isnull=False
        )
        .values("deal_id")
        .annotate(last=Max("replied_at"))
    )
    return {row["deal_id"]: row["last"] for row in rows}


def _room_under_caps(brand: Brand, now: datetime) -> int:
    """How many more emails the brand may send now under its hourly and daily caps."""
    counted = EmailLog.objects.filter(
        brand=brand, status__in=COUNTED_STATUSES, claimed_at__gte=now - timedelta(days=1)
    ).aggregate(hour=Count("id", filter=Q(claimed_at__gte=now - timedelta(hours=1))), day=Count("id"))
    return min(brand.hourly_send_cap - int(counted["hour"]), brand.daily_send_cap - int(counted["day"]))


def emails_claim(*, brand: Brand, now: datetime, report: SendReport, limit: int = SEND_BATCH) -> list[EmailLog]:
    """Claim up to `limit` of the brand's next sendable emails (pending -> sending, committed).

    A batch shares one lock, one caps check and a few set-wide queries; a worker that dies after
    claiming leaves its unsent rows in `sending`, which reconciliation settles (never resends).
    """
    with transaction.atomic():
        Brand.objects.select_for_update().filter(pk=brand.pk).first()  # one claimer per brand: caps hold
        room = min(limit, _room_under_caps(brand, now))
        if room <= 0:
            report.cap_reached = True
            return []
        chosen = _choose(brand, now, room, report)
        ids = [email.pk for email in chosen]
        updated = EmailLog.objects.filter(pk__in=ids, status=EmailStatus.PENDING).update(
            status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        if updated < len(ids):  # something (a reply, an unsubscribe) changed a few meanwhile
            ids = list(
                EmailLog.objects.filter(pk__in=ids, status=EmailStatus.SENDING, claimed_at=now).values_list(
                    "pk", flat=True
                )
            )
            chosen = [email for email in chosen if email.pk in set(ids)]
        for email in chosen:
            email.status, email.claimed_at, email.attempts = EmailStatus.SENDING, now, email.attempts + 1
        return chosen


def _choose(brand: Brand, now: datetime, room: int, report: SendReport) -> list[EmailLog]:
    """The next `room` sendable emails, in queue order; cancel or defer the others met on the way.

    Every email looked at is chosen, cancelled or deferred, so each pass makes progress.
    One-to-one mail goes before campaign mail (priority), then the order queued.
    """
    due = Q(scheduled_for__isnull=True) | Q(scheduled_for__lte=now)
    queue = (
        EmailLog.objects.filter(due, brand=brand, status=EmailStatus.PENDING)
        .select_related("contact", "deal__current_stage")
        .order_by("priority", "created_at")
    )
    chosen: list[EmailLog] = []
    while len(chosen) < room:
        want = room - len(chosen) + CANDIDATE_SLACK
        candidates = list(queue.exclude(pk__in=[e.pk for e in chosen])[:want])
        cancel: dict[str, list[object]] = defaultdict(list)
        defer: dict[datetime, list[object]] = defaultdict(list)
        replies = _last_replies(candidates)
        for email in candidates:
            verdict, detail = _gate(email, brand, now, replies)
            if verdict == "cancel":
                cancel[str(detail)].append(email.pk)
            elif verdict == "defer":
                defer[detail].append(email.pk)  # type: ignore[index]
            elif len(chosen) < room:
                chosen.append(email)
        _settle_others(cancel, defer, report)
        if len(candidates) < want:
            break  # the queue is empty
    return chosen


def _settle_others(cancel: dict[str, list[object]], defer: dict[datetime, list[object]], report: SendReport) -> None:
    pending = EmailLog.objects.filter(status=EmailStatus.PENDING)
    for reason, ids in cancel.items():
        report.cancelled += pending.filter(pk__in=ids).update(status=EmailStatus.CANCELLED, error=reason)
    for until, ids in defer.items():
        report.deferred += pending.filter(pk__in=ids).update(scheduled_for=until)


def email_claim_next(*, brand: Brand, now: datetime, report: SendReport) -> EmailLog | None:
    claimed = emails_claim(brand=brand, now=now, report=report, limit=1)
    return claimed[0] if claimed else None


# --- delivery ---------------------------------------------------------------------------------


def email_deliver(*, email: EmailLog, brand: Brand, mailbox: Mailbox, report: SendReport) -> SendResult | None:
    """Send a claimed (sending) email once; a failure is recorded here, a success by the caller."""
    rendered = render(
        body=email.body,
        tracking_token=email.tracking_token,
        send_key=email.send_key,
        sender=brand.from_name or brand.name,
        text=email.text_body,
    )
    headers = {
        "List-Unsubscribe": f"<{rendered.unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    try:
        return mailbox.send(email.to_email, email.subject, rendered.html, rendered.text, headers)
    except (ZohoError, MailboxError) as exc:
        _after_failure(email, exc, report)
        return None


def email_mark_sent(*, email: EmailLog, result: SendResult, sent_at: datetime) -> bool:
    """sending (or needs_reconcile) -> sent, once; the deal counts the email and waits for a reply."""
    return emails_mark_sent([(email, result, sent_at)]) == 1


def emails_mark_sent(delivered: list[tuple[EmailLog, SendResult, datetime]]) -> int:
    """Record sends in one transaction of a few set-wide statements. Its commit need not wait for
    the disk: if it is lost, the rows stay in `sending` and reconciliation finds them in the Sent folder."""
    if not delivered:
        return 0
    with transaction.atomic():
        relaxed_commit()
        ours = set(
            EmailLog.objects.select_for_update()
            .filter(
                pk__in=[e.pk for e, _, _ in delivered], status__in=[EmailStatus.SENDING, EmailStatus.NEEDS_RECONCILE]
            )
            .values_list("pk", flat=True)
        )
        delivered = [row for row in delivered if row[0].pk in ours]
        with connection.cursor() as cursor:
            cursor.executemany(MARK_SENT_SQL, [_sent_values(e, r, at) for e, r, at in delivered])
        _count_on_deals(delivered)
        DealActivity.objects.bulk_create(
            DealActivity(
                deal_id=email.deal_id,
                activity_type=ActivityType.EMAIL_SENT,
                description=email.subject,
                metadata={"email": str(email.pk), "provider": result.provider},
                created_at=sent_at,
            )
            for email, result, sent_at in delivered
            if email.deal_id is not None
        )
    return len(delivered)


def _count_on_deals(delivered: list[tuple[EmailLog, SendResult, datetime]]) -> None:
    """Each deal counts its emails; an active one now waits (its stage's follow-up days) for a reply."""
    counts: dict[object, int] = defaultdict(int)
    waits: dict[object, datetime] = {}
    for email, _, sent_at in delivered:
        if email.deal is None:
            continue  # campaign mail
        counts[email.deal_id] += 1
        stage = email.deal.current_stage
        waits[email.deal_id] = sent_at + timedelta(days=max(stage.days_until_followup or 1, 1))
    if not counts:
        return
    now = _db(Deal, "updated_at", timezone.now())
    rows = [(n, _db(Deal, "next_action_date", waits[pk]), now, _db(Deal, "id", pk)) for pk, n in counts.items()]
    with connection.cursor() as cursor:
        cursor.executemany(COUNT_ON_DEAL_SQL, rows)


def _sent_values(email: EmailLog, result: SendResult, sent_at: datetime) -> tuple[Any, ...]:
    email.status, email.sent_at = EmailStatus.SENT, sent_at
    at, pk = _db(EmailLog, "sent_at", sent_at), _db(EmailLog, "id", email.pk)
    return (at, result.provider, result.message_id, result.thread_id, result.rfc_message_id, pk)


def _db(model: type[models.Model], field: str, value: object) -> Any:
    """`value` as the database takes it for `model.field` (uuids and datetimes differ by vendor)."""
    return model._meta.get_field(field).get_db_prep_value(value, connection)  # type: ignore[union-attr]


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
        if email.deal_id is not None:
            DealActivity.objects.create(
                deal_id=email.deal_id, activity_type=ActivityType.EMAIL_FAILED, description=message
            )
        report.failed += 1


# --- one email now, at staff's request ------------------------------------------------------------


def email_send_now(*, email: EmailLog) -> EmailLog:
    """Send one queued email at once, even outside the brand's sending window (a person asked for
    it). The caps, the suppression list and the deal's state still apply, and the email is
    claimed like any other, so it goes once. Raises EmailError saying why it was not sent."""
    brand = email.brand
    mailbox = get_email_service(brand)
    if not mailbox.enabled:
        raise EmailError(f"{brand.name} cannot send: {getattr(mailbox, 'reason', 'its mailbox is off')}.")
    refusal = _claim_now(email.pk, brand, timezone.now())
    if refusal:
        raise EmailError(refusal)
    email = EmailLog.objects.select_related("contact").get(pk=email.pk)
    report = SendReport()
    result = email_deliver(email=email, brand=brand, mailbox=mailbox, report=report)
    if result is None:
        raise EmailError(f"Not sent: {'; '.join(report.errors)}")
    emails_mark_sent([(email, result, timezone.now())])
    email.refresh_from_db()
    return email


def _claim_now(pk: uuid.UUID, brand: Brand, now: datetime) -> str:
    """pending -> sending for this one email, or why not ("" when claimed)."""
    with transaction.atomic():
        Brand.objects.select_for_update().filter(pk=brand.pk).first()  # the caps hold against the periodic job
        email = EmailLog.objects.select_related("contact", "deal").get(pk=pk)
        if email.status != EmailStatus.PENDING:
            return f"This email is {email.get_status_display().lower()}; only a queued email can be sent now."
        if _room_under_caps(brand, now) <= 0:
            return f"{brand.name} has sent as many emails as its hourly or daily cap allows; try later."
        verdict, detail = _gate(email, brand, now, _last_replies([email]), window=False)
        if verdict == "cancel":
            EmailLog.objects.filter(pk=pk, status=EmailStatus.PENDING).update(
                status=EmailStatus.CANCELLED, error=detail
            )
            return f"Not sent and cancelled: {detail}."
        if verdict == "defer":
            return "The deal is paused; resume it to send its emails."
        EmailLog.objects.filter(pk=pk).update(status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return ""


# --- reconciliation -----------------------------------------------------------------------------


def emails_reconcile(*, brand: Brand, mailbox: Mailbox, now: datetime, report: SendReport) -> None:
    """Settle rows a worker left in `sending`, and look again for those waiting in needs_reconcile."""
    stale = now - timedelta(seconds=settings.EMAIL_SENDING_STALE_SECONDS)
    rows = EmailLog.objects.filter(brand=brand).filter(
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
    deadline (time.monotonic()) passes.

    Emails are claimed in batches of about one second of sending (measured as it goes, between
    1 and SEND_BATCH): large enough to share the database work, small enough that a worker
    killed mid-batch strands only a second's worth in `sending` for reconciliation.
    """
    report = SendReport()
    mailbox = get_email_service(brand)
    if not mailbox.enabled:
        return _hold(brand, mailbox, report)
    emails_reconcile(brand=brand, mailbox=mailbox, now=timezone.now(), report=report)
    deadline = deadline or time.monotonic() + settings.EMAIL_SEND_BUDGET_SECONDS
    size = 1
    while time.monotonic() < deadline:
        batch = emails_claim(brand=brand, now=timezone.now(), report=report, limit=size)
        if not batch:
            break
        started = time.monotonic()
        delivered = []
        for email in batch:
            result = email_deliver(email=email, brand=brand, mailbox=mailbox, report=report)
            if result is not None:
                delivered.append((email, result, timezone.now()))
        report.sent += emails_mark_sent(delivered)
        per_email = (time.monotonic() - started) / len(batch)
        size = max(1, min(SEND_BATCH, int(BATCH_SECONDS / max(per_email, 1e-3))))
    return report


def _hold(brand: Brand, mailbox: Mailbox, report: SendReport) -> SendReport:
    """Nothing goes out and nothing is reported sent: the brand's pending emails wait, each
    showing why, and its mailbox state says so for the dashboard."""
    reason = getattr(mailbox, "reason", "the mailbox is not enabled")
    pending = EmailLog.objects.filter(brand=brand, status=EmailStatus.PENDING)
    report.held = pending.update(error=f"Held: {reason}")
    report.errors.append(reason)
    MailboxState.objects.update_or_create(
        brand=brand, defaults={"last_error": f"Not sending: {reason}", "last_error_at": timezone.now()}
    )
    logger.warning("brand %s is not sending (%d emails held): %s", brand.slug, report.held, reason)
    return report


def emails_send_scheduled(*, budget_seconds: float | None = None) -> dict[str, SendReport]:
    """Every active brand with due emails, one after the other (crm.tasks.send_scheduled_emails)."""
    waiting = EmailLog.objects.filter(
        brand=OuterRef("pk"), status__in=[EmailStatus.PENDING, EmailStatus.SENDING, EmailStatus.NEEDS_RECONCILE]
    )  # one probe of email_brand_queue per brand
    deadline = time.monotonic() + (budget_seconds or settings.EMAIL_SEND_BUDGET_SECONDS)
    return {
        brand.slug: brand_send_due(brand=brand, deadline=deadline)
        for brand in Brand.objects.filter(Exists(waiting), is_active=True).order_by("pk")
    }
