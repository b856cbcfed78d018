"""Candidate: a Zoho CRM contact the recruiters work with, kept in step by the Ready to Pitch webhook."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm_site.models import Claimable

READY_TO_PITCH = "Ready to Pitch"


class WorkPolicy(models.TextChoices):
    REMOTE = "remote", _("Remote")
    HYBRID = "hybrid", _("Hybrid")
    OFFICE = "office", _("Office")


class ProcessingStatus(models.TextChoices):
    IDLE = "idle", _("Not processed")
    PROCESSING = "processing", _("Processing")
    DONE = "done", _("Done")
    PARTIAL = "partial", _("Done with problems")
    FAILED = "failed", _("Failed")


class Candidate(Claimable):  # claimed while the Ready to Pitch flow runs for it
    zoho_contact_id = models.CharField(
        max_length=64, unique=True, help_text=_("The Zoho CRM record id"), verbose_name=_("Zoho contact ID")
    )
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True, db_index=True, help_text=_("E.164, e.g. +61412345678"))
    location = models.CharField(max_length=255, blank=True, help_text=_("As written in Zoho"))
    city = models.CharField(max_length=120, blank=True)
    region = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2"))
    work_policy = models.CharField(max_length=10, choices=WorkPolicy.choices, blank=True)
    industry_1_areas = models.JSONField(default=list, blank=True)
    industry_2_areas = models.JSONField(default=list, blank=True)
    industry_choice_1 = models.CharField(max_length=255, blank=True)
    industry_choice_2 = models.CharField(max_length=255, blank=True)
    industry_choice_3 = models.CharField(max_length=255, blank=True)
    role_success_stage = models.CharField(max_length=120, blank=True, db_index=True)
    zoho_record = models.JSONField(default=dict, blank=True, help_text=_("The record as Zoho CRM returned it"))
    last_synced_at = models.DateTimeField(null=True, blank=True, help_text=_("Last read from Zoho CRM"))
    processing_status = models.CharField(max_length=12, choices=ProcessingStatus.choices, default=ProcessingStatus.IDLE)
    processing_error = models.TextField(blank=True, help_text=_("What went wrong in the last CV run, step by step"))
    processed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.name or self.email or self.zoho_contact_id

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def industries(self) -> list[str]:
        """Areas and choices together, in order, without repeats."""
        values = [*self.industry_1_areas, *self.industry_2_areas]
        values += [self.industry_choice_1, self.industry_choice_2, self.industry_choice_3]
        return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
