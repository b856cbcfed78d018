"""Group commit: concurrent webhook requests share one INSERT and one durable commit (PostgreSQL).

Each delivery must be committed before it is answered 200 (docs/adr/0009), and on PostgreSQL that
commit waits for the WAL to reach the disk: under load, one flush per request is what limits the
webhook's throughput. Here each request hands its row to this process's committer thread and
waits; the thread writes every row that is waiting in one multi-row INSERT ... ON CONFLICT DO
NOTHING, so one flush covers them all, and wakes each request with its event's id. No row is
answered before it is durable, and a failure is raised in every request of the batch.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

COLUMNS = "(provider, event_type, external_id, payload, state, received_at, attempts, error)"
ROW = "(%s, %s, %s, %s, 'pending', %s, 0, '')"
ON_CONFLICT = "ON CONFLICT (provider, external_id) DO NOTHING RETURNING id, provider, external_id"
MAX_BATCH = 100
WAIT_SECONDS = 10.0


@dataclass
class Pending:
    values: Sequence[Any]  # provider, event_type, external_id, payload (prepared), received_at
    done: threading.Event = field(default_factory=threading.Event)
    result: tuple[int, bool] = (0, False)
    error: BaseException | None = None

    @property
    def key(self) -> tuple[str, str]:
        return str(self.values[0]), str(self.values[2])


class GroupCommitter:
    def __init__(self, *, max_batch: int = MAX_BATCH) -> None:
        self.max_batch = max_batch
        self._rows: queue.Queue[Pending] = queue.Queue()
        self._lock = threading.Lock()
        self._pid = 0

    def store(self, values: Sequence[Any]) -> tuple[int, bool]:
        """(event id, created) once the row is committed; raises what the batch's write raised."""
        self._ensure_thread()
        pending = Pending(values)
        self._rows.put(pending)
        if not pending.done.wait(WAIT_SECONDS):
            raise TimeoutError("the event's commit did not finish in time")
        if pending.error is not None:
            raise pending.error
        return pending.result

    def _ensure_thread(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid != os.getpid():
                self._rows = queue.Queue()
                threading.Thread(target=self._run, name="inbound-event-committer", daemon=True).start()
                self._pid = os.getpid()

    def _run(self) -> None:
        while True:
            batch = [self._rows.get()]
            while len(batch) < self.max_batch:  # whatever queued up while the last flush ran
                try:
                    batch.append(self._rows.get_nowait())
                except queue.Empty:
                    break
            self._commit(batch)

    def _commit(self, batch: list[Pending]) -> None:
        try:
            created = _insert(batch)
            existing = _existing([p.key for p in batch if p.key not in created])
        except BaseException as exc:  # noqa: BLE001 - every waiting request gets the failure
            connection.close()  # a broken connection is not reused by the next batch
            for pending in batch:
                pending.error = exc
                pending.done.set()
            return
        first: set[tuple[str, str]] = set()
        for pending in batch:
            is_new = pending.key in created and pending.key not in first
            first.add(pending.key)
            pending.result = (created.get(pending.key) or existing[pending.key], is_new)
            pending.done.set()


def _insert(batch: list[Pending]) -> dict[tuple[str, str], int]:
    rows = ", ".join([ROW] * len(batch))  # the text is constant; every value is a placeholder
    sql = f"INSERT INTO webhooks_inboundevent {COLUMNS} VALUES {rows} {ON_CONFLICT}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for pending in batch for value in pending.values])
        return {(provider, external_id): event_id for event_id, provider, external_id in cursor.fetchall()}


def _existing(keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    if not keys:
        return {}
    condition = " OR ".join(["(provider = %s AND external_id = %s)"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, provider, external_id FROM webhooks_inboundevent WHERE {condition}",  # noqa: S608 - placeholders only
            [part for key in keys for part in key],
        )
        return {(provider, external_id): event_id for event_id, provider, external_id in cursor.fetchall()}


committer = GroupCommitter()
