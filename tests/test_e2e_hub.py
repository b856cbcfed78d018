"""The hub through a real worker: a deal created by the API and won in the admin reaches a signed
receiver on 127.0.0.1 within seconds of each commit, each event once, every attempt recorded."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from crm.models import Brand, Deal
from crm.services.seed import seed_crm_pipelines
from crm.tests.factories import ContactFactory
from crm_site.tests.factories import UserFactory
from hub.models import WebhookDelivery
from hub.tests.conftest import Receiver
from tests.fixtures.celery import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def codeteki():
    seed_crm_pipelines()
    return Brand.objects.get(slug="codeteki")


@pytest.fixture
def sales(codeteki):
    return codeteki.pipelines.get(slug="sales")


@pytest.fixture
def contact(codeteki):
    return ContactFactory(brand=codeteki, email="jo@acme.example")


def test_a_deal_created_and_won_reaches_a_signed_receiver_once(celery_worker, codeteki, sales, contact, admin_client):
    with Receiver() as receiver:
        user = UserFactory(username="ops")
        user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["hub", "crm"]))
        codeteki.members.add(user)
        api = APIClient()
        api.force_authenticate(user)
        made = api.post(
            "/api/integrations/webhooks/",
            {"name": "Receiver", "url": f"{receiver.url}/hook", "events": ["opportunity.created", "opportunity.won"],
             "brand": codeteki.pk},
            format="json",
        )  # fmt: skip
        assert made.status_code == 201, made.json()
        receiver.secret = made.json()["secret"]

        created = api.post("/api/crm/deals/", {"contact": str(contact.pk), "pipeline": sales.pk}, format="json")
        assert created.status_code == 201, created.json()
        wait_for(lambda: len(receiver.verified) == 1, timeout=30)
        deal = Deal.objects.get()
        won = sales.stages.get(outcome="won")
        admin_client.post(
            "/admin/crm/deal/",
            {
                "_selected_action": [str(deal.pk)],
                "action": "move_to_stage",
                "apply": "1",
                "stage": won.pk,
                "reason": "",
            },
        )
        wait_for(lambda: len(receiver.verified) == 2, timeout=30)

        assert [event["type"] for event in receiver.verified] == ["opportunity.created", "opportunity.won"]
        assert receiver.verified[1]["data"]["status"] == "won"
        assert WebhookDelivery.objects.filter(succeeded=True).count() == 2
        assert len(receiver.received("POST", r"/hook")) == 2
