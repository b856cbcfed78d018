"""Pipelines and their ordered stages. Terminal stages end a deal as won or lost."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.models.brands import Brand


class PipelineType(models.TextChoices):
    SALES = "sales", _("Sales")
    BACKLINK = "backlink", _("Backlink outreach")
    PARTNERSHIP = "partnership", _("Partnership")


class StageOutcome(models.TextChoices):
    NONE = "", _("(open)")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class PipelineQuerySet(models.QuerySet["Pipeline"]):
    def visible_to(self, user: User | AnonymousUser) -> PipelineQuerySet:
        return self.filter(brand__in=Brand.objects.visible_to(user))


class Pipeline(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="pipelines")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50)
    pipeline_type = models.CharField(max_length=20, choices=PipelineType.choices, default=PipelineType.SALES)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PipelineQuerySet.as_manager()

    class Meta:
        ordering = ["brand__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "slug"], name="pipeline_unique_slug_per_brand"),
        ]

    def __str__(self) -> str:
        return f"{self.brand} · {self.name}"

    def first_stage(self) -> PipelineStage | None:
        return self.stages.filter(is_terminal=False).order_by("order", "id").first()


class PipelineStage(models.Model):
    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    auto_actions = models.JSONField(
        default=list,
        blank=True,
        help_text=_('What the autopilot does in this stage, e.g. ["send_initial_email"]'),
    )
    days_until_followup = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Days the autopilot waits in this stage before acting again")
    )
    is_terminal = models.BooleanField(default=False, help_text=_("A deal in this stage is closed"))
    outcome = models.CharField(max_length=10, choices=StageOutcome.choices, default=StageOutcome.NONE, blank=True)

    class Meta:
        ordering = ["pipeline", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "name"], name="stage_unique_name_per_pipeline"),
            models.CheckConstraint(
                condition=Q(is_terminal=False, outcome="") | Q(is_terminal=True, outcome__in=["won", "lost"]),
                name="stage_outcome_iff_terminal",
                violation_error_message=_("Terminal stages are won or lost; open stages have no outcome."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


def funnel_ranks(stages: Iterable[PipelineStage]) -> dict[int, int]:
    """Each stage's place in its pipeline's funnel (given the stages of one pipeline): open stages
    1..n by order, won stages n + 1. Lost stages have none: a lost deal reached only the stages
    it went through before."""
    stages = list(stages)
    opened = sorted((s for s in stages if not s.is_terminal), key=lambda s: (s.order, s.pk))
    ranks = {stage.pk: rank for rank, stage in enumerate(opened, start=1)}
    ranks.update({stage.pk: len(opened) + 1 for stage in stages if stage.outcome == StageOutcome.WON})
    return ranks
