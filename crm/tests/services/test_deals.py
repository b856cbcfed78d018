from datetime import timedelta

import pytest
from django.utils import timezone

from crm.errors import DealError
from crm.models import ActivityType, DealStatus
from crm.services.deals import deal_create, deal_move_to_stage, deal_pause, deal_resume
from crm.tests.factories import ContactFactory, DealFactory, PipelineFactory

pytestmark = pytest.mark.django_db


def stage(deal, name):
    return deal.pipeline.stages.get(name=name)


def test_moving_a_deal_records_it_and_restarts_the_stage_clock():
    # given
    deal = DealFactory(stage_entered_at=timezone.now() - timedelta(days=9))
    # when
    moved = deal_move_to_stage(deal=deal, stage=stage(deal, "Contacted"), reason="replied")
    # then
    assert moved.current_stage.name == "Contacted"
    assert timezone.now() - moved.stage_entered_at < timedelta(seconds=5)
    activity = moved.activities.get(activity_type=ActivityType.STAGE_CHANGED)
    assert activity.description == "New Lead → Contacted: replied"
    assert activity.metadata["from_stage"] == stage(deal, "New Lead").pk


def test_a_terminal_stage_closes_the_deal_and_an_open_one_reopens_it():
    deal = DealFactory()

    won = deal_move_to_stage(deal=deal, stage=stage(deal, "Won"))
    assert (won.status, won.next_action_date) == (DealStatus.WON, None)
    lost = deal_move_to_stage(deal=deal, stage=stage(deal, "Lost"))
    assert lost.status == DealStatus.LOST
    reopened = deal_move_to_stage(deal=deal, stage=stage(deal, "Engaged"))
    assert reopened.status == DealStatus.ACTIVE
    assert reopened.next_action_date is not None


def test_a_stage_of_another_pipeline_is_refused():
    deal = DealFactory()
    other = PipelineFactory(brand=deal.pipeline.brand).stages.first()

    with pytest.raises(DealError, match="not in this deal's pipeline"):
        deal_move_to_stage(deal=deal, stage=other)
    assert deal.activities.count() == 0


def test_moving_to_the_current_stage_changes_nothing():
    deal = DealFactory()

    deal_move_to_stage(deal=deal, stage=deal.current_stage)

    assert deal.activities.count() == 0


def test_reopening_is_refused_when_another_deal_is_open():
    closed = DealFactory()
    deal_move_to_stage(deal=closed, stage=stage(closed, "Lost"))
    deal_create(contact=closed.contact, pipeline=closed.pipeline)

    with pytest.raises(DealError, match="another open deal"):
        deal_move_to_stage(deal=closed, stage=stage(closed, "Engaged"))


def test_a_paused_deal_stays_paused_when_moved_and_resumes():
    deal = DealFactory()

    deal_pause(deal=deal)
    moved = deal_move_to_stage(deal=deal, stage=stage(deal, "Contacted"))
    assert moved.status == DealStatus.PAUSED
    assert deal_resume(deal=deal).status == DealStatus.ACTIVE
    with pytest.raises(DealError):
        deal_resume(deal=deal_move_to_stage(deal=deal, stage=stage(deal, "Won")))


def test_deals_open_in_the_first_stage_due_now_and_only_once_per_pipeline():
    pipeline = PipelineFactory()
    contact = ContactFactory(brand=pipeline.brand)

    deal = deal_create(contact=contact, pipeline=pipeline)

    assert deal.current_stage.name == "New Lead"
    assert deal.next_action_date <= timezone.now()
    assert deal.activities.get().activity_type == ActivityType.CREATED
    with pytest.raises(DealError, match="already has an open deal"):
        deal_create(contact=contact, pipeline=pipeline)


def test_a_deal_cannot_cross_brands():
    pipeline = PipelineFactory()

    with pytest.raises(DealError, match="another brand"):
        deal_create(contact=ContactFactory(), pipeline=pipeline)
