"""The group committer: concurrent stores share INSERTs, each learns its own id, and only the first of
a repeated delivery is new; a failed write is raised in the request that waits for it, and after a
dropped connection the next batch connects afresh; a request that waits too long gives up without
holding up the others; a request thread that stores through it opens no connection of its own."""

import threading

import pytest
from django.db import DEFAULT_DB_ALIAS, IntegrityError, OperationalError, connection, connections
from django.utils import timezone

from webhooks.group_commit import GroupCommitter
from webhooks.models import InboundEvent
from webhooks.services import inbound_event_store

pytestmark = pytest.mark.django_db(transaction=True)
payload_field = InboundEvent._meta.get_field("payload")


def values(external_id, provider="whatsapp"):
    payload = payload_field.get_db_prep_save({"id": external_id}, connection)
    return [provider, "message", external_id, payload, timezone.now()]


@pytest.fixture
def committer():
    committer = GroupCommitter()
    yield committer
    committer.close()


def test_concurrent_stores_each_get_their_event_and_a_repeat_is_not_new(committer):
    # given: 40 requests at once, 20 deliveries each sent twice
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


def test_a_failed_write_is_raised_in_the_waiting_request_and_the_next_one_works(committer):
    # when / then
    with pytest.raises(IntegrityError):
        committer.store(values("wamid.bad", provider=None))
    assert committer.store(values("wamid.good")) == (InboundEvent.objects.get().pk, True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a server that drops the connection: PostgreSQL")
def test_after_the_server_drops_the_connection_the_batch_fails_and_the_next_one_reconnects(committer):
    # given: the committer connected, then its session ended by the server (a restart, an idle timeout)
    committer.store(values("wamid.before"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [committer._database.connection.info.backend_pid])
    # when / then: that batch's request gets the error (Meta delivers again), the next one is stored
    with pytest.raises(OperationalError):
        committer.store(values("wamid.lost-connection"))
    assert committer.store(values("wamid.after"))[1] is True
    assert set(InboundEvent.objects.values_list("external_id", flat=True)) == {"wamid.before", "wamid.after"}


def test_a_request_that_waits_too_long_gives_up_and_the_lead_still_passes_on():
    # given: the table locked by another session, so the first request's write (the leader's) waits
    committer = GroupCommitter(wait_seconds=0.3)
    blocker = connections.create_connection(DEFAULT_DB_ALIAS)
    blocker.ensure_connection()
    statements = {"postgresql": ["BEGIN", "LOCK TABLE webhooks_inboundevent IN EXCLUSIVE MODE"]}
    for statement in statements.get(connection.vendor, ["BEGIN IMMEDIATE"]):
        blocker.connection.execute(statement)
    first = {}
    leader = threading.Thread(target=lambda: first.update(result=committer.store(values("wamid.first"))))
    leader.start()
    while not committer._leading:
        threading.Event().wait(0.01)
    # when: a second request waits behind it for longer than it may
    with pytest.raises(TimeoutError):
        committer.store(values("wamid.gave-up"))
    blocker.connection.execute("ROLLBACK")
    blocker.close()
    leader.join()
    # then: the leader's row is committed, the one that gave up is not written, and the next works
    assert committer.store(values("wamid.next"))[1] is True
    committer.close()
    assert first["result"] == (InboundEvent.objects.get(external_id="wamid.first").pk, True)
    assert set(InboundEvent.objects.values_list("external_id", flat=True)) == {"wamid.first", "wamid.next"}


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
