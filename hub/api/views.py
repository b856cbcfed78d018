"""Views of /api/integrations/: thin; a brand's webhooks for its members, all for superusers."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.api.permissions import ModelPermissions
from crm.models import Brand
from crm_site.users import signed_in
from hub.api.serializers import DeliverySerializer, MessageSerializer, WebhookSerializer
from hub.models import Webhook, WebhookDelivery
from hub.services.webhooks import webhook_create, webhook_ping


class WebhookViewSet(viewsets.ModelViewSet[Webhook]):
    """Outgoing webhooks: created with `name`, `url` and `events`; signed as Standard Webhooks says."""

    serializer_class = WebhookSerializer
    permission_classes = [ModelPermissions]
    filterset_fields = ["brand", "is_active"]
    queryset = Webhook.objects.none()

    def get_queryset(self) -> QuerySet[Webhook]:
        if self.request.user.is_superuser:
            return Webhook.objects.all()
        return Webhook.objects.filter(Q(brand__in=Brand.objects.visible_to(self.request.user)))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        webhook = webhook_create(
            name=data["name"], url=data["url"], events=data["events"], brand=data.get("brand"), user=signed_in(request)
        )
        return Response({**WebhookSerializer(webhook).data, "secret": webhook.secret}, status=status.HTTP_201_CREATED)

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
