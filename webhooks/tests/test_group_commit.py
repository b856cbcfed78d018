"""The group committer: concurrent stores share INSERTs, each learns its own id, and only the first of
a repeated delivery is new; a failed write is raised in the request that waits for it; a request
thread that stores through it opens no connection of its own."""

import threading

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from webhooks.group_commit import GroupCommitter
from webhooks.models import InboundEvent
from webhooks.services import inbound_event_store

pytestmark = pytest.mark.django_db(transaction=True)
payload_field = InboundEvent._meta.get_field("payload")


def values(external_id, provider="whatsapp"):
    payload = payload_field.get_db_prep_save({"id": external_id}, connection)
    return [provider, "message", external_id, payload, timezone.now()]


def test_concurrent_stores_each_get_their_event_and_a_repeat_is_not_new():
    # given: 40 requests at once, 20 deliveries each sent twice
    committer = GroupCommitter()
    results = {}
    start = threading.Barrier(40)

    def request(n):
        start.wait()
        results[n] = committer.store(values(f"wamid.{n % 20}"))

    threads = [threading.Thread(target=request, args=(n,)) for n in range(40)]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    events = dict(InboundEvent.objects.values_list("external_id", "pk"))
    assert len(events) == 20
    for n, (event_id, _) in results.items():
        assert event_id == events[f"wamid.{n % 20}"]
    new = [n % 20 for n, (_, created) in results.items() if created]
    assert sorted(new) == list(range(20))  # each delivery is new exactly once


def test_a_failed_write_is_raised_in_the_waiting_request_and_the_next_one_works():
    # given
    committer = GroupCommitter()
    # when / then
    with pytest.raises(IntegrityError):
        committer.store(values("wamid.bad", provider=None))
    assert committer.store(values("wamid.good")) == (InboundEvent.objects.get().pk, True)


def test_a_request_thread_stores_without_a_connection_of_its_own_on_postgresql():
    # given: a request thread, outside any transaction
    enqueued, seen = [], {}

    def request():
        seen["result"] = inbound_event_store(
            provider="whatsapp", event_type="message", external_id="wamid.1", payload={}, enqueue=enqueued.append
        )
        seen["connected"] = connection.connection is not None
        connection.close()

    # when
    thread = threading.Thread(target=request)
    thread.start()
    thread.join()
    # then: stored, enqueued once, and on PostgreSQL written by the committer's connection alone
    event = InboundEvent.objects.get()
    assert seen["result"] == (event.pk, True)
    assert enqueued == [event.pk]
    assert seen["connected"] is (connection.vendor != "postgresql")
