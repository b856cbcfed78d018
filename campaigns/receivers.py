"""What recipients did, from crm.signals.email_event: each campaign recipient keeps its first
human open and click, the proxies' and scanners' apart, every click, and its reply, bounce and
unsubscribe times. Runs in the transaction that recorded the event on the email."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F
from django.dispatch import receiver

from campaigns.models import CampaignClick, CampaignRecipient
from crm.models import EmailKind, EmailLog
from crm.signals import email_event

FIRST_TIME = {"replied": "replied_at", "bounced": "bounced_at", "unsubscribed": "unsubscribed_at"}


@receiver(email_event, dispatch_uid="campaigns.recipient_event")
def recipient_event(
    sender: Any, *, email: EmailLog, event: str, at: datetime, machine: bool, url: str = "", user_agent: str = "",
    **kwargs: Any,
) -> None:  # fmt: skip
    if email.kind != EmailKind.CAMPAIGN:
        return
    recipient = CampaignRecipient.objects.filter(email_id=email.pk)
    if event == "opened":
        _first(recipient, "machine_opened_at" if machine else "opened_at", at)
        recipient.update(open_count=F("open_count") + 1)
    elif event == "clicked":
        row = recipient.values("pk", "campaign_id").first()
        if row is None:
            return
        CampaignClick.objects.create(
            campaign_id=row["campaign_id"], recipient_id=row["pk"], url=url[:2000], clicked_at=at,
            user_agent=user_agent[:500], is_machine=machine,
        )  # fmt: skip
        if not machine:
            _first(recipient, "clicked_at", at)
            _first(recipient, "opened_at", at)  # a person who clicked opened it, whatever the pixel saw
            recipient.update(click_count=F("click_count") + 1)
    elif event in FIRST_TIME:
        _first(recipient, FIRST_TIME[event], at)


def _first(recipient: Any, field: str, at: datetime) -> None:
    recipient.filter(**{f"{field}__isnull": True}).update(**{field: at})
