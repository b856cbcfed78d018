"""Email sequences: per pipeline, the ordered steps (templates) the autopilot sends."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models.pipelines import Pipeline


class EmailSequence(models.Model):
    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="sequences")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pipeline", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "name"], name="sequence_unique_name_per_pipeline"),
        ]

    def __str__(self) -> str:
        return self.name


class SequenceStep(models.Model):
    sequence = models.ForeignKey(EmailSequence, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    delay_days = models.PositiveSmallIntegerField(default=0, help_text=_("Days after the previous step"))
    subject_template = models.CharField(max_length=200)
    body_template = models.TextField(
        help_text=_("Variables: {first_name}, {name}, {company}, {website}, {sender_name}, {brand_name}, ...")
    )
    ai_personalize = models.BooleanField(
        default=True, help_text=_("Let the AI rewrite it for the recipient"), verbose_name=_("AI personalises")
    )

    class Meta:
        ordering = ["sequence", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.subject_template}"
