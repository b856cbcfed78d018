"""Candidates: skills inline, the best matches with their breakdown, the CV, and "re-run matching"."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action, display

from crm_site.admin_inlines import ExtraInlines
from crm_site.claims_admin import CLAIM_FIELDS, ClaimStateFilter
from crm_site.widgets import ListFieldsMixin
from recruiting.models import Candidate, JobMatch, Skill
from recruiting.services.matching import candidates_rematch

STATUS_COLOURS = {"idle": "info", "processing": "warning", "done": "success", "partial": "warning", "failed": "danger"}


class SkillInline(TabularInline):
    model = Skill
    extra = 0
    fields = ["name", "category", "proficiency", "source", "evidence"]
    readonly_fields = ["source"]
    tab = True


class MatchInline(TabularInline):
    model = JobMatch
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = _("Top job matches")
    fields = ["role", "score", "industry_score", "location_score", "policy_score", "skills_score", "summary"]
    readonly_fields = fields
    ordering = ["-score"]
    tab = True

    @display(description=_("Why"))
    def summary(self, obj: JobMatch) -> str:
        return str(obj.explanation.get("summary", ""))

    def get_queryset(self, request: HttpRequest) -> QuerySet[JobMatch]:
        return super().get_queryset(request).select_related("role")


@admin.register(Candidate)
class CandidateAdmin(ListFieldsMixin, ExtraInlines, ModelAdmin):
    list_fields = ("industry_1_areas", "industry_2_areas")
    list_display = [
        "__str__",
        "email",
        "phone",
        "place",
        "work_policy",
        "role_success_stage",
        "status_label",
        "skill_count",
        "processed_at",
    ]
    list_filter = ["role_success_stage", "work_policy", "processing_status", ClaimStateFilter, "country"]
    search_fields = ["first_name", "last_name", "email", "phone", "zoho_contact_id", "skills__name"]
    list_filter_submit = True
    list_per_page = 50
    inlines = [SkillInline, MatchInline]
    actions = ["rematch"]
    readonly_fields = [
        "zoho_contact_id",
        "city",
        "region",
        "country",
        "zoho_record",
        "last_synced_at",
        "processing_status",
        "processing_error",
        "processed_at",
        "cv",
        "created_at",
        "updated_at",
        *CLAIM_FIELDS,
    ]
    fieldsets = [
        (None, {"fields": ["zoho_contact_id", "first_name", "last_name", "email", "phone", "role_success_stage"]}),
        (_("Location and work"), {"fields": ["location", "city", "region", "country", "work_policy"]}),
        (
            _("Industries"),
            {
                "fields": [
                    "industry_1_areas",
                    "industry_2_areas",
                    "industry_choice_1",
                    "industry_choice_2",
                    "industry_choice_3",
                ]
            },
        ),
        (
            _("CV processing"),
            {"fields": ["cv", "processing_status", "processing_error", "processed_at", *CLAIM_FIELDS]},
        ),
        (
            _("Zoho CRM"),
            {"classes": ["collapse"], "fields": ["zoho_record", "last_synced_at", "created_at", "updated_at"]},
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Candidate]:
        return super().get_queryset(request).prefetch_related("skills")

    @display(description=_("Place"))
    def place(self, obj: Candidate) -> str:
        return ", ".join(part for part in (obj.city, obj.country) if part) or obj.location

    @display(description=_("Skills"))
    def skill_count(self, obj: Candidate) -> int:
        return len(obj.skills.all())

    @display(description=_("CV processing"), label=STATUS_COLOURS)
    def status_label(self, obj: Candidate) -> str:
        return obj.processing_status

    @display(description=_("CV"))
    def cv(self, obj: Candidate) -> str:
        documents = obj.documents.all()
        if not documents:
            return "-"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse("admin:recruiting_document_download", args=[d.pk]),
                    d.file_name,
                    d.get_extraction_status_display(),
                )
                for d in documents
            ),
        )

    @action(description=_("Re-run matching"))
    def rematch(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> None:
        saved = candidates_rematch(candidate_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(n)s matches saved.") % {"n": saved}, messages.SUCCESS)
