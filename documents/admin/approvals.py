"""The approvals queue: requests waiting for the current user first; only the approver decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import display

from crm_site.users import signed_in
from documents.errors import DocumentError
from documents.models import ApprovalStatus, DocumentApproval
from documents.selectors import approvals_visible_to
from documents.services.reviews import approval_decide

STATUS_COLOURS = {"pending": "warning", "approved": "success", "rejected": "danger"}


class WaitingForMeFilter(admin.SimpleListFilter):
    title = _("waiting for")
    parameter_name = "waiting"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("me", str(_("Me"))), ("all", str(_("Everyone")))]

    def choices(self, changelist: Any) -> Any:
        for choice in super().choices(changelist):
            if choice["display"] == _("All"):
                continue  # "me" is the default: the queue; "all" shows every request one sees
            yield choice

    def value(self) -> str:
        return super().value() or "me"

    def queryset(self, request: HttpRequest, queryset: QuerySet[DocumentApproval]) -> QuerySet[DocumentApproval]:
        if self.value() == "me":
            return queryset.filter(approver=signed_in(request), status=ApprovalStatus.PENDING)
        return queryset


class DecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        choices=[("", "-"), ("approve", _("Approve")), ("reject", _("Reject"))], required=False
    )

    class Meta:
        model = DocumentApproval
        fields = ["comment"]


@admin.register(DocumentApproval)
class DocumentApprovalAdmin(ModelAdmin):
    form = DecisionForm
    list_display = [
        "document",
        "version_number",
        "requested_by",
        "approver",
        "status_label",
        "requested_at",
        "decided_at",
    ]
    list_filter = [WaitingForMeFilter, "status"]
    list_select_related = ["document", "requested_by", "approver", "version"]
    readonly_fields = [
        "document",
        "version_number",
        "requested_by",
        "approver",
        "request_note",
        "status_label",
        "requested_at",
        "decided_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[DocumentApproval]:
        return approvals_visible_to(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # asked from the document's page

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # every step is kept

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return obj.approver_id == request.user.pk and obj.status == ApprovalStatus.PENDING

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = [
            "document",
            "version_number",
            "requested_by",
            "request_note",
            "approver",
            "status_label",
            "requested_at",
            "decided_at",
        ]
        if obj is not None and self.has_change_permission(request, obj):
            return [*fields, "decision", "comment"]
        return [*fields, "comment"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and self.has_change_permission(request, obj):
            return self.readonly_fields
        return [*self.readonly_fields, "comment"]

    def save_model(self, request: HttpRequest, obj: DocumentApproval, form: Any, change: bool) -> None:
        decision = form.cleaned_data.get("decision")
        if not decision:
            messages.warning(request, _("Choose approve or reject to decide."))
            return
        try:
            approval_decide(
                approval=obj,
                user=signed_in(request),
                approve=decision == "approve",
                comment=form.cleaned_data.get("comment", ""),
            )
        except DocumentError as exc:
            messages.error(request, str(exc))

    @display(description=_("Version"))
    def version_number(self, approval: DocumentApproval) -> str:
        return f"v{approval.version.number}" if approval.version else "-"

    @display(description=_("Status"), label=STATUS_COLOURS)
    def status_label(self, approval: DocumentApproval) -> tuple[str, str]:
        return approval.status, approval.get_status_display()
