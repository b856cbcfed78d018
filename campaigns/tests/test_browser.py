"""The campaign builder and its analytics page in real Chromium: build from a segment and a
template, see the recipient count and the live preview, send a test to oneself, send, read the
figures."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from campaigns.models import Campaign, CampaignVariant, EmailTemplate
from campaigns.services import campaign_run
from crm.mail.content import click_signature
from crm.models import EmailLog, OutboxMessage
from crm.services.sending import brand_send_due
from tests.fixtures.browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_build_preview_test_send_and_read_a_campaign(page, live_server, open_brand, leads, segment):
    EmailTemplate.objects.create(
        brand=open_brand, name="Autumn offer", subject="An idea for {{ company }}",
        content_html='<p>Hi {{ first_name|default:"there" }},</p><p><a href="https://codeteki.au/x">See it</a></p>',
    )  # fmt: skip
    log_in(page, live_server, get_user_model(), "maria")

    # the builder: brand, name, segment and template, saved
    page.goto(f"{live_server.url}/admin/campaigns/campaign/add/")
    page.locator("select[name=brand]").select_option(str(open_brand.pk))
    page.fill("input[name=name]", "Autumn")
    page.locator("select[name=segment]").select_option(str(segment.pk))
    page.locator("select[name=template]").select_option(label="Autumn offer")
    page.locator("button[name=_continue]").click()
    page.wait_for_url("**/change/")
    campaign = Campaign.objects.get(name="Autumn")
    assert campaign.subject == "An idea for {{ company }}"  # taken from the template

    # the recipient count and the live preview for a contact of the segment
    assert page.get_by_test_id("recipient-count").inner_text() == "12"
    frame = page.frame_locator("#preview-frame")
    frame.get_by_text("See it").wait_for()
    assert page.locator("#preview-subject").inner_text().startswith("An idea for Company")
    page.fill("input[name=subject]", "Hello {{ nickname }}")
    page.locator("#preview-problems li").first.wait_for()
    assert "unknown variable 'nickname'" in page.locator("#preview-problems").inner_text()
    page.fill("input[name=subject]", "Hello {{ first_name }}")
    page.wait_for_function("document.getElementById('preview-subject').textContent.startsWith('Hello Lead')")
    page.locator("button[name=_continue]").click()
    page.wait_for_url("**/change/")

    # a test to oneself, then send now
    page.get_by_role("link", name="Send a test to me").click()
    page.get_by_text("A test went to maria@example.com").wait_for()
    test = OutboxMessage.objects.get(to_address="maria@example.com")
    assert test.subject.startswith("[Test] Hello Lead")
    CampaignVariant.objects.create(campaign=campaign, label="A", subject="Hello {{ first_name }}")
    CampaignVariant.objects.create(campaign=campaign, label="B", subject="A question, {{ first_name }}")
    Campaign.objects.filter(pk=campaign.pk).update(ab_test_percentage=100, ab_wait_hours=0)
    page.get_by_role("link", name="Send now").click()
    page.get_by_text("Sending: a worker writes the recipients").wait_for()
    screenshot(page, "campaign-builder")

    # what the worker does, then the analytics page
    campaign_run(campaign_id=campaign.pk)
    brand_send_due(brand=open_brand)
    campaign_run(campaign_id=campaign.pk)
    email = EmailLog.objects.filter(campaign_recipient__campaign=campaign).first()
    EmailLog.objects.filter(pk=email.pk).update(sent_at=timezone.now() - timedelta(hours=1))
    signature = click_signature(email.tracking_token, "https://codeteki.au/x")
    person = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}
    link = f"{live_server.url}/t/c/{email.tracking_token}/{signature}/"
    clicked = page.request.get(link, max_redirects=0, headers=person)  # headless Chromium's own agent is a bot's
    assert clicked.status == 302 and clicked.headers["location"] == "https://codeteki.au/x"
    page.goto(f"{live_server.url}/admin/campaigns/campaign/{campaign.pk}/analytics/")
    assert page.locator("[data-figure=sent]").inner_text() == "10"
    assert page.get_by_test_id("status").inner_text() == "Sent" and page.get_by_test_id("winner").inner_text() == "A"
    assert page.locator("#ab-result tr[data-variant=A]").is_visible()
    assert page.locator("#over-time canvas").count() == 1 and page.locator("#ab-result canvas").count() == 1
    assert page.locator("#by-link canvas").count() == 1 and "codeteki.au/x" in page.locator("#links").inner_text()
    assert page.locator("[data-figure=unique_clicks]").inner_text() == "1"
    path = screenshot(page, "campaign-analytics")
    assert path.stat().st_size > 10_000
    page.locator("#recipients-link").click()
    page.wait_for_url("**/campaignrecipient/**")
    assert page.locator("#result_list tbody tr").count() == 12
