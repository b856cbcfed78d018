"""AI decisions (read-only, with reasoning and tokens) and the prompt templates."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import RangeDateFilter
from unfold.decorators import display

from crm.admin.base import ReadOnlyAdmin
from crm.ai.wording import decision_sentence
from crm.models import AIDecisionLog, AIPromptTemplate, Brand


@admin.register(AIDecisionLog)
class AIDecisionLogAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "decision",
        "deal",
        "short_reasoning",
        "model",
        "tokens",
    ]
    list_select_related = ["deal__contact", "deal__pipeline"]
    list_filter = ["decision_type", "model", ("created_at", RangeDateFilter)]
    search_fields = ["reasoning", "action_taken", "deal__contact__email"]
    date_hierarchy = "created_at"

    def scope(self, queryset: QuerySet[AIDecisionLog], brands: QuerySet[Brand]) -> QuerySet[AIDecisionLog]:
        # Lead scores belong to a contact, not a deal.
        return queryset.filter(deal__pipeline__brand__in=brands) | queryset.filter(
            deal__isnull=True, contact__brand__in=brands
        )

    @display(description=_("Decision"), ordering="decision_type")
    def decision(self, decision: AIDecisionLog) -> str:
        return decision_sentence(decision.decision_type, decision.action_taken, decision.metadata)

    @display(description=_("Reasoning"))
    def short_reasoning(self, decision: AIDecisionLog) -> str:
        return decision.reasoning[:120] + ("…" if len(decision.reasoning) > 120 else "")

    @display(description=_("Tokens (prompt / completion)"))
    def tokens(self, decision: AIDecisionLog) -> str:
        return f"{decision.prompt_tokens} / {decision.completion_tokens}"


@admin.register(AIPromptTemplate)
class AIPromptTemplateAdmin(ModelAdmin):
    list_display = ["name", "prompt_type", "is_active", "updated_at"]
    list_filter = ["prompt_type", "is_active"]
    search_fields = ["name", "prompt_text"]
