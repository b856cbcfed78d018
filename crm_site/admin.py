"""System section of the admin: users, groups, API tokens, periodic tasks, task results.

The third-party admins (django.contrib.auth, knox, django-celery-beat,
django-celery-results) are re-registered on top of unfold's ModelAdmin so that
every page of the admin looks and behaves the same.
"""

from __future__ import annotations

import json
import time

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from django_celery_results import admin as results_admin
from django_celery_results.models import GroupResult, TaskResult
from knox import admin as knox_admin
from knox.models import AuthToken
from unfold.admin import ModelAdmin
from unfold.decorators import action
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from crm_site.task_results import RUN_WAIT_SECONDS, task_outcome
from crm_site.tokens import api_token_create

for model in (
    User,
    Group,
    AuthToken,
    PeriodicTask,
    IntervalSchedule,
    CrontabSchedule,
    SolarSchedule,
    ClockedSchedule,
    TaskResult,
    GroupResult,
):
    admin.site.unregister(model)


@admin.register(User)
class UserAdmin(BaseUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    actions = ["create_api_token"]

    @action(description=_("Create an API token (shown once)"))
    def create_api_token(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            _token, raw = api_token_create(user=user)
            self.message_user(
                request,
                _("API token for %(user)s (copy it now, it is not shown again): %(token)s")
                % {"user": user.get_username(), "token": raw},
                messages.WARNING,
            )


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin, ModelAdmin):
    pass


@admin.register(AuthToken)
class AuthTokenAdmin(knox_admin.AuthTokenAdmin, ModelAdmin):
    """Only the hash and an 8-character prefix are stored, so nothing secret is shown."""

    list_display = ("token_key", "user", "created", "expiry")
    list_select_related = ("user",)
    search_fields = ("token_key", "user__username")


class TaskSelectWidget(UnfoldAdminSelectWidget, beat_admin.TaskSelectWidget):
    pass


class PeriodicTaskForm(beat_admin.PeriodicTaskForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].widget = UnfoldAdminTextInputWidget()
        self.fields["regtask"].widget = TaskSelectWidget()


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin, ModelAdmin):
    form = PeriodicTaskForm
    list_select_related = ("interval", "crontab", "solar", "clocked")

    @admin.action(description=_("Run selected tasks"))
    def run_tasks(self, request: HttpRequest, queryset: QuerySet[PeriodicTask]) -> None:
        """Queue each task for a worker, then wait a little and say what each did (or that it
        is still running), not only that it was queued."""
        self.celery_app.loader.import_default_modules()
        sent = []
        for periodic in queryset:
            task = self.celery_app.tasks.get(periodic.task)
            if task is None:
                self.message_user(request, _("No task named %(task)s.") % {"task": periodic.task}, messages.ERROR)
                continue
            options = {"queue": periodic.queue} if periodic.queue else {}
            headers = {"periodic_task_name": periodic.name}
            args, kwargs = json.loads(periodic.args or "[]"), json.loads(periodic.kwargs or "{}")
            sent.append((periodic.name, task.apply_async(args=args, kwargs=kwargs, headers=headers, **options)))
        deadline = time.monotonic() + RUN_WAIT_SECONDS
        for name, result in sent:
            self.message_user(request, *task_outcome(name, result, deadline))


@admin.register(IntervalSchedule)
class IntervalScheduleAdmin(beat_admin.IntervalScheduleAdmin, ModelAdmin):
    pass


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin, ModelAdmin):
    pass


@admin.register(SolarSchedule)
class SolarScheduleAdmin(beat_admin.SolarScheduleAdmin, ModelAdmin):
    pass


@admin.register(ClockedSchedule)
class ClockedScheduleAdmin(beat_admin.ClockedScheduleAdmin, ModelAdmin):
    pass


@admin.register(TaskResult)
class TaskResultAdmin(results_admin.TaskResultAdmin, ModelAdmin):
    pass


@admin.register(GroupResult)
class GroupResultAdmin(results_admin.GroupResultAdmin, ModelAdmin):
    pass
