"""Every stage change leaves a row of history, whichever way it is made."""

import importlib
from datetime import UTC, timedelta

import pytest
from django.apps import apps
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.utils import timezone

from crm.models import ActivityType, ClosedDealDay, DealActivity, DealStageChange, DealStatus, StageDuration
from crm.services.deals import deal_create, deal_move_to_stage
from crm.services.stage_durations import stage_durations_rebuild
from crm.tests.factories import ContactFactory, DealFactory, PipelineFactory

pytestmark = pytest.mark.django_db


def stage(deal, name):
    return deal.pipeline.stages.get(name=name)


def history(deal):
    return [
        (row.from_stage.name if row.from_stage else None, row.to_stage.name, row.source, row.left_at is None)
        for row in deal.stage_changes.select_related("from_stage", "to_stage").order_by("changed_at", "id")
    ]


def test_creation_moves_and_closing_are_recorded_with_their_times():
    pipeline = PipelineFactory()
    deal = deal_create(contact=ContactFactory(brand=pipeline.brand), pipeline=pipeline)

    deal_move_to_stage(deal=deal, stage=stage(deal, "Contacted"), source="autopilot")
    deal_move_to_stage(deal=deal, stage=stage(deal, "Lost"), reason="No budget", source="api")
    deal.refresh_from_db()

    assert history(deal) == [
        (None, "New Lead", "created", False),
        ("New Lead", "Contacted", "autopilot", False),
        ("Contacted", "Lost", "api", True),
    ]
    rows = list(deal.stage_changes.order_by("changed_at", "id"))
    assert rows[0].left_at == rows[1].changed_at and rows[1].left_at == rows[2].changed_at
    assert rows[2].reason == "No budget"
    assert (deal.status, deal.closed_at) == (DealStatus.LOST, rows[2].changed_at)


def test_reopening_a_closed_deal_clears_its_close_time():
    deal = DealFactory()
    deal_move_to_stage(deal=deal, stage=stage(deal, "Won"))

    reopened = deal_move_to_stage(deal=deal, stage=stage(deal, "Engaged"))

    assert reopened.closed_at is None
    assert DealStageChange.objects.filter(deal=deal, left_at__isnull=True).get().to_stage.name == "Engaged"


def test_a_refused_move_records_nothing():
    closed = DealFactory()
    deal_move_to_stage(deal=closed, stage=stage(closed, "Lost"))
    deal_create(contact=closed.contact, pipeline=closed.pipeline)
    before = DealStageChange.objects.count()

    with pytest.raises(Exception, match="another open deal"):
        deal_move_to_stage(deal=closed, stage=stage(closed, "Engaged"))

    assert DealStageChange.objects.count() == before


def test_the_api_and_the_admins_bulk_action_record_their_source(admin_client, admin_user):
    deal, other = DealFactory(), DealFactory()
    admin_client.post(
        "/admin/crm/deal/",
        {
            "action": "move_to_stage", ACTION_CHECKBOX_NAME: [deal.pk], "apply": "1",
            "stage": stage(deal, "Contacted").pk, "reason": "met at the fair",
        },
    )  # fmt: skip
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(admin_user)
    answer = api.post(f"/api/crm/deals/{other.pk}/move-stage/", {"stage": stage(other, "Won").pk}, format="json")

    assert answer.status_code == 200
    assert history(deal)[-1] == ("New Lead", "Contacted", "bulk", True)
    assert deal.stage_changes.get(source="bulk").actor == admin_user
    assert history(other)[-1] == ("New Lead", "Won", "api", True)


def test_the_data_migration_rebuilds_history_from_the_timeline():
    """Deals from before the history: their 'created' and 'stage changed' activities become rows."""
    migration = importlib.import_module("crm.migrations.0014_stage_history_from_timeline")
    pipeline = PipelineFactory()
    start = timezone.now() - timedelta(days=30)
    moved = DealFactory(pipeline=pipeline, current_stage=stage_of(pipeline, "Won"), status=DealStatus.WON)
    still = DealFactory(pipeline=pipeline)
    DealStageChange.objects.all().delete()
    new_lead, contacted, won = (stage_of(pipeline, n) for n in ("New Lead", "Contacted", "Won"))
    moves = ActivityType.STAGE_CHANGED
    timeline = [
        (moved, ActivityType.CREATED, {}, start),
        (moved, moves, {"from_stage": new_lead.pk, "to_stage": contacted.pk}, start + timedelta(days=2)),
        (moved, moves, {"from_stage": contacted.pk, "to_stage": won.pk, "source": "api"}, start + timedelta(days=9)),
        (moved, moves, {"from_stage": 1, "to_stage": 999999}, start + timedelta(days=10)),  # a stage since deleted
        (still, ActivityType.CREATED, {}, start + timedelta(days=1)),
    ]
    for deal, kind, metadata, when in timeline:
        DealActivity.objects.create(deal=deal, activity_type=kind, metadata=metadata, created_at=when)

    migration.forwards(apps, None)

    assert history(moved) == [
        (None, "New Lead", "created", False),
        ("New Lead", "Contacted", "migration", False),
        ("Contacted", "Won", "api", True),
    ]
    moved.refresh_from_db()
    assert moved.closed_at == start + timedelta(days=9)
    assert history(still) == [(None, "New Lead", "created", True)]
    assert still.stage_changes.get().changed_at == start + timedelta(days=1)


def stage_of(pipeline, name):
    return pipeline.stages.get(name=name)


def durations():
    return sorted(
        (row.stage.name, row.kind, row.month, row.tenths, row.deals, round(row.total_days, 6))
        for row in StageDuration.objects.select_related("stage").exclude(deals=0)
    )


def back_date(deal, days):
    """As if the deal had entered the stage it is in `days` ago."""
    when = timezone.now() - timedelta(days=days)
    DealStageChange.objects.filter(deal=deal, left_at__isnull=True).update(changed_at=when)


def test_the_counts_kept_as_deals_move_are_those_summed_from_the_history():
    pipeline = PipelineFactory()
    journeys = [
        ["Contacted", "Engaged", "Won"],
        ["Contacted", "Lost"],
        ["Engaged", "Won", "Contacted", "Lost"],  # won, reopened, lost
        ["Contacted"],
    ]
    for number, names in enumerate(journeys):
        deal = deal_create(contact=ContactFactory(brand=pipeline.brand), pipeline=pipeline)
        for step, name in enumerate(names):
            back_date(deal, 2 + number + step)
            deal_move_to_stage(deal=deal, stage=stage(deal, name))
    kept = durations()

    stage_durations_rebuild()

    assert kept == durations()
    assert ("New Lead", "stay") in {(name, kind) for name, kind, *_ in kept}
    # Won: the first deal, from each open stage it entered; the third deal's win was taken back
    # when it was reopened, and it counts as lost from every open stage it entered.
    assert sorted((name, n) for name, kind, *_, n, _ in kept if kind == "won") == [
        ("Contacted", 1), ("Engaged", 1), ("New Lead", 1),
    ]  # fmt: skip
    lost = sorted(name for name, kind, *_ in kept if kind == "lost")
    assert lost == ["Contacted", "Contacted", "Engaged", "New Lead", "New Lead"]


def test_the_furthest_stage_is_the_furthest_reached_not_the_last():
    deal = DealFactory()
    for name in ["Engaged", "Contacted", "Lost"]:
        deal = deal_move_to_stage(deal=deal, stage=stage(deal, name))

    assert deal.furthest_stage.name == "Engaged"
    deal.furthest_stage = None
    deal.save(update_fields=["furthest_stage"])
    stage_durations_rebuild(pipeline_ids=[deal.pipeline_id])
    deal.refresh_from_db()
    assert deal.furthest_stage.name == "Engaged"


def test_the_rebuild_command_restores_the_counts_after_a_deal_is_deleted(capsys):
    deal = DealFactory()
    deal_move_to_stage(deal=deal, stage=stage(deal, "Won"))
    other = DealFactory(pipeline=deal.pipeline, contact=ContactFactory(brand=deal.pipeline.brand))
    deal_move_to_stage(deal=other, stage=stage(other, "Lost"))
    other.delete()  # its history goes with it; the counts it added stay until summed up again

    call_command("rebuild_stage_durations", "--pipeline", str(deal.pipeline_id))

    assert {row[1] for row in durations()} == {"stay", "won", "cycle"}  # nothing lost is left
    assert "rebuilt for 1 pipeline(s)" in capsys.readouterr().out


def closed_days():
    return sorted((r.day, r.status, r.source, r.deals, r.value) for r in ClosedDealDay.objects.exclude(deals=0))


def test_the_win_loss_counts_follow_closes_reopenings_and_value_edits(admin_user):
    won, lost = DealFactory(value=1000), DealFactory(value=300)
    deal_move_to_stage(deal=won, stage=stage(won, "Won"))
    deal_move_to_stage(deal=lost, stage=stage(lost, "Lost"))
    reopened = DealFactory(value=50)
    deal_move_to_stage(deal=reopened, stage=stage(reopened, "Won"))
    deal_move_to_stage(deal=reopened, stage=stage(reopened, "Engaged"))
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(admin_user)
    assert api.patch(f"/api/crm/deals/{won.pk}/", {"value": "1500"}, format="json").status_code == 200
    kept = closed_days()

    stage_durations_rebuild()

    today = timezone.now().astimezone(UTC).date()
    assert kept == closed_days() == [(today, "lost", "", 1, 300), (today, "won", "", 1, 1500)]
    won.refresh_from_db()
    assert won.days_to_win is not None and won.days_to_win >= 0
