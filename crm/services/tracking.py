"""What a recipient does with an email: opening it (the pixel), clicking a link (the signed
redirect) and unsubscribing. Each is recorded on the email and told through crm.signals.

Machines open and click too: Apple Mail's privacy proxy fetches every image, Gmail's and Yahoo's
proxies fetch on delivery, and link scanners (Safe Links, Mimecast, Proofpoint) click every link
within seconds of delivery. Such events are kept, flagged `machine`, and left out of human rates.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from crm.mail.content import link_for_signature
from crm.models import ActivityType, Contact, Deal, DealActivity, DealStatus, EmailLog, EmailStatus
from crm.signals import email_event

# Image proxies, link scanners and crawlers that fetch without a person opening anything.
MACHINE_AGENTS = re.compile(
    r"GoogleImageProxy|YahooMailProxy|Outlook-iOS|bot|crawler|spider|scanner|preview|headless|python-requests|"
    r"curl/|wget/|Go-http-client|okhttp|Barracuda|Mimecast|Proofpoint|SafeLinks|Microsoft Office Protocol",
    re.I,
)
APPLE_PROXY_AGENT = "Mozilla/5.0"  # Apple Mail Privacy Protection fetches with exactly this, from Apple's network
APPLE_NETWORK = ipaddress.ip_network("17.0.0.0/8")


def email_record_open(*, token: str, user_agent: str = "", ip: str = "") -> EmailLog | None:
    """Count an open; the first one is recorded on the deal's timeline. Unknown tokens change nothing."""
    email = EmailLog.objects.filter(tracking_token=token, status=EmailStatus.SENT).first()
    if email is None:
        return None
    now = timezone.now()
    machine = _looks_automated(email, user_agent, ip, now, settings.EMAIL_MACHINE_OPEN_SECONDS)
    with transaction.atomic():
        first = EmailLog.objects.filter(pk=email.pk, opened=False).update(
            opened=True, opened_at=now, open_count=F("open_count") + 1, likely_machine_open=machine
        )
        if first and email.deal_id is not None:
            DealActivity.objects.create(
                deal_id=email.deal_id, activity_type=ActivityType.EMAIL_OPENED, description=email.subject
            )
        elif not first:
            EmailLog.objects.filter(pk=email.pk).update(open_count=F("open_count") + 1)
        email_event.send(EmailLog, email=email, event="opened", at=now, machine=machine)
    return email


def email_record_click(*, token: str, signature: str, user_agent: str = "", ip: str = "") -> str | None:
    """The link of a sent email that `signature` signs, the click recorded; None (nothing recorded)
    when the token or the signature is not one of ours: the redirect then answers 404."""
    email = EmailLog.objects.filter(tracking_token=token, status=EmailStatus.SENT).first()
    if email is None:
        return None
    url = link_for_signature(email.body, token, signature)
    if url is None:
        return None
    now = timezone.now()
    machine = _looks_automated(email, user_agent, ip, now, settings.EMAIL_MACHINE_CLICK_SECONDS)
    with transaction.atomic():
        first = not machine and EmailLog.objects.filter(pk=email.pk, clicked=False).update(clicked=True, clicked_at=now)
        if first and email.deal_id is not None:
            DealActivity.objects.create(
                deal_id=email.deal_id, activity_type=ActivityType.EMAIL_CLICKED, description=url[:500]
            )
        email_event.send(
            EmailLog, email=email, event="clicked", at=now, machine=machine, url=url, user_agent=user_agent[:500]
        )
    return url


def _looks_automated(email: EmailLog, user_agent: str, ip: str, now: datetime, within_seconds: int) -> bool:
    soon = email.sent_at is not None and now - email.sent_at < timedelta(seconds=within_seconds)
    return soon or bool(MACHINE_AGENTS.search(user_agent)) or _apple_proxy(user_agent, ip)


def _apple_proxy(user_agent: str, ip: str) -> bool:
    if user_agent.strip() == APPLE_PROXY_AGENT:
        return True
    try:
        return ipaddress.ip_address(ip) in APPLE_NETWORK
    except ValueError:
        return False


def contact_for_token(token: str) -> Contact | None:
    email = EmailLog.objects.select_related("contact").filter(tracking_token=token).first()
    return email.contact if email else None


@transaction.atomic
def contact_unsubscribe(*, token: str, reason: str = "unsubscribe link") -> Contact | None:
    """Suppress the contact of the email with this token: pending emails are cancelled and its
    open deals paused, each with a line on the timeline. Doing it twice changes nothing more."""
    email = EmailLog.objects.select_related("contact").filter(tracking_token=token).first()
    if email is None:
        return None
    already = email.contact.unsubscribed_at is not None
    contact = contact_suppress(contact=email.contact, unsubscribed=True, reason=reason)
    if not already:
        email_event.send(EmailLog, email=email, event="unsubscribed", at=contact.unsubscribed_at, machine=False)
    return contact


def contact_suppress(*, contact: Contact, unsubscribed: bool, reason: str) -> Contact:
    field = "unsubscribed_at" if unsubscribed else "bounced_at"
    if not Contact.objects.filter(pk=contact.pk, **{f"{field}__isnull": True}).update(**{field: timezone.now()}):
        return contact
    EmailLog.objects.filter(contact=contact, status=EmailStatus.PENDING).update(
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
