"""Deals: create, move between stages (the one path every stage change takes), pause, resume."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.errors import DealError
from crm.models import (
    OPEN_STATUSES,
    ActivityType,
    Brand,
    Contact,
    Deal,
    DealActivity,
    DealStageChange,
    DealStatus,
    Pipeline,
    PipelineStage,
    StageChangeSource,
    StageOutcome,
)
from crm.services.stage_durations import closed_days_recount, furthest_of, stage_durations_record_move
from crm.signals import deal_changed


def deal_activity_record(
    *,
    deal: Deal,
    activity_type: str,
    description: str = "",
    metadata: dict[str, Any] | None = None,
    actor: User | None = None,
) -> DealActivity:
    return DealActivity.objects.create(
        deal=deal, activity_type=activity_type, description=description, metadata=metadata or {}, actor=actor
    )


@transaction.atomic
def deal_check_new(
    *, contact: Contact, pipeline: Pipeline, stage: PipelineStage | None = None, value: Decimal = Decimal("0")
) -> None:
    """The rules of a new deal, in one place: raises DealError naming the field at fault. The
    API and the admin call it to show the message by the field; deal_create calls it too."""
    first = stage or pipeline.first_stage()
    if first is None:
        raise DealError(f"Pipeline {pipeline.name!r} has no open stage.", field="pipeline")
    if contact.brand_id != pipeline.brand_id:
        raise DealError("The pipeline belongs to another brand than the contact.", field="pipeline")
    if first.pipeline_id != pipeline.pk:
        raise DealError(f"Stage {first.name!r} is not in pipeline {pipeline.name!r}.", field="current_stage")
    if first.is_terminal:
        raise DealError("A new deal cannot start in a closed stage.", field="current_stage")
    if value < 0:
        raise DealError("A deal's value cannot be negative.", field="value")
    if Deal.objects.open().filter(contact=contact, pipeline=pipeline).exists():
        raise DealError(f"{contact.email} already has an open deal in {pipeline.name}.", field="contact")


def deal_check_owner(*, owner: User | None, pipeline: Pipeline) -> None:
    """A deal's owner is an active staff user who sees the deal's brand."""
    if owner is None:
        return
    sees = Brand.objects.visible_to(owner).filter(pk=pipeline.brand_id).exists()
    if not (owner.is_active and owner.is_staff and sees):
        raise DealError(f"{owner.get_username()} is not a staff member of {pipeline.brand.name}.", field="owner")


def deal_create(
    *,
    contact: Contact,
    pipeline: Pipeline,
    stage: PipelineStage | None = None,
    value: Decimal = Decimal("0"),
    actor: User | None = None,
) -> Deal:
    """Open a deal for `contact` in `pipeline` (its first stage unless given), due now."""
    deal_check_new(contact=contact, pipeline=pipeline, stage=stage, value=value)
    stage = stage or pipeline.first_stage()
    assert stage is not None  # noqa: S101 - deal_check_new refused a pipeline without one
    now = timezone.now()
    with transaction.atomic():  # the deal, its history, its timeline and what listeners write: all or nothing
        try:
            with transaction.atomic():
                deal = Deal.objects.create(
                    contact=contact,
                    pipeline=pipeline,
                    current_stage=stage,
                    furthest_stage=stage,
                    value=value,
                    next_action_date=now,
                    stage_entered_at=now,
                )
        except IntegrityError:
            raise DealError(f"{contact.email} already has an open deal in {pipeline.name}.", field="contact") from None
        DealStageChange.objects.create(
            deal=deal, pipeline=pipeline, to_stage=stage, changed_at=now, source=StageChangeSource.CREATED, actor=actor
        )
        deal_activity_record(deal=deal, activity_type=ActivityType.CREATED, description=f"In {stage.name}", actor=actor)
        deal_changed.send(sender=Deal, deal=deal, change="created")
    return deal


def _status_for(stage: PipelineStage, current: str) -> str:
    if stage.is_terminal:
        return DealStatus.WON if stage.outcome == StageOutcome.WON else DealStatus.LOST
    return current if current in OPEN_STATUSES else DealStatus.ACTIVE


@transaction.atomic
def deal_move_to_stage(
    *,
    deal: Deal,
    stage: PipelineStage,
    actor: User | None = None,
    reason: str = "",
    source: str = "manual",
) -> Deal:
    """Move `deal` to `stage`: validate, record the change, restart the stage clock, set the status.

    Terminal stages close the deal as won or lost; moving a closed deal back to
    an open stage reopens it. Moving to the stage it is in changes nothing. Every move is a
    row of the stage history (DealStageChange), the one the analytics read.
    """
    deal = Deal.objects.select_for_update().select_related("current_stage").get(pk=deal.pk)
    if stage.pipeline_id != deal.pipeline_id:
        raise DealError(f"Stage {stage.name!r} is not in this deal's pipeline.", field="current_stage")
    if stage.pk == deal.current_stage_id:
        return deal
    previous, now = deal.current_stage, timezone.now()
    was_status, was_closed_at = deal.status, deal.closed_at
    deal.current_stage = stage
    deal.furthest_stage = furthest_of(deal.furthest_stage, stage)
    deal.status = _status_for(stage, deal.status)
    deal.stage_entered_at = now
    deal.closed_at = now if stage.is_terminal else None
    deal.days_to_win = (now - deal.created_at).total_seconds() / 86400 if stage.outcome == StageOutcome.WON else None
    # The autopilot looks at a deal again as soon as it enters an open stage.
    deal.next_action_date = None if stage.is_terminal else now
    try:
        with transaction.atomic():
            deal.save(
                update_fields=[
                    "current_stage",
                    "status",
                    "stage_entered_at",
                    "closed_at",
                    "days_to_win",
                    "furthest_stage",
                    "next_action_date",
                    "updated_at",
                ]
            )
    except IntegrityError:
        raise DealError(
            "The contact already has another open deal in this pipeline; it cannot be reopened.", field="current_stage"
        ) from None
    left = DealStageChange.objects.filter(deal=deal, left_at__isnull=True).first()
    if left is not None:
        DealStageChange.objects.filter(pk=left.pk).update(left_at=now)
    stage_durations_record_move(
        deal=deal, left=left, previous=previous, was_closed_at=was_closed_at, was_status=was_status, now=now,
        stage=stage,
    )  # fmt: skip
    closes = [moment for moment in (was_closed_at, deal.closed_at) if moment is not None]
    closed_days_recount(pipeline_ids=[deal.pipeline_id], days=[m.astimezone(UTC).date() for m in closes])
    DealStageChange.objects.create(
        deal=deal,
        pipeline_id=deal.pipeline_id,
        from_stage=previous,
        to_stage=stage,
        changed_at=now,
        source=source,
        reason=reason[:500],
        actor=actor,
    )
    deal_activity_record(
        deal=deal,
        activity_type=ActivityType.STAGE_CHANGED,
        description=f"{previous.name} → {stage.name}" + (f": {reason}" if reason else ""),
        metadata={"from_stage": previous.pk, "to_stage": stage.pk, "source": source, "reason": reason},
        actor=actor,
    )
    deal_changed.send(sender=Deal, deal=deal, change=deal.status if deal.status in ("won", "lost") else "updated")
    return deal


def _set_status(*, deal: Deal, status: str, allowed_from: str, actor: User | None, verb: str) -> Deal:
    with transaction.atomic():
        deal = Deal.objects.select_for_update().get(pk=deal.pk)
        if deal.status == status:
            return deal
        if deal.status != allowed_from:
            raise DealError(f"Only {allowed_from} deals can be {verb}; this one is {deal.status}.", field="status")
        deal.status = status
        deal.save(update_fields=["status", "updated_at"])
        deal_activity_record(
            deal=deal,
            activity_type=ActivityType.STATUS_CHANGED,
            description=verb.capitalize(),
            metadata={"status": status},
            actor=actor,
        )
    return deal


def deal_pause(*, deal: Deal, actor: User | None = None) -> Deal:
    """Stop the autopilot for this deal until it is resumed."""
    return _set_status(deal=deal, status=DealStatus.PAUSED, allowed_from=DealStatus.ACTIVE, actor=actor, verb="paused")


def deal_resume(*, deal: Deal, actor: User | None = None) -> Deal:
    return _set_status(deal=deal, status=DealStatus.ACTIVE, allowed_from=DealStatus.PAUSED, actor=actor, verb="resumed")
