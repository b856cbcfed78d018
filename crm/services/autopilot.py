"""The deal autopilot: pick the deals whose next action is due, decide, act.

A due deal is claimed by pushing its next_action_date out by a lease, in one
conditional update: a second run (or a second worker) finds nothing to take,
and if the worker dies the lease runs out and the deal is due again. Long waits
live in next_action_date, never in countdowns.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from crm.ai import CRMAIAgent
from crm.errors import DealError
from crm.models import ActivityType, Deal, DealActivity, DealStatus, SequenceStep
from crm.services.deals import deal_move_to_stage
from crm.services.sending import email_queue

logger = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=30)
BATCH = 500


def deals_claim_due(*, now: datetime | None = None, limit: int = BATCH) -> list[uuid.UUID]:
    """Ids of due deals this caller now owns for CLAIM_LEASE."""
    now = now or timezone.now()
    candidates = Deal.objects.due(now).order_by("next_action_date").values_list("pk", flat=True)[:limit]
    return [
        pk
        for pk in candidates
        if Deal.objects.filter(pk=pk, status=DealStatus.ACTIVE, next_action_date__lte=now).update(
            next_action_date=now + CLAIM_LEASE
        )
    ]


def deal_autopilot_run(*, deal_id: uuid.UUID | str, agent: CRMAIAgent | None = None) -> dict[str, Any] | None:
    """Ask the agent what the deal needs and do it; returns the decision (None if the deal is gone)."""
    deal = Deal.objects.select_related("contact", "pipeline", "current_stage").filter(pk=deal_id).first()
    if deal is None:
        return None
    agent = agent or CRMAIAgent()
    decision = agent.analyze_deal(deal)
    _record(deal, decision)
    handler = {
        "send_email": _send_email,
        "move_stage": _move_stage,
        "wait": _wait,
        "flag_for_review": _flag,
    }[decision["action"]]
    handler(deal, decision, agent)
    return decision


def _record(deal: Deal, decision: dict[str, Any]) -> None:
    DealActivity.objects.create(
        deal=deal,
        activity_type=ActivityType.AI_ACTION,
        description=f"{decision['action']}: {decision['reasoning']}"[:2000],
        metadata=decision["metadata"],
    )


def _send_email(deal: Deal, decision: dict[str, Any], agent: CRMAIAgent) -> None:
    composed = deal_email_queue(deal=deal, agent=agent)
    if composed is None:
        return
    target = decision["metadata"].get("then_stage")
    if target:
        stage = deal.pipeline.stages.filter(name=target).first()
        if stage is not None:
            deal_move_to_stage(deal=deal, stage=stage, reason="first email queued", source="autopilot")
    # Sending sets the real follow-up date; until then look again tomorrow.
    Deal.objects.filter(pk=deal.pk).update(next_action_date=timezone.now() + timedelta(days=1))


def deal_email_queue(*, deal: Deal, agent: CRMAIAgent | None = None, email_type: str = "") -> Any:
    """Compose the deal's next email (its sequence step, personalised) and queue it."""
    agent = agent or CRMAIAgent()
    deal.refresh_from_db()
    step = _next_step(deal)
    context = {"email_type": email_type} if email_type else None
    composed = agent.compose_email(deal, step, context)
    return email_queue(
        deal=deal,
        subject=composed["subject"],
        body=composed["body"],
        step=step,
        ai_generated=agent.use_ai and (step is None or step.ai_personalize),
    )


def _next_step(deal: Deal) -> SequenceStep | None:
    sequence = deal.pipeline.sequences.filter(is_active=True).order_by("pk").first()
    if sequence is None:
        return None
    steps = list(sequence.steps.order_by("order", "id"))
    return steps[min(deal.emails_sent, len(steps) - 1)] if steps else None


def _move_stage(deal: Deal, decision: dict[str, Any], agent: CRMAIAgent) -> None:
    stage = deal.pipeline.stages.filter(name=decision["metadata"].get("target_stage")).first()
    if stage is None:
        _flag(deal, {**decision, "reasoning": f"{decision['reasoning']} (no such stage)"}, agent)
        return
    try:
        deal_move_to_stage(deal=deal, stage=stage, reason=decision["reasoning"][:300], source="autopilot")
    except DealError as exc:
        _flag(deal, {**decision, "reasoning": str(exc)}, agent)


def _wait(deal: Deal, decision: dict[str, Any], agent: CRMAIAgent) -> None:
    days = float(decision["metadata"].get("wait_days") or 1)
    Deal.objects.filter(pk=deal.pk).update(next_action_date=timezone.now() + timedelta(days=days))


def _flag(deal: Deal, decision: dict[str, Any], agent: CRMAIAgent) -> None:
    """A person takes over: the autopilot leaves the deal until it moves or is marked reviewed."""
    deal_flag_for_review(deal=deal, reason=decision["reasoning"])


def deal_flag_for_review(*, deal: Deal, reason: str) -> None:
    with transaction.atomic():
        Deal.objects.filter(pk=deal.pk).update(needs_review=True, review_reason=reason[:2000], next_action_date=None)


def deal_mark_reviewed(*, deal: Deal, follow_up_in_days: float = 0) -> None:
    """Hand the deal back to the autopilot."""
    due = timezone.now() + timedelta(days=follow_up_in_days) if deal.status == DealStatus.ACTIVE else None
    Deal.objects.filter(pk=deal.pk).update(needs_review=False, review_reason="", next_action_date=due)
