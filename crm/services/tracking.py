"""What a recipient does with an email: opening it (the pixel) and unsubscribing."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from crm.models import ActivityType, Contact, Deal, DealActivity, DealStatus, EmailLog, EmailStatus

# Image proxies and link scanners that fetch pixels without a person opening anything.
MACHINE_AGENTS = re.compile(r"GoogleImageProxy|YahooMailProxy|Outlook-iOS|bot|crawler|scanner|preview", re.I)


def email_record_open(*, token: str, user_agent: str = "") -> EmailLog | None:
    """Count an open; the first one is recorded on the deal's timeline. Unknown tokens change nothing."""
    email = EmailLog.objects.filter(tracking_token=token, status=EmailStatus.SENT).first()
    if email is None:
        return None
    now = timezone.now()
    first = EmailLog.objects.filter(pk=email.pk, opened=False).update(
        opened=True,
        opened_at=now,
        open_count=F("open_count") + 1,
        likely_machine_open=_looks_automated(email, user_agent, now),
    )
    if first:
        DealActivity.objects.create(
            deal_id=email.deal_id, activity_type=ActivityType.EMAIL_OPENED, description=email.subject
        )
    else:
        EmailLog.objects.filter(pk=email.pk).update(open_count=F("open_count") + 1)
    return email


def _looks_automated(email: EmailLog, user_agent: str, now: datetime) -> bool:
    soon = email.sent_at is not None and now - email.sent_at < timedelta(seconds=settings.EMAIL_MACHINE_OPEN_SECONDS)
    return soon or bool(MACHINE_AGENTS.search(user_agent))


def contact_for_token(token: str) -> Contact | None:
    email = EmailLog.objects.select_related("deal__contact").filter(tracking_token=token).first()
    return email.deal.contact if email else None


@transaction.atomic
def contact_unsubscribe(*, token: str, reason: str = "unsubscribe link") -> Contact | None:
    """Suppress the contact of the email with this token: pending emails are cancelled and its
    open deals paused, each with a line on the timeline. Doing it twice changes nothing more."""
    contact = contact_for_token(token)
    if contact is None:
        return None
    return contact_suppress(contact=contact, unsubscribed=True, reason=reason)


def contact_suppress(*, contact: Contact, unsubscribed: bool, reason: str) -> Contact:
    field = "unsubscribed_at" if unsubscribed else "bounced_at"
    if not Contact.objects.filter(pk=contact.pk, **{f"{field}__isnull": True}).update(**{field: timezone.now()}):
        return contact
    EmailLog.objects.filter(deal__contact=contact, status=EmailStatus.PENDING).update(
        status=EmailStatus.CANCELLED, error=f"Contact suppressed: {reason}"
    )
    for deal in Deal.objects.filter(contact=contact, status=DealStatus.ACTIVE):
        Deal.objects.filter(pk=deal.pk).update(status=DealStatus.PAUSED)
        DealActivity.objects.create(
            deal=deal,
            activity_type=ActivityType.STATUS_CHANGED,
            description=f"Paused: {'unsubscribed' if unsubscribed else 'address bounced'} ({reason})",
        )
    contact.refresh_from_db()
    return contact
