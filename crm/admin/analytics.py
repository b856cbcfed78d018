"""The admin's Analytics page (/admin/crm/deal/analytics/): the API's figures, drawn.

The filters are the API's (brand, pipeline, dates) and are checked by the same serializer; the
figures come from the same selectors, so the page and `/api/core/analytics/` always agree.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.admin import ModelAdmin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from crm.api.analytics import ForecastQuerySerializer
from crm.models import Brand, Pipeline
from crm.selectors.pipeline_history import AnalyticsScope
from crm.selectors.pipeline_report import pipeline_analytics, sales_forecast

PAGE_MONTHS = 6
GAUGE_RADIUS = 80
ACCENT = "var(--color-primary-600)"


def analytics_page(model_admin: ModelAdmin[Any], request: HttpRequest) -> TemplateResponse:
    query = ForecastQuerySerializer(data=_filled(request.GET), context={"request": request})
    errors: dict[str, Any] = {}
    if query.is_valid():
        scope = query.validated_data["scope"]
    else:
        errors = query.errors
        scope = AnalyticsScope(tuple(Pipeline.objects.visible_to(request.user).select_related("brand")))
    figures = pipeline_analytics(scope)
    forecast = sales_forecast(scope, PAGE_MONTHS)
    health = figures["pipeline_health"]
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Analytics"),
        "opts": model_admin.model._meta,
        "figures": figures,
        "forecast": forecast,
        "errors": errors,
        "filters": request.GET,
        "brands": Brand.objects.visible_to(request.user).order_by("name"),
        "pipelines": Pipeline.objects.visible_to(request.user).select_related("brand").order_by("brand__name", "name"),
        "currency": _one_currency(scope),
        "gauge": _gauge(health["overall_health_score"]),
        "components": _components(health["components"]),
        "funnel_chart": json.dumps(_funnel_chart(figures["conversion_funnel"]["funnel"])),
        "forecast_chart": json.dumps(_forecast_chart(forecast["by_month"])),
    }
    return TemplateResponse(request, "admin/crm/analytics.html", context)


def _one_currency(scope: AnalyticsScope) -> str:
    """The currency of every pipeline in scope, "" when they are in several (amounts are then plain)."""
    currencies = {pipeline.brand.currency for pipeline in scope.pipelines}
    return currencies.pop() if len(currencies) == 1 else ""


def _filled(params: Any) -> dict[str, str]:
    """The form's fields that were filled in (an empty select means no filter)."""
    return {
        key: value for key, value in params.items() if value and key in ("brand", "pipeline", "date_from", "date_to")
    }


def _gauge(score: int) -> dict[str, Any]:
    """A half-circle gauge as an SVG arc: its length and the colour of the score's band."""
    length = 3.14159 * GAUGE_RADIUS
    colour = "#16a34a" if score >= 70 else "#f59e0b" if score >= 40 else "#dc2626"
    return {"score": score, "length": round(length, 1), "filled": round(length * score / 100, 1), "colour": colour}


COMPONENT_NAMES = {
    "win_rate": "Win rate against its usual",
    "velocity": "Speed to win against its usual",
    "stalled": "Active deals moving",
    "bottlenecks": "Free of bottlenecks",
}


def _components(components: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"key": key, "title": _(COMPONENT_NAMES[key]), "score": part["score"], "weight": int(part["weight"] * 100),
         "detail": _component_detail(key, part)}
        for key, part in components.items()
    ]  # fmt: skip


def _component_detail(key: str, part: dict[str, Any]) -> str:
    if key == "win_rate":
        return _("recent %(recent)s%% · usual %(usual)s%%") % {
            "recent": part["recent_win_rate"] if part["recent_win_rate"] is not None else "–",
            "usual": part["usual_win_rate"] if part["usual_win_rate"] is not None else "–",
        }
    if key == "velocity":
        return _("recent %(recent)s days · usual %(usual)s days") % {
            "recent": part["recent_median_days"] or "–",
            "usual": part["usual_median_days"] or "–",
        }
    if key == "stalled":
        return _("%(stalled)s of %(active)s active deals stalled") % {
            "stalled": part["stalled_deals"],
            "active": part["active_deals"],
        }
    return _("%(count)s bottleneck(s)") % {"count": part["count"]}


def _funnel_chart(funnel: list[dict[str, Any]]) -> dict[str, Any]:
    several = len({step["pipeline_id"] for step in funnel}) > 1
    return {
        "labels": [
            f"{step['brand']} {step['pipeline']}: {step['stage']}" if several else step["stage"] for step in funnel
        ],
        "datasets": [
            {
                "label": _("Deals that reached the stage"),
                "data": [s["count"] for s in funnel],
                "backgroundColor": ACCENT,
            }
        ],
    }


def _forecast_chart(months: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "labels": [month["month"] for month in months],
        "datasets": [
            {
                "label": _("High (80%)"),
                "data": [m["high"] for m in months],
                "borderColor": "#94a3b8",
                "borderDash": [4, 4],
            },
            {"label": _("Expected"), "data": [m["expected"] for m in months], "borderColor": ACCENT},
            {
                "label": _("Low (80%)"),
                "data": [m["low"] for m in months],
                "borderColor": "#94a3b8",
                "borderDash": [4, 4],
            },
        ],
    }
