"""Celery tasks of the CRM: thin, ids in, one service call each, safe to run twice.

Names as in the implementation plan and the workflow guide. Each task claims
what it works on (a deal's lease, an email's pending -> sending, an inbound
message's processed_at, an import's status), so a redelivered or concurrent
run finds nothing left to do. Long waits live in the database
(next_action_date, scheduled_for), never in countdowns.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from crm.models import Brand
from crm.services.autopilot import deal_autopilot_run, deal_email_queue_claimed, deals_due
from crm.services.backlinks import (
    backlink_claim,
    backlink_pitch_write,
    backlink_verify,
    backlinks_verify_due,
)
from crm.services.imports import contact_import_process
from crm.services.replies import brand_check_replies
from crm.services.review import brand_daily_review, brands_due_for_review
from crm.services.sending import brand_send_due, emails_send_scheduled
from crm_site.claims import new_owner

logger = logging.getLogger(__name__)


@shared_task(name="crm.tasks.process_pending_deals")
def process_pending_deals() -> int:
    """Hourly: hand each deal whose next action is due to run_deal_autopilot, which claims it."""
    deal_ids = deals_due()
    for deal_id in deal_ids:
        run_deal_autopilot.delay(str(deal_id), only_if_due=True)
    return len(deal_ids)


@shared_task(name="crm.tasks.run_deal_autopilot")
def run_deal_autopilot(deal_id: str, only_if_due: bool = False) -> dict[str, Any] | None:
    """Claim one deal, decide and act (from process_pending_deals, only if still due; from a person, now)."""
    return deal_autopilot_run(deal_id=deal_id, only_if_due=only_if_due)


@shared_task(name="crm.tasks.send_scheduled_emails")
def send_scheduled_emails() -> dict[str, Any]:
    """Every 15 minutes: reconcile abandoned sends, then send due emails within windows and caps."""
    return {slug: asdict(report) for slug, report in emails_send_scheduled().items()}


@shared_task(name="crm.tasks.send_brand_emails")
def send_brand_emails(brand_id: int) -> dict[str, Any] | None:
    """One brand's due emails now (a campaign that queued mail asks for it), within window and caps."""
    brand = Brand.objects.filter(pk=brand_id, is_active=True).first()
    return asdict(brand_send_due(brand=brand)) if brand is not None else None


@shared_task(name="crm.tasks.check_email_replies")
def check_email_replies(brand_id: int | None = None) -> dict[str, Any]:
    """Every 30 minutes: read each brand's new inbox messages and act on the replies (one brand's
    at once when an answer is simulated in the outbox)."""
    reports: dict[str, Any] = {}
    brands = Brand.objects.filter(is_active=True)
    for brand in brands.filter(pk=brand_id) if brand_id is not None else brands:
        try:
            reports[brand.slug] = asdict(brand_check_replies(brand=brand))
        except SoftTimeLimitExceeded:
            raise
        except Exception as exc:  # one brand's trouble does not stop the others
            logger.exception("checking the replies of %s failed", brand.slug)
            reports[brand.slug] = {"error": f"{type(exc).__name__}: {exc}"}
    return reports


@shared_task(name="crm.tasks.daily_ai_review")
def daily_ai_review() -> list[str]:
    """Hourly; reviews each brand once a day from 09:00 in the brand's time zone."""
    done = []
    for brand in brands_due_for_review():
        if brand_daily_review(brand=brand) is not None:
            done.append(brand.slug)
    return done


@shared_task(name="crm.tasks.queue_deal_email")
def queue_deal_email(deal_id: str, email_type: str = "") -> str | None:
    """Compose the deal's next email now and queue it (send_scheduled_emails sends it); nothing
    when another run holds the deal or the step is already queued."""
    email = deal_email_queue_claimed(deal_id=deal_id, email_type=email_type)
    return str(email.pk) if email is not None else None


@shared_task(name="crm.tasks.process_contact_import", soft_time_limit=1740, time_limit=1800)
def process_contact_import(import_id: str) -> str | None:
    """Import an uploaded ContactImport file (claims it; a second delivery does nothing)."""
    contact_import = contact_import_process(import_id=import_id)
    return contact_import.status if contact_import else None


@shared_task(name="crm.tasks.verify_backlinks", soft_time_limit=1740, time_limit=1800)
def verify_backlinks() -> dict[str, int]:
    """Hourly: check each placed backlink that is due (weekly by default) is still on its page."""
    return backlinks_verify_due()


@shared_task(name="crm.tasks.verify_backlink", soft_time_limit=120, time_limit=150)
def verify_backlink(opportunity_id: int) -> str | None:
    """Check one opportunity's link now (the admin action and the API's verify)."""
    owner = new_owner()
    if backlink_claim(owner=owner, opportunity_id=opportunity_id) is None:
        return None  # another check holds it, or the link is not placed
    check = backlink_verify(opportunity_id=opportunity_id, owner=owner)
    return check.state if check else None


@shared_task(name="crm.tasks.write_backlink_pitch")
def write_backlink_pitch(opportunity_id: int) -> str | None:
    """The AI's pitch angle for an opportunity (rules offline)."""
    from crm.models import BacklinkOpportunity

    opportunity = (
        BacklinkOpportunity.objects.select_related("brand", "contact", "deal").filter(pk=opportunity_id).first()
    )
    if opportunity is None:
        return None
    return backlink_pitch_write(opportunity=opportunity).outreach_angle
