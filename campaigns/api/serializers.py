"""Serializers of /api/campaigns/: templates, segments and campaigns are checked when saved, each
problem named by its field (and a segment's by its filter key)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from rest_framework import serializers

from campaigns.models import Campaign, CampaignSegment, CampaignStatus, CampaignVariant, EmailTemplate
from campaigns.segments import FilterError, filters_check, segment_contacts
from campaigns.services import LABELS
from campaigns.templating import template_problems
from crm.api.serializers import VisibleBrandField
from crm.models import Contact


class EmailTemplateSerializer(serializers.ModelSerializer[EmailTemplate]):
    brand = VisibleBrandField()

    class Meta:
        model = EmailTemplate
        fields = ["id", "brand", "name", "subject", "content_html", "content_text", "created_at", "updated_at"]
        validators: list[Any] = []  # the (brand, name) check below names the field

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["brand"].read_only = True
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        for field in ("subject", "content_html", "content_text"):
            if field in attrs:
                problems = template_problems(attrs[field])
                if problems:
                    errors[field] = problems
        if not (attrs.get("content_html") or attrs.get("content_text") or self.instance is not None):
            errors["content_html"] = ["Give the HTML body, the text body or both."]
        brand = attrs.get("brand") or getattr(self.instance, "brand", None)
        name = attrs.get("name")
        if brand is not None and name and _taken(EmailTemplate, self.instance, brand=brand, name=name):
            errors["name"] = ["This brand already has a template of this name."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class TemplatePreviewSerializer(serializers.Serializer[Any]):
    contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.none(), help_text="The contact to fill it for"
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        template, request = self.context.get("template"), self.context.get("request")
        if template is not None and request is not None:  # the schema generator has neither
            visible = Contact.objects.visible_to(request.user).filter(brand=template.brand)
            fields["contact"].queryset = visible  # type: ignore[attr-defined]
        return fields


class SegmentSerializer(serializers.ModelSerializer[CampaignSegment]):
    brand = VisibleBrandField()

    class Meta:
        model = CampaignSegment
        fields = ["id", "brand", "name", "description", "filters", "created_at", "updated_at"]
        validators: list[Any] = []

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["brand"].read_only = True
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        brand = attrs.get("brand") or getattr(self.instance, "brand", None)
        errors: dict[str, Any] = {}
        if brand is not None and "filters" in attrs:
            try:
                filters_check(attrs["filters"], brand)
            except FilterError as exc:
                errors["filters"] = exc.problems
        name = attrs.get("name")
        if brand is not None and name and _taken(CampaignSegment, self.instance, brand=brand, name=name):
            errors["name"] = ["This brand already has a segment of this name."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class SegmentDraftSerializer(serializers.Serializer[Any]):
    """Filters not saved yet, counted for a brand (the admin's builder shows it as they are typed)."""

    brand = VisibleBrandField()
    filters = serializers.JSONField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            filters_check(attrs["filters"], attrs["brand"])
        except FilterError as exc:
            raise serializers.ValidationError({"filters": exc.problems}) from exc
        return attrs


class SampleContactSerializer(serializers.ModelSerializer[Contact]):
    class Meta:
        model = Contact
        fields = ["id", "email", "name", "company", "contact_type", "tags", "source", "domain_authority"]


class VariantSerializer(serializers.ModelSerializer[CampaignVariant]):
    class Meta:
        model = CampaignVariant
        fields = ["label", "subject", "content_html", "content_text"]
        read_only_fields = ["label"]


class CampaignSerializer(serializers.ModelSerializer[Campaign]):
    """A campaign; `variants` (2 to 5) make it an A/B test. Given a template and no subject or
    bodies, the template's are copied. Edited only while a draft or scheduled."""

    brand = VisibleBrandField()
    template = serializers.PrimaryKeyRelatedField(queryset=EmailTemplate.objects.all(), required=False, allow_null=True)
    segment = serializers.PrimaryKeyRelatedField(
        queryset=CampaignSegment.objects.all(), required=False, allow_null=True
    )
    variants = VariantSerializer(many=True, required=False)
    ab_winner: serializers.SlugRelatedField[CampaignVariant] = serializers.SlugRelatedField(
        slug_field="label", read_only=True
    )
    recipient_count = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id", "brand", "name", "campaign_type", "template", "segment", "subject", "content_html", "content_text",
            "status", "scheduled_at", "started_at", "completed_at", "variants", "ab_test_percentage",
            "ab_wait_hours", "ab_winner_metric", "ab_winner", "ab_decided_at", "recipient_count",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["status", "scheduled_at", "started_at", "completed_at", "ab_decided_at"]

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | QuerySet):
            fields["brand"].read_only = True
        return fields

    def get_recipient_count(self, campaign: Campaign) -> int | None:
        """Recipients written once it started; before, how many the segment has now."""
        if campaign.started_at is not None:
            return campaign.recipients.count()
        if campaign.segment is None:
            return None
        try:
            return segment_contacts(campaign.segment.filters, campaign.brand).count()
        except FilterError:
            return None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance
        if instance is not None and instance.status not in (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED):
            raise serializers.ValidationError(
                {"status": f"A {instance.get_status_display().lower()} campaign cannot be edited."}
            )
        brand = attrs.get("brand") or getattr(instance, "brand", None)
        errors: dict[str, Any] = {}
        template = attrs.get("template")
        for field, model_name in (("template", "template"), ("segment", "segment")):
            chosen = attrs.get(field)
            if chosen is not None and brand is not None and chosen.brand_id != brand.pk:
                errors[field] = [f"This {model_name} belongs to another brand."]
        if template is not None and instance is None:
            for field in ("subject", "content_html", "content_text"):
                if not attrs.get(field):
                    attrs[field] = getattr(template, field)
        for field in ("subject", "content_html", "content_text"):
            problems = template_problems(attrs.get(field) or "")
            if problems:
                errors[field] = problems
        variants = attrs.get("variants")
        if variants is not None:
            if len(variants) == 1 or len(variants) > 5:
                errors["variants"] = ["An A/B test has 2 to 5 variants (or none for a plain campaign)."]
            else:
                variant_errors = [_variant_problems(v) for v in variants]
                if any(variant_errors):
                    errors["variants"] = variant_errors
        if instance is None and not (attrs.get("subject") or any(v.get("subject") for v in variants or [])):
            errors.setdefault("subject", ["Give a subject, or a template that has one."])
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    @transaction.atomic
    def create(self, validated_data: dict[str, Any]) -> Campaign:
        variants = validated_data.pop("variants", [])
        campaign = Campaign.objects.create(**validated_data)
        _write_variants(campaign, variants)
        return campaign

    @transaction.atomic
    def update(self, instance: Campaign, validated_data: dict[str, Any]) -> Campaign:
        variants = validated_data.pop("variants", None)
        campaign = super().update(instance, validated_data)
        if variants is not None:
            campaign.variants.all().delete()
            _write_variants(campaign, variants)
        return campaign


def _variant_problems(variant: dict[str, Any]) -> dict[str, list[str]]:
    problems = {}
    for field in ("subject", "content_html", "content_text"):
        found = template_problems(variant.get(field) or "")
        if found:
            problems[field] = found
    return problems


def _write_variants(campaign: Campaign, variants: list[dict[str, Any]]) -> None:
    CampaignVariant.objects.bulk_create(
        CampaignVariant(campaign=campaign, label=LABELS[index], **variant) for index, variant in enumerate(variants)
    )


def _taken(model: type[Any], instance: Any, **fields: Any) -> bool:
    others = model.objects.filter(**fields)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    return bool(others.exists())


class ScheduleSerializer(serializers.Serializer[Any]):
    scheduled_at = serializers.DateTimeField(help_text="When to start sending; in the future")


class SendTestSerializer(serializers.Serializer[Any]):
    to = serializers.EmailField(required=False, help_text="Where to send it; yours by default")
    contact = serializers.UUIDField(
        required=False, help_text="Whose details fill it; a sample of the segment by default"
    )
