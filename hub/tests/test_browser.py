"""The hub in real Chromium: a Slack channel added from the sidebar hears of a won deal and the
call shows in its log; the brand page's contact form, pasted into a page of the brand's website
(another origin), puts a lead and a deal into the sales pipeline."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from crm.models import Contact, Deal
from crm.services.deals import deal_create, deal_move_to_stage
from hub.models import ContactInquiry, IntegrationLog
from hub.tasks import hub_dispatch_task
from hub.tests.test_integrations import Chat
from tests.fakes.server import FakeServer, Response
from tests.fixtures.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_slack_channel_added_in_the_admin_hears_of_a_won_deal(page, live_server, codeteki, sales, contact):
    with Chat() as chat:
        log_in(page, live_server, get_user_model(), "dana")
        link = "a[href='/admin/hub/thirdpartyintegration/']"
        page.locator(f"#nav-sidebar-inner {link}, aside {link}").first.click()
        page.wait_for_url("**/admin/hub/thirdpartyintegration/")
        page.goto(f"{live_server.url}/admin/hub/thirdpartyintegration/add/")
        page.fill("input[name=name]", "Sales channel")
        page.locator("select[name=kind]").select_option("slack")
        page.locator("select[name=brand]").select_option(str(codeteki.pk))
        page.locator("input[name=events][value='opportunity.won']").check()
        page.fill("input[name=target_url]", f"{chat.url}/services/T0/B0/secret")
        page.locator("button[name=_continue]").click()
        page.wait_for_url("**/change/**")

        deal = deal_create(contact=contact, pipeline=sales)
        deal_move_to_stage(deal=deal, stage=sales.stages.get(outcome="won"))
        hub_dispatch_task()  # what the worker does after the commit
        page.reload()

        assert chat.received("POST", r"/services/T0/B0/secret")[0].json()["text"].startswith("Deal won")
        assert IntegrationLog.objects.get().event_type == "opportunity.won"
        page.get_by_text("opportunity.won").first.wait_for()
        assert "/services/T0/B0/secret" not in page.content()


class Website(FakeServer):
    """The brand's website: one page holding the contact form copied from the admin."""

    def __init__(self) -> None:
        super().__init__()
        self.html = ""
        self.route(
            "GET",
            r"/contact",
            lambda request: Response(200, self.html.encode(), headers={"Content-Type": "text/html; charset=utf-8"}),
        )


def test_the_brand_s_contact_form_on_its_website_fills_the_sales_pipeline(page, live_server, codeteki, sales, settings):
    cache.clear()
    settings.SITE_URL = live_server.url
    with Website() as site:
        origin = site.url
        codeteki.site_origins = [origin]
        codeteki.save()
        log_in(page, live_server, get_user_model(), "dana")
        page.goto(f"{live_server.url}/admin/crm/brand/{codeteki.pk}/change/")
        site.html = (
            "<!doctype html><title>Contact us</title>" + page.locator("textarea[data-form-snippet]").input_value()
        )

        page.goto(f"{site.url}/contact")
        page.fill("input[name=name]", "Ann Lee")
        page.fill("input[name=email]", "ann@example.com")
        page.fill("input[name=service]", "Web design")
        page.fill("textarea[name=message]", "We need a new website.")
        page.locator("button[type=submit]").click()
        page.get_by_text("Thank you, we will be in touch.").wait_for()

    contact = Contact.objects.get(email="ann@example.com")
    deal = Deal.objects.get(contact=contact)
    assert (contact.source, deal.pipeline, deal.current_stage) == ("website", sales, sales.first_stage())
    assert ContactInquiry.objects.get().origin == origin
