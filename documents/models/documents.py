"""A document, its versions (each its own file) and every time one was downloaded."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.models import Brand, Contact, Deal
from crm_site.models import Claimable
from recruiting.models import Candidate


class Category(models.TextChoices):
    CONTRACT = "contract", _("Contract")
    PROPOSAL = "proposal", _("Proposal")
    INVOICE = "invoice", _("Invoice")
    CV = "cv", _("CV")
    OTHER = "other", _("Other")


class AccessLevel(models.TextChoices):
    """Who sees a document (documents.selectors.documents_visible_to)."""

    PUBLIC = "public", _("Public: the brand's staff, and may be shared by link")
    INTERNAL = "internal", _("Internal: the brand's staff")
    CONFIDENTIAL = "confidential", _("Confidential: the owner and the brand's managers")
    RESTRICTED = "restricted", _("Restricted: the owner and the people named")


class ExtractionState(models.TextChoices):
    PENDING = "pending", _("Waiting to be read")
    DONE = "done", _("Text read")
    NO_TEXT = "no_text", _("No text found")
    FAILED = "failed", _("Failed")


class Document(models.Model):
    brand = models.ForeignKey(
        Brand,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        help_text=_("Empty for the agency's own files, such as candidates' CVs: every staff member's"),
    )
    name = models.CharField(max_length=255)
    category = models.CharField(max_length=12, choices=Category.choices, default=Category.OTHER)
    tags = models.JSONField(default=list, blank=True)
    access_level = models.CharField(max_length=12, choices=AccessLevel.choices, default=AccessLevel.INTERNAL)
    allowed_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="shared_documents",
        help_text=_("Who may see a restricted document besides its owner."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents")
    deal = models.ForeignKey(Deal, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents")
    candidate = models.ForeignKey(Candidate, on_delete=models.SET_NULL, null=True, blank=True, related_name="files")
    current_version = models.ForeignKey(
        "DocumentVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    # The current version's text, and on PostgreSQL its search vector with a GIN index (created by
    # migration 0001 on PostgreSQL only; documents.selectors.documents_search).
    text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="document_recent"),  # a common word's first page
        ]

    def __str__(self) -> str:
        return self.name


class DocumentVersion(Claimable):
    """One file of a document; its text is read by a worker (documents.services.extraction)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to="documents/", max_length=500)
    file_name = models.CharField(max_length=255, help_text=_("The uploaded name, made safe"))
    kind = models.CharField(max_length=8, help_text=_("What the bytes are: pdf, docx, xlsx, png ..."))
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True, help_text=_("What changed"))
    created_at = models.DateTimeField(auto_now_add=True)

    extraction_state = models.CharField(
        max_length=8, choices=ExtractionState.choices, default=ExtractionState.PENDING, db_index=True
    )
    extraction_error = models.TextField(blank=True)
    text = models.TextField(blank=True)
    pages = models.PositiveIntegerField(default=0)
    ocr_pages = models.PositiveIntegerField(default=0, verbose_name=_("OCR pages"))
    extraction_seconds = models.FloatField(null=True, blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    thumbnail = models.FileField(upload_to="documents/", max_length=500, blank=True)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_number")]
        indexes = [
            models.Index(
                fields=["created_at"], name="document_version_pending", condition=Q(extraction_state="pending")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class DocumentAccess(models.Model):
    """A download: by whom (a user, or a share link), of which version, when and from where."""

    class Channel(models.TextChoices):
        API = "api", _("API")
        ADMIN = "admin", _("Admin")
        SHARE = "share", _("Share link")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="accesses")
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    share = models.ForeignKey("DocumentShare", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=5, choices=Channel.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "document accesses"

    def __str__(self) -> str:
        return f"{self.document} ({self.channel})"
