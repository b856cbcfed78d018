"""A document template: a body with {{ variables }} that becomes a PDF for a contact or a deal."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models import Brand
from documents.models.documents import AccessLevel, Category


class DocumentTemplate(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="document_templates")
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=12, choices=Category.choices, default=Category.PROPOSAL)
    title = models.CharField(max_length=200, help_text=_("The PDF's heading and the new document's name"))
    body = models.TextField(
        help_text=_("Plain text, paragraphs separated by blank lines; {{ contact.name }}, {{ deal.value }} ...")
    )
    access_level = models.CharField(max_length=12, choices=AccessLevel.choices, default=AccessLevel.INTERNAL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["brand", "name"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "name"], name="document_template_unique_name_per_brand")
        ]

    def __str__(self) -> str:
        return self.name
