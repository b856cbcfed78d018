"""`/api/core/analytics/`: pipeline analytics and the sales forecast (paths of the extra features document).

Both take `brand` and `pipeline` (an id or a slug, among the user's brands) and `date_from` /
`date_to` (a date, both ends included, or a date and time); the forecast takes `months` (1-12).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.api.permissions import ViewDeals
from crm.models import Brand, Pipeline
from crm.selectors.forecast import HORIZON_MAX
from crm.selectors.pipeline_history import AnalyticsScope
from crm.selectors.pipeline_report import pipeline_analytics, sales_forecast
from lib.ids import as_id


class MomentField(serializers.Field):
    """A date (the whole day: `date_to` includes it) or an ISO date and time."""

    default_error_messages = {"invalid": "Give a date (YYYY-MM-DD) or an ISO 8601 date and time."}

    def __init__(self, *, end: bool = False, **kwargs: Any) -> None:
        self.end = end
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> datetime:
        text = str(data).strip()
        try:
            moment = parse_datetime(text)
            day = None if moment else parse_date(text)
        except ValueError:
            self.fail("invalid")
        if moment is not None:
            return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        if day is None:
            self.fail("invalid")
        return self._day(day)

    def _day(self, day: date) -> datetime:
        start = timezone.make_aware(datetime.combine(day, time.min))
        return start + timedelta(days=1) if self.end else start

    def to_representation(self, value: Any) -> Any:
        return value


class AnalyticsQuerySerializer(serializers.Serializer[Any]):
    brand = serializers.CharField(required=False, max_length=50, help_text="Brand id or slug")
    pipeline = serializers.CharField(required=False, max_length=50, help_text="Pipeline id or slug")
    date_from = MomentField(required=False)
    date_to = MomentField(required=False, end=True, help_text="A date includes that whole day")

    def _user(self) -> Any:
        return self.context["request"].user

    @staticmethod
    def _by_key(value: str) -> Q:
        number = as_id(value)
        return Q(slug=value) | Q(pk=number) if number is not None else Q(slug=value)

    def validate_brand(self, value: str) -> Brand:
        brand = Brand.objects.visible_to(self._user()).filter(self._by_key(value)).first()
        if brand is None:
            raise serializers.ValidationError(f"No brand {value!r} among yours.")
        return brand

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        pipelines = Pipeline.objects.visible_to(self._user()).select_related("brand").order_by("brand__name", "pk")
        if "brand" in attrs:
            pipelines = pipelines.filter(brand=attrs["brand"])
        if "pipeline" in attrs:
            value = attrs["pipeline"]
            pipelines = pipelines.filter(self._by_key(value))
            if not pipelines:
                raise serializers.ValidationError({"pipeline": f"No pipeline {value!r} among your brands'."})
            if len({p.brand_id for p in pipelines}) > 1:
                raise serializers.ValidationError(
                    {"pipeline": f"{value!r} names pipelines of several brands: give brand."}
                )
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start >= end:
            raise serializers.ValidationError({"date_to": "date_to must be after date_from."})
        attrs["scope"] = AnalyticsScope(tuple(pipelines), date_from=start, date_to=end)
        return attrs


class ForecastQuerySerializer(AnalyticsQuerySerializer):
    months = serializers.IntegerField(min_value=1, max_value=HORIZON_MAX, default=3)


FILTERS = [
    OpenApiParameter("brand", str, description="Brand id or slug (yours only)"),
    OpenApiParameter("pipeline", str, description="Pipeline id or slug"),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="From this date (or date and time)"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="To this date, included (or before this time)"),
]


class AnalyticsViewSet(viewsets.ViewSet):
    """Pipeline health, funnel, velocity, win / loss and the sales forecast of the user's brands."""

    permission_classes = [ViewDeals]

    def _query(self, request: Request, serializer: type[AnalyticsQuerySerializer]) -> dict[str, Any]:
        query = serializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        return query.validated_data

    @extend_schema(parameters=FILTERS, responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def pipeline_analytics(self, request: Request) -> Response:
        """Health score with its components, forecast, conversion funnel, deal velocity and win / loss."""
        query = self._query(request, AnalyticsQuerySerializer)
        return Response(pipeline_analytics(query["scope"]))

    @extend_schema(
        parameters=[*FILTERS, OpenApiParameter("months", int, description=f"1 to {HORIZON_MAX} (default 3)")],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["get"])
    def sales_forecast(self, request: Request) -> Response:
        """Expected won value per calendar month with an 80% band, and the forecast's back-test."""
        query = self._query(request, ForecastQuerySerializer)
        return Response(sales_forecast(query["scope"], query["months"]))
