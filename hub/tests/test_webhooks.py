"""Outgoing webhooks: signed as Standard Webhooks says and verified by the `standardwebhooks`
package on a receiver at 127.0.0.1; written in the change's transaction, delivered once, retried
after a failure, never sent to a disabled endpoint or a private address, nothing from a rollback."""

import os
import time

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction

from crm.models import Deal, Task
from crm.services.deals import deal_create, deal_move_to_stage
from hub.models import Event, MessageState, Webhook, WebhookDelivery, WebhookMessage
from hub.services.webhooks import webhook_create
from hub.tasks import hub_dispatch_task
from hub.tests.conftest import time_passes
from tests.fakes.server import Response
from tests.fixtures.celery import wait_for

pytestmark = pytest.mark.django_db


def test_a_deal_won_in_the_admin_arrives_once_signed(hook, receiver, sales, contact, admin_client):
    deal = deal_create(contact=contact, pipeline=sales)
    won = sales.stages.get(outcome="won")

    response = admin_client.post(
        "/admin/crm/deal/",
        {
            "_selected_action": [str(deal.pk)],
            "action": "move_to_stage",
            "apply": "1",
            "stage": won.pk,
            "reason": "signed",
        },
    )
    hub_dispatch_task()
    hub_dispatch_task()  # twice: nothing more is sent

    assert response.status_code in (200, 302)
    assert [e["type"] for e in receiver.verified] == ["opportunity.created", "opportunity.won"]
    won_event = receiver.verified[1]
    assert (won_event["data"]["id"], won_event["data"]["status"], won_event["data"]["stage_name"]) == (
        str(deal.pk),
        "won",
        "Won",
    )
    assert won_event["id"].startswith("msg_") and won_event["timestamp"]
    assert WebhookMessage.objects.filter(state=MessageState.DELIVERED).count() == 2


def test_a_failing_receiver_gets_it_on_retry_with_the_same_id(hook, receiver, sales, contact):
    receiver.fail_next("POST", r"/hook", Response(503, "busy"), times=1)
    deal_create(contact=contact, pipeline=sales)

    hub_dispatch_task()
    message = WebhookMessage.objects.get()
    assert (message.state, message.attempts) == ("pending", 1)
    assert "answered 503" in message.last_error and message.retry_at is not None
    hub_dispatch_task()  # not due yet: nothing sent
    assert len(receiver.received("POST", r"/hook")) == 1

    time_passes()
    hub_dispatch_task()

    message.refresh_from_db()
    assert message.state == "delivered"
    attempts = list(WebhookDelivery.objects.order_by("attempt").values_list("attempt", "status_code", "succeeded"))
    assert attempts == [(1, 503, False), (2, 204, True)]
    ids = {request.headers["webhook-id"] for request in receiver.received("POST", r"/hook")}
    assert len(ids) == 1 and len(receiver.verified) == 1


def test_a_disabled_endpoint_gets_nothing(hook, receiver, sales, contact):
    Webhook.objects.filter(pk=hook.pk).update(is_active=False)

    deal_create(contact=contact, pipeline=sales)
    hub_dispatch_task()

    assert receiver.received("POST", r"/hook") == []
    assert not WebhookMessage.objects.exists()


def test_410_gone_disables_the_endpoint_and_cancels_what_waits(hook, receiver, sales, contact):
    receiver.fail_next("POST", r"/hook", Response(410, "gone"), times=5)
    deal_create(contact=contact, pipeline=sales)

    hub_dispatch_task()

    hook.refresh_from_db()
    assert (hook.is_active, hook.disabled_reason) == (False, "the endpoint answered 410 Gone")
    assert WebhookMessage.objects.get().state == "cancelled"
    note = Task.objects.get()  # staff are told
    assert note.brand == hook.brand and "Receiver" in note.title and "410 Gone" in note.notes


def test_a_rolled_back_change_sends_nothing(hook, receiver, sales, contact):
    def request_that_fails_after_the_deal():
        with transaction.atomic():
            deal_create(contact=contact, pipeline=sales)
            raise RuntimeError("the rest of the request failed")

    with pytest.raises(RuntimeError):
        request_that_fails_after_the_deal()

    hub_dispatch_task()

    assert not Event.objects.filter(type__startswith="opportunity.").exists()
    assert receiver.received("POST", r"/hook") == []


def test_a_private_address_is_refused_when_made_and_when_sent(receiver, codeteki, api, sales, contact, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False

    response = api.post(
        "/api/integrations/webhooks/", {"name": "Inside", "url": f"{receiver.url}/hook", "events": ["opportunity.won"]}
    )
    assert response.status_code == 400
    assert "not a public address" in response.json()["url"][0]

    # one made while private targets were allowed is still refused when sending without it
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    created = api.post(
        "/api/integrations/webhooks/",
        {"name": "Inside", "url": f"{receiver.url}/hook", "events": ["opportunity.created"], "brand": codeteki.pk},
    )
    assert created.status_code == 201, created.json()
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    deal_create(contact=contact, pipeline=sales)
    hub_dispatch_task()
    assert receiver.received("POST", r"/hook") == []
    assert "refused" in WebhookDelivery.objects.get().error


def test_the_api_makes_tests_and_lists_a_webhook(receiver, codeteki, api, allow_loopback):
    response = api.post(
        "/api/integrations/webhooks/",
        {
            "name": "Zap",
            "url": f"{receiver.url}/hook",
            "events": ["opportunity.won", "lead.created"],
            "brand": codeteki.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    secret, webhook_id = response.json()["secret"], response.json()["id"]
    assert secret.startswith("whsec_")
    receiver.secret = secret
    assert "secret" not in api.get(f"/api/integrations/webhooks/{webhook_id}/").json()
    assert secret not in str(api.get("/api/integrations/webhooks/").json())

    ping = api.post(f"/api/integrations/webhooks/{webhook_id}/test/")

    assert (ping.status_code, ping.json()["state"], ping.json()["event_type"]) == (200, "delivered", "ping")
    assert receiver.verified[0]["type"] == "ping"
    deliveries = api.get(f"/api/integrations/webhooks/{webhook_id}/deliveries/").json()["results"]
    assert [(d["event_type"], d["status_code"], d["succeeded"]) for d in deliveries] == [("ping", 204, True)]


@pytest.mark.parametrize(
    ("data", "field"),
    [({"url": "ftp://x.example/hook"}, "url"), ({"events": ["deal.exploded"]}, "events"), ({"events": []}, "events"),
     ({"name": ""}, "name")],
)  # fmt: skip
def test_a_bad_webhook_is_a_400_naming_the_field(api, codeteki, allow_loopback, data, field):
    body = {"name": "x", "url": "http://127.0.0.1:9/hook", "events": ["opportunity.won"], **data}

    response = api.post("/api/integrations/webhooks/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_the_secret_is_encrypted_at_rest(hook):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM hub_webhook WHERE id = %s", [hook.pk])
        stored = cursor.fetchone()[0]
    assert hook.secret.startswith("whsec_") and hook.secret not in stored


def test_staff_without_the_permission_cannot_see_webhooks(hook, codeteki):
    from rest_framework.test import APIClient

    from crm_site.tests.factories import UserFactory

    user = UserFactory(username="nosy")
    codeteki.members.add(user)
    user.user_permissions.set(Permission.objects.filter(codename="view_deal"))
    client = APIClient()
    client.force_authenticate(user)

    assert client.get("/api/integrations/webhooks/").status_code == 403


@pytest.mark.django_db(transaction=True)  # the racing threads see only committed rows
def test_two_dispatchers_at_once_deliver_each_event_once(hook, receiver, sales, contact):
    import threading

    from django.db import connection

    receiver.fail_next("POST", r"/hook", Response(204, delay=0.5), times=1)  # the first send is slow
    deal_create(contact=contact, pipeline=sales)
    if connection.vendor == "sqlite":
        hub_dispatch_task()
        hub_dispatch_task()
    else:  # two threads, two connections, racing for the same message
        runs = [threading.Thread(target=hub_dispatch_task) for _ in range(2)]
        for run in runs:
            run.start()
        for run in runs:
            run.join()

    # a worker the suite runs may be a third dispatcher (the commit queued a task): wait for whoever
    # won, then make sure nobody else sent it
    wait_for(lambda: WebhookMessage.objects.filter(state=MessageState.DELIVERED).exists(), timeout=30)
    time.sleep(1)
    assert len(receiver.received("POST", r"/hook")) == 1
    assert WebhookDelivery.objects.count() == 1


def test_a_delivery_that_raises_is_put_back_and_the_rest_of_the_batch_goes_on(hook, receiver, sales, contact, codeteki):
    other = webhook_create(
        name="Other", url=f"{receiver.url}/hook", events=["opportunity.created"], brand=codeteki, user=None
    )
    receiver.secret = hook.secret
    Webhook.objects.filter(pk=other.pk).update(secret="whsec_not base64!")  # signing it raises
    deal_create(contact=contact, pipeline=sales)

    hub_dispatch_task()

    broken = WebhookMessage.objects.get(webhook=other)
    assert (broken.state, broken.attempts, broken.claim_owner) == ("pending", 1, "")
    assert broken.retry_at is not None and "Error" in broken.last_error
    assert WebhookMessage.objects.get(webhook=hook).state == "delivered"
    assert len(receiver.verified) == 1

    Webhook.objects.filter(pk=other.pk).update(secret=hook.secret)  # put right: the retry goes
    time_passes()
    hub_dispatch_task()
    assert WebhookMessage.objects.get(webhook=other).state == "delivered" and len(receiver.verified) == 2


def test_old_settled_events_are_pruned_with_their_attempts_and_waiting_ones_kept(hook, receiver, sales, contact):
    from datetime import timedelta

    from django.utils import timezone

    from hub.services.events import events_prune

    receiver.fail_next("POST", r"/hook", Response(500, "down"), times=1)
    deal_create(contact=contact, pipeline=sales)  # opportunity.created, waiting for its retry
    deal_move_to_stage(deal=Deal.objects.get(), stage=sales.stages.get(outcome="won"))  # delivered
    hub_dispatch_task()
    before = Event.objects.update(occurred_at=timezone.now() - timedelta(days=31))

    pruned = events_prune()

    assert set(Event.objects.values_list("type", flat=True)) == {"opportunity.created"}  # its retry still waits
    assert pruned == before - 1 >= 2  # the won deal's event and the contact's
    assert WebhookMessage.objects.get().event.type == "opportunity.created"
    assert WebhookDelivery.objects.filter(message__event__type="opportunity.won").count() == 0


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_change_commits_and_the_sweep_delivers_it(hook, receiver, sales, contact):
    import subprocess
    import sys

    from django.conf import settings

    from tests.fixtures.celery import ROOT, database_url

    # a web process whose broker is down makes a deal (its commit cannot queue the dispatch task)
    code = (
        "import django; django.setup(); from crm.models import Contact, Pipeline; "
        "from crm.services.deals import deal_create; "
        f"deal_create(contact=Contact.objects.get(pk='{contact.pk}'), pipeline=Pipeline.objects.get(pk={sales.pk}))"
    )
    env = {
        **os.environ, "DATABASE_URL": database_url(settings.DATABASES["default"]),
        "CELERY_BROKER_URL": "redis://127.0.0.1:9/0", "DJANGO_SETTINGS_MODULE": "crm_site.settings",
    }  # fmt: skip
    made = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert made.returncode == 0, made.stderr[-3000:]
    assert "hub-dispatch on beat will send it" in made.stderr
    assert Deal.objects.filter(contact=contact).exists()
    assert receiver.verified == []
    hub_dispatch_task()  # beat's sweep, ten seconds later
    assert [event["type"] for event in receiver.verified] == ["opportunity.created"]
