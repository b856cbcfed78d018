"""Deals: filters, bulk "Move to stage" / "Pause" / "Resume", a page with the deal's emails,
AI decisions and timeline, and the Analytics page (crm.admin.analytics). Stage and status
changes go through crm.services.deals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.contrib.filters.admin import RangeDateFilter, RangeDateTimeFilter
from unfold.decorators import action, display
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from crm.admin.analytics import analytics_page
from crm.admin.base import BrandScopedAdmin, DealBrandFilter, OwnerFilter, PipelineFilter, ReadOnlyAdmin, StageFilter
from crm.ai.wording import decision_sentence
from crm.errors import DealError
from crm.models import AIDecisionLog, Deal, DealActivity, DealStatus, EmailLog, Pipeline, PipelineStage, Task
from crm.services.autopilot import deal_mark_reviewed
from crm.services.deals import (
    deal_check_new,
    deal_check_owner,
    deal_create,
    deal_move_to_stage,
    deal_pause,
    deal_resume,
)
from crm.services.stage_durations import closed_deal_recount
from crm.tasks import run_deal_autopilot
from crm_site.claims_admin import ClaimStateFilter
from lib.money import money

STATUS_COLOURS = {"active": "success", "paused": "warning", "won": "info", "lost": "danger"}
AUTOPILOT_NOW_LIMIT = 100  # queued for workers, each a claim on its deal


class MoveToStageForm(forms.Form):
    stage = forms.ModelChoiceField(queryset=PipelineStage.objects.none(), widget=UnfoldAdminSelectWidget)
    reason = forms.CharField(required=False, max_length=500, widget=UnfoldAdminTextInputWidget)

    def __init__(self, *args: Any, pipeline: Pipeline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = pipeline.stages.order_by("order", "id")  # type: ignore[attr-defined]


class DealItem:
    """A deal as listed on an action's page: contact and current stage."""

    def __init__(self, deal: Deal) -> None:
        self.pk = deal.pk
        self.label = f"{deal.contact} ({deal.current_stage.name})"

    def __str__(self) -> str:
        return self.label


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.pipeline} · {obj.name}"


class ReadOnlyInline(TabularInline):
    extra = 0
    can_delete = False
    tab = True
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields


class EmailInline(ReadOnlyInline):
    model = EmailLog
    verbose_name_plural = _("Emails")
    fields = ["subject", "status", "sent_at", "opened", "replied", "ai_generated"]
    ordering = ["-created_at"]


class DecisionInline(ReadOnlyInline):
    model = AIDecisionLog
    verbose_name_plural = _("AI decisions")
    fields = ["created_at", "decision", "reasoning", "model"]
    ordering = ["-created_at"]

    @display(description=_("Decision"))
    def decision(self, decision: AIDecisionLog) -> str:
        return decision_sentence(decision.decision_type, decision.action_taken, decision.metadata)


class TaskInline(ReadOnlyInline):
    model = Task
    verbose_name_plural = _("Tasks")
    fields = ["title", "due_at", "assignee", "origin", "done_at"]
    ordering = ["done_at", "due_at"]


class ActivityInline(ReadOnlyInline):
    model = DealActivity
    verbose_name_plural = _("Timeline")
    fields = ["created_at", "activity_type", "description", "actor"]
    ordering = ["-created_at", "-id"]
    show_change_link = False


@admin.register(Deal)
class DealAdmin(BrandScopedAdmin):
    brand_path = "pipeline__brand"
    list_display = [
        "contact_header", "brand", "pipeline_name", "stage", "status_label", "review_flag", "value_money", "owner",
        "expected_close_date", "emails_sent", "next_action_date",
    ]  # fmt: skip
    list_select_related = ["contact", "pipeline__brand", "current_stage", "owner"]
    list_filter = [
        DealBrandFilter,
        PipelineFilter,
        StageFilter,
        "status",
        "needs_review",
        OwnerFilter,
        ClaimStateFilter,
        ("next_action_date", RangeDateTimeFilter),
        ("created_at", RangeDateFilter),
    ]
    search_fields = ["contact__email", "contact__name", "contact__company"]
    autocomplete_fields = ["contact"]
    actions = ["move_to_stage", "pause_deals", "resume_deals", "run_autopilot", "mark_reviewed"]
    inlines = [EmailInline, DecisionInline, TaskInline, ActivityInline]
    readonly_fields = [
        "status",
        "emails_sent",
        "stage_entered_at",
        "closed_at",
        "needs_review",
        "review_reason",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["contact", "pipeline", "current_stage", "status", "value", "owner", "expected_close_date"]}),
        (
            _("Autopilot"),
            {
                "fields": [
                    "next_action_date",
                    "needs_review",
                    "review_reason",
                    "ai_notes",
                    "emails_sent",
                    "stage_entered_at",
                    "closed_at",
                ]
            },
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    @display(description=_("Contact"), header=True, ordering="contact__email")
    def contact_header(self, deal: Deal) -> list[str]:
        return [deal.contact.name or deal.contact.email, deal.contact.email if deal.contact.name else ""]

    @display(description=_("Value"), ordering="value")
    def value_money(self, deal: Deal) -> str:
        return money(deal.value, deal.pipeline.brand.currency)

    @display(description=_("Pipeline"), ordering="pipeline__name")
    def pipeline_name(self, deal: Deal) -> str:
        return deal.pipeline.name

    @display(description=_("Brand"), ordering="pipeline__brand__name")
    def brand(self, deal: Deal) -> str:
        return deal.pipeline.brand.name

    @display(description=_("Stage"), ordering="current_stage__order")
    def stage(self, deal: Deal) -> str:
        return deal.current_stage.name

    @display(description=_("Status"), label=STATUS_COLOURS, ordering="status")
    def status_label(self, deal: Deal) -> str:
        return deal.status

    @display(description=_("Review"), label={"needs review": "warning"}, ordering="needs_review")
    def review_flag(self, deal: Deal) -> str:
        return "needs review" if deal.needs_review else ""

    def get_urls(self) -> list[URLPattern]:
        page = self.admin_site.admin_view(self.analytics)
        return [path("analytics/", page, name="crm_deal_analytics"), *super().get_urls()]

    def analytics(self, request: HttpRequest) -> TemplateResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return analytics_page(self, request)

    def get_readonly_fields(self, request: HttpRequest, obj: Deal | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["contact", "pipeline"] if obj else fields

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "current_stage":
            kwargs["form_class"] = StageChoiceField
            kwargs["queryset"] = PipelineStage.objects.select_related("pipeline__brand")
        if db_field.name == "owner":
            kwargs["queryset"] = User.objects.filter(is_active=True, is_staff=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Deal, form: forms.ModelForm, change: bool) -> None:
        # The form has checked what the services check; a DealError here is a race.
        try:
            if not change:
                created = deal_create(
                    contact=obj.contact,
                    pipeline=obj.pipeline,
                    stage=obj.current_stage,
                    value=obj.value,
                    actor=request.user,  # type: ignore[arg-type]
                )
                obj.pk = created.pk
                obj._state.adding = False
                return
            if "current_stage" in form.changed_data:
                deal_move_to_stage(deal=obj, stage=obj.current_stage, actor=request.user, source="admin")  # type: ignore[arg-type]
            # The move set next_action_date; the form's (unchanged) value must not undo it.
            fields = ["value", "owner", "expected_close_date", "ai_notes", "updated_at"]
            if "next_action_date" in form.changed_data:
                fields.append("next_action_date")
            obj.save(update_fields=fields)
            if "value" in form.changed_data:
                closed_deal_recount(deal=obj)
        except DealError as exc:
            self.message_user(request, str(exc), messages.ERROR)

    def get_form(self, request: HttpRequest, obj: Deal | None = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        return _with_deal_rules(form)

    # --- bulk actions ---------------------------------------------------------------

    @action(description=_("Move to stage…"), permissions=["change"])
    def move_to_stage(self, request: HttpRequest, queryset: QuerySet[Deal]) -> HttpResponse | None:
        pipeline_ids = set(queryset.values_list("pipeline_id", flat=True))
        if len(pipeline_ids) != 1:
            self.message_user(request, _("Select deals of one pipeline to move them together."), messages.ERROR)
            return None
        pipeline = Pipeline.objects.get(pk=pipeline_ids.pop())
        form = MoveToStageForm(request.POST if "apply" in request.POST else None, pipeline=pipeline)
        if form.is_valid():
            self._move(request, queryset, form.cleaned_data["stage"], form.cleaned_data["reason"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Move %(count)d deals of %(pipeline)s") % {"count": queryset.count(), "pipeline": pipeline},
            "intro": _(
                "These deals move to the stage you choose; each move is recorded on the deal's timeline, "
                "and a won or lost stage closes the deal."
            ),
            "opts": self.model._meta,
            "form": form,
            "items": [DealItem(d) for d in queryset.select_related("contact", "current_stage")],
            "action_name": "move_to_stage",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "submit_label": _("Move deals"),
        }
        return TemplateResponse(request, "admin/crm/action_form.html", context)

    def _move(self, request: HttpRequest, deals: QuerySet[Deal], stage: PipelineStage, reason: str) -> None:
        moved = 0
        for deal in deals:
            try:
                deal_move_to_stage(deal=deal, stage=stage, actor=request.user, reason=reason, source="bulk")  # type: ignore[arg-type]
                moved += 1
            except DealError as exc:
                self.message_user(request, f"{deal.contact}: {exc}", messages.ERROR)
        self.message_user(request, _("Moved %(n)d deal(s) to %(stage)s.") % {"n": moved, "stage": stage.name})

    @action(description=_("Run the autopilot now"), permissions=["change"])
    def run_autopilot(self, request: HttpRequest, queryset: QuerySet[Deal]) -> None:
        """Queued for a worker (the model may take a while); each decision lands on the deal's
        timeline and under AI decisions."""
        ids = list(queryset.values_list("pk", flat=True)[:AUTOPILOT_NOW_LIMIT])
        for pk in ids:
            run_deal_autopilot.delay(str(pk))
        self.message_user(
            request, _("The autopilot will look at %(n)d deal(s) in a moment; see their timelines.") % {"n": len(ids)}
        )

    @action(description=_("Mark reviewed (hand back to the autopilot)"), permissions=["change"])
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[Deal]) -> None:
        deals = list(queryset.filter(needs_review=True))
        for deal in deals:
            deal_mark_reviewed(deal=deal)
        self.message_user(request, _("%(n)d deal(s) handed back to the autopilot.") % {"n": len(deals)})

    @action(description=_("Pause (the autopilot leaves them alone)"), permissions=["change"])
    def pause_deals(self, request: HttpRequest, queryset: QuerySet[Deal]) -> None:
        self._set_status(request, queryset.filter(status=DealStatus.ACTIVE), deal_pause, str(_("Paused")))

    @action(description=_("Resume"), permissions=["change"])
    def resume_deals(self, request: HttpRequest, queryset: QuerySet[Deal]) -> None:
        self._set_status(request, queryset.filter(status=DealStatus.PAUSED), deal_resume, str(_("Resumed")))

    def _set_status(self, request: HttpRequest, deals: QuerySet[Deal], service: Any, verb: str) -> None:
        count = 0
        for deal in deals:
            service(deal=deal, actor=request.user)
            count += 1
        self.message_user(request, _("%(verb)s %(n)d deal(s).") % {"verb": verb, "n": count})


def _with_deal_rules(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """Check on the form what the services would refuse, so errors show next to the field."""

    class DealForm(form_class):  # type: ignore[valid-type,misc]
        def clean(self) -> dict[str, Any]:
            cleaned = super().clean()
            stage = cleaned.get("current_stage")
            pipeline = cleaned.get("pipeline") or getattr(self.instance, "pipeline", None)
            contact = cleaned.get("contact") if self.instance._state.adding else self.instance.contact
            if not (contact and pipeline):
                return cleaned
            try:  # the service's rules, each message by the field it names
                deal_check_owner(owner=cleaned.get("owner"), pipeline=pipeline)
                if self.instance._state.adding:
                    value = cleaned.get("value") or Decimal(0)
                    deal_check_new(contact=contact, pipeline=pipeline, stage=stage, value=value)
                elif stage and stage.pipeline_id != pipeline.pk:
                    raise DealError(f"Stage {stage.name!r} is not in this deal's pipeline.", field="current_stage")
            except DealError as exc:
                self.add_error(exc.field if exc.field in self.fields else None, str(exc))
            return cleaned

    return DealForm


@admin.register(DealActivity)
class DealActivityAdmin(ReadOnlyAdmin):
    brand_path = "deal__pipeline__brand"
    list_display = ["created_at", "activity_type", "deal", "description", "actor"]
    list_select_related = ["deal__contact", "deal__pipeline", "actor"]
    list_filter = ["activity_type", ("created_at", RangeDateFilter)]
    search_fields = ["description", "deal__contact__email"]
    date_hierarchy = "created_at"
