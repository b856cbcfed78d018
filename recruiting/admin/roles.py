"""Open roles; saving one rescores the candidates in the background, "re-run matching" does it now."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import action, display

from crm_site.widgets import ListFieldsMixin
from recruiting.models import Role
from recruiting.services.matching import candidates_rematch
from recruiting.services.roles import role_values
from recruiting.tasks import candidates_rematch_task


@admin.register(Role)
class RoleAdmin(ListFieldsMixin, ModelAdmin):
    list_fields = ("industries", "required_skills", "nice_to_have_skills")
    list_display = ["title", "company", "location", "work_policy", "industries_text", "is_open", "match_count"]
    list_filter = ["is_open", "work_policy", "country"]
    search_fields = ["title", "company", "location", "description"]
    readonly_fields = ["city", "region", "country", "zoho_id", "created_at", "updated_at"]
    actions = ["rematch"]
    list_per_page = 50

    @display(description=_("Industries"))
    def industries_text(self, obj: Role) -> str:
        return ", ".join(obj.industries)

    @display(description=_("Job matches"))
    def match_count(self, obj: Role) -> int:
        return obj.matches.count()

    def save_model(self, request: HttpRequest, obj: Role, form: object, change: bool) -> None:
        # the same normalising as the CSV import: place parsed, skill names folded
        data = {
            "location": obj.location,
            "required_skills": obj.required_skills,
            "nice_to_have_skills": obj.nice_to_have_skills,
            "industries": obj.industries,
        }
        for key, value in role_values(data).items():
            setattr(obj, key, value)
        super().save_model(request, obj, form, change)
        # a new or changed role changes everyone's ranking: rescore in the background
        transaction.on_commit(lambda: candidates_rematch_task.delay())

    @action(description=_("Re-run matching for every candidate"))
    def rematch(self, request: HttpRequest, queryset: QuerySet[Role]) -> None:
        saved = candidates_rematch()
        self.message_user(request, _("%(n)s matches saved.") % {"n": saved}, messages.SUCCESS)
