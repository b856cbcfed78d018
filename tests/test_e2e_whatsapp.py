"""WhatsApp to Chatwoot end to end: Meta's signed delivery -> the stored event -> a real Celery worker
-> the message stored, tagged and mirrored into the fake Chatwoot. Two deliveries at once from one
phone make one contact and one conversation; a delivery while the broker is down is not lost."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone

from crm_site.celery import app as celery_app
from messaging.models import SyncState, WhatsAppContact, WhatsAppMessage
from tests.fakes.chatwoot import FakeChatwoot
from tests.fixtures.celery import routed_worker, wait_for
from tests.fixtures.fakes import chatwoot_env
from tests.whatsapp import APP_SECRET, post, text_message
from webhooks.dispatch import dispatcher
from webhooks.models import EventState, InboundEvent
from webhooks.tasks import inbound_events_retry

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def chatwoot():
    with FakeChatwoot() as fake:
        yield fake


@pytest.fixture(scope="module")
def worker(chatwoot, django_db_setup, django_db_blocker):
    """A worker of its own, pointed at the fake Chatwoot; the webhook's tasks are routed to it."""
    env = {**chatwoot_env(chatwoot), "WHATSAPP_APP_SECRET": APP_SECRET}
    with routed_worker("e2e-wa", env, django_db_blocker) as process:
        yield process


@pytest.fixture
def setup(settings, chatwoot, worker):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    for name, value in chatwoot_env(chatwoot).items():
        setattr(settings, name, value)
    return chatwoot


@contextmanager
def broker_unreachable():
    """The web process loses its broker: publishing fails (after the quick publish retries)."""
    saved = celery_app.conf.broker_url

    def reset_pools():  # as Celery does after a fork; kombu keeps one pool per broker URL
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    celery_app.conf.broker_url = "redis://127.0.0.1:9/0"
    reset_pools()
    try:
        yield
    finally:
        celery_app.conf.broker_url = saved
        reset_pools()


def synced(phone):
    return WhatsAppMessage.objects.filter(sender_phone=phone, sync_state=SyncState.SYNCED).count()


def test_a_delivery_ends_up_tagged_in_the_right_chatwoot_conversation(client, setup):
    # when
    response = post(client, text_message("61411111111", "Hi, I'm looking for warehouse work in Sydney", name="Ava"))
    # then
    assert response.status_code == 200
    wait_for(lambda: synced("+61411111111") == 1)
    contact = WhatsAppContact.objects.get(phone="+61411111111")
    assert setup.contact_by_phone("+61411111111")["name"] == "Ava"
    labels = setup.conversation_labels(contact.chatwoot_conversation_id)
    assert {"journey-first-contact", "intent-job-search"} <= set(labels)
    wait_for(lambda: InboundEvent.objects.get().state == EventState.DONE)


def test_two_deliveries_at_once_from_one_phone_make_one_contact_and_one_conversation(client, setup):
    # given: contact creation at Chatwoot is slow, so both syncs race for it
    setup.delay = 0.5
    try:
        # when
        for text in ("Hello", "Do you have any nursing jobs?"):
            post(client, text_message("61422222222", text, name="Ben"))
        # then
        wait_for(lambda: synced("+61422222222") == 2)
    finally:
        setup.delay = 0.0
    contacts = [c for c in setup.contacts.values() if c["phone_number"] == "+61422222222"]
    assert len(contacts) == 1
    conversations = [c for c in setup.conversations.values() if c["contact_id"] == contacts[0]["id"]]
    assert len(conversations) == 1
    assert len(setup.messages(conversations[0]["id"])) == 2


def test_a_delivery_while_the_broker_is_down_is_kept_and_processed_later(client, setup):
    # when: the broker is down while Meta delivers
    with broker_unreachable():
        response = post(client, text_message("61433333333", "Is the forklift job still open?"))
        assert dispatcher.flush()  # the web process tried to publish, and could not
    # then: answered, stored, not processed
    assert response.status_code == 200
    event = InboundEvent.objects.get()
    assert (event.state, event.processed_at) == (EventState.PENDING, None)
    # when the broker is back and the retry job runs (the event is a few minutes old by then)
    InboundEvent.objects.update(received_at=timezone.now() - timedelta(minutes=5))
    inbound_events_retry.apply_async(queue=celery_app.conf.task_default_queue).get(timeout=30)
    # then
    wait_for(lambda: synced("+61433333333") == 1)
    assert InboundEvent.objects.get().state == EventState.DONE
