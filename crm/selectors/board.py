"""The deal board: a pipeline's stages as columns of cards, and a deal's timeline.

A board costs the same queries whatever the number of deals: the stages, their usual stays (what
"stalled" is measured against), one grouped count and total per stage, a short query per stage for
its first cards (read from the deal_board index) and one for those cards' details. A column pages
on with one query more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from crm.ai.wording import decision_sentence
from crm.models import AIDecisionLog, Deal, DealStageChange, DealStatus, EmailLog, Pipeline, PipelineStage, Task
from crm.models.deals import DealQuerySet
from crm.selectors.pipeline_history import AnalyticsScope, stage_stays
from crm.selectors.pipeline_report import stalled_after

PER_COLUMN = 50
TIMELINE_ITEMS = 30
CARD_ORDER = (F("needs_review").desc(), F("stage_entered_at").desc(), F("pk").asc())


@dataclass(frozen=True)
class BoardFilters:
    """What the board shows: `owner` is "" (anyone), "me", "none" or a user id."""

    owner: str = ""
    needs_review: bool = False
    stalled: bool = False
    search: str = ""


@dataclass
class Card:
    deal: Deal
    days_in_stage: int
    stalled: bool
    overdue: bool
    last_decision: str = ""


@dataclass
class Column:
    stage: PipelineStage
    count: int = 0
    total: Decimal = Decimal("0")
    cards: list[Card] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


@dataclass
class Board:
    pipeline: Pipeline
    columns: list[Column]

    @property
    def count(self) -> int:
        return sum(column.count for column in self.columns)


def stage_thresholds(pipeline: Pipeline, stages: list[PipelineStage]) -> dict[int, float]:
    """Open stage -> days after which a deal in it is stalled (the analytics' rule)."""
    stays, _ = stage_stays(AnalyticsScope(pipelines=(pipeline,)))
    return {stage.pk: stalled_after(stage, stays.get(stage.pk)) for stage in stages if not stage.is_terminal}


def _filtered(
    deals: DealQuerySet,
    filters: BoardFilters,
    user: User | AnonymousUser,
    thresholds: dict[int, float],
    now: datetime,
) -> QuerySet[Deal]:
    deals = deals.owned_by(filters.owner, user)
    if filters.needs_review:
        deals = deals.filter(needs_review=True)
    if filters.stalled:
        deals = deals.filter(status=DealStatus.ACTIVE).filter(_stalled_q(thresholds, now))
    if filters.search:
        text = filters.search.strip()
        deals = deals.filter(
            Q(contact__email__icontains=text) | Q(contact__name__icontains=text) | Q(contact__company__icontains=text)
        )
    return deals


def _stalled_q(thresholds: dict[int, float], now: datetime) -> Q:
    parts = [
        Q(current_stage_id=stage, stage_entered_at__lt=now - timedelta(days=days)) for stage, days in thresholds.items()
    ]
    return reduce(or_, parts) if parts else Q(pk__in=[])


def _cards_query(deals: QuerySet[Deal], now: datetime) -> QuerySet[Deal]:
    """With the last AI decision and whether an open task of the deal was due before today."""
    latest = AIDecisionLog.objects.filter(deal=OuterRef("pk")).order_by("-created_at")
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    late_task = Task.objects.filter(deal=OuterRef("pk"), done_at__isnull=True, due_at__lt=today)
    return deals.select_related("contact", "owner").annotate(
        decision_type=Subquery(latest.values("decision_type")[:1]),
        decision_action=Subquery(latest.values("action_taken")[:1]),
        decision_metadata=Subquery(latest.values("metadata")[:1]),
        late_task=Exists(late_task),
    )


def _card(deal: Any, thresholds: dict[int, float], now: datetime) -> Card:
    days = (now - deal.stage_entered_at).total_seconds() / 86400
    limit = thresholds.get(deal.current_stage_id)
    closes = deal.expected_close_date
    overdue = deal.is_open and (deal.late_task or (closes is not None and closes < timezone.localdate(now)))
    metadata = deal.decision_metadata if isinstance(deal.decision_metadata, dict) else {}
    return Card(
        deal=deal,
        days_in_stage=int(days),
        stalled=deal.status == DealStatus.ACTIVE and limit is not None and days > limit,
        overdue=bool(overdue),
        last_decision=decision_sentence(deal.decision_type, deal.decision_action or "", metadata)
        if deal.decision_type
        else "",
    )


def deal_board(
    *,
    pipeline: Pipeline,
    user: User | AnonymousUser,
    filters: BoardFilters = BoardFilters(),  # noqa: B008 - frozen
    per_column: int = PER_COLUMN,
    now: datetime | None = None,
) -> Board:
    """The pipeline's columns, each with its count, total value and first `per_column` cards."""
    now = now or timezone.now()
    stages = list(pipeline.stages.order_by("order", "id"))
    thresholds = stage_thresholds(pipeline, stages)
    deals = _filtered(Deal.objects.filter(pipeline=pipeline), filters, user, thresholds, now)
    columns = {stage.pk: Column(stage=stage) for stage in stages}
    totals = deals.values("current_stage_id").annotate(n=Count("id"), total=Coalesce(Sum("value"), Decimal("0")))
    for row in totals.order_by():
        columns[row["current_stage_id"]].count, columns[row["current_stage_id"]].total = row["n"], row["total"]
    # Each column's first cards read from the deal_board index (stage, review, time in stage), a
    # short query per stage; then those cards with their details, in one query. (One query with
    # a row number per stage, or the columns' subqueries OR-ed, reads every deal of the pipeline.)
    first: list[Any] = []
    for stage in stages:
        first += deals.filter(current_stage=stage).order_by(*CARD_ORDER).values_list("pk", flat=True)[:per_column]
    for deal in _cards_query(Deal.objects.filter(pk__in=first), now).order_by(*CARD_ORDER):
        columns[deal.current_stage_id].cards.append(_card(deal, thresholds, now))
    return Board(pipeline=pipeline, columns=list(columns.values()))


def deal_board_page(
    *,
    stage: PipelineStage,
    user: User | AnonymousUser,
    filters: BoardFilters = BoardFilters(),  # noqa: B008 - frozen
    offset: int = 0,
    per_column: int = PER_COLUMN,
    now: datetime | None = None,
) -> list[Card]:
    """The cards of one column after the first `offset`, in the board's order."""
    now = now or timezone.now()
    thresholds = stage_thresholds(stage.pipeline, [stage])
    deals = _filtered(Deal.objects.filter(current_stage=stage), filters, user, thresholds, now)
    page = list(deals.order_by(*CARD_ORDER).values_list("pk", flat=True)[offset : offset + per_column])
    cards = _cards_query(Deal.objects.filter(pk__in=page), now).order_by(*CARD_ORDER)
    return [_card(deal, thresholds, now) for deal in cards]


# --- a deal's timeline -----------------------------------------------------------------------------


@dataclass
class Moment:
    at: datetime
    kind: str  # email, reply, decision, stage
    title: str
    body: str = ""
    detail: str = ""


def deal_timeline(*, deal: Deal, limit: int = TIMELINE_ITEMS) -> list[Moment]:
    """Emails with their bodies, replies, AI decisions and stage changes, newest first."""
    moments: list[Moment] = []
    for email in EmailLog.objects.filter(deal=deal).order_by("-created_at")[:limit]:
        when = email.sent_at or email.scheduled_for or email.created_at
        moments.append(Moment(when, "email", email.subject, email.text_body or email.body, email.get_status_display()))
        if email.replied and email.replied_at:
            moments.append(Moment(email.replied_at, "reply", f"Reply to “{email.subject}”", email.reply_content))
    for decision in AIDecisionLog.objects.filter(deal=deal).order_by("-created_at")[:limit]:
        sentence = decision_sentence(decision.decision_type, decision.action_taken, decision.metadata)
        moments.append(Moment(decision.created_at, "decision", sentence, decision.reasoning, decision.model))
    changes = DealStageChange.objects.filter(deal=deal).select_related("from_stage", "to_stage", "actor")
    for change in changes.order_by("-changed_at")[:limit]:
        moments.append(Moment(change.changed_at, "stage", _stage_title(change), change.reason, _who(change)))
    return sorted(moments, key=lambda moment: moment.at, reverse=True)[:limit]


def _stage_title(change: DealStageChange) -> str:
    if change.from_stage is None:
        return f"Opened in {change.to_stage.name}"
    return f"Moved from {change.from_stage.name} to {change.to_stage.name}"


def _who(change: DealStageChange) -> str:
    if change.actor is not None:
        return f"by {change.actor.get_full_name() or change.actor.get_username()}"
    return f"by the {change.get_source_display().lower()}"
