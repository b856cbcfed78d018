"""The sales forecast: the value expected to be won in each coming month, with a band, back-tested.

Learned from closed history as of a cut-off (now, or a past month's start for the back-test):

- Each open stage's win probability: of the deals that entered the stage and have closed, the
  share won, smoothed toward the stage's default (its place in the funnel) with SMOOTHING
  pseudo-deals, so a stage with little history is not trusted blindly.
- An open deal's probability is then adjusted for how long it has sat in its stage (Bayes on the
  days from entering the stage to closing, of won and of lost deals): a deal older than most
  wins from its stage is less likely to be won.
- Timing: the deal is spread over the months by the days deals won from its stage took after
  having been in it as long as this one.
- Deals not yet created: each pipeline's recent pace of new deals (over CREATION_DAYS) and their
  mean value, won with its first stage's probability, on each day in the share that past wins
  took less time from creation than that day.
- Band: the expected value plus or minus 1.28 standard deviations (an 80% band under a normal
  approximation): each deal is won or not (Bernoulli), new deals arrive as a Poisson flow.

Every figure is a grouped query (rows per stage and day, never per deal).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Any

from django.db.models import Sum

from crm.models import ClosedDealDay, Deal, DealStatus, DurationKind, PipelineStage, StageDuration
from crm.selectors.pipeline_history import AnalyticsScope
from crm.selectors.sql import at, fetch, in_list, whole_days
from lib.months import add_months, month_start

HORIZON_MAX = 12
SMOOTHING = 5
CREATION_DAYS = 90
BASELINE_MONTHS = 6
BACKTEST_ORIGINS = 6
Z80 = 1.2816
ERROR_MEASURE = (
    "WAPE: the sum of |forecast - actual| over the sum of actual won value, over every month of every back-test"
)


def months_from(cut: datetime, count: int) -> list[tuple[str, datetime, datetime]]:
    """The `count` calendar months from the cut-off's (the first starts at the cut-off)."""
    first = month_start(cut)
    return [
        (f"{add_months(first, i):%Y-%m}", max(cut, add_months(first, i)), add_months(first, i + 1))
        for i in range(count)
    ]


def _suffix_sums(counts: dict[int, int]) -> list[int]:
    """sums[t] = the count at t or later (0 past the end)."""
    sums = [0] * (max(counts, default=-1) + 2)
    for t in range(len(sums) - 2, -1, -1):
        sums[t] = sums[t + 1] + counts.get(t, 0)
    return sums


def _from(sums: list[int], t: int) -> int:
    return sums[t] if t < len(sums) else 0


@dataclass
class StageHistory:
    """Closed deals that entered a stage, by whole days from entering it to closing."""

    stage: PipelineStage
    default: float
    won: dict[int, int] = field(default_factory=dict)
    lost: dict[int, int] = field(default_factory=dict)

    @cached_property
    def _won_from(self) -> list[int]:
        return _suffix_sums(self.won)

    @cached_property
    def _lost_from(self) -> list[int]:
        return _suffix_sums(self.lost)

    @property
    def probability(self) -> float:
        won, lost = _from(self._won_from, 0), _from(self._lost_from, 0)
        return (won + SMOOTHING * self.default) / (won + lost + SMOOTHING)

    def probability_after(self, days: int) -> float:
        """The probability of a win for a deal already `days` in the stage (Bayes, with the
        shares of won and of lost deals still in the stage after as long, each Laplace-smoothed)."""
        p = self.probability
        still_won = (_from(self._won_from, days) + 1) / (_from(self._won_from, 0) + 2)
        still_lost = (_from(self._lost_from, days) + 1) / (_from(self._lost_from, 0) + 2)
        return p * still_won / (p * still_won + (1 - p) * still_lost)

    def share_won_between(self, days: int, start: int, end: int) -> float:
        """Of the deals won after `days` or more in the stage, the share won between `start` and
        `end` days later; with none to learn from, the deal is placed at once (start 0)."""
        later = _from(self._won_from, days)
        if not later:
            return 1.0 if start == 0 else 0.0
        return (_from(self._won_from, days + start) - _from(self._won_from, days + end)) / later


def _defaults(scope: AnalyticsScope) -> dict[int, float]:
    """A stage's default win probability: its place among the pipeline's open stages, k / (n + 1)."""
    counts: dict[int, int] = defaultdict(int)
    for stage in scope.open_stages:
        counts[stage.pipeline_id] += 1
    return {s.pk: scope.ranks[s.pk] / (counts[s.pipeline_id] + 1) for s in scope.open_stages}


def _months_before(cut: datetime) -> date:
    """The months counted at a cut-off are those that started before it: `month < this`."""
    return (cut - timedelta(microseconds=1)).astimezone(UTC).date() + timedelta(days=1)


def stage_histories(scope: AnalyticsScope, cut: datetime) -> dict[int, StageHistory]:
    """Per open stage, the deals that entered it and closed before `cut` (by the month they closed:
    every month that started before the cut-off), by whole days from entering to closing."""
    defaults = _defaults(scope)
    rows = (
        StageDuration.objects.filter(
            stage__in=list(defaults),
            kind__in=[DurationKind.WON, DurationKind.LOST],
            month__lt=_months_before(cut),
        )
        .values("stage_id", "kind", "tenths")
        .annotate(n=Sum("deals"))
    )
    histories = {s.pk: StageHistory(s, defaults[s.pk]) for s in scope.open_stages}
    for row in rows:
        counts = getattr(histories[row["stage_id"]], row["kind"])
        days = row["tenths"] // 10
        counts[days] = counts.get(days, 0) + row["n"]
    return histories


@dataclass
class OpenGroup:
    """Deals open at the cut-off in one stage for the same whole number of days."""

    stage_id: int
    days: int
    deals: int
    value: float
    value_squared: float


def open_at(scope: AnalyticsScope, cut: datetime) -> list[OpenGroup]:
    """The deals open at `cut` (now, or a month's start for the back-test), by stage and whole days
    in it: those still in their stage (the open deals themselves, the deal_open index), and at a
    past month start those that have left the stage since (the `open` stage-duration counts)."""
    deal_table = Deal._meta.db_table
    params: dict[str, Any] = {"cut": at(cut)}
    sql = f"""
        SELECT d.current_stage_id, {whole_days("%(cut)s", "d.stage_entered_at")}, COUNT(*), SUM(d.value),
               SUM(d.value * d.value)
        FROM {deal_table} d WHERE d.pipeline_id IN {in_list("pl", scope.pipeline_ids, params)}
          AND d.status IN ('active', 'paused') AND d.stage_entered_at <= %(cut)s
        GROUP BY 1, 2
    """
    open_stages = {s.pk for s in scope.open_stages}
    groups = [
        OpenGroup(s, int(d), int(n), float(v or 0), float(v2 or 0))
        for s, d, n, v, v2 in fetch(sql, params)
        if s in open_stages
    ]
    if cut < scope.now:
        if cut != month_start(cut):
            raise ValueError("a past cut-off is the start of a month")
        left_since = (
            StageDuration.objects.filter(
                stage__in=open_stages, kind=DurationKind.OPEN, month=cut.astimezone(UTC).date()
            )
            .values("stage_id", "tenths")
            .annotate(n=Sum("deals"), v=Sum("value"), v2=Sum("value_squared"))
        )
        groups += [OpenGroup(r["stage_id"], r["tenths"] // 10, r["n"], r["v"], r["v2"]) for r in left_since]
    return groups


@dataclass
class NewDeals:
    """A pipeline's deals not yet created at the cut-off: created at the pace of the last
    CREATION_DAYS, worth what those were worth, won as often as its first stage's deals and
    after as many days from creation as its past wins took."""

    per_day: float = 0.0
    mean_value: float = 0.0
    mean_square: float = 0.0
    win_probability: float = 0.0
    ages: dict[int, int] = field(default_factory=dict)

    def expected_between(self, start: int, end: int) -> tuple[float, float]:
        """The value expected to be won from day `start` to `end` after the cut-off, and its
        variance (wins arriving as a Poisson flow): each day, the pace times the share of past
        wins younger than that day."""
        total = sum(self.ages.values())
        if not total or not self.mean_value:
            return 0.0, 0.0
        younger, wins = 0, 0.0
        for day in range(end):
            if day >= start:
                wins += self.per_day * self.win_probability * younger / total
            younger += self.ages.get(day, 0)
        return wins * self.mean_value, wins * self.mean_square


def new_deals(scope: AnalyticsScope, cut: datetime, histories: dict[int, StageHistory]) -> list[NewDeals]:
    deal_table = Deal._meta.db_table
    params: dict[str, Any] = {"cut": at(cut), "since": at(cut - timedelta(days=CREATION_DAYS))}
    pipelines = in_list("pl", scope.pipeline_ids, params)
    created = f"""
        SELECT d.pipeline_id, COUNT(*), SUM(d.value), SUM(d.value * d.value) FROM {deal_table} d
        WHERE d.pipeline_id IN {pipelines} AND d.created_at >= %(since)s AND d.created_at < %(cut)s
        GROUP BY 1
    """
    flows: dict[int, NewDeals] = defaultdict(NewDeals)
    for pipeline_id, n, value, square in fetch(created, params):
        flow = flows[pipeline_id]
        flow.per_day, flow.mean_value, flow.mean_square = (
            n / CREATION_DAYS,
            float(value or 0) / n,
            float(square or 0) / n,
        )
    ages = (
        StageDuration.objects.filter(stage__in=[s.pk for s in scope.open_stages], kind=DurationKind.CYCLE)
        .filter(month__lt=_months_before(cut))
        .values("stage__pipeline_id", "tenths")
        .annotate(n=Sum("deals"))
    )
    for row in ages:  # won deals by whole days from creation to the win
        flow, days = flows[row["stage__pipeline_id"]], row["tenths"] // 10
        flow.ages[days] = flow.ages.get(days, 0) + row["n"]
    for history in histories.values():
        if scope.ranks[history.stage.pk] == 1:
            flows[history.stage.pipeline_id].win_probability = history.probability
    return list(flows.values())


@dataclass
class MonthForecast:
    month: str
    from_open_deals: float = 0.0
    from_new_deals: float = 0.0
    variance: float = 0.0

    @property
    def expected(self) -> float:
        return self.from_open_deals + self.from_new_deals

    def as_dict(self) -> dict[str, Any]:
        spread = Z80 * math.sqrt(self.variance)
        return {
            "month": self.month,
            "expected": round(self.expected, 2),
            "low": round(max(0.0, self.expected - spread), 2),
            "high": round(self.expected + spread, 2),
            "from_open_deals": round(self.from_open_deals, 2),
            "from_new_deals": round(self.from_new_deals, 2),
        }


@dataclass
class Forecast:
    months: list[MonthForecast]
    weighted_by_stage: dict[int, float]


def forecast_from(scope: AnalyticsScope, cut: datetime, months: int) -> Forecast:
    """Expected won value in each of `months` calendar months from `cut`, learned up to `cut`."""
    spans = months_from(cut, months)
    result = [MonthForecast(name) for name, _, _ in spans]
    # Whole days after the cut-off at which each month starts (a deal won r days after it falls in
    # the month whose start it has passed).
    starts = [max(0, math.ceil((start - cut).total_seconds() / 86400)) for _, start, _ in spans]
    ends = starts[1:] + [math.ceil((spans[-1][2] - cut).total_seconds() / 86400)]
    histories = stage_histories(scope, cut)
    weighted: dict[int, float] = defaultdict(float)
    for group in open_at(scope, cut):
        history = histories[group.stage_id]
        p = history.probability_after(group.days)
        weighted[group.stage_id] += group.value * p
        for month, start, end in zip(result, starts, ends, strict=True):
            q = p * history.share_won_between(group.days, start, end)
            month.from_open_deals += group.value * q
            month.variance += group.value_squared * q * (1 - q)
    flows = new_deals(scope, cut, histories)
    for month, start, end in zip(result, starts, ends, strict=True):
        for flow in flows:
            value, variance = flow.expected_between(start, end)
            month.from_new_deals += value
            month.variance += variance
    return Forecast(result, dict(weighted))


# --- back-test ----------------------------------------------------------------------------------


def won_by_month(scope: AnalyticsScope) -> dict[str, float]:
    """Value won per calendar month (UTC), from the deals counted by the day they closed."""
    won: dict[str, float] = defaultdict(float)
    days = ClosedDealDay.objects.filter(pipeline_id__in=scope.pipeline_ids, status=DealStatus.WON)
    for day, value in days.values_list("day", "value"):
        won[f"{day:%Y-%m}"] += float(value)
    return dict(won)


def backtest(scope: AnalyticsScope, months: int) -> dict[str, Any]:
    """Forecast from the starts of past months, compare with what was won, beside the baseline
    (the average monthly won value of the BASELINE_MONTHS months before each cut-off)."""
    won = won_by_month(scope)
    first = month_start(scope.now)
    runs, ours, naive, actual_total = [], 0.0, 0.0, 0.0
    for k in range(BACKTEST_ORIGINS):
        cut = add_months(first, -(months + k))
        before = [f"{add_months(cut, -i):%Y-%m}" for i in range(1, BASELINE_MONTHS + 1)]
        if not any(won.get(m) for m in before):
            continue  # nothing won before this cut-off: nothing to learn from or compare with
        baseline = sum(won.get(m, 0.0) for m in before) / BASELINE_MONTHS
        forecast = forecast_from(scope, cut, months)
        for month in forecast.months:
            actual = won.get(month.month, 0.0)
            ours += abs(month.expected - actual)
            naive += abs(baseline - actual)
            actual_total += actual
        runs.append(
            {
                "cut_off": cut.date().isoformat(),
                "forecast": [round(m.expected, 2) for m in forecast.months],
                "actual": [round(won.get(m.month, 0.0), 2) for m in forecast.months],
                "baseline": round(baseline, 2),
            }
        )
    return {
        "error_measure": ERROR_MEASURE,
        "backtest_error": round(ours / actual_total, 4) if actual_total else None,
        "baseline_error": round(naive / actual_total, 4) if actual_total else None,
        "backtests": runs,
    }
