"""Campaign figures: what the analytics and statistics endpoints answer and the admin charts.

Rates are percentages of the emails sent. Opens and clicks are people's: what image proxies and
link scanners did is counted apart (`machine_opens`, `machine_clicks`) and left out of the rates.
`opened` counts every human open, `unique_opens` the recipients who opened; likewise clicks.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncHour

from campaigns.models import Campaign, CampaignClick, CampaignRecipient, CampaignStatus, RecipientState
from campaigns.services import campaign_sync, rate, variant_figures

COUNTS = {
    "recipients": Count("pk"),
    "sent": Count("pk", filter=Q(state=RecipientState.SENT)),
    "skipped": Count("pk", filter=Q(state=RecipientState.SKIPPED)),
    "failed": Count("pk", filter=Q(state=RecipientState.FAILED)),
    "waiting": Count("pk", filter=Q(state__in=[RecipientState.PENDING, RecipientState.QUEUED])),
    "unique_opens": Count("pk", filter=Q(opened_at__isnull=False)),
    "machine_opens": Count("pk", filter=Q(opened_at__isnull=True, machine_opened_at__isnull=False)),
    "unique_clicks": Count("pk", filter=Q(clicked_at__isnull=False)),
    "bounced": Count("pk", filter=Q(bounced_at__isnull=False)),
    "unsubscribed": Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    "replied": Count("pk", filter=Q(replied_at__isnull=False)),
    "clicked": Sum("click_count", default=0),
}
RATES = {
    "open_rate": "unique_opens",
    "click_rate": "unique_clicks",
    "bounce_rate": "bounced",
    "unsubscribe_rate": "unsubscribed",
    "reply_rate": "replied",
}


def _figures(recipients: QuerySet[CampaignRecipient], clicks: QuerySet[CampaignClick]) -> dict[str, Any]:
    row = recipients.aggregate(**COUNTS)
    human_opens = recipients.filter(opened_at__isnull=False).aggregate(n=Sum("open_count", default=0))["n"]
    figures: dict[str, Any] = {key: int(row[key] or 0) for key in COUNTS}
    figures["opened"] = int(human_opens)
    figures["machine_clicks"] = clicks.filter(is_machine=True).count()
    sent = figures["sent"]
    for name, key in RATES.items():
        figures[name] = rate(figures[key], sent)
    figures["click_to_open_rate"] = rate(figures["unique_clicks"], figures["unique_opens"])
    return figures


def campaign_analytics(campaign: Campaign) -> dict[str, Any]:
    campaign_sync(campaign)
    recipients = campaign.recipients.all()
    clicks = campaign.clicks.all()
    return {
        "campaign": campaign.pk,
        "name": campaign.name,
        "status": campaign.status,
        **_figures(recipients, clicks),
        "variants": variant_figures(campaign),
        "ab_test": _ab(campaign),
        "links": list(
            clicks.filter(is_machine=False)
            .values("url")
            .annotate(clicks=Count("pk"), unique_clicks=Count("recipient", distinct=True))
            .order_by("-clicks", "url")
        ),
        "opens_per_hour": _per_hour(recipients.filter(opened_at__isnull=False), "opened_at"),
        "clicks_per_hour": _per_hour(clicks.filter(is_machine=False), "clicked_at"),
    }


def _ab(campaign: Campaign) -> dict[str, Any] | None:
    if not campaign.variants.exists():
        return None
    decision = campaign.ab_decision or {}
    return {
        "test_percentage": campaign.ab_test_percentage,
        "wait_hours": campaign.ab_wait_hours,
        "metric": campaign.ab_winner_metric,
        "winner": decision.get("winner"),
        "decided_at": campaign.ab_decided_at,
        "margin": decision.get("margin"),
        "tie": decision.get("tie"),
        "test_figures": decision.get("variants"),
    }


def _per_hour(rows: QuerySet[Any], field: str) -> list[dict[str, Any]]:
    counted = rows.annotate(hour=TruncHour(field)).values("hour").annotate(count=Count("pk")).order_by("hour")
    return [{"hour": row["hour"], "count": row["count"]} for row in counted]


def campaigns_statistics(campaigns: QuerySet[Campaign]) -> dict[str, Any]:
    """The same figures over many campaigns, with how many there are in each state."""
    recipients = CampaignRecipient.objects.filter(campaign__in=campaigns)
    clicks = CampaignClick.objects.filter(campaign__in=campaigns)
    by_status = dict(campaigns.order_by().values_list("status").annotate(n=Count("pk")))
    return {
        "campaigns": sum(by_status.values()),
        "by_status": {status: by_status.get(status, 0) for status in CampaignStatus.values},
        **_figures(recipients, clicks),
    }
