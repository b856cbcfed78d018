"""Group commit: concurrent webhook requests share one INSERT and one durable commit (PostgreSQL).

Each delivery must be committed before it is answered 200 (docs/adr/0009), and on PostgreSQL that
commit waits for the WAL to reach the disk: under load, one flush per request is what limits the
webhook's throughput. Here each request hands its row to this process's committer thread and
waits; the thread writes every row that is waiting in one multi-row INSERT ... ON CONFLICT DO
NOTHING, so one flush covers them all, and wakes each request with its event's id. No row is
answered before it is durable, and a failure is raised in every request of the batch.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from webhooks.background import ProcessThread

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


class GroupCommitter(ProcessThread):
    thread_name = "inbound-event-committer"

    def __init__(self, *, max_batch: int = MAX_BATCH) -> None:
        super().__init__()
        self.max_batch = max_batch
        self._rows: queue.Queue[Pending] = queue.Queue()

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

    def _reset(self) -> None:
        self._rows = queue.Queue()

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
            results = rows_store([pending.values for pending in batch])
        except BaseException as exc:  # noqa: BLE001 - every waiting request gets the failure
            connection.close()  # a broken connection is not reused by the next batch
            for pending in batch:
                pending.error = exc
                pending.done.set()
            return
        for pending, result in zip(batch, results, strict=True):
            pending.result = result
            pending.done.set()


def rows_store(rows: Sequence[Sequence[Any]]) -> list[tuple[int, bool]]:
    """Insert the rows in one statement, in this thread's connection; (event id, created) for each,
    in order. Only the first of rows sharing a (provider, external_id) is created."""
    keys = [(str(values[0]), str(values[2])) for values in rows]
    created = _insert(rows)
    existing = _existing([key for key in keys if key not in created])
    results, seen = [], set()
    for key in keys:
        results.append((created.get(key) or existing[key], key in created and key not in seen))
        seen.add(key)
    return results


def _insert(rows: Sequence[Sequence[Any]]) -> dict[tuple[str, str], int]:
    placeholders = ", ".join([ROW] * len(rows))  # the text is constant; every value is a placeholder
    sql = f"INSERT INTO webhooks_inboundevent {COLUMNS} VALUES {placeholders} {ON_CONFLICT}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for values in rows for value in values])
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
