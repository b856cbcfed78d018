"""Campaigns end to end: a real Celery worker, the suite's broker and the fake Zoho Mail.

A 3-variant A/B campaign goes to a seeded segment through the API: the test share is sent by
the worker, people click through the redirect (and a scanner does), the winner goes to the
rest, a bounce and an unsubscribe are handled, and the figures say so. Then a campaign paused
mid-send and resumed, with the worker SIGKILLed while it sends, reaches everyone exactly once
(what the killed worker had claimed and not sent waits for a person, as all mail does: ADR 0005).
"""

import html
import re
import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from campaigns.models import Campaign, CampaignRecipient, CampaignSegment, CampaignStatus
from campaigns.services import campaign_pause, campaign_resume
from campaigns.tasks import run_campaign
from crm.models import Brand, Contact, EmailLog, EmailStatus
from crm.services.seed import seed_crm_pipelines
from crm.services.sending import email_reconcile_by_hand
from crm.tasks import check_email_replies, send_brand_emails
from crm.tests.factories import ContactFactory
from crm_site.tests.factories import UserFactory
from crm_site.tokens import api_token_create
from tests.fakes.zoho import FakeZoho
from tests.faults import kill_pool
from tests.fixtures.celery import routed_worker, wait_for
from tests.fixtures.fakes import zoho_env

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CAMPAIGNS = "/api/campaigns/campaigns/"
PERSON = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
TRACKED = re.compile(r'href="([^"]*/t/c/[^"]+)"')


@pytest.fixture(scope="module")
def zoho():
    with FakeZoho() as fake:
        yield fake


@pytest.fixture(scope="module")
def worker(zoho, django_db_setup, django_db_blocker):
    env = {**zoho_env(zoho), "EMAIL_SENDING_STALE_SECONDS": "1", "CELERY_WORKER_LOST_WAIT": "0.5"}
    with routed_worker("e2e-campaigns", env, django_db_blocker, concurrency=1) as process:
        yield process


def brand_with_leads(count):
    seed_crm_pipelines()
    Brand.objects.update(send_window_start=None, send_window_end=None, send_weekdays=[], hourly_send_cap=5000)
    brand = Brand.objects.get(slug="codeteki")
    for n in range(count):
        ContactFactory(brand=brand, email=f"lead{n}@shop{n}.example", name=f"Lead{n} Person", contact_type="lead")
    ContactFactory(brand=brand, email="partner@agency.example", contact_type="partner")
    segment = CampaignSegment.objects.create(brand=brand, name="Leads", filters={"contact_type": "lead"})
    return brand, segment


def api_for(brand):
    user = UserFactory(username=f"marketer-{uuid.uuid4().hex[:6]}", email="marketer@codeteki.au")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="campaigns"))
    brand.members.add(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)[1]}")
    return client


def run(task, worker, *args):
    return task.apply_async(args, queue=worker.queue).get(timeout=60)


def sent_once(zoho):
    return all(count == 1 for count in zoho.sent_keys.values())


def two_hours_pass():
    """What went out went out two hours ago (opens and clicks now are a person's, the A/B wait is over)."""
    then = timezone.now() - timedelta(hours=2)
    EmailLog.objects.update(sent_at=then)
    CampaignRecipient.objects.exclude(sent_at=None).update(sent_at=then)


def test_an_ab_campaign_from_the_api_to_the_winner_with_clicks_a_bounce_and_an_unsubscribe(zoho, worker):
    # given 30 leads in a segment and a 3-variant campaign on a 30 % test share
    brand, segment = brand_with_leads(30)
    api = api_for(brand)
    made = api.post(
        CAMPAIGNS,
        {
            "brand": brand.pk, "name": "Autumn", "segment": segment.pk, "subject": "An idea for {{ company }}",
            "content_html": '<p>Hi {{ first_name }},</p><p><a href="https://codeteki.au/autumn?utm=mail">Our offer</a></p>',
            "variants": [{"subject": "A: {{ company }}"}, {"subject": "B: quick question"}, {"subject": "C: hello"}],
            "ab_test_percentage": 30, "ab_wait_hours": 1, "ab_winner_metric": "click_rate",
        },
        format="json",
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    url = f"{CAMPAIGNS}{made.json()['id']}/"

    # when it is sent now: the worker writes the recipients and sends the test share
    assert api.post(f"{url}send_now/").status_code == 202
    wait_for(lambda: len(zoho.sent()) == 9)
    campaign = Campaign.objects.get(pk=made.json()["id"])
    run(run_campaign, worker, campaign.pk)
    assert campaign.recipients.filter(in_test=True, state="sent").count() == 9
    assert campaign.recipients.filter(in_test=False, state="pending").count() == 21

    # and people who got B click through the redirect an hour later, a scanner at once on A
    two_hours_pass()
    browser = Client()
    by_address = {m.to_address: m for m in zoho.sent()}
    test = campaign.recipients.filter(in_test=True).select_related("contact", "variant")
    scanner_target = test.filter(variant__label="A").first()
    EmailLog.objects.filter(pk=scanner_target.email_id).update(sent_at=timezone.now())
    for recipient in test:
        link = html.unescape(TRACKED.search(by_address[recipient.contact.email].content).group(1))
        path = link.split("://", 1)[1].split("/", 1)[1]
        if recipient.variant.label == "B":
            response = browser.get(f"/{path}", HTTP_USER_AGENT=PERSON)
            assert response.status_code == 302 and response["Location"] == "https://codeteki.au/autumn?utm=mail"
        elif recipient.pk == scanner_target.pk:
            assert browser.get(f"/{path}", HTTP_USER_AGENT=PERSON).status_code == 302
    assert browser.get(f"/{path[:-5]}xxxx/").status_code == 404  # a changed signature leads nowhere

    # and once the wait is over, the winner goes to the rest
    two_hours_pass()
    report = run(run_campaign, worker, campaign.pk)
    assert report["winner"] == "B"
    wait_for(lambda: len(zoho.sent()) == 30)
    rest = {m.subject for m in zoho.sent()[9:]}
    assert rest == {"B: quick question"}

    # and a bounce and an unsubscribe come back
    bounced = campaign.recipients.filter(in_test=False).select_related("email").first()
    zoho.deliver(
        from_address="mailer-daemon@shop.example", subject="Undelivered Mail Returned to Sender",
        text=f"Final-Recipient: rfc822; {bounced.email.to_email}\nAction: failed\nStatus: 5.1.1\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 user unknown\n\nRef {bounced.email.send_key}\n",
        headers={"Content-Type": "multipart/report; report-type=delivery-status"},
    )  # fmt: skip
    run(check_email_replies, worker)
    leaving = campaign.recipients.filter(in_test=False).exclude(pk=bounced.pk).select_related("email").first()
    assert browser.post(f"/u/{leaving.email.tracking_token}/").status_code == 200
    run(run_campaign, worker, campaign.pk)

    # then the campaign is sent, each lead got one email, and the figures tell what happened
    analytics = api.get(f"{url}analytics/").json()
    assert analytics["status"] == "sent" and sent_once(zoho) and len(zoho.sent_keys) == 30
    assert (analytics["recipients"], analytics["sent"], analytics["skipped"]) == (30, 30, 0)
    assert (analytics["unique_clicks"], analytics["machine_clicks"], analytics["bounced"], analytics["unsubscribed"]) == (
        3, 1, 1, 1,
    )  # fmt: skip
    assert analytics["ab_test"]["winner"] == "B" and analytics["ab_test"]["margin"] == 100.0
    assert Contact.objects.get(email=bounced.email.to_email).bounced_at is not None
    assert CampaignRecipient.objects.get(pk=leaving.pk).unsubscribed_at is not None


def test_paused_mid_send_resumed_and_killed_mid_send_each_gets_one_email(zoho, worker):
    # given 40 leads and a plain campaign, and a Zoho that takes its time
    brand, segment = brand_with_leads(40)
    zoho.messages.clear()
    zoho.sent_keys.clear()
    zoho.send_delay = 0.05
    campaign = Campaign.objects.create(
        brand=brand, segment=segment, name="Steady", subject="Hello {{ first_name }}", content_html="<p>Hi</p>",
        status=CampaignStatus.SCHEDULED, scheduled_at=timezone.now(),
    )  # fmt: skip

    # when it starts and is paused once a few have gone
    run_campaign.apply_async((campaign.pk,), queue=worker.queue)
    wait_for(lambda: len(zoho.sent()) >= 5, timeout=60)
    campaign_pause(campaign=campaign)
    wait_for(lambda: not EmailLog.objects.filter(status=EmailStatus.SENDING).exists())
    at_pause = len(zoho.sent())
    time.sleep(1.0)

    # then nothing more goes out while it is paused
    assert len(zoho.sent()) == at_pause < 40
    assert not EmailLog.objects.filter(status=EmailStatus.PENDING).exists()

    # when it is resumed and the worker's pool is killed while it sends
    campaign_resume(campaign=campaign)
    killed = []

    def kill_once(request):
        if (
            request.method == "POST"
            and request.path.endswith("/messages")
            and len(zoho.sent()) >= at_pause + 5
            and not killed
        ):
            killed.append(kill_pool(worker))

    zoho.on_request[:] = [kill_once]
    run_campaign.apply_async((campaign.pk,), queue=worker.queue)
    wait_for(lambda: bool(killed), timeout=60)
    zoho.on_request.clear()

    # and the recovery runs: reconciliation finds in the Sent folder what the killed worker sent,
    # and leaves for a person (needs_reconcile) what it had claimed and not sent
    deadline = time.monotonic() + 60
    while EmailLog.objects.filter(status__in=[EmailStatus.PENDING, EmailStatus.SENDING]).exists():
        assert time.monotonic() < deadline, Counter(EmailLog.objects.values_list("status", flat=True))
        time.sleep(1.5)
        run(send_brand_emails, worker, brand.pk)
    waiting = list(EmailLog.objects.filter(status=EmailStatus.NEEDS_RECONCILE))
    assert all(zoho.sent_keys.get(email.send_key, 0) == 0 for email in waiting)  # none of them went out
    run(run_campaign, worker, campaign.pk)
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.SENDING  # not settled while they wait

    # when a person settles them (the email log's "it did not go out: send again")
    for email in waiting:
        assert email_reconcile_by_hand(email=email, outcome="pending")
    run(send_brand_emails, worker, brand.pk)
    run(run_campaign, worker, campaign.pk)

    # then everyone got exactly one email and the campaign is sent
    assert killed[0] >= 1
    statuses = Counter(EmailLog.objects.values_list("status", flat=True))
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.SENT, (statuses, killed)
    assert sent_once(zoho) and len(zoho.sent_keys) == 40
    assert Counter(campaign.recipients.values_list("state", flat=True)) == {"sent": 40}
    assert Counter(m.to_address for m in zoho.sent()).most_common(1)[0][1] == 1
    zoho.send_delay = 0.0
