"""Stage history for the deals that existed before it was kept, rebuilt from their timelines.

A deal's "Deal created" activity gives its first stage's entry (the from-stage of its first
recorded move, else the stage it is in); every "Stage changed" activity whose stages still exist
gives a move. Each row is left when the next one starts; won and lost deals get closed_at.
"""

from collections import defaultdict

from django.db import migrations

BATCH = 2000
SOURCES = {"manual", "admin", "bulk", "api", "autopilot", "reply"}


def _rows(deal, activities, stages, StageChange):
    moves = [a for a in activities if a.activity_type == "stage_changed"]
    created = next((a for a in activities if a.activity_type == "created"), None)
    first = moves[0].metadata.get("from_stage") if moves else None
    rows = [
        StageChange(
            deal_id=deal.pk,
            pipeline_id=deal.pipeline_id,
            to_stage_id=first if first in stages else deal.current_stage_id,
            changed_at=created.created_at if created else deal.created_at,
            source="created",
            actor_id=created.actor_id if created else None,
        )
    ]
    for move in moves:
        to_stage = move.metadata.get("to_stage")
        if to_stage not in stages or to_stage == rows[-1].to_stage_id or move.created_at < rows[-1].changed_at:
            continue
        source = move.metadata.get("source", "")
        rows.append(
            StageChange(
                deal_id=deal.pk,
                pipeline_id=deal.pipeline_id,
                from_stage_id=rows[-1].to_stage_id,
                to_stage_id=to_stage,
                changed_at=move.created_at,
                source=source if source in SOURCES else "migration",
                reason=str(move.metadata.get("reason", ""))[:500],
                actor_id=move.actor_id,
            )
        )
    if rows[-1].to_stage_id != deal.current_stage_id:  # the timeline missed a move: the deal is where it is
        rows.append(
            StageChange(
                deal_id=deal.pk,
                pipeline_id=deal.pipeline_id,
                from_stage_id=rows[-1].to_stage_id,
                to_stage_id=deal.current_stage_id,
                changed_at=max(deal.stage_entered_at, rows[-1].changed_at),
                source="migration",
            )
        )
    for row, following in zip(rows, rows[1:]):
        row.left_at = following.changed_at
    return rows


def forwards(apps, schema_editor):
    Deal = apps.get_model("crm", "Deal")
    DealActivity = apps.get_model("crm", "DealActivity")
    PipelineStage = apps.get_model("crm", "PipelineStage")
    StageChange = apps.get_model("crm", "DealStageChange")
    stages = set(PipelineStage.objects.values_list("pk", flat=True))
    last = None
    while True:
        deals = Deal.objects.order_by("pk")
        if last is not None:
            deals = deals.filter(pk__gt=last)
        batch = list(deals[:BATCH])
        if not batch:
            return
        last = batch[-1].pk
        timeline = defaultdict(list)
        for activity in DealActivity.objects.filter(
            deal_id__in=[d.pk for d in batch], activity_type__in=["created", "stage_changed"]
        ).order_by("created_at", "id"):
            timeline[activity.deal_id].append(activity)
        rows, closed = [], []
        for deal in batch:
            deal_rows = _rows(deal, timeline[deal.pk], stages, StageChange)
            rows.extend(deal_rows)
            if deal.status in ("won", "lost"):
                deal.closed_at = deal_rows[-1].changed_at
                closed.append(deal)
        StageChange.objects.bulk_create(rows, batch_size=1000)
        Deal.objects.bulk_update(closed, ["closed_at"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("crm", "0013_stage_history")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
