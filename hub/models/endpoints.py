"""Custom read-only endpoints staff define without code: a model, a filter in the campaign
segments' filter language, the fields to expose (hub.services.endpoints serves them)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models import Brand


class EndpointModel(models.TextChoices):
    CONTACTS = "contacts", _("Contacts")
    DEALS = "deals", _("Deals")
    TASKS = "tasks", _("Tasks")


class APIEndpoint(models.Model):
    slug = models.SlugField(max_length=60, unique=True, help_text=_("Served at /api/integrations/custom/<slug>/"))
    name = models.CharField(max_length=120)
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="api_endpoints")
    model = models.CharField(max_length=10, choices=EndpointModel.choices)
    filters = models.JSONField(
        default=dict, blank=True,
        help_text=_('The segment filter language, e.g. {"contact_type": "lead", "tags_any": ["saas"]}'),
    )  # fmt: skip
    fields = models.JSONField(default=list, help_text=_("The fields each row exposes"))
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("custom API endpoint")

    def __str__(self) -> str:
        return f"/api/integrations/custom/{self.slug}/"
