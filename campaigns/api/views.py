"""Views of /api/campaigns/: limited to the user's brands as /api/crm/ is (another brand's is a 404)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from campaigns.api.serializers import EmailTemplateSerializer, TemplatePreviewSerializer
from campaigns.models import EmailTemplate
from campaigns.templating import render
from crm.api.permissions import ModelPermissions
from crm.models import Brand


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
