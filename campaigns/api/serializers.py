"""Serializers of /api/campaigns/: a template is checked when saved, the problem named by field."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from campaigns.models import EmailTemplate
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
        if brand is not None and name:
            others = EmailTemplate.objects.filter(brand=brand, name=name)
            if self.instance is not None:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
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
