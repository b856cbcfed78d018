"""Document: a candidate's CV file, downloaded from Zoho CRM, with its extracted text."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from recruiting.models.candidates import Candidate
from recruiting.models.skills import SkillSource


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    EXTRACTED = "extracted", _("Text extracted")
    NO_TEXT = "no_text", _("No text (scanned or empty)")
    FAILED = "failed", _("Failed")


class Document(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="documents")
    zoho_attachment_id = models.CharField(max_length=64, verbose_name=_("Zoho attachment ID"))
    file_name = models.CharField(max_length=255)
    path = models.CharField(max_length=500, blank=True, help_text=_("Relative to CV_DOWNLOAD_DIR"))
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    zoho_created_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField(blank=True)
    pages = models.PositiveIntegerField(default=0)
    extraction_status = models.CharField(
        max_length=12, choices=ExtractionStatus.choices, default=ExtractionStatus.PENDING, db_index=True
    )
    extraction_error = models.TextField(blank=True)
    extraction_seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    skills_source = models.CharField(
        max_length=5,
        choices=SkillSource.choices,
        blank=True,
        help_text=_("How the candidate's skills were read from this CV; blank: not yet"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("CV document")
        verbose_name_plural = _("CV documents")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "zoho_attachment_id"], name="document_per_attachment"),
        ]

    def __str__(self) -> str:
        return self.file_name
