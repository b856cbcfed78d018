"""The dispatcher publishes stored events' ids in batches from a background thread, and never raises."""

import logging
import threading

from webhooks.dispatch import EventDispatcher


class Recorder:
    def __init__(self, fail=False):
        self.batches = []
        self.fail = fail
        self.lock = threading.Lock()

    def __call__(self, ids):
        if self.fail:
            raise ConnectionError("broker away")
        with self.lock:
            self.batches.append(list(ids))


def test_ids_submitted_together_go_out_in_one_batch():
    # given
    publish = Recorder()
    dispatcher = EventDispatcher(publish, max_wait=0.2)
    # when
    for event_id in range(1, 51):
        dispatcher.submit(event_id)
    # then
    assert dispatcher.flush()
    assert sorted(i for batch in publish.batches for i in batch) == list(range(1, 51))
    assert len(publish.batches) <= 3


def test_a_batch_is_capped():
    # given
    publish = Recorder()
    dispatcher = EventDispatcher(publish, max_batch=10, max_wait=0.2)
    # when
    for event_id in range(25):
        dispatcher.submit(event_id)
    # then
    assert dispatcher.flush()
    assert max(len(batch) for batch in publish.batches) == 10


def test_a_broker_failure_is_logged_and_the_ids_let_go(caplog):
    # given
    dispatcher = EventDispatcher(Recorder(fail=True), max_wait=0.01)
    # when
    with caplog.at_level(logging.WARNING, logger="webhooks.dispatch"):
        dispatcher.submit(7)
        flushed = dispatcher.flush()
    # then
    assert flushed
    assert "stored but not enqueued" in caplog.text


def test_drain_publishes_what_is_in_hand():
    # given: ids queued but no thread (as at interpreter exit)
    publish = Recorder()
    dispatcher = EventDispatcher(publish)
    dispatcher._ids.put(1)
    dispatcher._ids.put(2)
    dispatcher._in_hand = 2
    # when
    dispatcher.drain()
    # then
    assert publish.batches == [[1, 2]]
