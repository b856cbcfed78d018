"""A campaign's life on the one sender: started, queued, sent through the outbox, read back."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Campaign, CampaignRecipient, CampaignStatus, CampaignVariant
from campaigns.services import (
    CampaignError,
    campaign_cancel,
    campaign_pause,
    campaign_resume,
    campaign_run,
    campaign_schedule,
    campaign_send_now,
)
from campaigns.tests.conftest import leases_run_out
from crm.models import Brand, EmailKind, EmailLog, EmailStatus, OutboxMessage
from crm.services.sending import brand_send_due, email_queue
from crm.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


def outbox_counts(brand):
    return Counter(OutboxMessage.objects.filter(brand=brand, folder="sent").values_list("to_address", flat=True))


def test_a_campaign_goes_to_its_segment_once_each_and_is_marked_sent(open_brand, leads, make_campaign):
    campaign = campaign_send_now(campaign=make_campaign())

    report = campaign_run(campaign_id=campaign.pk)

    assert report.started and report.recipients == 12 and report.queued == 10
    states = Counter(campaign.recipients.values_list("state", flat=True))
    assert states == {"queued": 10, "skipped": 2}
    assert set(campaign.recipients.filter(state="skipped").values_list("skip_reason", flat=True)) == {
        "unsubscribed", "address bounced",
    }  # fmt: skip
    email = EmailLog.objects.get(campaign_recipient__contact=leads[0])
    assert (email.kind, email.priority, email.deal_id, email.brand_id) == (EmailKind.CAMPAIGN, 1, None, open_brand.pk)
    assert email.subject == "Hi Lead0, an idea for " + leads[0].company

    sent = brand_send_due(brand=open_brand)
    assert sent.sent == 10
    campaign_run(campaign_id=campaign.pk)

    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT and campaign.completed_at is not None
    assert Counter(campaign.recipients.values_list("state", flat=True)) == {"sent": 10, "skipped": 2}
    assert set(outbox_counts(open_brand).values()) == {1}
    message = OutboxMessage.objects.get(to_address=leads[0].email)
    assert "https://codeteki.au/offer" not in message.html and "/t/c/" in message.html  # the link is tracked
    assert "Unsubscribe" in message.html


def test_one_to_one_mail_goes_before_campaign_mail_and_both_count_against_the_caps(open_brand, leads, make_campaign):
    campaign = campaign_send_now(campaign=make_campaign())
    campaign_run(campaign_id=campaign.pk)  # ten campaign emails queued first
    deal = DealFactory(pipeline=open_brand.pipelines.get(slug="sales"), contact=leads[0])
    reply = email_queue(deal=deal, subject="About your question", body="Hi, the answer is yes.")
    Brand.objects.filter(pk=open_brand.pk).update(hourly_send_cap=4)
    open_brand.refresh_from_db()

    report = brand_send_due(brand=open_brand)

    assert report.sent == 4 and report.cap_reached
    reply.refresh_from_db()
    assert reply.status == EmailStatus.SENT  # queued last, sent first
    assert EmailLog.objects.filter(kind=EmailKind.CAMPAIGN, status=EmailStatus.SENT).count() == 3


def test_wrong_state_changes_say_why_and_change_nothing(open_brand, leads, make_campaign, segment):
    no_segment = make_campaign(segment=None)
    with pytest.raises(CampaignError, match="no segment"):
        campaign_send_now(campaign=no_segment)
    with pytest.raises(CampaignError, match="in the past"):
        campaign_schedule(campaign=make_campaign(), scheduled_at=timezone.now() - timedelta(minutes=1))
    cancelled = campaign_cancel(campaign=make_campaign())
    with pytest.raises(CampaignError, match="cancelled campaign cannot be sent now"):
        campaign_send_now(campaign=cancelled)
    with pytest.raises(CampaignError, match="draft campaign cannot be paused"):
        campaign_pause(campaign=make_campaign())
    with pytest.raises(CampaignError, match="draft campaign cannot be resumed"):
        campaign_resume(campaign=make_campaign())
    one_variant = make_campaign()
    CampaignVariant.objects.create(campaign=one_variant, label="A", subject="Only one")
    with pytest.raises(CampaignError, match="2 to 5 variants"):
        campaign_send_now(campaign=one_variant)
    assert Campaign.objects.exclude(status__in=[CampaignStatus.DRAFT, CampaignStatus.CANCELLED]).count() == 0
    assert not CampaignRecipient.objects.exists() and not EmailLog.objects.exists()


def test_a_scheduled_campaign_waits_for_its_time(open_brand, leads, make_campaign):
    campaign = campaign_schedule(campaign=make_campaign(), scheduled_at=timezone.now() + timedelta(hours=2))

    assert campaign_run(campaign_id=campaign.pk) is None  # not due
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now() - timedelta(seconds=1))
    assert campaign_run(campaign_id=campaign.pk).queued == 10


def test_pause_takes_out_what_waits_and_resume_sends_each_once(open_brand, leads, make_campaign):
    campaign = campaign_send_now(campaign=make_campaign())
    campaign_run(campaign_id=campaign.pk)
    Brand.objects.filter(pk=open_brand.pk).update(hourly_send_cap=4)
    open_brand.refresh_from_db()
    brand_send_due(brand=open_brand)  # four went out

    campaign_pause(campaign=campaign)

    assert EmailLog.objects.filter(status=EmailStatus.PENDING).count() == 0
    assert Counter(campaign.recipients.values_list("state", flat=True)) == {"sent": 4, "pending": 6, "skipped": 2}
    Brand.objects.filter(pk=open_brand.pk).update(hourly_send_cap=10_000)
    open_brand.refresh_from_db()
    assert brand_send_due(brand=open_brand).sent == 0  # paused: nothing goes
    assert campaign_run(campaign_id=campaign.pk) is None  # a paused campaign is not run

    campaign_resume(campaign=campaign)
    campaign_run(campaign_id=campaign.pk)
    brand_send_due(brand=open_brand)
    campaign_run(campaign_id=campaign.pk)

    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT
    assert sorted(outbox_counts(open_brand).values()) == [1] * 10  # each once, none twice
    assert EmailLog.objects.filter(status=EmailStatus.CANCELLED, error="Campaign paused").count() == 6


def test_cancel_stops_for_good(open_brand, leads, make_campaign):
    campaign = campaign_send_now(campaign=make_campaign())
    campaign_run(campaign_id=campaign.pk)

    campaign_cancel(campaign=campaign)

    assert brand_send_due(brand=open_brand).sent == 0
    assert campaign_run(campaign_id=campaign.pk) is None
    assert Counter(campaign.recipients.values_list("state", flat=True)) == {"cancelled": 10, "skipped": 2}
    with pytest.raises(CampaignError, match="cancelled campaign cannot be resumed"):
        campaign_resume(campaign=campaign)


def test_a_run_that_raises_puts_the_campaign_back_whole_and_a_double_run_does_nothing(
    open_brand, leads, make_campaign, segment
):
    segment.filters = {"pipeline": "sales", "stage": "New Lead"}
    segment.save()
    campaign = campaign_send_now(campaign=make_campaign())
    DealFactory(pipeline=open_brand.pipelines.get(slug="sales"), contact=leads[0])
    open_brand.pipelines.get(slug="sales").stages.filter(name="New Lead").update(name="Fresh lead")  # breaks it

    with pytest.raises(ValueError, match="stage"):
        campaign_run(campaign_id=campaign.pk)

    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SCHEDULED and campaign.attempts == 1 and "stage" in campaign.last_error
    assert not campaign.recipients.exists()  # nothing half done
    segment.filters = {"pipeline": "sales", "stage": "Fresh lead"}
    segment.save()
    assert campaign_run(campaign_id=campaign.pk) is None  # waits for its retry
    leases_run_out(Campaign)
    held = Campaign.objects.filter(pk=campaign.pk).update(
        claim_owner="other-worker", claim_until=timezone.now() + timedelta(minutes=5)
    )
    assert held and campaign_run(campaign_id=campaign.pk) is None  # another worker holds it
    leases_run_out(Campaign)
    report = campaign_run(campaign_id=campaign.pk)
    assert report.recipients == 1 and report.queued == 1
    assert campaign_run(campaign_id=campaign.pk).queued == 0  # a second run queues nothing again
    assert EmailLog.objects.count() == 1


def test_the_demo_campaigns_are_ready_to_send_once_seeded(seeded):
    from django.core.management import call_command

    from campaigns.demo import seed_campaigns_demo
    from campaigns.services import campaign_problems

    call_command("seed_campaigns_demo", verbosity=0)
    assert seed_campaigns_demo() == 0  # once

    campaigns = Campaign.objects.filter(name="Introduction (demo)")
    assert campaigns.count() == Brand.objects.count()
    assert all(campaign_problems(campaign) == [] for campaign in campaigns)


def test_a_queued_email_has_a_plain_value_in_every_column(open_brand, leads):
    """On PostgreSQL the queue COPYs each EmailLog column from the instance: none may be left to a
    database default (a new field needs a Python default too)."""
    from django.db.models.expressions import DatabaseDefault

    email = EmailLog(brand=open_brand, contact=leads[0], kind=EmailKind.CAMPAIGN, priority=1, to_email="x@y.z")

    assert [
        f.name for f in EmailLog._meta.concrete_fields if isinstance(getattr(email, f.attname), DatabaseDefault)
    ] == []
