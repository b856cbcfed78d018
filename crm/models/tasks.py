"""Staff to-dos on contacts and deals: made by staff, and by the autopilot when it hands a deal to a
person (deal_flag_for_review)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.models.brands import Brand
from crm.models.contacts import Contact
from crm.models.deals import Deal


class TaskOrigin(models.TextChoices):
    STAFF = "staff", _("Staff")
    AUTOPILOT = "autopilot", _("Autopilot (deal flagged for review)")


class TaskQuerySet(models.QuerySet["Task"]):
    def visible_to(self, user: User | AnonymousUser) -> TaskQuerySet:
        """The tasks of the user's brands (superusers: all)."""
        return self.filter(brand__in=Brand.objects.visible_to(user))

    def open(self) -> TaskQuerySet:
        return self.filter(done_at__isnull=True)


class Task(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    due_at = models.DateTimeField(null=True, blank=True, verbose_name=_("due"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="crm_tasks"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks")
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks")
    origin = models.CharField(max_length=10, choices=TaskOrigin.choices, default=TaskOrigin.STAFF, editable=False)
    done_at = models.DateTimeField(null=True, blank=True, editable=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["done_at", "due_at", "-created_at"]
        indexes = [
            models.Index(
                fields=["assignee", "due_at"], name="task_open_by_assignee", condition=Q(done_at__isnull=True)
            ),
            models.Index(fields=["brand", "-created_at"], name="task_brand_created"),
        ]
        constraints = [
            # The autopilot hands a deal to a person once at a time.
            models.UniqueConstraint(
                fields=["deal"], name="task_one_open_review_per_deal",
                condition=Q(origin="autopilot", done_at__isnull=True),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        brand_ids = {self.brand_id, self.contact.brand_id if self.contact else None}
        if self.deal is not None:
            brand_ids.add(self.deal.pipeline.brand_id)
            if self.contact is not None and self.deal.contact_id != self.contact.pk:
                raise ValidationError({"deal": _("The deal is another contact's.")})
        if len(brand_ids - {None}) > 1:
            raise ValidationError({"brand": _("The contact, the deal and the brand belong to different brands.")})

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
