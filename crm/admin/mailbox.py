"""The local outbox (with simulated replies), the messages read from inboxes, and daily summaries."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import RangeDateFilter
from unfold.decorators import action, display
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextareaWidget

from crm.admin.base import BrandFilter, ReadOnlyAdmin
from crm.models import DailySummary, InboundEmail, OutboxFolder, OutboxMessage
from crm.services.outbox import outbox_simulate_inbound
from crm.tasks import check_email_replies
from crm_site.claims_admin import CLAIM_FIELDS, ClaimStateFilter


class SimulateForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("reply", _("A reply")), ("out_of_office", _("An out-of-office answer")), ("bounce", _("A bounce"))],
        widget=UnfoldAdminSelectWidget,
    )
    text = forms.CharField(
        required=False,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 4}),
        help_text=_("What they write (a default is used when empty)"),
    )


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "folder", "brand", "from_address", "to_address", "subject"]
    list_select_related = ["brand"]
    list_filter = [BrandFilter, "folder", ("created_at", RangeDateFilter)]
    search_fields = ["to_address", "from_address", "subject", "text"]
    readonly_fields = ["preview"]
    fields = [
        "brand",
        "folder",
        "from_address",
        "to_address",
        "subject",
        "rfc_message_id",
        "in_reply_to",
        "headers",
        "preview",
        "text",
    ]
    actions = ["simulate_inbound"]

    @display(description=_("Message"))
    def preview(self, message: OutboxMessage) -> str:
        return format_html(
            '<iframe sandbox srcdoc="{}" style="width:100%;height:320px;border:1px solid #ddd"></iframe>', message.html
        )

    @action(description=_("Simulate an answer to the selected sent messages…"), permissions=["view"])
    def simulate_inbound(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> HttpResponse | None:
        sent = queryset.filter(folder=OutboxFolder.SENT)
        form = SimulateForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for message in sent:
                outbox_simulate_inbound(message=message, kind=form.cleaned_data["kind"], text=form.cleaned_data["text"])
            for brand_id in {message.brand_id for message in sent}:  # read now, not at the next half hour
                transaction.on_commit(partial(check_email_replies.delay, brand_id))
            self.message_user(
                request,
                _(
                    "%(n)d answer(s) are in the inbox and are being read now; the deal's timeline and the board "
                    "show what they did in a moment."
                )
                % {"n": sent.count()},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Simulate an answer"),
            "opts": self.model._meta,
            "form": form,
            "items": sent,
            "action_name": "simulate_inbound",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "submit_label": _("Put it in the inbox"),
        }
        return TemplateResponse(request, "admin/crm/action_form.html", context)


@admin.register(InboundEmail)
class InboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "brand", "from_address", "subject", "kind", "deal", "outcome", "attempts"]
    list_select_related = ["brand", "deal__contact", "deal__pipeline"]
    list_filter = [BrandFilter, "kind", ClaimStateFilter, ("received_at", RangeDateFilter)]
    search_fields = ["from_address", "subject", "body_text"]
    date_hierarchy = "received_at"

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [
            "brand", "provider", "provider_message_id", "received_at", "from_address", "subject", "body_text",
            "rfc_message_id", "in_reply_to", "references", "headers", "kind", "email", "deal", "outcome",
            "processed_at", *CLAIM_FIELDS,
        ]  # fmt: skip


@admin.register(DailySummary)
class DailySummaryAdmin(ReadOnlyAdmin):
    list_display = ["date", "brand", "first_line", "created_at"]
    list_select_related = ["brand"]
    list_filter = [BrandFilter]
    fields = ["brand", "date", "text", "figures", "created_at"]

    @display(description=_("Summary"))
    def first_line(self, summary: DailySummary) -> str:
        return summary.text.splitlines()[0] if summary.text else ""
