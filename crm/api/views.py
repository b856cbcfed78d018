"""Views of /api/crm/. Every queryset is limited to the brands the user is a member of
(superusers: all), so an object of another brand is a 404."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from crm.api.filters import BacklinkOpportunityFilter, ContactFilter, DealFilter, EmailSequenceFilter, TaskFilter
from crm.api.permissions import ModelPermissions, ViewDeals
from crm.api.serializers import (
    AIDecisionSerializer,
    BacklinkOpportunitySerializer,
    ContactSerializer,
    DealSerializer,
    EmailSequenceSerializer,
    MoveStageSerializer,
    PipelineSerializer,
    StatsQuerySerializer,
    StatsSerializer,
    TaskSerializer,
)
from crm.errors import DealError
from crm.models import (
    LINKED_STATUSES,
    AIDecisionLog,
    BacklinkOpportunity,
    Brand,
    Contact,
    Deal,
    EmailSequence,
    Pipeline,
    Task,
)
from crm.selectors.analytics import pipeline_figures
from crm.services.deals import deal_move_to_stage
from crm.services.tasks import task_complete
from crm.tasks import verify_backlink, write_backlink_pitch
from crm_site.users import signed_in


class PipelineViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Pipeline]):
    serializer_class = PipelineSerializer
    permission_classes = [ModelPermissions]
    filterset_fields = ["pipeline_type", "is_active"]
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "created_at"]
    queryset = Pipeline.objects.none()

    def get_queryset(self) -> QuerySet[Pipeline]:
        return Pipeline.objects.visible_to(self.request.user).select_related("brand").prefetch_related("stages")


class DealViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet[Deal]):
    serializer_class = DealSerializer
    permission_classes = [ModelPermissions]
    filterset_class = DealFilter
    search_fields = ["contact__email", "contact__name", "contact__company"]
    ordering_fields = ["created_at", "next_action_date", "value", "stage_entered_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Deal.objects.none()

    def get_queryset(self) -> QuerySet[Deal]:
        return Deal.objects.visible_to(self.request.user).select_related("contact", "pipeline", "current_stage")

    @extend_schema(request=MoveStageSerializer, responses=DealSerializer)
    @action(detail=True, methods=["post"], url_path="move-stage")
    def move_stage(self, request: Request, pk: str | None = None) -> Response:
        """Move the deal to another stage of its pipeline (the stage change is recorded on its timeline)."""
        deal = self.get_object()
        serializer = MoveStageSerializer(data=request.data, context={"deal": deal, "request": request})
        serializer.is_valid(raise_exception=True)
        try:
            deal = deal_move_to_stage(
                deal=deal,
                stage=serializer.validated_data["stage"],
                reason=serializer.validated_data.get("reason", ""),
                actor=request.user,  # type: ignore[arg-type]
                source="api",
            )
        except DealError as exc:
            raise ValidationError({"stage": str(exc)}) from exc
        return Response(DealSerializer(self.get_queryset().get(pk=deal.pk), context={"request": request}).data)


class ContactViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet[Contact]):
    serializer_class = ContactSerializer
    permission_classes = [ModelPermissions]
    filterset_class = ContactFilter
    search_fields = ["name", "email", "company"]
    ordering_fields = ["created_at", "name", "email", "ai_score", "domain_authority"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Contact.objects.none()

    def get_queryset(self) -> QuerySet[Contact]:
        return Contact.objects.visible_to(self.request.user)

    def perform_create(self, serializer: BaseSerializer[Contact]) -> None:
        with transaction.atomic():  # the contact and what listeners write (the hub's event): together
            serializer.save()

    def perform_update(self, serializer: BaseSerializer[Contact]) -> None:
        with transaction.atomic():
            serializer.save()


class BacklinkOpportunityViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet[BacklinkOpportunity]
):
    """Pages where a link to our content could be placed, the deal that pursues each, and whether a
    placed link is still there (checked by fetching the page)."""

    serializer_class = BacklinkOpportunitySerializer
    permission_classes = [ModelPermissions]
    filterset_class = BacklinkOpportunityFilter
    search_fields = ["target_url", "target_domain", "anchor_text_suggestion"]
    ordering_fields = ["created_at", "domain_authority", "relevance_score", "link_checked_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = BacklinkOpportunity.objects.none()

    def get_queryset(self) -> QuerySet[BacklinkOpportunity]:
        brands = Brand.objects.visible_to(self.request.user)
        related = BacklinkOpportunity.objects.select_related("contact", "deal__current_stage")
        return related.filter(brand__in=brands)

    @extend_schema(request=None, responses={202: dict, 400: dict})
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        """Fetch the target page now and look for our link (by a worker; the result lands on the row)."""
        opportunity = self.get_object()
        if opportunity.status not in LINKED_STATUSES:
            raise ValidationError({"status": "Only a placed link is checked: set the status to placed first."})
        if not opportunity.our_content_url:
            raise ValidationError({"our_content_url": "A link is checked against our page: give it first."})
        verify_backlink.delay(opportunity.pk)
        return Response({"status": "queued", "id": opportunity.pk}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: dict})
    @action(detail=True, methods=["post"], url_path="pitch-angle")
    def pitch_angle(self, request: Request, pk: str | None = None) -> Response:
        """Write the pitch angle again (the model, or the rules offline), by a worker."""
        opportunity = self.get_object()
        write_backlink_pitch.delay(opportunity.pk)
        return Response({"status": "queued", "id": opportunity.pk}, status=status.HTTP_202_ACCEPTED)


class EmailSequenceViewSet(viewsets.ReadOnlyModelViewSet[EmailSequence]):
    serializer_class = EmailSequenceSerializer
    permission_classes = [ModelPermissions]
    filterset_class = EmailSequenceFilter
    queryset = EmailSequence.objects.none()

    def get_queryset(self) -> QuerySet[EmailSequence]:
        pipelines = Pipeline.objects.visible_to(self.request.user)
        return EmailSequence.objects.filter(pipeline__in=pipelines).prefetch_related("steps")


class AIActivityView(generics.ListAPIView[AIDecisionLog]):
    """Recent AI decisions, newest first; under /<deal_id>/ those of one deal."""

    serializer_class = AIDecisionSerializer
    permission_classes = [ModelPermissions]
    filterset_fields = ["decision_type"]
    queryset = AIDecisionLog.objects.none()

    def get_queryset(self) -> QuerySet[AIDecisionLog]:
        deals = Deal.objects.visible_to(self.request.user)
        decisions = AIDecisionLog.objects.all()
        if "deal_id" in self.kwargs:
            deal = get_object_or_404(deals, pk=self.kwargs["deal_id"])
            return decisions.filter(deal=deal)
        contacts = Contact.objects.visible_to(self.request.user)
        return decisions.filter(deal__in=deals) | decisions.filter(deal__isnull=True, contact__in=contacts)


@extend_schema_view(get=extend_schema(operation_id="crm_ai_activity_deal_list"))
class DealAIActivityView(AIActivityView):
    """The AI decisions of one deal, newest first."""


class StatsView(APIView):
    """Per pipeline: deals and value per stage, won/lost and win rate, emails sent, opened and replied."""

    permission_classes = [ViewDeals]

    @extend_schema(
        parameters=[
            OpenApiParameter("days", int, description="Length of the period, ending now (default 30)"),
            OpenApiParameter("brand", str, description="Only this brand (slug)"),
            OpenApiParameter("pipeline", int, description="Only this pipeline"),
        ],
        responses=StatsSerializer,
    )
    def get(self, request: Request) -> Response:
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        pipelines = Pipeline.objects.visible_to(request.user)
        if "brand" in query.validated_data:
            pipelines = pipelines.filter(brand__in=Brand.objects.filter(slug=query.validated_data["brand"]))
        if "pipeline" in query.validated_data:
            pipelines = pipelines.filter(pk=query.validated_data["pipeline"])
        until = timezone.now()
        since = until - timedelta(days=query.validated_data["days"])
        figures = pipeline_figures(pipelines=pipelines, since=since, until=until)
        data = {"since": since, "until": until, "pipelines": figures}
        return Response(StatsSerializer(data).data, status=status.HTTP_200_OK)


class TaskViewSet(viewsets.ModelViewSet[Task]):
    """Staff to-dos on contacts and deals (`done=false` for what is left); `complete` marks one done.
    The autopilot adds one when it flags a deal for a person."""

    serializer_class = TaskSerializer
    permission_classes = [ModelPermissions]
    filterset_class = TaskFilter
    search_fields = ["title", "notes"]
    ordering_fields = ["due_at", "created_at", "done_at"]
    queryset = Task.objects.none()

    def get_queryset(self) -> QuerySet[Task]:
        return Task.objects.visible_to(self.request.user).select_related("brand")

    @extend_schema(request=None, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """Mark the task done now (again: no change)."""
        task = task_complete(task=self.get_object(), actor=signed_in(request))
        return Response(TaskSerializer(task, context=self.get_serializer_context()).data)
