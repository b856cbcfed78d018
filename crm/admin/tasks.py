"""Tasks: staff to-dos, opening on what is left; new ones and completions go through the services
(so listeners such as the hub hear of them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from crm.admin.base import BrandScopedAdmin
from crm.models import Task
from crm.services.tasks import task_complete, task_create


class DoneFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "done"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("", _("Open")), ("yes", _("Done")), ("all", _("All"))]

    def choices(self, changelist: Any) -> Any:
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or "") == value,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: value} if value else {}, [self.parameter_name]
                ),
                "display": label,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Task]) -> QuerySet[Task]:
        if self.value() == "yes":
            return queryset.filter(done_at__isnull=False)
        if self.value() == "all":
            return queryset
        return queryset.filter(done_at__isnull=True)


class MineFilter(admin.SimpleListFilter):
    title = _("assignee")
    parameter_name = "mine"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("me", _("Mine")), ("nobody", _("Unassigned"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Task]) -> QuerySet[Task]:
        if self.value() == "me":
            return queryset.filter(assignee=request.user.pk)
        if self.value() == "nobody":
            return queryset.filter(assignee__isnull=True)
        return queryset


@admin.register(Task)
class TaskAdmin(BrandScopedAdmin):
    list_display = ["title", "brand", "contact", "deal", "assignee", "due_at", "origin", "done_at"]
    list_select_related = ["brand", "contact", "deal__contact", "assignee"]
    list_filter = [DoneFilter, MineFilter, "origin", "brand"]
    search_fields = ["title", "notes", "contact__email", "contact__name"]
    autocomplete_fields = ["contact", "deal"]
    fields = ["title", "brand", "contact", "deal", "assignee", "due_at", "notes", "origin", "done_at", "done_by"]
    readonly_fields = ["origin", "done_at", "done_by"]
    actions = ["complete"]

    def save_model(self, request: HttpRequest, obj: Task, form: Any, change: bool) -> None:
        if change:  # Task.clean checked that the brand, the contact and the deal agree
            obj.save()
            return
        created = task_create(
            title=obj.title, brand=obj.brand, contact=obj.contact, deal=obj.deal, due_at=obj.due_at,
            assignee=obj.assignee, notes=obj.notes, actor=request.user,  # type: ignore[arg-type]
        )  # fmt: skip
        obj.pk = created.pk

    @action(description=_("Mark done"))
    def complete(self, request: HttpRequest, queryset: QuerySet[Task]) -> None:
        done = 0
        for task in queryset.filter(done_at__isnull=True):
            task_complete(task=task, actor=request.user)  # type: ignore[arg-type]
            done += 1
        self.message_user(request, _("%(n)d task(s) marked done.") % {"n": done})
