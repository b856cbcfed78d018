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


def test_a_website_inquiry_fills_the_pipeline_and_a_zap_a_slack_channel_and_a_receiver_hear_it_won(
    celery_worker, codeteki, sales, admin_client
):
    from django.core.cache import cache

    from hub.tests.test_integrations import Chat

    cache.clear()
    codeteki.site_origins = ["https://www.codeteki.au"]
    codeteki.save()
    with Receiver() as receiver, Chat() as chat:
        user = UserFactory(username="ops")
        user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["hub", "crm"]))
        codeteki.members.add(user)
        api = APIClient()
        api.force_authenticate(user)
        hook = api.post(
            "/api/integrations/webhooks/",
            {"name": "Receiver", "url": f"{receiver.url}/hook", "events": ["opportunity.won"], "brand": codeteki.pk},
            format="json",
        ).json()  # fmt: skip
        receiver.secret = hook["secret"]
        slack = api.post(
            "/api/integrations/integrations/",
            {"name": "Sales channel", "kind": "slack", "brand": codeteki.pk, "events": ["opportunity.won"],
             "target_url": f"{chat.url}/services/T0/B0/secret"},
            format="json",
        )  # fmt: skip
        zap = api.post(
            "/api/integrations/zapier/hooks/",
            {"hookUrl": f"{chat.url}/hooks/catch/1/abc", "event": "opportunity.won", "brand": codeteki.pk},
            format="json",
        )
        assert slack.status_code == zap.status_code == 201

        form = APIClient().post(
            "/api/public/inquiries/",
            {"name": "Ann Lee", "email": "ann@example.com", "message": "A new site, please", "service": "Web design"},
            format="json", HTTP_X_PUBLISHABLE_KEY=codeteki.publishable_key, HTTP_ORIGIN="https://www.codeteki.au",
        )  # fmt: skip
        assert form.status_code == 201, form.json()
        deal = Deal.objects.get(contact__email="ann@example.com")
        assert (deal.pipeline, deal.current_stage) == (sales, sales.first_stage())

        admin_client.post(
            "/admin/crm/deal/",
            {"_selected_action": [str(deal.pk)], "action": "move_to_stage", "apply": "1",
             "stage": sales.stages.get(outcome="won").pk, "reason": ""},
        )  # fmt: skip
        wait_for(
            lambda: (
                len(receiver.verified) == 1
                and chat.received("POST", r"/services/.*")
                and chat.received("POST", r"/hooks/catch/.*")
            ),
            timeout=30,
        )

        assert receiver.verified[0]["type"] == "opportunity.won"
        assert chat.received("POST", r"/services/.*")[0].json()["text"].startswith("Deal won")
        assert chat.received("POST", r"/hooks/catch/.*")[0].json()["data"]["id"] == str(deal.pk)
        assert WebhookDelivery.objects.filter(succeeded=True, message__event__type="opportunity.won").count() == 3


def test_a_dispatcher_killed_mid_batch_loses_nothing_and_resends_only_what_was_in_flight(
    codeteki, sales, django_db_blocker
):
    import signal
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from crm.services.deals import deal_create
    from hub.models import MessageState, WebhookMessage
    from hub.services.webhooks import FLUSH, webhook_create
    from hub.tasks import hub_dispatch_task
    from tests.fakes.server import Response
    from tests.fixtures.celery import routed_worker

    events = 20
    with Receiver() as receiver:
        receiver.fail_next("POST", r"/hook", Response(204, delay=0.3), times=events * 2)  # a slow receiver
        webhook_create(
            name="Slow", url=f"{receiver.url}/hook", events=["opportunity.created"], brand=codeteki, user=None
        )
        with routed_worker("hubkill", {}, django_db_blocker, concurrency=1) as worker:
            with transaction.atomic():  # one commit: the worker claims them all in one batch
                for n in range(events):
                    deal_create(contact=ContactFactory(brand=codeteki, email=f"p{n}@kill.example"), pipeline=sales)
            wait_for(lambda: len(receiver.received("POST", r"/hook")) >= 5, timeout=30)
            worker.stop(signal.SIGKILL)  # mid-batch: some sent, none recorded yet
            in_flight = len(receiver.received("POST", r"/hook"))

        WebhookMessage.objects.update(claim_until=timezone.now() - timedelta(seconds=1))  # its leases run out
        while hub_dispatch_task():
            pass

        ids = [request.headers["webhook-id"] for request in receiver.received("POST", r"/hook")]
    assert WebhookMessage.objects.filter(state=MessageState.DELIVERED).count() == events  # nothing lost
    assert len(set(ids)) == events
    resent = len(ids) - events  # only what the dead worker had sent and not recorded, under the same ids
    assert 0 < resent <= in_flight + 1 and resent <= FLUSH + 1
