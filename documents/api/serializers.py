"""Serializers of /api/documents/: each problem is named by its field."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework import serializers

from crm.api.serializers import MAX_ID, VisibleBrandField
from crm.models import Brand, Contact, Deal
from documents.models import (
    AccessLevel,
    Category,
    Document,
    DocumentApproval,
    DocumentComment,
    DocumentShare,
    DocumentTemplate,
    DocumentVersion,
)
from documents.selectors import documents_visible_to
from documents.services.generation import RULES
from recruiting.models import Candidate

User = get_user_model()


class IdField(serializers.PrimaryKeyRelatedField):
    """Ids are checked for their shape before they reach the database: integers bounded, UUIDs parsed."""

    uuid = False

    def __init__(self, **kwargs: Any) -> None:
        shape = serializers.UUIDField() if self.uuid else serializers.IntegerField(min_value=1, max_value=MAX_ID)
        super().__init__(pk_field=shape, **kwargs)


class VisibleContactField(IdField):
    uuid = True

    def get_queryset(self) -> Any:
        return Contact.objects.visible_to(self.context["request"].user)


class VisibleDealField(IdField):
    uuid = True

    def get_queryset(self) -> Any:
        return Deal.objects.visible_to(self.context["request"].user).select_related("pipeline")


class VisibleDocumentField(IdField):
    def get_queryset(self) -> Any:
        return documents_visible_to(self.context["request"].user)


class StaffUserField(IdField):
    def get_queryset(self) -> Any:
        return User.objects.filter(is_active=True, is_staff=True)


class VersionSerializer(serializers.ModelSerializer[DocumentVersion]):
    author = serializers.StringRelatedField[Any]()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = [
            "number", "file_name", "kind", "content_type", "size", "sha256", "author", "note", "created_at",
            "extraction_state", "extraction_error", "pages", "ocr_pages", "extracted_at", "download_url",
        ]  # fmt: skip

    def get_download_url(self, version: DocumentVersion) -> str:
        url = reverse("api:documents-api:document-download", args=[version.document_id])
        return f"{url}?version={version.number}"


class DocumentSerializer(serializers.ModelSerializer[Document]):
    """Upload: multipart with `file`, `name`, `category`, `access_level`, `tags` and the ids of
    `contact`, `deal` or `candidate`; `brand` is taken from the contact or deal when not given."""

    file = serializers.FileField(write_only=True, help_text="PDF, DOC/DOCX, XLS/XLSX, PNG, JPEG or TIFF")
    brand = VisibleBrandField(required=False, allow_null=True)
    contact = VisibleContactField(required=False, allow_null=True)
    deal = VisibleDealField(required=False, allow_null=True)
    candidate = IdField(queryset=Candidate.objects.all(), required=False, allow_null=True)
    allowed_users = StaffUserField(many=True, required=False, help_text="Who may see a restricted document")
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, max_length=30)
    owner = serializers.StringRelatedField[Any]()
    opportunity = VisibleDealField(write_only=True, required=False, allow_null=True, help_text="Another name for deal")
    lead = VisibleContactField(write_only=True, required=False, allow_null=True, help_text="Another name for contact")
    current_version = VersionSerializer(read_only=True)
    version_count = serializers.SerializerMethodField(help_text="How many versions (the current one's number)")

    class Meta:
        model = Document
        fields = [
            "id", "name", "category", "tags", "access_level", "brand", "contact", "deal", "candidate", "owner",
            "allowed_users", "file", "current_version", "version_count", "created_at", "updated_at",
            "opportunity", "lead",
        ]  # fmt: skip
        extra_kwargs = {"name": {"required": False}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """`opportunity` and `lead` (the features document's words) stand for `deal` and `contact`."""
        for alias, field in (("opportunity", "deal"), ("lead", "contact")):
            value = attrs.pop(alias, None)
            if value is not None and attrs.get(field) not in (None, value):
                raise serializers.ValidationError({alias: [f"Give {field} or {alias}, not two different ones."]})
            if value is not None:
                attrs[field] = value
        return attrs

    def get_version_count(self, document: Document) -> int:
        return document.current_version.number if document.current_version else 0

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["file"].read_only = True  # a new file is a new version: create_version
        return fields


class DocumentDetailSerializer(DocumentSerializer):
    text = serializers.CharField(read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "text"]


class NewVersionSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, help_text="What changed")


class ShareCreateSerializer(serializers.Serializer[Any]):
    expires_in_hours = serializers.FloatField(min_value=0.01, help_text="How long the link works")
    password = serializers.CharField(required=False, allow_blank=True, max_length=128, write_only=True)
    max_downloads = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=1_000_000)


class ShareSerializer(serializers.ModelSerializer[DocumentShare]):
    created_by = serializers.StringRelatedField[Any]()
    document_name = serializers.CharField(source="document.name", read_only=True)

    class Meta:
        model = DocumentShare
        fields = [
            "id", "document", "document_name", "token_hint", "has_password", "expires_at", "max_downloads",
            "download_count", "last_accessed_at", "revoked_at", "created_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class CommentSerializer(serializers.ModelSerializer[DocumentComment]):
    document = VisibleDocumentField()
    author = serializers.StringRelatedField[Any]()

    class Meta:
        model = DocumentComment
        fields = ["id", "document", "author", "body", "created_at"]


class ApprovalRequestSerializer(serializers.Serializer[Any]):
    approver = StaffUserField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DecisionSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ApprovalSerializer(serializers.ModelSerializer[DocumentApproval]):
    requested_by = serializers.StringRelatedField[Any]()
    approver = serializers.StringRelatedField[Any]()
    version = serializers.IntegerField(source="version.number", read_only=True, allow_null=True)
    document_name = serializers.CharField(source="document.name", read_only=True)

    class Meta:
        model = DocumentApproval
        fields = [
            "id", "document", "document_name", "version", "requested_by", "approver", "status", "request_note",
            "comment", "requested_at", "decided_at",
        ]  # fmt: skip
        read_only_fields = fields


class TemplateSerializer(serializers.ModelSerializer[DocumentTemplate]):
    """Variables: contact.name, contact.first_name, contact.company, contact.email, contact.website,
    deal.value, deal.stage, deal.pipeline, deal.status, brand.name, brand.from_name, today."""

    brand = VisibleBrandField()
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    access_level = serializers.ChoiceField(choices=AccessLevel.choices, required=False)

    class Meta:
        model = DocumentTemplate
        fields = ["id", "brand", "name", "category", "title", "body", "access_level", "created_at", "updated_at"]
        validators: list[Any] = []  # the (brand, name) check below names the field

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        for field in ("title", "body"):
            problems = RULES.problems(attrs[field]) if field in attrs else []
            if problems:
                errors[field] = problems
        brand: Brand | None = attrs.get("brand") or getattr(self.instance, "brand", None)
        name = attrs.get("name")
        others = DocumentTemplate.objects.filter(brand=brand, name=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if brand is not None and name and others.exists():
            errors["name"] = ["This brand already has a template of this name."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class GenerateSerializer(serializers.Serializer[Any]):
    contact = VisibleContactField(required=False, allow_null=True)
    deal = VisibleDealField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=255)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("contact") and not attrs.get("deal"):
            raise serializers.ValidationError({"contact": "Give a contact or a deal."})
        return attrs
