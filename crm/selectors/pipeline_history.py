"""Figures read from the stage history (DealStageChange) and the deals, in grouped SQL.

Each function is one query (or two) whose result has a row per stage, month, source or key, never
per deal, so the analytics cost a fixed number of queries whatever the number of deals. The
scope (which pipelines, which dates) is an AnalyticsScope; ranks and thresholds per stage are
handed to the database as small CASE lookups.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from crm.models import (
    ClosedDealDay,
    Deal,
    DealStageChange,
    DealStatus,
    DurationKind,
    Pipeline,
    PipelineStage,
    StageDuration,
    StageOutcome,
    funnel_ranks,
)
from crm.selectors.sql import at, case_map, days_between, fetch, in_list, median_sql

RECENT_DAYS = 90  # the health score's "recent" period when no dates are given


@dataclass(frozen=True)
class AnalyticsScope:
    """Which deals the figures cover: the pipelines (already limited to the user's brands) and
    an optional period [date_from, date_to). Without dates, everything up to now."""

    pipelines: tuple[Pipeline, ...]
    date_from: datetime | None = None
    date_to: datetime | None = None
    now: datetime = field(default_factory=timezone.now)

    @property
    def pipeline_ids(self) -> list[int]:
        return [p.pk for p in self.pipelines]

    @property
    def start(self) -> datetime | None:
        return self.date_from

    @property
    def end(self) -> datetime:
        return min(self.date_to, self.now) if self.date_to else self.now

    @property
    def recent_start(self) -> datetime:
        """The health score's period: the dates given, else the last RECENT_DAYS days."""
        return self.date_from or self.end - timedelta(days=RECENT_DAYS)

    @cached_property
    def stages(self) -> list[PipelineStage]:
        return list(
            PipelineStage.objects.filter(pipeline_id__in=self.pipeline_ids)
            .select_related("pipeline__brand")
            .order_by("pipeline__brand__name", "pipeline_id", "order", "id")
        )

    @cached_property
    def open_stages(self) -> list[PipelineStage]:
        return [s for s in self.stages if not s.is_terminal]

    @cached_property
    def ranks(self) -> dict[int, int]:
        """Stage -> its place in its pipeline's funnel (crm.models.funnel_ranks)."""
        by_pipeline: dict[int, list[PipelineStage]] = defaultdict(list)
        for stage in self.stages:
            by_pipeline[stage.pipeline_id].append(stage)
        return {pk: rank for stages in by_pipeline.values() for pk, rank in funnel_ranks(stages).items()}

    @property
    def last_day(self) -> date:
        """The UTC day (or, for counts by month, the month) the period ends in: date_to is exclusive."""
        return (self.end - timedelta(microseconds=1)).astimezone(UTC).date()

    @property
    def first_day(self) -> date | None:
        return self.start.astimezone(UTC).date() if self.start is not None else None

    def period_filter(self, field_name: str) -> dict[str, datetime]:
        """`field_name` within [date_from, end), as filter keywords."""
        period = {f"{field_name}__lt": self.end}
        if self.start is not None:
            period[f"{field_name}__gte"] = self.start
        return period

    def period_sql(self, column: str, params: dict[str, Any], name: str = "p") -> str:
        """`column` within [date_from, end) as SQL (the end always: nothing after now)."""
        params[f"{name}_end"] = at(self.end)
        sql = f"{column} < %({name}_end)s"
        if self.start is not None:
            params[f"{name}_start"] = at(self.start)
            sql += f" AND {column} >= %({name}_start)s"
        return sql


# --- the deals as they are now ------------------------------------------------------------------


@dataclass
class StageNow:
    active: int = 0
    paused: int = 0
    open_value: Decimal = Decimal("0")

    @property
    def open(self) -> int:
        return self.active + self.paused


def deals_now(scope: AnalyticsScope) -> dict[int, StageNow]:
    """Per stage: the open deals in it now by status, and their value (the deal_open index)."""
    rows = (
        Deal.objects.filter(pipeline_id__in=scope.pipeline_ids, status__in=[DealStatus.ACTIVE, DealStatus.PAUSED])
        .values("current_stage_id", "status")
        .annotate(n=Count("id"), value=Coalesce(Sum("value"), Decimal("0")))
    )
    figures: dict[int, StageNow] = defaultdict(StageNow)
    for row in rows:
        stage = figures[row["current_stage_id"]]
        setattr(stage, row["status"], row["n"])
        stage.open_value += row["value"]
    return figures


def stalled_now(scope: AnalyticsScope, thresholds: dict[int, float]) -> dict[int, int]:
    """Per open stage: active deals that have been in it longer than its threshold (days)."""
    params: dict[str, Any] = {"now": at(scope.now)}
    deal_table = Deal._meta.db_table
    limit = case_map("d.current_stage_id", thresholds, params, "limit")
    sql = f"""
        SELECT d.current_stage_id, COUNT(*) FROM {deal_table} d
        WHERE d.pipeline_id IN {in_list("pl", scope.pipeline_ids, params)} AND d.status = 'active'
          AND {days_between("%(now)s", "d.stage_entered_at")} > {limit}
        GROUP BY d.current_stage_id
    """
    return dict(fetch(sql, params))  # type: ignore[arg-type]


# --- closed deals -------------------------------------------------------------------------------


@dataclass
class Outcome:
    """Won and lost deals and the value won, for one key (a pipeline, brand, source, month)."""

    won: int = 0
    lost: int = 0
    won_value: Decimal = Decimal("0")

    @property
    def share_won(self) -> float | None:
        """Won / (won + lost)."""
        closed = self.won + self.lost
        return self.won / closed if closed else None

    @property
    def win_rate(self) -> float | None:
        """Won / (won + lost), in percent."""
        closed = self.won + self.lost
        return round(100 * self.won / closed, 1) if closed else None

    def add(self, status: str, n: int, value: Decimal) -> None:
        if status == DealStatus.WON:
            self.won += n
            self.won_value += value
        else:
            self.lost += n


@dataclass
class Outcomes:
    period: Outcome = field(default_factory=Outcome)
    recent: Outcome = field(default_factory=Outcome)
    usual: Outcome = field(default_factory=Outcome)
    by_pipeline: dict[int, Outcome] = field(default_factory=lambda: defaultdict(Outcome))
    by_source: dict[str, Outcome] = field(default_factory=lambda: defaultdict(Outcome))
    by_month: dict[str, Outcome] = field(default_factory=lambda: defaultdict(Outcome))


def outcomes(scope: AnalyticsScope) -> Outcomes:
    """Won and lost deals by the day they closed (the ClosedDealDay counts): in the period (by
    pipeline, source and month), in the health score's recent period, and all up to the period's
    end (the pipeline's usual). Days are whole UTC days."""
    first = scope.first_day
    recent = scope.recent_start.astimezone(UTC).date()
    rows = ClosedDealDay.objects.filter(pipeline_id__in=scope.pipeline_ids, day__lte=scope.last_day).values_list(
        "pipeline_id", "day", "status", "source", "deals", "value"
    )
    result = Outcomes()
    for pipeline_id, day, status, source, n, value in rows:
        result.usual.add(status, n, value)
        if day >= recent:
            result.recent.add(status, n, value)
        if first is None or day >= first:
            for outcome in (
                result.period,
                result.by_pipeline[pipeline_id],
                result.by_source[source or ""],
                result.by_month[f"{day:%Y-%m}"],
            ):
                outcome.add(status, n, value)
    return result


def loss_reasons(scope: AnalyticsScope) -> list[tuple[str, int]]:
    """The reasons given when deals lost in the period were moved to a lost stage, most common
    first: the current history rows of lost stages (a lost deal's last move)."""
    lost = [s.pk for s in scope.stages if s.outcome == StageOutcome.LOST]
    rows = (
        DealStageChange.objects.filter(to_stage__in=lost, left_at__isnull=True, **scope.period_filter("changed_at"))
        .values("reason")
        .annotate(n=Count("id"))
        .order_by("-n", "reason")
    )
    return [(row["reason"], row["n"]) for row in rows]


# --- time ---------------------------------------------------------------------------------------


@dataclass
class Spread:
    """How many, the mean and the median of a set of durations, in days."""

    n: int = 0
    mean: float | None = None
    median: float | None = None


def _spreads(rows: str, params: dict[str, Any]) -> dict[str, Spread]:
    return {
        str(key): Spread(int(n), float(mean), float(median)) for key, n, mean, median in fetch(median_sql(rows), params)
    }


def spread_of(counts: dict[int, tuple[int, float]]) -> Spread:
    """The spread of durations counted by tenths of a day: {tenths: (deals, sum of days)}.
    The median is the middle tenth (or the mean of the two middle ones); the mean is exact."""
    n = sum(deals for deals, _ in counts.values())
    if n <= 0:
        return Spread()
    total = sum(days for _, days in counts.values())
    middle, seen, values = {(n - 1) // 2, n // 2}, 0, []
    for tenths in sorted(counts):
        deals = counts[tenths][0]
        values += [tenths / 10] * len([i for i in middle if seen <= i < seen + deals])
        seen += deals
    return Spread(n, total / n, sum(values) / len(values))


def stage_stays(scope: AnalyticsScope) -> tuple[dict[int, Spread], dict[int, Spread]]:
    """Time spent in each open stage by deals that left it in the months of the period (all
    months without dates); and per pipeline, over all its open stages together (what a stage is
    compared with to call it a bottleneck). Read from the stage-duration counts."""
    durations = StageDuration.objects.filter(kind=DurationKind.STAY, stage__in=[s.pk for s in scope.open_stages])
    if scope.first_day is not None:
        durations = durations.filter(month__gte=scope.first_day.replace(day=1))
    rows = (
        durations.filter(month__lte=scope.last_day)
        .values("stage_id", "tenths")
        .annotate(n=Sum("deals"), days=Sum("total_days"))
    )
    pipeline_of = {s.pk: s.pipeline_id for s in scope.open_stages}
    by_stage: dict[int, dict[int, tuple[int, float]]] = defaultdict(dict)
    by_pipeline: dict[int, dict[int, tuple[int, float]]] = defaultdict(dict)
    for row in rows:
        by_stage[row["stage_id"]][row["tenths"]] = (row["n"], row["days"])
        merged = by_pipeline[pipeline_of[row["stage_id"]]]
        n, days = merged.get(row["tenths"], (0, 0.0))
        merged[row["tenths"]] = (n + row["n"], days + row["days"])
    return (
        {stage: spread_of(counts) for stage, counts in by_stage.items()},
        {pipeline: spread_of(counts) for pipeline, counts in by_pipeline.items()},
    )


@dataclass
class Cycle:
    """Days from a deal's creation to its win."""

    period: Spread
    recent: Spread
    usual: Spread
    fastest: tuple[Deal, float] | None = None
    slowest: tuple[Deal, float] | None = None


def win_cycles(scope: AnalyticsScope) -> Cycle:
    """Days from creation to win: of deals won in the period, in the recent period (both read
    from the deals, a range of the closed-at index) and ever up to the period's end (the
    pipeline's usual, from the `cycle` stage-duration counts; without dates it is the period
    too); the fastest and the slowest of the period (the deal_won_days index)."""
    deal_table = Deal._meta.db_table
    params: dict[str, Any] = {"recent": at(scope.recent_start), "end": at(scope.end)}
    won = f"""
        FROM {deal_table} d WHERE d.pipeline_id IN {in_list("pl", scope.pipeline_ids, params)}
          AND d.status = 'won' AND d.closed_at < %(end)s
    """
    everything = scope.start is None and scope.date_to is None
    rows = f"SELECT 'recent' AS key, d.days_to_win AS value {won} AND d.closed_at >= %(recent)s"
    if not everything:
        rows += f" UNION ALL SELECT 'period', d.days_to_win {won} AND {scope.period_sql('d.closed_at', params)}"
    spreads = _spreads(rows, params)
    usual = _usual_cycle(scope)
    cycle = Cycle(usual if everything else spreads.get("period", Spread()), spreads.get("recent", Spread()), usual)
    if cycle.period.n:
        deals = (
            Deal.objects.filter(
                pipeline_id__in=scope.pipeline_ids, status=DealStatus.WON, **scope.period_filter("closed_at")
            )
            .exclude(days_to_win=None)
            .select_related("contact", "pipeline")
        )
        fastest, slowest = deals.order_by("days_to_win", "pk").first(), deals.order_by("-days_to_win", "pk").first()
        if fastest is not None and slowest is not None:
            cycle.fastest = (fastest, float(fastest.days_to_win or 0))
            cycle.slowest = (slowest, float(slowest.days_to_win or 0))
    return cycle


def _usual_cycle(scope: AnalyticsScope) -> Spread:
    stages = [s.pk for s in scope.stages]
    rows = (
        StageDuration.objects.filter(kind=DurationKind.CYCLE, stage__in=stages, month__lte=scope.last_day)
        .values("tenths")
        .annotate(n=Sum("deals"), days=Sum("total_days"))
    )
    return spread_of({row["tenths"]: (row["n"], row["days"]) for row in rows})


# --- the funnel ---------------------------------------------------------------------------------


def furthest_reached(scope: AnalyticsScope) -> dict[tuple[int, int], int]:
    """(pipeline, rank) -> deals created in the period whose furthest stage has that rank.

    From the history (each deal's furthest stage, kept as it moves), not from where deals sit:
    a deal that went Contacted -> Proposal -> Lost reached Proposal and every stage before it."""
    rows = (
        Deal.objects.filter(pipeline_id__in=scope.pipeline_ids, furthest_stage__isnull=False)
        .filter(**scope.period_filter("created_at"))
        .values("pipeline_id", "furthest_stage_id")
        .annotate(n=Count("id"))
    )
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for row in rows:
        rank = scope.ranks.get(row["furthest_stage_id"])
        if rank is not None:
            counts[(row["pipeline_id"], rank)] += row["n"]
    return dict(counts)
