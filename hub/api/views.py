"""Views of /api/integrations/ and /api/public/: thin; a brand's objects for its members, all for
superusers; the website's lead capture without a login, by the brand's publishable key."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.permissions import ModelPermissions
from crm.models import Brand
from crm_site.users import signed_in
from hub.api.serializers import (
    APIEndpointSerializer,
    ChatLeadSerializer,
    DeliverySerializer,
    InquirySerializer,
    IntegrationSerializer,
    MessageSerializer,
    OutcomeSerializer,
    WebhookSerializer,
    ZapierHookSerializer,
)
from hub.api.throttles import LeadBrandThrottle, LeadIPThrottle
from hub.errors import HubError
from hub.models import (
    EVENT_TYPES,
    APIEndpoint,
    EndpointModel,
    IntegrationKind,
    ThirdPartyIntegration,
    Webhook,
    WebhookDelivery,
)
from hub.services import endpoints, integrations, leads
from hub.services.webhooks import webhook_create, webhook_ping


def _brand_scoped(queryset: QuerySet[Any], request: Request, *, path: str = "brand") -> QuerySet[Any]:
    if request.user.is_superuser:
        return queryset
    return queryset.filter(Q(**{f"{path}__in": Brand.objects.visible_to(request.user)}))


def _hub_errors(call: Any) -> Any:
    try:
        return call()
    except HubError as exc:
        raise serializers.ValidationError({exc.field or "non_field_errors": str(exc)}) from exc


class WebhookViewSet(viewsets.ModelViewSet[Webhook]):
    """Outgoing webhooks: created with `name`, `url` and `events`; signed as Standard Webhooks says.
    The ones an integration delivers through (Slack, Teams, Zapier) show here and change there."""

    serializer_class = WebhookSerializer
    permission_classes = [ModelPermissions]
    filterset_fields = ["brand", "is_active", "format", "integration"]
    queryset = Webhook.objects.none()

    def get_queryset(self) -> QuerySet[Webhook]:
        return _brand_scoped(Webhook.objects.all(), self.request)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        webhook = webhook_create(
            name=data["name"], url=data["url"], events=data["events"], brand=data.get("brand"), user=signed_in(request),
            format=data["format"],
        )  # fmt: skip
        return Response({**WebhookSerializer(webhook).data, "secret": webhook.secret}, status=status.HTTP_201_CREATED)

    def _not_an_integrations(self, webhook: Webhook) -> None:
        if webhook.integration_id:
            raise serializers.ValidationError(
                {"integration": f"Managed by the integration {webhook.integration}: change or remove it there."}
            )

    def perform_update(self, serializer: WebhookSerializer) -> None:  # type: ignore[override]
        self._not_an_integrations(serializer.instance)  # type: ignore[arg-type]
        serializer.save()

    def perform_destroy(self, instance: Webhook) -> None:
        self._not_an_integrations(instance)
        instance.delete()

    @extend_schema(request=None, responses={200: MessageSerializer})
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        """Send a `ping` event to this endpoint now; the answer shows the attempt."""
        return Response(MessageSerializer(webhook_ping(webhook=self.get_object())).data)

    @extend_schema(responses={200: DeliverySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str | None = None) -> Response:
        """Every attempt, newest first: status, duration, the first 2 KB of the answer, the error."""
        deliveries = WebhookDelivery.objects.filter(message__webhook=self.get_object()).select_related("message__event")
        page = self.paginator.paginate_queryset(deliveries, request, view=self) if self.paginator else None
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)


class IntegrationViewSet(viewsets.ModelViewSet[ThirdPartyIntegration]):
    """Slack, Microsoft Teams, Zapier and calendar feeds. `test` checks the connection (Slack and
    Teams get a test message); `sync` runs the integration's sync where it has one."""

    serializer_class = IntegrationSerializer
    permission_classes = [ModelPermissions]
    filterset_fields = ["kind", "brand", "is_active"]
    queryset = ThirdPartyIntegration.objects.none()

    def get_queryset(self) -> QuerySet[ThirdPartyIntegration]:
        visible = _brand_scoped(ThirdPartyIntegration.objects.all(), self.request)
        if not self.request.user.is_superuser:  # a brand-less integration: its owner's
            visible = visible | ThirdPartyIntegration.objects.filter(
                brand__isnull=True, created_by=self.request.user.pk
            )
        return visible.order_by("name", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        created = _hub_errors(
            lambda: integrations.integration_create(
                name=data["name"], kind=data["kind"], brand=data.get("brand"), user=signed_in(request),
                events=data.get("events", []), target_url=data.get("target_url", ""),
            )
        )  # fmt: skip
        answer = dict(IntegrationSerializer(created.integration, context=self.get_serializer_context()).data)
        if created.feed_token:
            answer["feed_url"] = request.build_absolute_uri(f"/api/integrations/calendar/{created.feed_token}.ics")
        return Response(answer, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: IntegrationSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        integration = serializer.instance
        assert integration is not None  # noqa: S101 - an update has its instance
        _hub_errors(lambda: integrations.integration_update(integration=integration, **data))

    @extend_schema(request=None, responses={200: OutcomeSerializer})
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        """Check the connection now: `ok` and what happened."""
        return Response(integrations.integration_test(integration=self.get_object()).as_dict())

    @extend_schema(request=None, responses={200: OutcomeSerializer})
    @action(detail=True, methods=["post"])
    def sync(self, request: Request, pk: str | None = None) -> Response:
        """Run the sync: Slack and Teams send what waits; a calendar rebuilds its feed; Zapier has none (400)."""
        return Response(_hub_errors(lambda: integrations.integration_sync(integration=self.get_object())).as_dict())


class APIEndpointViewSet(viewsets.ModelViewSet[APIEndpoint]):
    """Custom read-only endpoints, served at /api/integrations/custom/<slug>/."""

    serializer_class = APIEndpointSerializer
    permission_classes = [ModelPermissions]
    filterset_fields = ["brand", "model", "is_active"]
    queryset = APIEndpoint.objects.none()

    def get_queryset(self) -> QuerySet[APIEndpoint]:
        return _brand_scoped(APIEndpoint.objects.all(), self.request)

    def perform_create(self, serializer: APIEndpointSerializer) -> None:  # type: ignore[override]
        serializer.save(created_by=signed_in(self.request))


class CustomEndpointView(generics.GenericAPIView[Any]):
    """A custom endpoint's rows, paginated, for users who see its brand and may view its model."""

    permission_classes = [IsAuthenticated]
    filter_backends: list[Any] = []

    @extend_schema(responses={200: dict})
    def get(self, request: Request, slug: str) -> Response:
        endpoint = APIEndpoint.objects.filter(slug=slug, is_active=True).select_related("brand").first()
        if endpoint is None or not Brand.objects.visible_to(request.user).filter(pk=endpoint.brand_id).exists():
            raise Http404
        if not request.user.has_perm(endpoints.PERMISSIONS[EndpointModel(endpoint.model)]):
            return Response({"detail": f"You may not view {endpoint.model}."}, status=status.HTTP_403_FORBIDDEN)
        rows = self.paginate_queryset(endpoints.endpoint_rows(endpoint))
        return self.get_paginated_response(endpoints.endpoint_data(endpoint, rows or [], {"request": request}))


class ZapierHookViewSet(viewsets.ViewSet):
    """Zapier's REST hooks: a Zap subscribes (POST `target_url` and `event`; the answer's `id` is
    what it unsubscribes with: DELETE {id}/); `samples/<event>/` gives recent payloads for its set-up."""

    permission_classes = [IsAuthenticated]

    def _check(self, request: Request) -> None:
        if not request.user.has_perm("hub.add_webhook"):
            self.permission_denied(request, message="You may not add webhooks.")

    @extend_schema(request=ZapierHookSerializer, responses={201: dict})
    def create(self, request: Request) -> Response:
        self._check(request)
        serializer = ZapierHookSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        hook = _hub_errors(
            lambda: integrations.zapier_subscribe(
                user=signed_in(request), brand=data.get("brand"), target_url=data["target_url"], event=data["event"]
            )
        )  # fmt: skip
        return Response({"id": hook.pk, "event": data["event"]}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)])
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        self._check(request)
        hooks = _brand_scoped(Webhook.objects.filter(integration__kind=IntegrationKind.ZAPIER), request)
        if not request.user.is_superuser:
            hooks = hooks | Webhook.objects.filter(integration__kind=IntegrationKind.ZAPIER, created_by=request.user.pk)
        hook = get_object_or_404(hooks, pk=pk if str(pk).isascii() and str(pk).isdecimal() and len(str(pk)) < 19 else 0)
        integrations.zapier_unsubscribe(user=signed_in(request), hook=hook)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[OpenApiParameter("event", str, OpenApiParameter.PATH, enum=list(EVENT_TYPES))],
        responses={200: dict},
    )
    @action(detail=False, methods=["get"], url_path=r"samples/(?P<event>[a-z_.]+)")
    def samples(self, request: Request, event: str = "") -> Response:
        """The last few payloads of `event` (a made-up one before any), shaped as the hooks send them."""
        if event not in EVENT_TYPES:
            return Response({"event": f"{event!r} is not an event type."}, status=status.HTTP_400_BAD_REQUEST)
        return Response(integrations.zapier_samples(event=event, brands=Brand.objects.visible_to(request.user)))


class CalendarFeedView(APIView):
    """A user's secret iCalendar feed (tasks and deals' next actions); the token is the credential."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(responses={(200, "text/calendar"): str})
    def get(self, request: Request, token: str) -> HttpResponse:
        integration = integrations.calendar_by_token(token)
        if integration is None:
            raise Http404
        body = integrations.calendar_feed(integration=integration).to_ical()
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=300"
        return response


# --- lead capture -------------------------------------------------------------------------------

CORS_HEADERS = {
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, X-Publishable-Key",
    "Access-Control-Max-Age": "600",
}


class LeadCaptureView(APIView):
    """POST from a brand's website with its `X-Publishable-Key`. A wrong key: 401; a browser on
    another origin: 403; the hidden `website_url` filled: 202 and nothing kept; too many posts: 429."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    input_serializer: type[serializers.Serializer[Any]] = ChatLeadSerializer

    def get_throttles(self) -> list[Any]:
        return [] if self.request.method == "OPTIONS" else [LeadIPThrottle(), LeadBrandThrottle()]

    def options(self, request: Request, *args: Any, **kwargs: Any) -> Response:  # type: ignore[override]
        """CORS preflight: it carries no key, so any brand's site origin passes; the POST checks its own."""
        origin = request.headers.get("Origin", "")
        if not leads.any_brand_allows(origin):
            return Response({"detail": "This origin is not a brand's website."}, status=status.HTTP_403_FORBIDDEN)
        return Response(
            status=status.HTTP_204_NO_CONTENT,
            headers={**CORS_HEADERS, "Access-Control-Allow-Origin": origin, "Vary": "Origin"},
        )

    def post(self, request: Request) -> Response:
        brand = leads.brand_by_key(request.headers.get("X-Publishable-Key", ""))
        if brand is None:
            return Response(
                {"detail": "Unknown or missing publishable key.", "field": "X-Publishable-Key"},
                status=status.HTTP_401_UNAUTHORIZED, headers={"WWW-Authenticate": "X-Publishable-Key"},
            )  # fmt: skip
        origin = request.headers.get("Origin", "")
        if not leads.origin_allowed(brand, origin):
            return Response(
                {"detail": f"{origin} is not one of {brand.name}'s site origins.", "field": "Origin"},
                status=status.HTTP_403_FORBIDDEN,
            )
        cors = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"} if origin else {}
        serializer = self.input_serializer(data=request.data)
        if not serializer.is_valid():
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST, headers=cors)
        data = serializer.validated_data
        if data.get("website_url"):
            return Response({"status": "received"}, status=status.HTTP_202_ACCEPTED, headers=cors)
        ip = request.META.get("REMOTE_ADDR") or None
        received = _hub_errors(lambda: self.capture(brand, data, origin, ip))
        return Response({"id": received.pk, "status": "received"}, status=status.HTTP_201_CREATED, headers=cors)

    def capture(self, brand: Brand, data: dict[str, Any], origin: str, ip: str | None) -> Any:
        return leads.chat_lead_capture(
            brand=brand, lead=leads.lead_fields(data), transcript=data["transcript"], origin=origin, ip=ip
        )


class ChatLeadView(LeadCaptureView):
    """A lead from the website's chat: name, email, company, transcript. Becomes (or updates) the
    brand's contact, source chatbot."""

    input_serializer = ChatLeadSerializer

    @extend_schema(request=ChatLeadSerializer, responses={201: dict, 202: dict, 400: dict, 401: dict, 403: dict})
    def post(self, request: Request) -> Response:
        return super().post(request)


class InquiryView(LeadCaptureView):
    """A contact form: name, email, phone, company, message, service. Becomes (or updates) the
    brand's contact, source website, and opens a deal in the sales pipeline's first stage."""

    input_serializer = InquirySerializer

    @extend_schema(request=InquirySerializer, responses={201: dict, 202: dict, 400: dict, 401: dict, 403: dict})
    def post(self, request: Request) -> Response:
        return super().post(request)

    def capture(self, brand: Brand, data: dict[str, Any], origin: str, ip: str | None) -> Any:
        return leads.inquiry_capture(
            brand=brand, lead=leads.lead_fields(data), phone=data["phone"], message=data["message"],
            service=data["service"], origin=origin, ip=ip,
        )  # fmt: skip
