"""Publishing stored events' processing tasks off the request path, in batches.

Each webhook request commits its event and hands the id to this process's dispatcher, which
answers at once; a background thread gathers the ids of about 50 ms and publishes one
`inbound_events_dispatch_task` for them, which fans them out, in a worker, to one
`inbound_event_process_task` each. A Celery publish costs more CPU than the rest of a webhook
request together (bench/webhook_ingest.py), so a web process under load publishes one message
per batch instead of one per delivery. Nothing is lost if the process dies with ids in hand or
the broker is away: the events are stored, and `inbound_events_retry` takes them (docs/adr/0009).
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

MAX_BATCH = 200
MAX_WAIT_SECONDS = 0.05
Publish = Callable[[list[int]], object]


class EventDispatcher:
    def __init__(self, publish: Publish, *, max_batch: int = MAX_BATCH, max_wait: float = MAX_WAIT_SECONDS) -> None:
        self.publish = publish
        self.max_batch = max_batch
        self.max_wait = max_wait
        self._ids: queue.Queue[int] = queue.Queue()
        self._lock = threading.Lock()
        self._pid = 0  # the process the thread was started in: a forked child starts its own
        self._in_hand = 0  # submitted and not yet handed to the broker (or given up on)

    def submit(self, event_id: int) -> None:
        self._ensure_thread()
        with self._lock:
            self._in_hand += 1
        self._ids.put(event_id)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every submitted id has been published (or failed to be); True if it was in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._in_hand == 0:
                return True
            time.sleep(0.01)
        return False

    def _ensure_thread(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid != os.getpid():
                self._ids, self._in_hand = queue.Queue(), 0
                threading.Thread(target=self._run, name="inbound-event-dispatcher", daemon=True).start()
                self._pid = os.getpid()

    def _run(self) -> None:
        while True:
            batch = [self._ids.get()]
            time.sleep(self.max_wait)  # gather by sleeping: waiting on the queue would wake per id
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._ids.get_nowait())
                except queue.Empty:
                    break
            self._send(batch)

    def _send(self, batch: list[int]) -> None:
        try:
            self.publish(batch)
        except Exception:  # the broker is away: the events are stored, inbound_events_retry takes them
            logger.warning("%s inbound events stored but not enqueued; the retry job will process them", len(batch))
        finally:
            with self._lock:
                self._in_hand -= len(batch)

    def drain(self) -> None:
        """At exit: publish what is still in hand, in this thread."""
        batch: list[int] = []
        while True:
            try:
                batch.append(self._ids.get_nowait())
            except queue.Empty:
                break
        if batch:
            self._send(batch)


def _publish(event_ids: list[int]) -> object:
    from webhooks.tasks import inbound_events_dispatch_task

    return inbound_events_dispatch_task.delay(event_ids)


dispatcher = EventDispatcher(_publish)
atexit.register(dispatcher.drain)
