"""A/B decisions and what recipients do (opens, clicks, replies, bounces, unsubscribes)."""

from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from campaigns.models import Campaign, CampaignClick, CampaignRecipient, CampaignVariant
from campaigns.selectors import campaign_analytics
from campaigns.services import campaign_run, campaign_send_now
from crm.mail.content import click_signature
from crm.models import Contact, EmailLog, OutboxMessage
from crm.services.outbox import outbox_simulate_inbound
from crm.services.replies import brand_check_replies
from crm.services.sending import brand_send_due

pytestmark = pytest.mark.django_db

PERSON = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"
)
OFFER = "https://codeteki.au/offer"


def sent_a_while_ago():
    """The emails went out an hour ago: opens and clicks now are a person's, not a scanner's."""
    EmailLog.objects.update(sent_at=timezone.now() - timedelta(hours=1))


def open_as_person(client, recipient):
    client.get(f"/t/o/{recipient.email.tracking_token}.gif", HTTP_USER_AGENT=PERSON)


def click(client, recipient, url=OFFER, agent=PERSON):
    token = recipient.email.tracking_token
    return client.get(f"/t/c/{token}/{click_signature(token, url)}/", HTTP_USER_AGENT=agent)


def ab_campaign(make_campaign, **fields):
    campaign = make_campaign(ab_test_percentage=60, ab_wait_hours=2, ab_winner_metric="open_rate", **fields)
    for label, subject in zip("ABC", ["Plain subject", "Curious subject {{ first_name }}", "Third try"], strict=True):
        CampaignVariant.objects.create(campaign=campaign, label=label, subject=subject)
    return campaign_send_now(campaign=campaign)


def test_the_ab_winner_by_human_opens_goes_to_the_rest(client, open_brand, leads, make_campaign):
    campaign = ab_campaign(make_campaign)

    campaign_run(campaign_id=campaign.pk)

    test = campaign.recipients.filter(in_test=True)
    assert test.count() == 6 and Counter(test.values_list("variant__label", flat=True)) == {"A": 2, "B": 2, "C": 2}
    assert campaign.recipients.filter(state="pending", in_test=False).count() == 4  # waiting for the winner
    brand_send_due(brand=open_brand)
    sent_a_while_ago()
    for recipient in test.filter(variant__label="B"):
        open_as_person(client, recipient)
    a = test.filter(variant__label="A").first()
    client.get(f"/t/o/{a.email.tracking_token}.gif", HTTP_USER_AGENT="Mozilla/5.0")  # Apple's proxy: not a person
    c = test.filter(variant__label="C").first()
    open_as_person(client, c)

    report = campaign_run(campaign_id=campaign.pk)
    assert report.winner == ""  # the wait is not over
    Campaign.objects.filter(pk=campaign.pk).update(started_at=timezone.now() - timedelta(hours=3))
    CampaignRecipient.objects.update(sent_at=timezone.now() - timedelta(hours=3))

    report = campaign_run(campaign_id=campaign.pk)

    assert report.winner == "B"
    rest = campaign.recipients.filter(in_test=False).exclude(state="skipped")
    assert set(rest.values_list("variant__label", flat=True)) == {"B"} and set(
        rest.values_list("state", flat=True)
    ) == {"queued"}
    brand_send_due(brand=open_brand)
    campaign_run(campaign_id=campaign.pk)
    analytics = campaign_analytics(Campaign.objects.get(pk=campaign.pk))
    assert analytics["status"] == "sent"
    assert analytics["ab_test"]["winner"] == "B" and analytics["ab_test"]["margin"] == 50.0
    figures = {v["variant"]: v for v in analytics["ab_test"]["test_figures"]}
    assert (figures["A"]["open_rate"], figures["B"]["open_rate"], figures["C"]["open_rate"]) == (0.0, 100.0, 50.0)
    assert analytics["machine_opens"] == 1
    assert (
        Counter(OutboxMessage.objects.filter(folder="sent").values_list("to_address", flat=True)).most_common(1)[0][1]
        == 1
    )


def test_a_tie_goes_to_the_first_variant(open_brand, leads, make_campaign):
    campaign = ab_campaign(make_campaign)
    campaign_run(campaign_id=campaign.pk)
    brand_send_due(brand=open_brand)
    EmailLog.objects.update(sent_at=timezone.now() - timedelta(hours=3))

    assert campaign_run(campaign_id=campaign.pk).winner == "A"
    assert Campaign.objects.get(pk=campaign.pk).ab_decision["tie"] is True


def test_clicks_through_the_redirect_are_kept_and_machines_set_apart(client, open_brand, leads, make_campaign):
    campaign = campaign_send_now(campaign=make_campaign())
    campaign_run(campaign_id=campaign.pk)
    brand_send_due(brand=open_brand)
    campaign_run(campaign_id=campaign.pk)
    first, second = campaign.recipients.filter(state="sent").order_by("pk")[:2]

    scanner = click(client, first)  # within seconds of delivery: a link scanner
    sent_a_while_ago()
    person = click(client, first)
    again = click(client, first)
    bot = click(client, second, agent="Mozilla/5.0 (compatible; Barracuda Sentinel)")
    nowhere = client.get(
        f"/t/c/{first.email.tracking_token}/{click_signature(first.email.tracking_token, 'https://evil.example')}/"
    )

    assert [r.status_code for r in (scanner, person, again, bot)] == [302] * 4
    assert person["Location"] == OFFER and nowhere.status_code == 404
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.clicked_at is not None and first.opened_at is not None and first.click_count == 2
    assert second.clicked_at is None and second.opened_at is None
    assert CampaignClick.objects.filter(is_machine=True).count() == 2 and CampaignClick.objects.count() == 4
    analytics = campaign_analytics(campaign)
    assert (analytics["unique_clicks"], analytics["clicked"], analytics["machine_clicks"]) == (1, 2, 2)
    assert analytics["links"] == [{"url": OFFER, "clicks": 2, "unique_clicks": 1}]
    assert sum(row["count"] for row in analytics["clicks_per_hour"]) == 2
    assert analytics["click_rate"] == 10.0


def test_a_bounce_suppresses_the_address_for_every_campaign_and_unsubscribes_are_kept(
    client, open_brand, leads, make_campaign, segment
):
    campaign = campaign_send_now(campaign=make_campaign())
    campaign_run(campaign_id=campaign.pk)
    brand_send_due(brand=open_brand)
    later = campaign_send_now(campaign=make_campaign(name="Second"))
    campaign_run(campaign_id=later.pk)  # queued, not sent yet
    bounced, leaving, replying = campaign.recipients.filter(state="queued").order_by("pk")[:3]
    outbox_simulate_inbound(message=OutboxMessage.objects.get(to_address=bounced.contact.email), kind="bounce")
    outbox_simulate_inbound(
        message=OutboxMessage.objects.get(to_address=replying.contact.email), kind="reply", text="Yes, tell me more."
    )

    brand_check_replies(brand=open_brand)
    client.post(f"/u/{leaving.email.tracking_token}/")

    for recipient in (bounced, leaving, replying):
        recipient.refresh_from_db()
    assert bounced.bounced_at is not None and Contact.objects.get(pk=bounced.contact_id).bounced_at is not None
    assert leaving.unsubscribed_at is not None and replying.replied_at is not None
    brand_send_due(brand=open_brand)
    campaign_run(campaign_id=later.pk)
    skipped = later.recipients.filter(state="skipped").values_list("contact__email", flat=True)
    assert {bounced.contact.email, leaving.contact.email} <= set(skipped)
    analytics = campaign_analytics(campaign)
    assert (analytics["bounced"], analytics["unsubscribed"], analytics["replied"]) == (1, 1, 1)
    assert analytics["bounce_rate"] == 10.0
    assert settings.SITE_URL
