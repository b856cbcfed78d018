"""The campaign builder (segment, template, variants, live preview, a test to oneself, schedule),
its analytics page, the segments and the recipients."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.contrib.filters.admin import RelatedDropdownFilter
from unfold.decorators import action, display

from campaigns.admin.templates import TemplateFieldsForm
from campaigns.models import Campaign, CampaignRecipient, CampaignSegment, CampaignStatus, CampaignVariant
from campaigns.segments import FILTERS, FilterError, filters_check, segment_contacts
from campaigns.selectors import campaign_analytics
from campaigns.services import (
    CampaignError,
    campaign_cancel,
    campaign_pause,
    campaign_problems,
    campaign_resume,
    campaign_schedule,
    campaign_send_now,
    campaign_send_test,
)
from campaigns.tasks import campaign_nudge
from crm.admin.base import BrandFilter, BrandScopedAdmin, ReadOnlyAdmin
from crm.mail.base import MailboxError
from integrations.zoho import ZohoError

EDITABLE = (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED)
CONTENT_HELP = _(
    "Variables: first_name, name, company, email, website, brand.name, brand.from_name; filters: default, "
    "upper, lower, title, capfirst; {% if %}. Left empty, the template's are taken when saved."
)
STATUS_COLOURS = {
    "draft": "info", "scheduled": "info", "sending": "warning", "paused": "warning", "sent": "success",
    "cancelled": "danger",
}  # fmt: skip


# --- segments ---------------------------------------------------------------------------------


class SegmentForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        brand = cleaned.get("brand") or getattr(self.instance, "brand", None)
        if brand is not None and "filters" in cleaned:
            try:
                filters_check(cleaned["filters"], brand)
            except FilterError as exc:
                self.add_error("filters", "; ".join(f"{key}: {why}" for key, why in exc.problems.items()))
        return cleaned


@admin.register(CampaignSegment)
class CampaignSegmentAdmin(BrandScopedAdmin):
    form = SegmentForm
    list_display = ["name", "brand", "updated_at"]
    list_filter = [BrandFilter]
    search_fields = ["name", "description"]
    readonly_fields = ["contacts_now"]
    fields = ["brand", "name", "description", "filters", "contacts_now"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        keys = ", ".join(FILTERS)
        form.base_fields["filters"].help_text = _(
            'One JSON object, e.g. {"contact_type": "lead", "tags_any": ["saas"]}. Keys: %(keys)s'
        ) % {"keys": keys}
        return form

    @display(description=_("Contacts now"))
    def contacts_now(self, segment: CampaignSegment) -> str:
        if segment.pk is None:
            return "—"
        try:
            contacts = segment_contacts(segment.filters, segment.brand)
        except FilterError as exc:
            return str(exc)
        sample = contacts.order_by("-created_at")[:20]
        rows = format_html_join("", "<li>{}</li>", ((str(c),) for c in sample))
        return format_html(
            '<p data-testid="segment-count"><strong>{}</strong> contacts</p><ul class="text-sm mt-1">{}</ul>',
            contacts.count(),
            rows,
        )


# --- campaigns ----------------------------------------------------------------------------------


class VariantInline(TabularInline):
    model = CampaignVariant
    form = TemplateFieldsForm
    extra = 0
    max_num = 5
    fields = ["label", "subject", "content_html", "content_text"]
    tab = True
    verbose_name = _("A/B variant")
    verbose_name_plural = _("A/B variants (2 to 5; an empty field uses the campaign's)")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (obj is None or obj.status in EDITABLE) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (obj is None or obj.status in EDITABLE) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (obj is None or obj.status in EDITABLE) and super().has_delete_permission(request, obj)


class CampaignForm(TemplateFieldsForm):
    class Meta:
        model = Campaign
        fields = "__all__"


@admin.register(Campaign)
class CampaignAdmin(BrandScopedAdmin):
    form = CampaignForm
    inlines = [VariantInline]
    list_display = ["name", "brand", "status_label", "segment", "scheduled_at", "started_at", "figures"]
    list_select_related = ["brand", "segment"]
    list_filter = [BrandFilter, "status"]
    search_fields = ["name", "subject"]
    date_hierarchy = "created_at"
    change_form_outer_after_template = "admin/campaigns/live_preview.html"
    readonly_fields = [
        "status",
        "recipient_count",
        "started_at",
        "completed_at",
        "ab_winner",
        "ab_decided_at",
        "problems",
    ]
    fieldsets = [
        (None, {"fields": ["brand", "name", "segment", "recipient_count", "template", "status", "problems"]}),
        (_("Content"), {"fields": ["subject", "content_html", "content_text"], "description": CONTENT_HELP}),
        (
            _("A/B test"),
            {"fields": ["ab_test_percentage", "ab_wait_hours", "ab_winner_metric", "ab_winner", "ab_decided_at"]},
        ),
        (_("Sending"), {"fields": ["scheduled_at", "started_at", "completed_at"]}),
    ]
    actions_detail = ["send_test_to_me", "schedule", "send_now", "pause", "resume", "cancel", "analytics"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fixed = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status not in EDITABLE:
            return [*fixed, "brand", "name", "segment", "template", "subject", "content_html", "content_text",
                    "ab_test_percentage", "ab_wait_hours", "ab_winner_metric", "scheduled_at"]  # fmt: skip
        return fixed

    def save_model(self, request: HttpRequest, obj: Campaign, form: Any, change: bool) -> None:
        if obj.template is not None:
            for field in ("subject", "content_html", "content_text"):
                if not getattr(obj, field):
                    setattr(obj, field, getattr(obj.template, field))
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    @display(description=_("Status"), label=STATUS_COLOURS, ordering="status")
    def status_label(self, campaign: Campaign) -> str:
        return campaign.status

    @display(description=_("Recipients"))
    def recipient_count(self, campaign: Campaign) -> str:
        if campaign.pk is None or campaign.segment is None:
            return str(_("Choose a segment and save to see how many it reaches."))
        if campaign.started_at is not None:
            return format_html(
                '<span data-testid="recipient-count">{}</span> written when it started', campaign.recipients.count()
            )
        try:
            count = segment_contacts(campaign.segment.filters, campaign.brand).count()
        except FilterError as exc:
            return str(exc)
        return format_html('<span data-testid="recipient-count">{}</span> contacts in the segment now', count)

    @display(description=_("Before it can be sent"))
    def problems(self, campaign: Campaign) -> str:
        if campaign.pk is None:
            return "—"
        found = campaign_problems(campaign)
        if not found:
            return str(_("Ready to send."))
        return format_html_join("", '<p class="text-red-700 dark:text-red-400">{}</p>', ((p,) for p in found))

    @display(description=_("Figures"))
    def figures(self, campaign: Campaign) -> str:
        if campaign.started_at is None:
            return "—"
        link = reverse("admin:campaigns_campaign_analytics", args=[campaign.pk])
        return format_html('<a class="text-primary-600 underline" href="{}">{}</a>', link, _("Analytics"))

    # --- the buttons of the campaign's page ------------------------------------------------------

    def _act(self, request: HttpRequest, object_id: str, change: Any, done: Any) -> HttpResponse:
        campaign = get_object_or_404(self.get_queryset(request), pk=object_id)
        try:
            change(campaign)
        except CampaignError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:campaigns_campaign_change", args=[object_id]))

    @action(description=_("Send a test to me"), url_path="send-test", permissions=["change"])
    def send_test_to_me(self, request: HttpRequest, object_id: str) -> HttpResponse:
        campaign = get_object_or_404(self.get_queryset(request), pk=object_id)
        to = getattr(request.user, "email", "")
        if not to:
            self.message_user(request, _("Your user has no email address: add one under Users."), messages.ERROR)
        else:
            try:
                campaign_send_test(campaign=campaign, to=to)
                self.message_user(request, _("A test went to %(to)s.") % {"to": to}, messages.SUCCESS)
            except (MailboxError, ZohoError) as exc:
                self.message_user(request, _("The test could not be sent: %(e)s") % {"e": exc}, messages.ERROR)
        return HttpResponseRedirect(reverse("admin:campaigns_campaign_change", args=[object_id]))

    @action(description=_("Schedule (at the time saved)"), url_path="schedule", permissions=["change"])
    def schedule(self, request: HttpRequest, object_id: str) -> HttpResponse:
        def change(campaign: Campaign) -> None:
            if campaign.scheduled_at is None:
                raise CampaignError(_("Fill in and save “Scheduled at” first."))
            campaign_schedule(campaign=campaign, scheduled_at=campaign.scheduled_at)

        return self._act(request, object_id, change, _("Scheduled."))

    @action(description=_("Send now"), url_path="send-now", permissions=["change"])
    def send_now(self, request: HttpRequest, object_id: str) -> HttpResponse:
        def change(campaign: Campaign) -> None:
            campaign_send_now(campaign=campaign)
            campaign_nudge(campaign.pk)

        return self._act(request, object_id, change, _("Sending: a worker writes the recipients and queues the mail."))

    @action(description=_("Pause"), url_path="pause", permissions=["change"])
    def pause(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._act(request, object_id, lambda c: campaign_pause(campaign=c), _("Paused."))

    @action(description=_("Resume"), url_path="resume", permissions=["change"])
    def resume(self, request: HttpRequest, object_id: str) -> HttpResponse:
        def change(campaign: Campaign) -> None:
            campaign_resume(campaign=campaign)
            campaign_nudge(campaign.pk)

        return self._act(request, object_id, change, _("Resumed."))

    @action(description=_("Cancel"), url_path="cancel", permissions=["change"])
    def cancel(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._act(request, object_id, lambda c: campaign_cancel(campaign=c), _("Cancelled."))

    @action(description=_("Analytics"), url_path="go-analytics", permissions=["view"])
    def analytics(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:campaigns_campaign_analytics", args=[object_id]))

    # --- the analytics page ------------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        page = self.admin_site.admin_view(self.analytics_page)
        return [path("<int:pk>/analytics/", page, name="campaigns_campaign_analytics"), *super().get_urls()]

    def analytics_page(self, request: HttpRequest, pk: int) -> TemplateResponse:
        campaign = get_object_or_404(self.get_queryset(request), pk=pk)
        figures = campaign_analytics(campaign)
        context = {
            **self.admin_site.each_context(request),
            "title": _("%(name)s: analytics") % {"name": campaign.name},
            "opts": self.model._meta,
            "campaign": campaign,
            "figures": figures,
            "over_time": json.dumps(_over_time(figures)),
            "by_variant": json.dumps(_by_variant(figures)) if figures["variants"] else "",
            "by_link": json.dumps(_by_link(figures)) if figures["links"] else "",
            "recipients_url": reverse("admin:campaigns_campaignrecipient_changelist")
            + f"?campaign__id__exact={campaign.pk}",
        }
        return TemplateResponse(request, "admin/campaigns/analytics.html", context)


def _over_time(figures: dict[str, Any]) -> dict[str, Any]:
    hours = sorted(
        {row["hour"] for row in figures["opens_per_hour"]} | {row["hour"] for row in figures["clicks_per_hour"]}
    )
    opens = {row["hour"]: row["count"] for row in figures["opens_per_hour"]}
    clicks = {row["hour"]: row["count"] for row in figures["clicks_per_hour"]}
    return {
        "labels": [hour.strftime("%d %b %H:00") for hour in hours],
        "datasets": [
            {
                "label": str(_("Opens")),
                "data": [opens.get(h, 0) for h in hours],
                "borderColor": "var(--color-primary-600)",
            },
            {"label": str(_("Clicks")), "data": [clicks.get(h, 0) for h in hours], "borderColor": "#f59e0b"},
        ],
    }


def _by_variant(figures: dict[str, Any]) -> dict[str, Any]:
    variants = figures["variants"]
    return {
        "labels": [v["variant"] for v in variants],
        "datasets": [
            {
                "label": str(_("Open rate %")),
                "data": [v["open_rate"] for v in variants],
                "backgroundColor": "var(--color-primary-600)",
            },
            {
                "label": str(_("Click rate %")),
                "data": [v["click_rate"] for v in variants],
                "backgroundColor": "#f59e0b",
            },
        ],
    }


def _by_link(figures: dict[str, Any]) -> dict[str, Any]:
    links = figures["links"][:10]
    return {
        "labels": [link["url"].split("://", 1)[-1][:40] for link in links],
        "datasets": [
            {
                "label": str(_("People")),
                "data": [link["unique_clicks"] for link in links],
                "backgroundColor": "#f59e0b",
            },
            {
                "label": str(_("Clicks")),
                "data": [link["clicks"] for link in links],
                "backgroundColor": "var(--color-primary-600)",
            },
        ],
    }


# --- recipients ---------------------------------------------------------------------------------

RECIPIENT_COLOURS = {
    "sent": "success", "queued": "info", "pending": "info", "skipped": "warning", "failed": "danger",
    "cancelled": "danger",
}  # fmt: skip


class HumanFilter(admin.SimpleListFilter):
    title = _("engagement")
    parameter_name = "did"
    CHOICES = {
        "opened": (Q(opened_at__isnull=False), _("Opened (a person)")),
        "clicked": (Q(clicked_at__isnull=False), _("Clicked (a person)")),
        "machine": (Q(opened_at__isnull=True, machine_opened_at__isnull=False), _("Opened by a proxy or scanner only")),
        "replied": (Q(replied_at__isnull=False), _("Replied")),
        "bounced": (Q(bounced_at__isnull=False), _("Bounced")),
        "unsubscribed": (Q(unsubscribed_at__isnull=False), _("Unsubscribed")),
    }

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(key, label) for key, (_, label) in self.CHOICES.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        chosen = self.CHOICES.get(self.value() or "")
        return queryset.filter(chosen[0]) if chosen else queryset


@admin.register(CampaignRecipient)
class CampaignRecipientAdmin(ReadOnlyAdmin):
    brand_path = "campaign__brand"
    list_display = [
        "contact", "campaign", "variant", "state_label", "sent_at", "opened_at", "clicked_at", "replied_at",
        "bounced_at", "unsubscribed_at",
    ]  # fmt: skip
    list_select_related = ["contact", "campaign", "variant"]
    list_filter = [("campaign", RelatedDropdownFilter), "state", "in_test", HumanFilter]
    search_fields = ["contact__email", "contact__name"]
    readonly_fields = ["email"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @display(description=_("State"), label=RECIPIENT_COLOURS)
    def state_label(self, recipient: CampaignRecipient) -> str:
        return recipient.state
