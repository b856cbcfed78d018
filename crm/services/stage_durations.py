"""The counts the analytics read, kept as deals move: stage durations (StageDuration), deals closed
per day (ClosedDealDay), each deal's furthest stage and days to win.

deal_move_to_stage calls `stage_durations_record_move` in its transaction; the history can
always be summed up again with `stage_durations_rebuild` (the data migration, the demo data and
`manage.py rebuild_stage_durations` do), which gives the same counts (docs/adr/0016).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from crm.models import (
    ClosedDealDay,
    Contact,
    Deal,
    DealStageChange,
    DurationKind,
    PipelineStage,
    StageDuration,
    StageOutcome,
    funnel_ranks,
)
from crm.selectors.sql import at, day_of, days_between, in_list, month_of
from lib.months import add_months, month_start

Key = tuple[int, str, date, int]  # stage, kind, month, tenths
Measures = tuple[int, float, float, float]  # deals, days, value, value squared


def furthest_of(current: PipelineStage | None, new: PipelineStage) -> PipelineStage | None:
    """The furthest of the two stages of one pipeline (by funnel rank)."""
    ranks = funnel_ranks(new.pipeline.stages.all())
    if new.pk not in ranks:
        return current
    if current is None or current.pk not in ranks:
        return new
    return new if ranks[new.pk] > ranks[current.pk] else current


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


class Counts:
    """Signed counts to add, by key, with their sums (days, value, value squared)."""

    def __init__(self) -> None:
        self.by_key: dict[Key, Measures] = {}

    def add(self, key: Key, days: float, *, sign: int = 1, value: float = 0.0) -> None:
        n, total, values, squares = self.by_key.get(key, (0, 0.0, 0.0, 0.0))
        self.by_key[key] = (n + sign, total + sign * days, values + sign * value, squares + sign * value * value)

    def add_duration(self, stage_id: int, kind: str, start: datetime, end: datetime, *, sign: int = 1) -> None:
        days = (end - start).total_seconds() / 86400
        self.add((stage_id, kind, month_start(end.astimezone(UTC)).date(), bucket(days)), days, sign=sign)

    def save(self) -> None:
        """One upsert per key that changes something."""
        rows = [(*key, *measures) for key, measures in sorted(self.by_key.items()) if any(measures)]
        if not rows:
            return
        table = StageDuration._meta.db_table
        sql = f"""
            INSERT INTO {table} (stage_id, kind, month, tenths, deals, total_days, value, value_squared)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (stage_id, kind, month, tenths) DO UPDATE SET
                deals = {table}.deals + EXCLUDED.deals, total_days = {table}.total_days + EXCLUDED.total_days,
                value = {table}.value + EXCLUDED.value, value_squared = {table}.value_squared + EXCLUDED.value_squared
        """  # noqa: S608 - the table is ours, the values bound
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def month_starts_between(start: datetime, end: datetime) -> list[datetime]:
    """The month starts (UTC) at which something that began at `start` and ended at `end` was
    under way: start <= month start < end."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    first = month_start(start)
    month = first if first >= start else add_months(first, 1)
    moments = []
    while month < end:
        moments.append(month)
        month = add_months(month, 1)
    return moments


def _closing(counts: Counts, deal: Deal, closed_at: datetime, outcome: str, sign: int) -> None:
    """The counts a deal closing at `closed_at` adds (sign 1), or its reopening takes back (-1)."""
    entries = DealStageChange.objects.filter(
        deal=deal, to_stage__is_terminal=False, changed_at__lte=closed_at
    ).values_list("to_stage_id", "changed_at", "from_stage_id")
    for stage_id, entered, came_from in entries:
        kinds = [outcome, DurationKind.CYCLE] if came_from is None and outcome == StageOutcome.WON else [outcome]
        for kind in kinds:  # the creation row of a won deal also gives its cycle
            counts.add_duration(stage_id, kind, entered, closed_at, sign=sign)


def stage_durations_record_move(
    *, deal: Deal, left: DealStageChange | None, previous: PipelineStage, was_closed_at: datetime | None,
    was_status: str, now: datetime, stage: PipelineStage,
) -> None:  # fmt: skip
    """Count what a move ends: the stay it finishes (and the month starts it was open at), the
    close it makes, the close it undoes."""
    counts = Counts()
    if left is not None and not previous.is_terminal:
        counts.add_duration(previous.pk, DurationKind.STAY, left.changed_at, now)
        for moment in month_starts_between(left.changed_at, now):
            days = (moment - left.changed_at).total_seconds() / 86400
            key = (previous.pk, DurationKind.OPEN, moment.date(), bucket(days))
            counts.add(key, days, value=float(deal.value))
    if previous.is_terminal and was_closed_at is not None:
        _closing(counts, deal, was_closed_at, was_status, -1)
    if stage.is_terminal:
        _closing(counts, deal, now, stage.outcome, 1)
    counts.save()


_REBUILD_STAYS = """
INSERT INTO {durations} (stage_id, kind, month, tenths, deals, total_days, value, value_squared)
SELECT h.to_stage_id, 'stay', {month}, {bucket}, COUNT(*), SUM({days}), 0, 0
FROM {history} h JOIN {stage} s ON s.id = h.to_stage_id
WHERE h.left_at IS NOT NULL AND NOT s.is_terminal AND s.pipeline_id IN {pipelines}
GROUP BY 1, 2, 3, 4
"""
_REBUILD_CLOSES = """
INSERT INTO {durations} (stage_id, kind, month, tenths, deals, total_days, value, value_squared)
SELECT h.to_stage_id, d.status, {month}, {bucket}, COUNT(*), SUM({days}), 0, 0
FROM {history} h JOIN {stage} s ON s.id = h.to_stage_id JOIN {deal} d ON d.id = h.deal_id
WHERE NOT s.is_terminal AND s.pipeline_id IN {pipelines} AND d.status IN ('won', 'lost')
  AND d.closed_at IS NOT NULL AND h.changed_at <= d.closed_at
GROUP BY 1, 2, 3, 4
"""
_REBUILD_CYCLES = """
INSERT INTO {durations} (stage_id, kind, month, tenths, deals, total_days, value, value_squared)
SELECT h.to_stage_id, 'cycle', {month}, {bucket}, COUNT(*), SUM({days}), 0, 0
FROM {history} h JOIN {stage} s ON s.id = h.to_stage_id JOIN {deal} d ON d.id = h.deal_id
WHERE NOT s.is_terminal AND s.pipeline_id IN {pipelines} AND h.from_stage_id IS NULL AND d.status = 'won'
  AND d.closed_at IS NOT NULL AND h.changed_at <= d.closed_at
GROUP BY 1, 2, 3, 4
"""
_REBUILD_OPEN = """
WITH m (start) AS (VALUES {months})
INSERT INTO {durations} (stage_id, kind, month, tenths, deals, total_days, value, value_squared)
SELECT h.to_stage_id, 'open', {month}, {bucket}, COUNT(*), SUM({days}), SUM(d.value), SUM(d.value * d.value)
FROM {history} h JOIN {stage} s ON s.id = h.to_stage_id JOIN {deal} d ON d.id = h.deal_id
JOIN m ON h.changed_at <= m.start AND h.left_at > m.start
WHERE h.left_at IS NOT NULL AND NOT s.is_terminal AND s.pipeline_id IN {pipelines}
GROUP BY 1, 2, 3, 4
"""
_RECOUNT_DAYS = """
INSERT INTO {closed} (pipeline_id, day, status, source, deals, value)
SELECT d.pipeline_id, {day}, d.status, c.source, COUNT(*), SUM(d.value)
FROM {deal} d JOIN {contact} c ON c.id = d.contact_id
WHERE d.pipeline_id IN {pipelines} AND d.status IN ('won', 'lost') AND d.closed_at IS NOT NULL {when}
GROUP BY 1, 2, 3, 4
"""
_REBUILD_DAYS_TO_WIN = """
UPDATE {deal} SET days_to_win = CASE WHEN status = 'won' AND closed_at IS NOT NULL THEN {days} ELSE NULL END
WHERE pipeline_id IN {pipelines}
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
    ranks = {pk: rank for group in by_pipeline.values() for pk, rank in funnel_ranks(group).items()}
    rank_sql = " ".join(f"WHEN {pk} THEN {rank}" for pk, rank in ranks.items())
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
            cursor.execute(sql.format(**tables, month=month_of(end), days=days, bucket=_bucket_sql(days)), params)
        _rebuild_open(cursor, tables, params, list(by_pipeline))
        cursor.execute(_REBUILD_FURTHEST.format(**tables), params)
        cursor.execute(_REBUILD_DAYS_TO_WIN.format(**tables, days=days_between("closed_at", "created_at")), params)
    closed_days_recount(pipeline_ids=list(by_pipeline))


def closed_deal_recount(*, deal: Deal) -> None:
    """A closed deal changed (its value): count the deals closed on its day again."""
    if deal.closed_at is not None:
        closed_days_recount(pipeline_ids=[deal.pipeline_id], days=[deal.closed_at.astimezone(UTC).date()])


def closed_days_recount(*, pipeline_ids: list[int], days: Iterable[date] | None = None) -> None:
    """Count the deals won and lost on these days (UTC; every day if none given) again."""
    rows = ClosedDealDay.objects.filter(pipeline_id__in=pipeline_ids)
    params: dict[str, Any] = {}
    when = ""
    if days is not None:
        days = sorted(set(days))
        if not days:
            return
        rows = rows.filter(day__in=days)
        ranges = []  # on closed_at itself, so the deal_pipeline_closed index finds them
        for index, day in enumerate(days):
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            params[f"from_{index}"], params[f"to_{index}"] = at(start), at(start + timedelta(days=1))
            ranges.append(f"(d.closed_at >= %(from_{index})s AND d.closed_at < %(to_{index})s)")
        when = f"AND ({' OR '.join(ranges)})"
    rows.delete()
    sql = _RECOUNT_DAYS.format(
        closed=ClosedDealDay._meta.db_table, deal=Deal._meta.db_table, contact=Contact._meta.db_table,
        pipelines=in_list("pl", pipeline_ids, params), day=day_of("d.closed_at"), when=when,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _rebuild_open(cursor: Any, tables: dict[str, str], params: dict[str, Any], pipeline_ids: list[int]) -> None:
    """The deals open in each stage at each month start, from the stays that have finished (the
    ones still under way are the open deals, read as they are)."""
    first = DealStageChange.objects.filter(pipeline_id__in=pipeline_ids).aggregate(m=Min("changed_at"))["m"]
    if first is None:
        return
    months = month_starts_between(first, timezone.now())
    if not months:
        return
    values = ", ".join(f"(%(m_{i})s)" for i in range(len(months)))
    params = {**params, **{f"m_{i}": at(moment) for i, moment in enumerate(months)}}
    days = days_between("m.start", "h.changed_at")
    start = "CAST(m.start AS date)" if connection.vendor == "postgresql" else "date(m.start)"
    sql = _REBUILD_OPEN.format(**tables, months=values, month=start, days=days, bucket=_bucket_sql(days))
    cursor.execute(sql, params)
