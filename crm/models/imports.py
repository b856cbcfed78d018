"""ContactImport: an uploaded CSV of contacts, imported by a Celery task, with its report."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models.brands import Brand
from crm.models.contacts import ContactType
from crm.models.pipelines import Pipeline
from crm_site.models import Claimable

# Rows of the error report kept with an import; the counts stay exact past it.
MAX_STORED_ERRORS = 5000


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Waiting for the preview to be confirmed")
    PENDING = "pending", _("Pending")
    PROCESSING = "processing", _("Processing")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")


class ContactImport(Claimable):  # claimed while a worker imports it
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="imports")
    file = models.FileField(
        upload_to="imports/%Y/%m/",
        validators=[FileExtensionValidator(["csv", "tsv", "txt"])],
        help_text=_("CSV with a header row; UTF-8, UTF-16 or Windows-1252; comma, semicolon or tab separated"),
    )
    original_filename = models.CharField(max_length=255, blank=True)
    contact_type = models.CharField(max_length=20, choices=ContactType.choices, default=ContactType.LEAD)
    source = models.CharField(max_length=100, blank=True, help_text=_("e.g. LinkedIn export"))
    create_deals = models.BooleanField(default=False)
    column_map = models.JSONField(
        default=dict, blank=True, help_text=_("Column -> its index in the file's header, as chosen; empty: as detected")
    )
    pipeline = models.ForeignKey(
        Pipeline, null=True, blank=True, on_delete=models.PROTECT, help_text=_("Where deals are created")
    )
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    deals_created = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text=_("[{line, email, reason}], the first 5,000"))
    error_message = models.TextField(blank=True, help_text=_("Why the whole import failed"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(create_deals=False) | models.Q(pipeline__isnull=False),
                name="import_deals_need_a_pipeline",
                violation_error_message=_("Choose the pipeline the deals go into."),
            ),
        ]

    def __str__(self) -> str:
        return self.original_filename or str(self.id)

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == ImportStatus.COMPLETED else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
