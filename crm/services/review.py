"""The daily review: rescore leads, find stuck deals, write a summary (09:00 in each brand's zone)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from crm.ai import CRMAIAgent
from crm.models import (
    OPEN_STATUSES,
    Brand,
    Contact,
    DailySummary,
    Deal,
    DealStatus,
    EmailLog,
    EmailStatus,
    InboundEmail,
    InboundKind,
)
from crm.services.autopilot import deal_flag_for_review

REVIEW_HOUR = 9
RESCORE_LIMIT = 500


def brands_due_for_review(*, now: datetime | None = None) -> list[Brand]:
    """Active brands where it is 09:00 or later today and today's summary is not written yet."""
    now = now or timezone.now()
    due = []
    for brand in Brand.objects.filter(is_active=True):
        local = now.astimezone(brand.zone)
        if local.hour >= REVIEW_HOUR and not DailySummary.objects.filter(brand=brand, date=local.date()).exists():
            due.append(brand)
    return due


def stuck_deals(brand: Brand, now: datetime) -> list[Deal]:
    """Open deals in their stage more than twice its follow-up days."""
    deals = Deal.objects.filter(
        pipeline__brand=brand, status__in=OPEN_STATUSES, current_stage__days_until_followup__gt=0
    )
    return [
        deal
        for deal in deals.select_related("contact", "current_stage")
        if now - deal.stage_entered_at > timedelta(days=2 * (deal.current_stage.days_until_followup or 0))
    ]


def brand_daily_review(
    *, brand: Brand, now: datetime | None = None, agent: CRMAIAgent | None = None
) -> DailySummary | None:
    """Write today's summary for `brand` once (None if it exists already)."""
    now = now or timezone.now()
    today = now.astimezone(brand.zone).date()
    if DailySummary.objects.filter(brand=brand, date=today).exists():
        return None
    rescored = _rescore(brand, agent or CRMAIAgent())
    stuck = stuck_deals(brand, now)
    for deal in stuck:
        if not deal.needs_review:
            deal_flag_for_review(
                deal=deal, reason=f"Stuck in {deal.current_stage.name} since {deal.stage_entered_at:%d %b}."
            )
    figures = _figures(brand, today, rescored, stuck)
    try:
        with transaction.atomic():
            return DailySummary.objects.create(
                brand=brand, date=today, text=_text(brand, figures, stuck), figures=figures
            )
    except IntegrityError:
        return None  # another run wrote it first


def _rescore(brand: Brand, agent: CRMAIAgent) -> int:
    contacts = Contact.objects.filter(brand=brand, deals__status__in=OPEN_STATUSES).distinct()[:RESCORE_LIMIT]
    count = 0
    for contact in contacts:
        Contact.objects.filter(pk=contact.pk).update(ai_score=agent.score_lead(contact))
        count += 1
    return count


def _figures(brand: Brand, day: date, rescored: int, stuck: list[Deal]) -> dict[str, object]:
    start = datetime.combine(day - timedelta(days=1), time.min, tzinfo=brand.zone)
    end = start + timedelta(days=1)
    emails = EmailLog.objects.filter(deal__pipeline__brand=brand)
    deals = Deal.objects.filter(pipeline__brand=brand)
    inbound = InboundEmail.objects.filter(brand=brand, received_at__gte=start, received_at__lt=end)
    return {
        "open_deals": deals.filter(status__in=OPEN_STATUSES).count(),
        "needs_review": deals.filter(needs_review=True).count(),
        "won_yesterday": deals.filter(
            status=DealStatus.WON, stage_entered_at__gte=start, stage_entered_at__lt=end
        ).count(),
        "sent_yesterday": emails.filter(sent_at__gte=start, sent_at__lt=end).count(),
        "opened_yesterday": emails.filter(opened_at__gte=start, opened_at__lt=end).count(),
        "replies_yesterday": inbound.filter(kind=InboundKind.REPLY).count(),
        "bounces_yesterday": inbound.filter(kind=InboundKind.BOUNCE).count(),
        "needs_reconcile": emails.filter(status=EmailStatus.NEEDS_RECONCILE).count(),
        "pending": emails.filter(status=EmailStatus.PENDING).count(),
        "rescored": rescored,
        "stuck": len(stuck),
        "by_stage": list(
            deals.filter(status__in=OPEN_STATUSES)
            .values(stage_name=F("current_stage__name"), pipeline_name=F("pipeline__name"))
            .annotate(deals=Count("id"))
            .order_by("pipeline_name", "stage_name")
        ),
    }


def _text(brand: Brand, figures: dict[str, object], stuck: list[Deal]) -> str:
    lines = [
        f"{brand.name}: {figures['open_deals']} open deals, {figures['needs_review']} waiting for a person.",
        f"Yesterday: {figures['sent_yesterday']} emails sent, {figures['opened_yesterday']} opened, "
        f"{figures['replies_yesterday']} replies, {figures['bounces_yesterday']} bounces, "
        f"{figures['won_yesterday']} won.",
        f"Queue: {figures['pending']} pending, {figures['needs_reconcile']} to reconcile by hand.",
        f"Rescored {figures['rescored']} leads.",
    ]
    if stuck:
        names = ", ".join(f"{d.contact.email} ({d.current_stage.name})" for d in stuck[:10])
        lines.append(f"Stuck ({len(stuck)}): {names}" + (" ..." if len(stuck) > 10 else ""))
    return "\n".join(lines)
