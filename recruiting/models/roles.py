"""Role: an open job at a client company, from the admin, a CSV or a Zoho CRM module."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from recruiting.models.candidates import WorkPolicy


class Role(models.Model):
    title = models.CharField(max_length=200)
    company = models.CharField(max_length=200, help_text=_("The client company"))
    industries = models.JSONField(default=list, blank=True, help_text=_("Industry tags, such as IT or Finance"))
    location = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=120, blank=True, editable=False)
    region = models.CharField(max_length=120, blank=True, editable=False)
    country = models.CharField(max_length=2, blank=True, editable=False)
    work_policy = models.CharField(max_length=10, choices=WorkPolicy.choices, default=WorkPolicy.OFFICE)
    required_skills = models.JSONField(default=list, blank=True)
    nice_to_have_skills = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    is_open = models.BooleanField(default=True, db_index=True)
    zoho_id = models.CharField(max_length=64, unique=True, null=True, blank=True, verbose_name=_("Zoho ID"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["company", "title"]
        constraints = [models.UniqueConstraint(fields=["title", "company"], name="role_title_per_company")]

    def __str__(self) -> str:
        return f"{self.title} at {self.company}"
