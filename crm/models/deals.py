"""Deals (a contact moving through a pipeline) and their activity timeline."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models.brands import Brand
from crm.models.contacts import Contact
from crm.models.pipelines import Pipeline, PipelineStage
from crm_site.models import Claimable
from lib.ids import as_id


class DealStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


OPEN_STATUSES = (DealStatus.ACTIVE, DealStatus.PAUSED)


class DealQuerySet(models.QuerySet["Deal"]):
    def visible_to(self, user: User | AnonymousUser) -> DealQuerySet:
        return self.filter(pipeline__brand__in=Brand.objects.visible_to(user))

    def open(self) -> DealQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def owned_by(self, owner: str, user: User | AnonymousUser) -> DealQuerySet:
        """`owner` as the board and the deal list take it: "me", "none", a user id, else anyone."""
        if owner == "me":
            return self.filter(owner_id=user.pk)
        if owner == "none":
            return self.filter(owner__isnull=True)
        number = as_id(owner)
        return self.filter(owner_id=number) if number is not None else self

    def due(self, now: datetime | None = None) -> DealQuerySet:
        """Active deals whose next action is due: what the autopilot picks up."""
        return self.filter(status=DealStatus.ACTIVE, next_action_date__lte=now or timezone.now())


class Deal(Claimable):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="deals")
    # Looked up through deal_pipeline_stage, whose first column it is: no index of its own.
    pipeline = models.ForeignKey(Pipeline, on_delete=models.PROTECT, related_name="deals", db_index=False)
    current_stage = models.ForeignKey(PipelineStage, on_delete=models.PROTECT, related_name="deals")
    status = models.CharField(max_length=10, choices=DealStatus.choices, default=DealStatus.ACTIVE)
    value = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_deals",
        help_text=_("The person in charge of the deal"),
    )
    expected_close_date = models.DateField(null=True, blank=True, help_text=_("When the deal should close"))
    ai_notes = models.TextField(blank=True, verbose_name=_("AI notes"))
    next_action_date = models.DateTimeField(null=True, blank=True)
    emails_sent = models.PositiveIntegerField(default=0)
    needs_review = models.BooleanField(default=False, help_text=_("The autopilot wants a person to look"))
    review_reason = models.TextField(blank=True)
    stage_entered_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True, help_text=_("When it was won or lost"))
    days_to_win = models.FloatField(null=True, blank=True, help_text=_("Won deals: days from creation to the win"))
    # The furthest stage the deal has reached (won beyond every open stage; lost stages are not
    # steps): what the funnel counts, kept by deal_move_to_stage.
    furthest_stage = models.ForeignKey(
        PipelineStage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DealQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "pipeline"],
                condition=Q(status__in=["active", "paused"]),
                name="deal_one_open_per_contact_and_pipeline",
                violation_error_message=_("This contact already has an open deal in this pipeline."),
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="deal_value_not_negative"),
        ]
        indexes = [
            models.Index(fields=["status", "next_action_date"], name="deal_due"),
            models.Index(fields=["pipeline", "current_stage", "status"], name="deal_pipeline_stage"),
            models.Index(fields=["pipeline", "status", "closed_at"], name="deal_pipeline_closed"),
            # The analytics read these without the table where the database can (INCLUDE: PostgreSQL).
            models.Index(
                fields=["pipeline", "created_at", "furthest_stage"], include=["value"], name="deal_pipeline_created"
            ),
            # The fastest and slowest wins without reading every won deal.
            models.Index(fields=["pipeline", "days_to_win"], condition=Q(status="won"), name="deal_won_days"),
            # A board column's first cards (crm.selectors.board): review first, then the latest moved.
            models.Index(
                "current_stage", F("needs_review").desc(), F("stage_entered_at").desc(), "id", name="deal_board"
            ),
            # The open deals, a small share of a large pipeline: the analytics' "now".
            models.Index(
                fields=["pipeline", "current_stage", "stage_entered_at"],
                include=["status", "value"],
                condition=Q(status__in=["active", "paused"]),
                name="deal_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact} · {self.pipeline.name}"

    def clean(self) -> None:
        if self.current_stage_id and self.pipeline_id and self.current_stage.pipeline_id != self.pipeline_id:
            raise ValidationError({"current_stage": _("The stage must belong to the deal's pipeline.")})
        if self.contact_id and self.pipeline_id and self.contact.brand_id != self.pipeline.brand_id:
            raise ValidationError({"pipeline": _("The pipeline must belong to the contact's brand.")})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ActivityType(models.TextChoices):
    CREATED = "created", _("Deal created")
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    EMAIL_QUEUED = "email_queued", _("Email queued")
    EMAIL_SENT = "email_sent", _("Email sent")
    EMAIL_FAILED = "email_failed", _("Email failed")
    EMAIL_OPENED = "email_opened", _("Email opened")
    EMAIL_CLICKED = "email_clicked", _("Link clicked")
    REPLY_RECEIVED = "reply_received", _("Reply received")
    AI_ACTION = "ai_action", _("AI action")
    LINK_CHECKED = "link_checked", _("Backlink checked")
    NOTE = "note", _("Note")


class DealActivity(models.Model):
    # Looked up through activity_deal_created, whose first column it is: no index of its own.
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="activities", db_index=False)
    activity_type = models.CharField(max_length=20, choices=ActivityType.choices)
    description = models.TextField(blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("deal activities")
        indexes = [models.Index(fields=["deal", "-created_at"], name="activity_deal_created")]

    def __str__(self) -> str:
        return f"{self.get_activity_type_display()}: {self.description[:60]}"


class StageChangeSource(models.TextChoices):
    CREATED = "created", _("Deal created")
    MANUAL = "manual", _("Staff")
    ADMIN = "admin", _("Admin")
    BULK = "bulk", _("Bulk action")
    API = "api", _("API")
    AUTOPILOT = "autopilot", _("Autopilot")
    IMPORT = "import", _("Import")
    REPLY = "reply", _("Reply")
    DEMO = "demo", _("Demo data")
    MIGRATION = "migration", _("From the timeline")


class DealStageChange(models.Model):
    """One entry of a deal into a stage: the stage history the pipeline analytics read.

    The first row of a deal (no from_stage) is its creation; `left_at` is filled when the deal
    moves on, so the time spent in a stage is left_at - changed_at and the deals open in a stage
    at any past moment are the rows whose span covers it (docs/adr/0016).
    """

    # Looked up through stagechange_deal, whose first column it is: no index of its own.
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="stage_changes", db_index=False)
    # The deal's pipeline, kept here so the analytics filter the history without a join.
    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="+", db_index=False)
    from_stage = models.ForeignKey(
        PipelineStage, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    to_stage = models.ForeignKey(PipelineStage, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True, help_text=_("When the deal moved on; empty: it is there"))
    source = models.CharField(max_length=20, choices=StageChangeSource.choices, default=StageChangeSource.MANUAL)
    reason = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["deal", "changed_at", "id"]
        indexes = [
            models.Index(fields=["deal", "changed_at"], name="stagechange_deal"),
            models.Index(fields=["pipeline", "changed_at"], name="stagechange_pipeline"),
        ]
        constraints = [
            # One open row per deal: the stage it is in now.
            models.UniqueConstraint(fields=["deal"], condition=Q(left_at__isnull=True), name="stagechange_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage_id} → {self.to_stage_id} at {self.changed_at:%Y-%m-%d %H:%M}"


class DurationKind(models.TextChoices):
    STAY = "stay", _("Time in the stage")
    WON = "won", _("Entered to won")
    LOST = "lost", _("Entered to lost")
    CYCLE = "cycle", _("Created to won")
    OPEN = "open", _("Open at a month's start")


class StageDuration(models.Model):
    """How long things took in an open stage, counted: the stage history summed up (docs/adr/0016).

    `stay`: deals that left the stage, by the month they left and their time in it; `won` /
    `lost`: deals that entered the stage and closed, by the month they closed and the time from
    entering to closing; `cycle`: won deals, under the stage they were created in, by the time
    from creation to the win; `open`: deals that were in the stage at a month's start (`month`)
    and have left it since, by their time in it then, with their value (the back-test's open
    deals; those still there are the open deals themselves). Durations are kept in buckets (a
    tenth of a day under 10 days, a day under 100, ten days beyond; see
    crm.services.stage_durations.bucket) with their exact sum, so medians come to the bucket and
    means are exact, from a table whose size depends on stages, months and
    buckets, never on the number of deals. deal_move_to_stage keeps it;
    stage_durations_rebuild recomputes it from the history.
    """

    stage = models.ForeignKey(PipelineStage, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5, choices=DurationKind.choices)
    month = models.DateField(help_text=_("First day of the month it ended (UTC)"))
    tenths = models.PositiveIntegerField(help_text=_("Start of the duration's bucket, in tenths of a day"))
    deals = models.IntegerField(default=0)
    total_days = models.FloatField(default=0.0)
    value = models.FloatField(default=0.0, help_text=_("Open: the deals' value"))
    value_squared = models.FloatField(default=0.0, help_text=_("Open: the sum of the squared values"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stage", "kind", "month", "tenths"], name="stageduration_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.stage_id} {self.kind} {self.month:%Y-%m} {self.tenths / 10} days x {self.deals}"


class ClosedDealDay(models.Model):
    """Deals won and lost on a day (UTC), per pipeline and contact source, with their value: the
    win / loss figures, counted again for a day whenever one of its closes changes (a deal won,
    lost or reopened, a closed deal's value edited) by crm.services.stage_durations."""

    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    status = models.CharField(max_length=10, choices=DealStatus.choices)
    source = models.CharField(max_length=100, blank=True)
    deals = models.IntegerField(default=0)
    value = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "day", "status", "source"], name="closeddealday_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.pipeline_id} {self.day} {self.status} {self.source or '-'}: {self.deals}"
