"""The hub in the admin, as staff use it: every page renders with data in it; a Slack channel
added (its address never shown again) and tested, with each call in its log; a calendar's secret
address shown once; a brand's form snippet carries its key; website leads listed."""

import re

import pytest
from django.apps import apps
from django.contrib import admin

from crm.models import Task
from crm.services.deals import deal_create, deal_move_to_stage
from hub.models import APIEndpoint, ChatLead, ContactInquiry, IntegrationLog, ThirdPartyIntegration
from hub.services.leads import Lead, chat_lead_capture, inquiry_capture
from hub.services.webhooks import webhook_create
from hub.tasks import hub_dispatch_task
from hub.tests.test_integrations import Chat

pytestmark = pytest.mark.django_db

admin.autodiscover()
HUB_MODELS = [model for model in apps.get_app_config("hub").get_models() if admin.site.is_registered(model)]


@pytest.fixture
def chat(allow_loopback):
    with Chat() as server:
        yield server


@pytest.fixture
def filled(codeteki, sales, contact, chat):
    """One of everything: a signed webhook and a Slack channel told of a won deal, a Zap-less
    calendar, a custom endpoint, a chat lead and an inquiry."""
    webhook_create(
        name="Receiver", url=f"{chat.url}/workflows/teams", events=["opportunity.won"], brand=codeteki, user=None
    )
    ThirdPartyIntegration.objects.create(name="Cal", kind="calendar", brand=codeteki)
    APIEndpoint.objects.create(slug="leads", name="Leads", brand=codeteki, model="contacts", fields=["email"])
    chat_lead_capture(brand=codeteki, lead=Lead("Bo", "bo@example.com"), transcript="hi", origin="", ip="127.0.0.1")
    inquiry_capture(
        brand=codeteki, lead=Lead("Cy", "cy@example.com"), phone="", message="Quote?", service="SEO", origin="",
        ip="127.0.0.1",
    )  # fmt: skip
    deal = deal_create(contact=contact, pipeline=sales)
    deal_move_to_stage(deal=deal, stage=sales.stages.get(outcome="won"))
    hub_dispatch_task()


def test_every_hub_page_renders(admin_client, filled):
    answers = {}
    for model in HUB_MODELS:
        base = f"/admin/hub/{model._meta.model_name}/"
        listing = admin_client.get(base).status_code
        add = admin_client.get(base + "add/").status_code
        obj = model.objects.first()
        change = admin_client.get(f"{base}{obj.pk}/change/").status_code if obj is not None else 200
        answers[model.__name__] = (listing, 200 if add == 403 else add, change)

    assert {name: codes for name, codes in answers.items() if codes != (200, 200, 200)} == {}
    assert len(answers) == len(HUB_MODELS) == 8


def test_a_slack_channel_added_in_the_admin_is_tested_and_its_calls_logged(admin_client, codeteki, chat):
    address = f"{chat.url}/services/T0/B0/secret"
    answer = admin_client.post(
        "/admin/hub/thirdpartyintegration/add/",
        {"name": "Sales channel", "kind": "slack", "brand": codeteki.pk, "events": ["opportunity.won"],
         "target_url": address, "is_active": "on", "logs-TOTAL_FORMS": "0", "logs-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert answer.status_code == 302, answer.content.decode()[:3000]
    integration = ThirdPartyIntegration.objects.get()

    page = admin_client.get(f"/admin/hub/thirdpartyintegration/{integration.pk}/change/").content.decode()
    assert "/services/T0/B0/secret" not in page
    tested = admin_client.post(
        "/admin/hub/thirdpartyintegration/",
        {"action": "test_connection", "_selected_action": [integration.pk]},
        follow=True,
    ).content.decode()

    assert "test message sent: answered 200" in tested
    assert IntegrationLog.objects.get().action == "test"
    logged = admin_client.get(f"/admin/hub/thirdpartyintegration/{integration.pk}/change/").content.decode()
    assert ">ping<" in logged or "ping" in re.sub(r"\s+", " ", logged)


def test_a_calendar_s_secret_address_is_shown_once(admin_client, codeteki):
    made = admin_client.post(
        "/admin/hub/thirdpartyintegration/add/",
        {"name": "My tasks", "kind": "calendar", "events": [], "is_active": "on", "logs-TOTAL_FORMS": "0",
         "logs-INITIAL_FORMS": "0"},
        follow=True,
    ).content.decode()  # fmt: skip

    url = re.search(r"data-feed-url>([^<]+)<", made).group(1)
    assert url.endswith(".ics")
    assert admin_client.get(url.removeprefix("http://testserver")).status_code == 200
    page = admin_client.get(f"/admin/hub/thirdpartyintegration/{ThirdPartyIntegration.objects.get().pk}/change/")
    assert url.split("/")[-1] not in page.content.decode()


def test_the_brand_page_shows_the_contact_form_with_its_key(admin_client, codeteki):
    page = admin_client.get(f"/admin/crm/brand/{codeteki.pk}/change/").content.decode()

    snippet = re.search(r"<textarea[^>]*data-form-snippet>(.*?)</textarea>", page, re.S).group(1)
    assert codeteki.publishable_key in snippet and "/api/public/inquiries/" in snippet
    assert "website_url" in snippet  # the honeypot


def test_website_leads_are_listed_with_what_they_became(admin_client, filled):
    inquiries = admin_client.get("/admin/hub/contactinquiry/").content.decode()
    chats = admin_client.get("/admin/hub/chatlead/").content.decode()

    assert "cy@example.com" in inquiries and "SEO" in inquiries
    assert "bo@example.com" in chats
    assert ContactInquiry.objects.get().deal is not None and ChatLead.objects.get().contact is not None


def test_tasks_open_on_what_is_left_and_are_marked_done(admin_client, codeteki, contact):
    open_task = Task.objects.create(brand=codeteki, contact=contact, title="Call Jo back")
    Task.objects.create(brand=codeteki, contact=contact, title="Old one", done_at="2026-01-01T00:00:00Z")

    listing = admin_client.get("/admin/crm/task/").content.decode()
    assert "Call Jo back" in listing and "Old one" not in listing
    admin_client.post("/admin/crm/task/", {"action": "complete", "_selected_action": [open_task.pk]})

    open_task.refresh_from_db()
    assert open_task.is_done


def test_a_deal_s_page_lists_its_tasks(admin_client, codeteki, sales, contact):
    from crm.services.autopilot import deal_flag_for_review

    deal = deal_create(contact=contact, pipeline=sales)
    deal_flag_for_review(deal=deal, reason="Asked for a call on Thursday")

    page = admin_client.get(f"/admin/crm/deal/{deal.pk}/change/").content.decode()

    assert "Review Jo Acme" in page
