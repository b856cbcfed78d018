"""The deal autopilot: pick the deals whose next action is due, decide, act.

The hourly job lists the due deals and hands each to a task; the task claims the
deal (crm_site.claims: an owner and a lease covering the model's two calls) on the
condition that it is still due, so a deal handed out twice, or run from the admin
while the job runs, is worked on once. A run that raises puts the deal back with a
back-off; a worker that dies leaves a lease that runs out. A queued email is unique
per deal and sequence step while it is in flight or sent, so no step is queued twice.
Long waits live in next_action_date, never in countdowns.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from crm.ai import CRMAIAgent
from crm.errors import DealError, EmailError
from crm.models import (
    ActivityType,
    Deal,
    DealActivity,
    DealStatus,
    EmailLog,
    EmailStatus,
    SequenceStep,
    Task,
    TaskOrigin,
)
from crm.services.deals import deal_move_to_stage
from crm.services.sending import email_queue, email_send_now
from crm.services.tasks import task_complete, task_for_review
from crm_site import claims

logger = logging.getLogger(__name__)

# Two model calls (decide, then compose), each at most OPENAI_TIMEOUT_SECONDS x the SDK's
# retries (30 s x 3), and the writes.
CLAIM_LEASE = timedelta(minutes=10)
BATCH = 500


def deals_due(*, now: datetime | None = None, limit: int = BATCH) -> list[uuid.UUID]:
    """Ids of the deals whose next action is due, that nobody is working on or waiting to retry."""
    now = now or timezone.now()
    due = Deal.objects.due(now).filter(claims.due(now)).order_by("next_action_date")
    return list(due.values_list("pk", flat=True)[:limit])


def deal_autopilot_run(
    *, deal_id: uuid.UUID | str, agent: CRMAIAgent | None = None, only_if_due: bool = False
) -> dict[str, Any] | None:
    """Claim the deal, ask the agent what it needs and do it; returns the decision, or None when
    the deal is gone, held by another run, or (with `only_if_due`) no longer due."""
    now = timezone.now()
    where = Q(status=DealStatus.ACTIVE, next_action_date__lte=now) & claims.due(now) if only_if_due else None
    claim = claims.claim_row(Deal, deal_id, lease=CLAIM_LEASE, where=where)
    if claim is None:
        return None
    with claims.working(claim):
        deal = Deal.objects.select_related("contact", "pipeline", "current_stage").get(pk=deal_id)
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
    claim.release()
    return decision


def deal_email_queue_claimed(*, deal_id: uuid.UUID | str, email_type: str = "") -> Any:
    """`deal_email_queue` under the deal's claim (the workflow guide's queue_deal_email); None when
    the deal is gone or another run holds it."""
    claim = claims.claim_row(Deal, deal_id, lease=CLAIM_LEASE)
    if claim is None:
        return None
    with claims.working(claim):
        email = deal_email_queue(deal=Deal.objects.get(pk=deal_id), email_type=email_type)
    claim.release()
    return email


def deal_send_next_now(*, deal: Deal) -> EmailLog:
    """The deal's next email, sent now (even outside the brand's window): the one queued first,
    else one composed for its next sequence step. Raises EmailError saying why not."""
    if not deal.is_open:
        raise EmailError(f"The deal is {deal.get_status_display().lower()}; it sends no more emails.")
    email = EmailLog.objects.filter(deal=deal, status=EmailStatus.PENDING).order_by("created_at").first()
    if email is None:
        email = deal_email_queue_claimed(deal_id=deal.pk)
    if email is None:
        raise EmailError("The autopilot is working on this deal right now, or its next email was sent; try again.")
    return email_send_now(email=email)


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
    """Leave the deal to a person, with a task saying so (one open review task per deal)."""
    with transaction.atomic():
        Deal.objects.filter(pk=deal.pk).update(needs_review=True, review_reason=reason[:2000], next_action_date=None)
        task_for_review(deal=deal, reason=reason)


def deal_mark_reviewed(*, deal: Deal, follow_up_in_days: float = 0) -> None:
    """Hand the deal back to the autopilot."""
    due = timezone.now() + timedelta(days=follow_up_in_days) if deal.status == DealStatus.ACTIVE else None
    with transaction.atomic():
        Deal.objects.filter(pk=deal.pk).update(needs_review=False, review_reason="", next_action_date=due)
        for task in Task.objects.open().filter(deal=deal, origin=TaskOrigin.AUTOPILOT):
            task_complete(task=task)
