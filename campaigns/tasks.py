"""Celery tasks of the campaigns: thin, ids in, each claims the campaign it works on."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from celery import shared_task
from kombu.exceptions import OperationalError

from campaigns.models import Campaign
from campaigns.services import campaign_run, campaigns_due
from crm.tasks import send_brand_emails

logger = logging.getLogger(__name__)


@shared_task(name="campaigns.tasks.run_campaigns")
def run_campaigns() -> int:
    """Every minute: each campaign that is due or sending, moved on by run_campaign."""
    ids = campaigns_due()
    for campaign_id in ids:
        run_campaign.delay(campaign_id)
    return len(ids)


@shared_task(name="campaigns.tasks.run_campaign", soft_time_limit=240, time_limit=300)
def run_campaign(campaign_id: int) -> dict[str, Any] | None:
    """Claim one campaign and move it on (start it, queue a minute's worth of its mail, choose the
    A/B winner, finish it); the brand's sender is asked to send what was queued."""
    report = campaign_run(campaign_id=campaign_id)
    if report is None:
        return None
    if report.queued:
        brand_id = Campaign.objects.filter(pk=campaign_id).values_list("brand_id", flat=True).first()
        if brand_id is not None:
            send_brand_emails.delay(brand_id)
    return asdict(report)


def campaign_nudge(campaign_id: int) -> None:
    """Run the campaign now rather than at the next minute; with the broker away, beat's
    run_campaigns starts it once the broker is back (the campaign's state is in the database)."""
    try:
        run_campaign.delay(campaign_id)
    except OperationalError as exc:
        logger.warning("campaign %s waits for the next beat: the broker is away (%s)", campaign_id, exc)
