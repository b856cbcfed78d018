"""The stage-duration counts (StageDuration) and each deal's furthest stage, kept as deals move.

deal_move_to_stage calls `stage_durations_record_move` in its transaction; the history can
always be summed up again with `stage_durations_rebuild` (the data migration, the demo data and
`manage.py rebuild_stage_durations` do), which gives the same counts (docs/adr/0016).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction

from crm.models import Deal, DealStageChange, DurationKind, PipelineStage, StageDuration, StageOutcome
from crm.selectors.sql import days_between, in_list, month_start

Key = tuple[int, str, date, int]  # stage, kind, month, tenths


def stage_rank(stage: PipelineStage, stages: Iterable[PipelineStage]) -> int | None:
    """A stage's place in its pipeline's funnel: open stages 1..n by order, won n + 1, lost none."""
    opened = sorted((s for s in stages if not s.is_terminal), key=lambda s: (s.order, s.pk))
    if stage.outcome == StageOutcome.WON:
        return len(opened) + 1
    if stage.outcome == StageOutcome.LOST:
        return None
    return next(rank for rank, s in enumerate(opened, start=1) if s.pk == stage.pk)


def furthest_of(current: PipelineStage | None, new: PipelineStage) -> PipelineStage | None:
    """The furthest of the two stages of one pipeline (by funnel rank)."""
    stages = list(new.pipeline.stages.all())
    new_rank = stage_rank(new, stages)
    if new_rank is None:
        return current
    if current is None:
        return new
    current_rank = stage_rank(current, stages)
    return new if current_rank is None or new_rank > current_rank else current


def _month(moment: datetime) -> date:
    return date(moment.year, moment.month, 1)


def bucket(days: float) -> int:
    """A duration's bucket, in tenths of a day: to the tenth under 10 days, to the day under 100,
    to ten days beyond (so the counts stay a few hundred per stage and month)."""
    tenths = max(0, math.floor(days * 10))
    return tenths if tenths < 100 else tenths // 10 * 10 if tenths < 1000 else tenths // 100 * 100


def _bucket_sql(days: str) -> str:
    tenths = f"CAST(FLOOR({days} * 10) AS INTEGER)"
    return (
        f"CASE WHEN {tenths} < 100 THEN {tenths} WHEN {tenths} < 1000 THEN {tenths} / 10 * 10 "
        f"ELSE {tenths} / 100 * 100 END"
    )


def _key(stage_id: int, kind: str, start: datetime, end: datetime) -> tuple[Key, float]:
    days = (end - start).total_seconds() / 86400
    return (stage_id, kind, _month(end), bucket(days)), days


def _add(counts: dict[Key, tuple[int, float]]) -> None:
    """Add signed counts (and their day sums) with one upsert per key."""
    if not counts:
        return
    table = StageDuration._meta.db_table
    sql = f"""
        INSERT INTO {table} (stage_id, kind, month, tenths, deals, total_days) VALUES (%s, %s, %s, %s, %s, %s)
        ON CONFLICT (stage_id, kind, month, tenths)
        DO UPDATE SET deals = {table}.deals + EXCLUDED.deals, total_days = {table}.total_days + EXCLUDED.total_days
    """  # noqa: S608 - the table is ours, the values bound
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*key, n, total) for key, (n, total) in sorted(counts.items())])


def _closing(deal: Deal, closed_at: datetime, outcome: str, sign: int) -> dict[Key, tuple[int, float]]:
    """The counts a deal closing at `closed_at` adds (sign 1), or its reopening takes back (-1)."""
    counts: dict[Key, tuple[int, float]] = {}
    entries = DealStageChange.objects.filter(
        deal=deal, to_stage__is_terminal=False, changed_at__lte=closed_at
    ).values_list("to_stage_id", "changed_at", "from_stage_id")
    for stage_id, entered, came_from in entries:
        kinds = [outcome, DurationKind.CYCLE] if came_from is None and outcome == StageOutcome.WON else [outcome]
        for kind in kinds:  # the creation row of a won deal also gives its cycle
            key, days = _key(stage_id, kind, entered, closed_at)
            n, total = counts.get(key, (0, 0.0))
            counts[key] = (n + sign, total + sign * days)
    return counts


def stage_durations_record_move(
    *, deal: Deal, left: DealStageChange | None, previous: PipelineStage, was_closed_at: datetime | None,
    was_status: str, now: datetime, stage: PipelineStage,
) -> None:  # fmt: skip
    """Count what a move ends: the stay it finishes, the close it makes, the close it undoes."""
    counts: Counter[Key] = Counter()
    totals: dict[Key, float] = {}

    def merge(part: dict[Key, tuple[int, float]]) -> None:
        for key, (n, total) in part.items():
            counts[key] += n
            totals[key] = totals.get(key, 0.0) + total

    if left is not None and not previous.is_terminal:
        key, days = _key(previous.pk, DurationKind.STAY, left.changed_at, now)
        merge({key: (1, days)})
    if previous.is_terminal and was_closed_at is not None:
        merge(_closing(deal, was_closed_at, was_status, -1))
    if stage.is_terminal:
        merge(_closing(deal, now, stage.outcome, 1))
    _add({key: (counts[key], totals[key]) for key in counts if counts[key] or totals[key]})


_REBUILD_STAYS = """
INSERT INTO {durations} (stage_id, kind, month, tenths, deals, total_days)
SELECT h.to_stage_id, 'stay', {month}, {bucket}, COUNT(*), SUM({days})
FROM {history} h JOIN {stage} s ON s.id = h.to_stage_id
WHERE h.left_at IS NOT NULL AND NOT s.is_terminal AND s.pipeline_id IN {pipelines}
GROUP BY 1, 2, 3, 4
"""
_REBUILD_CLOSES = """
INSERT INTO {durations} (stage_id, kind, month, tenths, deals, total_days)
SELECT h.to_stage_id, d.status, {month}, {bucket}, COUNT(*), SUM({days})
FROM {history} h JOIN {stage} s ON s.id = h.to_stage_id JOIN {deal} d ON d.id = h.deal_id
WHERE NOT s.is_terminal AND s.pipeline_id IN {pipelines} AND d.status IN ('won', 'lost')
  AND d.closed_at IS NOT NULL AND h.changed_at <= d.closed_at
GROUP BY 1, 2, 3, 4
"""
_REBUILD_CYCLES = """
INSERT INTO {durations} (stage_id, kind, month, tenths, deals, total_days)
SELECT h.to_stage_id, 'cycle', {month}, {bucket}, COUNT(*), SUM({days})
FROM {history} h JOIN {stage} s ON s.id = h.to_stage_id JOIN {deal} d ON d.id = h.deal_id
WHERE NOT s.is_terminal AND s.pipeline_id IN {pipelines} AND h.from_stage_id IS NULL AND d.status = 'won'
  AND d.closed_at IS NOT NULL AND h.changed_at <= d.closed_at
GROUP BY 1, 2, 3, 4
"""
_REBUILD_FURTHEST = """
UPDATE {deal} SET furthest_stage_id = (
    SELECT h.to_stage_id FROM {history} h WHERE h.deal_id = {deal}.id AND {rank} IS NOT NULL
    ORDER BY {rank} DESC, h.changed_at DESC LIMIT 1
) WHERE pipeline_id IN {pipelines}
"""


@transaction.atomic
def stage_durations_rebuild(*, pipeline_ids: Iterable[int] | None = None) -> None:
    """Sum the stage history up again (for these pipelines, else all): the durations and each
    deal's furthest stage."""
    stages = PipelineStage.objects.only("id", "pipeline_id", "order", "is_terminal", "outcome")
    if pipeline_ids is not None:
        stages = stages.filter(pipeline_id__in=list(pipeline_ids))
    by_pipeline: dict[int, list[PipelineStage]] = {}
    for stage in stages:
        by_pipeline.setdefault(stage.pipeline_id, []).append(stage)
    if not by_pipeline:
        return
    StageDuration.objects.filter(stage_id__in=[s.pk for s in stages]).delete()
    params: dict[str, Any] = {}
    ranks = {s.pk: stage_rank(s, by_pipeline[s.pipeline_id]) for s in stages}
    rank_sql = " ".join(f"WHEN {pk} THEN {rank}" for pk, rank in ranks.items() if rank is not None)
    tables = {
        "durations": StageDuration._meta.db_table,
        "history": DealStageChange._meta.db_table,
        "stage": PipelineStage._meta.db_table,
        "deal": Deal._meta.db_table,
        "pipelines": in_list("pl", by_pipeline, params),
        "rank": f"(CASE h.to_stage_id {rank_sql} ELSE NULL END)" if rank_sql else "NULL",
    }
    with connection.cursor() as cursor:
        for sql, end in (
            (_REBUILD_STAYS, "h.left_at"),
            (_REBUILD_CLOSES, "d.closed_at"),
            (_REBUILD_CYCLES, "d.closed_at"),
        ):
            days = days_between(end, "h.changed_at")
            cursor.execute(sql.format(**tables, month=month_start(end), days=days, bucket=_bucket_sql(days)), params)
        cursor.execute(_REBUILD_FURTHEST.format(**tables), params)
