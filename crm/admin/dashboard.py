"""The admin index as a CRM dashboard (settings.UNFOLD["DASHBOARD_CALLBACK"]).

A funnel per pipeline (deals and value per stage), emails sent, opened and
replied over the last 7 and 30 days, and the latest AI decisions, for the
brands the user may see. A fixed number of queries (crm.selectors.analytics).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from crm.models import AIDecisionLog, Brand, DailySummary, Deal, Pipeline
from crm.selectors.analytics import EmailFigures, PipelineFigures, email_totals, pipeline_figures
from crm.services.email_service import brands_not_sending
from lib.money import money

RECENT_DECISIONS = 8


def _funnel_chart(figures: PipelineFigures) -> str:
    stages = [stage for stage in figures.stages if not stage.is_terminal or stage.outcome == "won"]
    return json.dumps(
        {
            "labels": [stage.name for stage in stages],
            "datasets": [
                {
                    "label": "Deals",
                    "data": [stage.deals for stage in stages],
                    "backgroundColor": "var(--color-primary-600)",
                    "maxBarThickness": 36,
                    "borderRadius": 4,
                }
            ],
        }
    )


def _email_card(label: str, figures: EmailFigures) -> dict[str, Any]:
    def rate(value: float | None) -> str:
        return f"{value:.0%}" if value is not None else "–"

    return {
        "label": label,
        "sent": figures.sent,
        "opened": figures.opened,
        "replied": figures.replied,
        "open_rate": rate(figures.open_rate),
        "reply_rate": rate(figures.reply_rate),
    }


def dashboard_callback(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    if not request.user.has_perm("crm.view_deal"):
        return context
    now = timezone.now()
    pipelines = Pipeline.objects.visible_to(request.user).filter(is_active=True)
    funnels = pipeline_figures(pipelines=pipelines, since=now - timedelta(days=30), until=now)
    decisions = (
        AIDecisionLog.objects.filter(deal__in=Deal.objects.visible_to(request.user))
        .select_related("deal__contact")
        .order_by("-created_at")[:RECENT_DECISIONS]
    )
    context.update(
        {
            "crm_dashboard": True,
            "funnels": [{"figures": f, "chart": _funnel_chart(f)} for f in funnels],
            "open_deals": sum(f.open_deals for f in funnels),
            "open_value": sum((f.open_value for f in funnels), 0),
            "open_value_text": _total_value(funnels),
            "email_cards": [
                _email_card("Last 7 days", email_totals(pipelines=pipelines, since=now - timedelta(days=7), until=now)),
                _email_card(
                    "Last 30 days",
                    email_totals(pipelines=pipelines, since=now - timedelta(days=30), until=now),
                ),
            ],
            "decisions": decisions,
            "summaries": _latest_summaries(request, now),
            "needs_review": Deal.objects.visible_to(request.user).filter(needs_review=True).count(),
            "not_sending": brands_not_sending(Brand.objects.visible_to(request.user)),
        }
    )
    return context


def _total_value(funnels: list[PipelineFigures]) -> str:
    """The open value of every funnel: in their currency when they share one, else a plain sum."""
    total = sum((f.open_value for f in funnels), 0)
    currencies = {f.currency for f in funnels}
    return money(total, currencies.pop()) if len(currencies) == 1 else f"{total:,.0f}"


def _latest_summaries(request: HttpRequest, now: datetime) -> list[DailySummary]:
    """The newest daily summary of each brand the user sees (from the last three days)."""
    recent = (
        DailySummary.objects.filter(
            brand__in=Brand.objects.visible_to(request.user), date__gte=(now - timedelta(days=3)).date()
        )
        .select_related("brand")
        .order_by("brand__name", "-date")
    )
    latest: dict[int, DailySummary] = {}
    for summary in recent:
        latest.setdefault(summary.brand_id, summary)
    return list(latest.values())
