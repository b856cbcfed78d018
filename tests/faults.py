"""Killing the worker while it sends: shared by tests/test_send_faults.py and bench/send_faults.py.

One trial queues a few emails, asks a real worker (concurrency 1) to send them through the
fake Zoho, and SIGKILLs the pool process at a chosen point:
  before  as the send request reaches Zoho, which then drops it (nothing was sent)
  during  as the send request reaches Zoho, which goes on to send it (the worker never hears)
  after   right after Zoho has answered, before the worker can record it
  claim   as soon as a row is marked sending (a race against the call itself)
Celery re-queues the task (reject_on_worker_lost); after the stale interval a recovery run
reconciles. Then every email must be sent, failed or needs_reconcile, none sent twice, and
"sent" exactly where Zoho has the message.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from crm.models import Brand, EmailLog, EmailStatus
from crm.services.sending import email_queue
from crm.tests.factories import ContactFactory, DealFactory, PipelineFactory
from tests.fakes.server import Response
from tests.fakes.zoho import FakeZoho
from tests.fixtures.celery import WorkerProcess

MODES = ("before", "during", "after", "claim")
STALE_SECONDS = 1
FINAL = {EmailStatus.SENT, EmailStatus.FAILED, EmailStatus.NEEDS_RECONCILE}


def pool_children(worker: WorkerProcess) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == worker.pid:
            children.append(int(stat.parent.name))
    return children


def kill_pool(worker: WorkerProcess) -> int:
    killed = 0
    for pid in pool_children(worker):
        try:
            os.kill(pid, signal.SIGKILL)
            killed += 1
        except ProcessLookupError:
            pass
    return killed


@dataclass
class Trial:
    mode: str
    emails: list[EmailLog]
    killed: int = 0


def queue_emails(brand: Brand, count: int) -> list[EmailLog]:
    pipeline = PipelineFactory(brand=brand)
    return [
        email_queue(
            deal=DealFactory(
                pipeline=pipeline, contact=ContactFactory(brand=brand), current_stage=pipeline.first_stage()
            ),
            subject="Hello",
            body="Hi",
        )
        for _ in range(count)
    ]


def arm(fake: FakeZoho, worker: WorkerProcess, trial: Trial) -> threading.Event:
    """Install the one-shot kill for `trial.mode`; the event is set once it has fired."""
    fired = threading.Event()

    def is_send(request: object) -> bool:
        return getattr(request, "method", "") == "POST" and str(getattr(request, "path", "")).endswith("/messages")

    def on_request(request: object) -> None:
        if trial.mode in ("before", "during") and is_send(request) and not fired.is_set():
            trial.killed += kill_pool(worker)
            fired.set()
            if trial.mode == "before":
                fake.fail_next("POST", r".*/messages", Response(503, {"status": {"code": 503}}))

    def on_answered(request: object, response: object) -> None:
        if trial.mode == "after" and is_send(request) and not fired.is_set():
            trial.killed += kill_pool(worker)
            fired.set()

    fake.on_request[:] = [on_request]
    fake.on_answered[:] = [on_answered]
    if trial.mode == "claim":
        threading.Thread(target=_kill_on_claim, args=(worker, trial, fired), daemon=True).start()
    return fired


def _kill_on_claim(worker: WorkerProcess, trial: Trial, fired: threading.Event) -> None:
    from django.db import connection

    ids = [e.pk for e in trial.emails]
    deadline = time.monotonic() + 20
    try:
        while time.monotonic() < deadline and not fired.is_set():
            if EmailLog.objects.filter(pk__in=ids, status=EmailStatus.SENDING).exists():
                trial.killed += kill_pool(worker)
                fired.set()
                return
            time.sleep(0.002)
    finally:
        connection.close()


def settle(ids: list[object], send_again: object, timeout: float = 60) -> None:
    """Run the send task (recovery) until no email is pending or sending."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        open_rows = EmailLog.objects.filter(pk__in=ids, status__in=[EmailStatus.PENDING, EmailStatus.SENDING])
        if not open_rows.exists():
            return
        time.sleep(STALE_SECONDS + 0.5)
        send_again()  # type: ignore[operator]
    raise AssertionError("emails still pending or sending after recovery")


def verdict(fake: FakeZoho, emails: list[EmailLog]) -> dict[str, int]:
    """Check the invariants; return the final statuses counted."""
    counts: Counter[str] = Counter()
    for email in emails:
        email.refresh_from_db()
        at_zoho = fake.sent_keys.get(email.send_key, 0)
        assert at_zoho <= 1, f"{email.pk} sent {at_zoho} times"
        assert email.status in FINAL, f"{email.pk} ended {email.status}"
        assert (email.status == EmailStatus.SENT) == (at_zoho == 1), f"{email.pk}: {email.status}, at Zoho {at_zoho}x"
        counts[email.status] += 1
    return dict(counts)
