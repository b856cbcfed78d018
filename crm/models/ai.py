"""What the AI (or its rule-based stand-in) decided, and the prompts it is given."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.models.contacts import Contact
from crm.models.deals import Deal


class DecisionType(models.TextChoices):
    ANALYZE_DEAL = "analyze_deal", _("Analyze deal")
    COMPOSE_EMAIL = "compose_email", _("Compose email")
    MOVE_STAGE = "move_stage", _("Move stage")
    CLASSIFY_REPLY = "classify_reply", _("Classify reply")
    SCORE_LEAD = "score_lead", _("Score lead")
    PITCH_ANGLE = "pitch_angle", _("Backlink pitch angle")


class AIDecisionLog(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    deal = models.ForeignKey(Deal, null=True, blank=True, on_delete=models.CASCADE, related_name="ai_decisions")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="ai_decisions")
    decision_type = models.CharField(max_length=20, choices=DecisionType.choices)
    reasoning = models.TextField(blank=True)
    action_taken = models.CharField(max_length=100, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    model = models.CharField(max_length=100, blank=True, help_text=_('"rules" for the offline fallback'))
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    input_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("AI decision")
        indexes = [models.Index(fields=["deal", "-created_at"], name="decision_deal_created")]

    def __str__(self) -> str:
        return f"{self.get_decision_type_display()}: {self.action_taken}"


class PromptType(models.TextChoices):
    EMAIL_COMPOSE = "email_compose", _("Compose email")
    REPLY_CLASSIFY = "reply_classify", _("Classify reply")
    LEAD_SCORE = "lead_score", _("Score lead")
    DEAL_ANALYZE = "deal_analyze", _("Analyze deal")
    BACKLINK_PITCH = "backlink_pitch", _("Backlink pitch angle")


class AIPromptTemplate(models.Model):
    name = models.CharField(max_length=100, unique=True)
    prompt_type = models.CharField(max_length=20, choices=PromptType.choices)
    prompt_text = models.TextField(help_text=_("Named variables in braces, e.g. {recipient_name}"))
    variables = models.JSONField(default=list, blank=True, help_text=_("The variables the prompt expects"))
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["prompt_type", "name"]
        verbose_name = _("AI prompt")
        constraints = [
            models.UniqueConstraint(
                fields=["prompt_type"],
                condition=Q(is_active=True),
                name="prompt_one_active_per_type",
                violation_error_message=_("Another prompt of this type is active; deactivate it first."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
