"""Views of /api/campaigns/: limited to the user's brands as /api/crm/ is (another brand's is a 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from campaigns.api.serializers import (
    CampaignSerializer,
    EmailTemplateSerializer,
    SampleContactSerializer,
    ScheduleSerializer,
    SegmentDraftSerializer,
    SegmentSerializer,
    SendTestSerializer,
    TemplatePreviewSerializer,
)
from campaigns.models import Campaign, CampaignSegment, CampaignStatus, EmailTemplate
from campaigns.segments import FilterError, segment_contacts
from campaigns.selectors import campaign_analytics, campaigns_statistics
from campaigns.services import (
    CampaignError,
    campaign_cancel,
    campaign_pause,
    campaign_resume,
    campaign_schedule,
    campaign_send_now,
    campaign_send_test,
)
from campaigns.tasks import campaign_nudge
from campaigns.templating import render
from crm.api.permissions import ModelPermissions
from crm.mail.base import MailboxError
from crm.models import Brand, Contact
from integrations.zoho import ZohoError

SAMPLE_SIZE = 20


class EmailTemplateViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet[EmailTemplate],
):  # fmt: skip
    """A brand's campaign emails. Variables: first_name, name, company, email, website,
    brand.name, brand.from_name; filters: default, upper, lower, title, capfirst; `{% if %}`."""

    serializer_class = EmailTemplateSerializer
    permission_classes = [ModelPermissions]
    search_fields = ["name", "subject"]
    ordering_fields = ["name", "created_at", "updated_at"]
    filterset_fields = ["brand"]
    queryset = EmailTemplate.objects.none()

    def get_queryset(self) -> QuerySet[EmailTemplate]:
        return EmailTemplate.objects.filter(brand__in=Brand.objects.visible_to(self.request.user)).select_related(
            "brand"
        )

    @extend_schema(request=TemplatePreviewSerializer, responses={200: dict, 400: dict})
    @action(detail=True, methods=["post"])
    def preview(self, request: Request, pk: str | None = None) -> Response:
        """The template filled for one of the brand's contacts: subject, html and text."""
        template = self.get_object()
        serializer = TemplatePreviewSerializer(data=request.data, context={"request": request, "template": template})
        serializer.is_valid(raise_exception=True)
        rendered = render(
            subject=template.subject, content_html=template.content_html, content_text=template.content_text,
            contact=serializer.validated_data["contact"], brand=template.brand,
        )  # fmt: skip
        return Response({"subject": rendered.subject, "html": rendered.html, "text": rendered.text})


class ChangeToAct(BasePermission):
    """Acting on a campaign (schedule, send, pause...) takes the change permission."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.has_perm("campaigns.change_campaign"))


def _refused(exc: CampaignError) -> Response:
    return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)


class SegmentViewSet(viewsets.ModelViewSet[CampaignSegment]):
    """Saved filters over a brand's contacts. Filter keys: contact_type, tags_any, tags_all, source,
    domain_authority_min, domain_authority_max, pipeline, stage, deal_status, engaged_within_days,
    not_contacted_days, created_after, created_before; an unknown key is a 400 naming it."""

    serializer_class = SegmentSerializer
    permission_classes = [ModelPermissions]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "created_at"]
    filterset_fields = ["brand"]
    queryset = CampaignSegment.objects.none()

    def get_queryset(self) -> QuerySet[CampaignSegment]:
        brands = Brand.objects.visible_to(self.request.user)
        return CampaignSegment.objects.filter(brand__in=brands).select_related("brand")

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def preview(self, request: Request, pk: str | None = None) -> Response:
        """How many contacts the segment selects now (`count`) and up to 20 of them (`sample`)."""
        segment = self.get_object()
        try:
            contacts = segment_contacts(segment.filters, segment.brand)
        except FilterError as exc:
            return Response({"filters": exc.problems}, status=status.HTTP_400_BAD_REQUEST)
        return Response(_preview(contacts))

    @extend_schema(request=SegmentDraftSerializer, responses={200: dict, 400: dict})
    @action(detail=False, methods=["post"], url_path="preview", permission_classes=[ModelPermissions])
    def preview_draft(self, request: Request) -> Response:
        """The same for filters not saved yet: `brand` and `filters` in the body."""
        draft = SegmentDraftSerializer(data=request.data, context={"request": request})
        draft.is_valid(raise_exception=True)
        contacts = segment_contacts(draft.validated_data["filters"], draft.validated_data["brand"])
        return Response(_preview(contacts))


def _preview(contacts: QuerySet[Contact]) -> dict[str, Any]:
    sample = contacts.order_by("-created_at")[:SAMPLE_SIZE]
    return {"count": contacts.count(), "sample": SampleContactSerializer(sample, many=True).data}


class CampaignViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet[Campaign],
):  # fmt: skip
    """Email campaigns of the user's brands. A campaign is made as a draft, then scheduled
    (`schedule/` with `scheduled_at`) or sent now (`send_now/`, 202: a worker does the rest);
    `pause/`, `resume/` and `cancel/` never send anything twice. A wrong state change is a 400 saying why."""

    serializer_class = CampaignSerializer
    permission_classes = [ModelPermissions]
    search_fields = ["name", "subject"]
    ordering_fields = ["name", "created_at", "scheduled_at", "status"]
    filterset_fields = ["brand", "status", "segment"]
    queryset = Campaign.objects.none()

    def get_queryset(self) -> QuerySet[Campaign]:
        brands = Brand.objects.visible_to(self.request.user)
        return (
            Campaign.objects.filter(brand__in=brands)
            .select_related("brand", "segment", "template", "ab_winner")
            .prefetch_related("variants")
        )

    def perform_create(self, serializer: Any) -> None:
        serializer.save(created_by=self.request.user)

    def perform_destroy(self, instance: Campaign) -> None:
        if instance.status not in (CampaignStatus.DRAFT, CampaignStatus.CANCELLED):
            raise ValidationError({"status": "Only a draft or cancelled campaign is deleted; cancel it first."})
        if instance.started_at is not None:
            raise ValidationError({"status": "A campaign that sent mail is kept for its figures."})
        instance.delete()

    def _answer(self, campaign: Campaign, code: int = status.HTTP_200_OK) -> Response:
        campaign = self.get_queryset().get(pk=campaign.pk)
        return Response(CampaignSerializer(campaign, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ScheduleSerializer, responses={200: CampaignSerializer, 400: dict})
    @action(detail=True, methods=["post"], permission_classes=[ChangeToAct])
    def schedule(self, request: Request, pk: str | None = None) -> Response:
        """Send at `scheduled_at` (in the future)."""
        campaign = self.get_object()
        body = ScheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            campaign = campaign_schedule(campaign=campaign, scheduled_at=body.validated_data["scheduled_at"])
        except CampaignError as exc:
            return _refused(exc)
        return self._answer(campaign)

    @extend_schema(request=None, responses={202: CampaignSerializer, 400: dict})
    @action(detail=True, methods=["post"], permission_classes=[ChangeToAct])
    def send_now(self, request: Request, pk: str | None = None) -> Response:
        """Start now; 202: a worker writes the recipients and queues the mail."""
        try:
            campaign = campaign_send_now(campaign=self.get_object())
        except CampaignError as exc:
            return _refused(exc)
        campaign_nudge(campaign.pk)
        return self._answer(campaign, status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: CampaignSerializer, 400: dict})
    @action(detail=True, methods=["post"], permission_classes=[ChangeToAct])
    def pause(self, request: Request, pk: str | None = None) -> Response:
        """Stop sending; what is still queued is taken out and goes again on resume."""
        try:
            return self._answer(campaign_pause(campaign=self.get_object()))
        except CampaignError as exc:
            return _refused(exc)

    @extend_schema(request=None, responses={200: CampaignSerializer, 400: dict})
    @action(detail=True, methods=["post"], permission_classes=[ChangeToAct])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        try:
            campaign = campaign_resume(campaign=self.get_object())
        except CampaignError as exc:
            return _refused(exc)
        campaign_nudge(campaign.pk)
        return self._answer(campaign)

    @extend_schema(request=None, responses={200: CampaignSerializer, 400: dict})
    @action(detail=True, methods=["post"], permission_classes=[ChangeToAct])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Stop for good; what is still queued is taken out."""
        try:
            return self._answer(campaign_cancel(campaign=self.get_object()))
        except CampaignError as exc:
            return _refused(exc)

    @extend_schema(request=SendTestSerializer, responses={200: dict, 400: dict})
    @action(detail=True, methods=["post"], permission_classes=[ChangeToAct])
    def send_test(self, request: Request, pk: str | None = None) -> Response:
        """The campaign filled for a contact (a sample of the segment by default), sent now to `to`
        (your own address by default), the subject marked [Test]."""
        campaign = self.get_object()
        body = SendTestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        to = body.validated_data.get("to") or getattr(request.user, "email", "")
        if not to:
            raise ValidationError({"to": "Your user has no email address: give one."})
        contact = None
        if "contact" in body.validated_data:
            contact = Contact.objects.filter(brand=campaign.brand, pk=body.validated_data["contact"]).first()
            if contact is None:
                raise ValidationError({"contact": "No such contact in the campaign's brand."})
        try:
            message_id = campaign_send_test(campaign=campaign, to=to, contact=contact)
        except (MailboxError, ZohoError) as exc:
            return Response({"detail": f"The test could not be sent: {exc}"}, status=status.HTTP_502_BAD_GATEWAY)
        return Response({"sent_to": to, "message_id": message_id})

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def analytics(self, request: Request, pk: str | None = None) -> Response:
        """recipients, sent, skipped, opened, unique_opens, clicked, unique_clicks, bounced,
        unsubscribed, replied and their rates (percent of sent); per variant; per link; per hour.
        Opens and clicks by proxies and scanners are counted apart and left out of the rates."""
        return Response(campaign_analytics(self.get_object()))

    @extend_schema(responses={200: dict})
    @action(detail=False, methods=["get"])
    def statistics(self, request: Request) -> Response:
        """The same figures over every campaign of the brands you see (filters apply)."""
        return Response(campaigns_statistics(self.filter_queryset(self.get_queryset())))
