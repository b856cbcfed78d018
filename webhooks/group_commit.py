"""Group commit: concurrent webhook requests share one INSERT and one durable commit (PostgreSQL).

Each delivery must be committed before it is answered 200 (docs/adr/0009), and on PostgreSQL that
commit waits for the WAL to reach the disk: under load, one flush per request is what limits the
webhook's throughput. So each request joins this process's queue of writers and the one at the
front leads: it writes every row waiting at that moment, its own and its followers', in one
multi-row INSERT ... ON CONFLICT DO NOTHING through the process's own connection, so one flush
covers them all. Then it wakes each follower with its event's id and hands the lead to the next
writer in the queue. The lead passes from request to request, with no thread of its own to wake
(docs/adr/0010). No row is answered before it is durable, and a failure is raised in every
request of the batch.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

COLUMNS = "(provider, event_type, external_id, payload, state, received_at, attempts, error)"
ROW = "(%s, %s, %s, %s, 'pending', %s, 0, '')"
ON_CONFLICT = "ON CONFLICT (provider, external_id) DO NOTHING RETURNING id, provider, external_id"
MAX_BATCH = 100
WAIT_SECONDS = 10.0
Result = tuple[int, bool]


class Writer:
    """One request waiting for its row; `woken` shares the committer's lock."""

    __slots__ = ("done", "error", "result", "values", "woken")

    def __init__(self, values: Sequence[Any], woken: threading.Condition) -> None:
        self.values = values  # provider, event_type, external_id, payload (prepared), received_at
        self.woken = woken
        self.done = False
        self.result: Result = (0, False)
        self.error: BaseException | None = None

    def outcome(self) -> Result:
        if self.error is not None:
            raise self.error
        return self.result


class GroupCommitter:
    def __init__(self, *, max_batch: int = MAX_BATCH, wait_seconds: float = WAIT_SECONDS) -> None:
        self.max_batch = max_batch
        self.wait_seconds = wait_seconds
        self._lock = threading.Lock()
        self._queue: deque[Writer] = deque()  # waiting, not yet taken into a batch
        self._leading = False  # a batch is being written
        self._database: BaseDatabaseWrapper | None = None
        self._pid = os.getpid()

    def store(self, values: Sequence[Any]) -> Result:
        """(event id, created) once the row is committed; raises what the batch's write raised."""
        with self._lock:
            self._forked()
            writer = Writer(values, threading.Condition(self._lock))
            self._queue.append(writer)
            while not writer.done and not self._leads(writer):
                if not writer.woken.wait(self.wait_seconds):
                    if writer in self._queue:
                        self._queue.remove(writer)
                    raise TimeoutError("the event's commit did not finish in time")
            if writer.done:  # a leader wrote it
                return writer.outcome()
            batch = [self._queue.popleft() for _ in range(min(len(self._queue), self.max_batch))]
            self._leading = True
        try:
            self._write(batch)
        finally:
            with self._lock:
                self._leading = False
                for follower in batch:
                    follower.done = True
                    follower.woken.notify()
                if self._queue:
                    self._queue[0].woken.notify()  # the next leader
        return writer.outcome()

    def close(self) -> None:
        """Close this process's connection (tests, before their database is dropped)."""
        with self._lock:
            if self._database is not None:
                self._database.close()

    def _leads(self, writer: Writer) -> bool:
        return not self._leading and bool(self._queue) and self._queue[0] is writer

    def _forked(self) -> None:
        """A forked child (a gunicorn worker) starts with an empty queue and a connection of its own."""
        if self._pid != os.getpid():
            self._pid, self._queue, self._leading, self._database = os.getpid(), deque(), False, None

    def _write(self, batch: list[Writer]) -> None:
        try:
            results = rows_store([writer.values for writer in batch], self._connection())
        except BaseException as exc:  # noqa: BLE001 - every waiting request gets the failure
            for writer in batch:
                writer.error = exc
            self._discard_connection()
            return
        for writer, result in zip(batch, results, strict=True):
            writer.result = result

    def _discard_connection(self) -> None:
        """After a failed write: the next batch connects afresh instead of reusing a broken connection."""
        database, self._database = self._database, None
        if database is not None:
            try:
                database.close()
            except Exception:  # already broken; the failure that matters was raised to the requests
                logger.warning("closing the inbound-event committer's connection failed", exc_info=True)

    def _connection(self) -> BaseDatabaseWrapper:
        """The process's own connection, used by whichever request leads: request threads open none."""
        if self._database is None:
            self._database = connections.create_connection(DEFAULT_DB_ALIAS)
            self._database.inc_thread_sharing()
        return self._database


def rows_store(rows: Sequence[Sequence[Any]], database: BaseDatabaseWrapper = connection) -> list[Result]:
    """Insert the rows in one statement, autocommitted unless database is in a transaction; (event
    id, created) for each, in order. Only the first of rows sharing a (provider, external_id) is
    created."""
    keys = [(str(values[0]), str(values[2])) for values in rows]
    with database.cursor() as cursor:
        created = _insert(cursor, rows)
        existing = _existing(cursor, [key for key in keys if key not in created])
    results, seen = [], set()
    for key in keys:
        results.append((created.get(key) or existing[key], key in created and key not in seen))
        seen.add(key)
    return results


def _insert(cursor: Any, rows: Sequence[Sequence[Any]]) -> dict[tuple[str, str], int]:
    placeholders = ", ".join([ROW] * len(rows))  # the text is constant; every value is a placeholder
    sql = f"INSERT INTO webhooks_inboundevent {COLUMNS} VALUES {placeholders} {ON_CONFLICT}"  # noqa: S608
    cursor.execute(sql, [value for values in rows for value in values])
    return {(provider, external_id): event_id for event_id, provider, external_id in cursor.fetchall()}


def _existing(cursor: Any, keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    if not keys:
        return {}
    condition = " OR ".join(["(provider = %s AND external_id = %s)"] * len(keys))
    cursor.execute(
        f"SELECT id, provider, external_id FROM webhooks_inboundevent WHERE {condition}",  # noqa: S608 - placeholders only
        [part for key in keys for part in key],
    )
    return {(provider, external_id): event_id for event_id, provider, external_id in cursor.fetchall()}


committer = GroupCommitter()
