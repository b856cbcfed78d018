"""Pipeline analytics as the API and the admin show them: health, forecast, funnel, velocity, win / loss.

`pipeline_analytics(scope)` answers `GET /api/core/analytics/pipeline_analytics/`;
`sales_forecast(scope, months)` answers `GET /api/core/analytics/sales_forecast/`. Every figure
comes from crm.selectors.pipeline_history and crm.selectors.forecast (grouped SQL); this module
only puts them together, scores and words them. How each number is made is returned in `method`.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from crm.models import Deal, PipelineStage
from crm.selectors.forecast import HORIZON_MAX, Z80, backtest, forecast_from
from crm.selectors.pipeline_history import (
    RECENT_DAYS,
    AnalyticsScope,
    Outcome,
    Spread,
    StageNow,
    deals_now,
    furthest_reached,
    loss_reasons,
    outcomes,
    stage_stays,
    stalled_now,
    win_cycles,
)

ANALYTICS_MONTHS = 3
WEIGHTS = {"win_rate": 0.35, "velocity": 0.25, "stalled": 0.25, "bottlenecks": 0.15}
SLOW_FACTOR = 1.5  # a stage whose median stay is this many times the pipeline's is slow
CROWDED_FACTOR = 2.0  # a stage holding this many times its fair share of active deals is crowded
CROWDED_MIN_DEALS = 5
MIN_STAYS = 3  # fewer finished stays than this: the stage's usual time is not known
STALLED_FACTOR = 2.0
STALLED_DEFAULT_DAYS = 7
BOTTLENECK_PENALTY = 25
NOTABLE_DROP = 0.9  # a recommendation about the recent win rate or speed needs a 10% change

METHOD = {
    "overall_health_score": (
        "round(0.35 * win_rate + 0.25 * velocity + 0.25 * stalled + 0.15 * bottlenecks), each component 0-100: "
        "win_rate = 100 * (win rate of the recent period / the pipeline's win rate up to its end), at most 100; "
        "velocity = 100 * (usual median days to win / recent median days to win), at most 100; "
        "stalled = 100 * (1 - share of active deals in their stage longer than twice its median stay); "
        "bottlenecks = 100 - 25 per bottleneck (per pipeline, when several are shown). "
        "A component without the history it needs scores 50."
    ),
    "recent_period": f"the dates given, else the last {RECENT_DAYS} days",
    "win_rate": "won / (won + lost) deals closed in the period, in percent",
    "funnel": (
        "deals created in the period, counted at every stage they reached according to the stage history "
        "(a deal that reached a later stage passed the earlier ones; lost stages are not steps); "
        "conversion = count / the previous step's count, in percent; overall = won / first step"
    ),
    "bottlenecks": (
        f"open stages whose median stay is at least {SLOW_FACTOR}x the pipeline's median stay (from at least "
        f"{MIN_STAYS} finished stays), or that hold at least {CROWDED_FACTOR}x their fair share of the active "
        f"deals (and {CROWDED_MIN_DEALS} or more)"
    ),
    "stalled": (
        f"active deals in their stage longer than {STALLED_FACTOR}x its median stay (or, with fewer than "
        f"{MIN_STAYS} finished stays, {STALLED_FACTOR}x its follow-up days, {STALLED_DEFAULT_DAYS} if none)"
    ),
    "deal_velocity": "days from a deal's creation to its win, for deals won in the period",
    "dates": (
        "date_from / date_to select deals closed in the period (win rate, velocity, win / loss), created in it "
        "(funnel) or leaving a stage in it (stage times); the distribution, stalled deals and the forecast are "
        "as of now. Without dates: all time. Months are calendar months in UTC."
    ),
}


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _money(value: Decimal | float) -> float:
    return round(float(value), 2)


def _ratio_score(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None:
        return None
    if denominator <= 0:
        return 100.0 if numerator > 0 else None
    return min(100.0, 100.0 * numerator / denominator)


def _stage_ref(stage: PipelineStage) -> dict[str, Any]:
    return {
        "stage": stage.name,
        "stage_id": stage.pk,
        "pipeline": stage.pipeline.name,
        "pipeline_id": stage.pipeline_id,
        "brand": stage.pipeline.brand.name,
    }


def _deal_ref(entry: tuple[Deal, float] | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    deal, days = entry
    return {
        "deal_id": str(deal.pk),
        "contact": deal.contact.name or deal.contact.email,
        "company": deal.contact.company,
        "pipeline": deal.pipeline.name,
        "value": _money(deal.value),
        "days": _days(days),
    }


def _outcome_row(key: str, outcome: Outcome, **extra: Any) -> dict[str, Any]:
    return {
        key: extra.pop(key),
        **extra,
        "won": outcome.won,
        "lost": outcome.lost,
        "win_rate": outcome.win_rate,
        "won_value": _money(outcome.won_value),
    }


def stalled_after(stage: PipelineStage, spread: Spread | None) -> float:
    """Days in `stage` after which a deal is stalled: twice the usual stay, or twice the stage's
    follow-up days while too few deals have left it to say what is usual."""
    if spread is not None and spread.n >= MIN_STAYS and spread.median is not None:
        return STALLED_FACTOR * spread.median
    return STALLED_FACTOR * (stage.days_until_followup or STALLED_DEFAULT_DAYS)


class PipelineReport:
    """The figures of one scope, each query run once, put together into the API's answer."""

    def __init__(self, scope: AnalyticsScope) -> None:
        self.scope = scope
        self.now = deals_now(scope)
        self.outcomes = outcomes(scope)
        self.stays, self.pipeline_stays = stage_stays(scope)
        self.cycles = win_cycles(scope)
        self.thresholds = {s.pk: self._stalled_after(s) for s in scope.open_stages}
        self.stalled = stalled_now(scope, self.thresholds)

    def _now(self, stage: PipelineStage) -> StageNow:
        return self.now.get(stage.pk) or StageNow()

    def _stays(self, stage: PipelineStage) -> Spread:
        return self.stays.get(stage.pk) or Spread()

    def _stalled_after(self, stage: PipelineStage) -> float:
        return stalled_after(stage, self._stays(stage))

    # --- health ---------------------------------------------------------------------------------

    def stage_distribution(self) -> list[dict[str, Any]]:
        open_deals: dict[int, int] = defaultdict(int)
        for stage in self.scope.open_stages:
            open_deals[stage.pipeline_id] += self._now(stage).open
        rows = []
        for stage in self.scope.open_stages:
            figures = self._now(stage)
            count, total = figures.open, open_deals[stage.pipeline_id]
            rows.append(
                {
                    **_stage_ref(stage),
                    "order": self.scope.ranks[stage.pk],
                    "count": count,
                    "active": figures.active,
                    "paused": figures.paused,
                    "value": _money(figures.open_value),
                    "share": round(100 * count / total, 1) if total else 0.0,
                    "stalled": self.stalled.get(stage.pk, 0),
                }
            )
        return rows

    def bottlenecks(self) -> list[dict[str, Any]]:
        found = []
        open_count: dict[int, int] = defaultdict(int)
        active_by_pipeline: dict[int, int] = defaultdict(int)
        for stage in self.scope.open_stages:
            open_count[stage.pipeline_id] += 1
            active_by_pipeline[stage.pipeline_id] += self._now(stage).active
        for stage in self.scope.open_stages:
            spread, usual = self._stays(stage), self.pipeline_stays.get(stage.pipeline_id) or Spread()
            active = self._now(stage).active
            total = active_by_pipeline[stage.pipeline_id]
            share = active / total if total else 0.0
            reasons = []
            if spread.n >= MIN_STAYS and spread.median and usual.median and spread.median >= SLOW_FACTOR * usual.median:
                reasons.append("slow")
            if active >= CROWDED_MIN_DEALS and share >= CROWDED_FACTOR / open_count[stage.pipeline_id]:
                reasons.append("crowded")
            if reasons:
                found.append(
                    {
                        **_stage_ref(stage),
                        "reasons": reasons,
                        "median_days": _days(spread.median),
                        "pipeline_median_days": _days(usual.median),
                        "slowness": round(spread.median / usual.median, 2) if spread.median and usual.median else None,
                        "active_deals": active,
                        "share_of_active": round(100 * share, 1),
                    }
                )
        return found

    def velocity_metrics(self) -> dict[str, Any]:
        return {
            "average_days_to_win": _days(self.cycles.period.mean),
            "median_days_to_win": _days(self.cycles.period.median),
            "recent_median_days_to_win": _days(self.cycles.recent.median),
            "usual_median_days_to_win": _days(self.cycles.usual.median),
            "by_stage": [
                {
                    **_stage_ref(stage),
                    "median_days": _days(self._stays(stage).median),
                    "average_days": _days(self._stays(stage).mean),
                    "stays": self._stays(stage).n,
                    "stalled_after_days": _days(self.thresholds[stage.pk]),
                }
                for stage in self.scope.open_stages
            ],
        }

    def health(self, bottlenecks: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
        recent, usual = self.outcomes.recent, self.outcomes.usual
        win = _ratio_score(recent.share_won, usual.share_won)
        velocity = _ratio_score(self.cycles.usual.median, self.cycles.recent.median)
        active = sum(f.active for s, f in self.now.items() if s in self.thresholds)
        stalled = sum(self.stalled.values())
        components: dict[str, dict[str, Any]] = {
            "win_rate": {
                "score": win,
                "recent_win_rate": recent.win_rate,
                "usual_win_rate": usual.win_rate,
            },
            "velocity": {
                "score": velocity,
                "recent_median_days": _days(self.cycles.recent.median),
                "usual_median_days": _days(self.cycles.usual.median),
            },
            "stalled": {
                "score": 100.0 * (1 - stalled / active) if active else 100.0,
                "stalled_deals": stalled,
                "active_deals": active,
            },
            "bottlenecks": {
                "score": round(max(0.0, 100 - BOTTLENECK_PENALTY * len(bottlenecks) / self._pipelines()), 1),
                "count": len(bottlenecks),
            },
        }
        total = 0.0
        for name, component in components.items():
            score = 50.0 if component["score"] is None else component["score"]
            component["score"] = round(score, 1)
            component["weight"] = WEIGHTS[name]
            total += WEIGHTS[name] * score
        return round(total), components

    def _pipelines(self) -> int:
        """How many pipelines (with open stages) the figures cover: bottlenecks count per pipeline."""
        return max(1, len({stage.pipeline_id for stage in self.scope.open_stages}))

    def recommendations(self, bottlenecks: list[dict[str, Any]], components: dict[str, Any]) -> list[str]:
        said = []
        for b in bottlenecks:
            where = f"{b['brand']} · {b['pipeline']}"
            if "slow" in b["reasons"]:
                said.append(
                    f"Deals stay a median {b['median_days']} days in {b['stage']} ({where}), "
                    f"{b['slowness']}x the pipeline's usual {b['pipeline_median_days']} days per stage: "
                    "find out what holds them there."
                )
            if "crowded" in b["reasons"]:
                said.append(
                    f"{b['stage']} ({where}) holds {b['share_of_active']}% of the active deals "
                    f"({b['active_deals']}): move them on or close them."
                )
        stalled = components["stalled"]
        if stalled["stalled_deals"]:
            said.append(
                f"{stalled['stalled_deals']} of {stalled['active_deals']} active deals have been in their stage "
                "more than twice as long as deals usually stay there: review them or close them as lost."
            )
        win = components["win_rate"]
        if (
            win["recent_win_rate"] is not None
            and win["usual_win_rate"]
            and win["recent_win_rate"] < NOTABLE_DROP * win["usual_win_rate"]
        ):
            said.append(f"The recent win rate ({win['recent_win_rate']}%) is below the usual {win['usual_win_rate']}%.")
        velocity = components["velocity"]
        if (
            velocity["recent_median_days"]
            and velocity["usual_median_days"]
            and NOTABLE_DROP * velocity["recent_median_days"] > velocity["usual_median_days"]
        ):
            said.append(
                f"Deals take longer to win lately: a median {velocity['recent_median_days']} days "
                f"against the usual {velocity['usual_median_days']}."
            )
        return said or ["No bottleneck: deals move through every stage at their usual pace."]

    def pipeline_health(self) -> dict[str, Any]:
        bottlenecks = self.bottlenecks()
        score, components = self.health(bottlenecks)
        return {
            "overall_health_score": score,
            "components": components,
            "stage_distribution": self.stage_distribution(),
            "velocity_metrics": self.velocity_metrics(),
            "bottlenecks": bottlenecks,
            "win_rate": self.outcomes.period.win_rate,
            "won": self.outcomes.period.won,
            "lost": self.outcomes.period.lost,
            "recommendations": self.recommendations(bottlenecks, components),
        }

    # --- funnel, velocity, win / loss -----------------------------------------------------------

    def conversion_funnel(self) -> dict[str, Any]:
        reached = furthest_reached(self.scope)
        funnel, firsts, wins = [], 0, 0
        by_pipeline: dict[int, list[PipelineStage]] = defaultdict(list)
        for stage in self.scope.stages:
            if stage.pk in self.scope.ranks:
                by_pipeline[stage.pipeline_id].append(stage)
        for pipeline_id, stages in by_pipeline.items():
            stages.sort(key=lambda s: self.scope.ranks[s.pk])
            previous = None
            for stage in stages:
                rank = self.scope.ranks[stage.pk]
                count = sum(n for (p, r), n in reached.items() if p == pipeline_id and r >= rank)
                if previous is None:
                    firsts += count
                if stage.outcome == "won":
                    wins += count
                conversion = 100.0 if previous is None else (round(100 * count / previous, 1) if previous else 0.0)
                funnel.append(
                    {**_stage_ref(stage), "count": count, "conversion": conversion,
                     "drop_off": 0 if previous is None else previous - count}
                )  # fmt: skip
                previous = count
        return {
            "funnel": funnel,
            "overall_conversion": round(100 * wins / firsts, 1) if firsts else None,
            "recommendations": self._funnel_advice(funnel),
        }

    @staticmethod
    def _funnel_advice(funnel: list[dict[str, Any]]) -> list[str]:
        steps = [
            (before, after)
            for before, after in zip(funnel, funnel[1:], strict=False)
            if before["pipeline_id"] == after["pipeline_id"] and before["count"]
        ]
        if not steps:
            return ["No deals in the period yet: the funnel fills as deals move through the stages."]
        before, after = min(steps, key=lambda step: step[1]["conversion"])
        return [
            f"The largest drop in {after['brand']} · {after['pipeline']} is from {before['stage']} to "
            f"{after['stage']}: {after['conversion']}% of deals go on ({after['count']} of {before['count']})."
        ]

    def deal_velocity(self) -> dict[str, Any]:
        return {
            "deals": self.cycles.period.n,
            "average_days": _days(self.cycles.period.mean),
            "median_days": _days(self.cycles.period.median),
            "fastest": _deal_ref(self.cycles.fastest),
            "slowest": _deal_ref(self.cycles.slowest),
        }

    def win_loss(self) -> dict[str, Any]:
        names = {p.pk: p for p in self.scope.pipelines}
        brands: dict[str, Outcome] = defaultdict(Outcome)
        for pipeline_id, outcome in self.outcomes.by_pipeline.items():
            brand = brands[names[pipeline_id].brand.name]
            brand.won, brand.lost = brand.won + outcome.won, brand.lost + outcome.lost
            brand.won_value += outcome.won_value
        return {
            "by_pipeline": [
                _outcome_row("pipeline", o, pipeline=names[p].name, pipeline_id=p, brand=names[p].brand.name)
                for p, o in sorted(self.outcomes.by_pipeline.items())
            ],
            "by_brand": [_outcome_row("brand", o, brand=b) for b, o in sorted(brands.items())],
            "by_source": [_outcome_row("source", o, source=s) for s, o in sorted(self.outcomes.by_source.items())],
            "by_month": [_outcome_row("month", o, month=m) for m, o in sorted(self.outcomes.by_month.items())],
            "loss_reasons": [{"reason": r or "(none given)", "deals": n} for r, n in loss_reasons(self.scope)],
        }

    def pipeline_forecast(self) -> dict[str, Any]:
        forecast = forecast_from(self.scope, self.scope.now, ANALYTICS_MONTHS)
        by_stage = {}
        for stage in self.scope.open_stages:
            figures = self._now(stage)
            by_stage[str(stage.pk)] = {
                **_stage_ref(stage),
                "deals": figures.open,
                "value": _money(figures.open_value),
                "weighted_value": _money(forecast.weighted_by_stage.get(stage.pk, 0.0)),
            }
        return {
            "by_stage": by_stage,
            "by_month": [month.as_dict() for month in forecast.months],
            "total_pipeline_value": _money(sum((f.open_value for f in self.now.values()), Decimal("0"))),
            "weighted_pipeline_value": _money(sum(forecast.weighted_by_stage.values())),
        }


def pipeline_analytics(scope: AnalyticsScope) -> dict[str, Any]:
    report = PipelineReport(scope)
    return {
        "pipeline_health": report.pipeline_health(),
        "pipeline_forecast": report.pipeline_forecast(),
        "conversion_funnel": report.conversion_funnel(),
        "deal_velocity": report.deal_velocity(),
        "win_loss": report.win_loss(),
        "method": METHOD,
    }


def sales_forecast(scope: AnalyticsScope, months: int) -> dict[str, Any]:
    """Expected won value for each of the next `months` calendar months (this one first), with
    an 80% band, and the forecast's back-test against the naive baseline."""
    if not 1 <= months <= HORIZON_MAX:
        raise ValueError(f"months must be 1 to {HORIZON_MAX}")
    forecast = forecast_from(scope, scope.now, months)
    return {
        "months": months,
        "by_month": [month.as_dict() for month in forecast.months],
        "total_expected": round(sum(m.expected for m in forecast.months), 2),
        "method": {
            "description": (
                "Open deals weighted by their stage's win probability learned from closed history "
                "(smoothed toward the stage's place in the funnel) and adjusted for their time in the stage, "
                "spread over the months by how long deals won from that stage took; plus deals not yet created, "
                "at the recent pace of new deals and their value, won as often as first-stage deals. "
                "The first month runs from now to its end."
            ),
            "band": f"expected +/- {Z80} standard deviations (80%, normal approximation); low is at least 0",
            **backtest(scope, months),
        },
    }
