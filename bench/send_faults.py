"""More of tests/test_send_faults.py: SIGKILL the sending worker many times, count what went wrong.

    .venv/bin/python bench/send_faults.py --trials 200
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/send_faults.py --trials 200

Each trial queues a few emails, kills the worker's pool process at one of four points of the
send (see tests/faults.py) and lets recovery settle. Prints the trials, the emails, how they
ended (sent / needs_reconcile / failed), duplicates at the fake Zoho (must be 0) and emails
left pending or sending (must be 0), and the mean seconds per trial.
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from collections import Counter

os.environ.setdefault("CELERY_FILESYSTEM_DIR", "var/bench-broker")
os.environ.setdefault("CELERY_BROKER_POLLING_INTERVAL", "0.1")

from _db import bench_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--emails", type=int, default=3, help="emails per trial")
    args = parser.parse_args()
    vendor = bench_django()

    from crm.models import Brand
    from crm.tasks import send_scheduled_emails
    from crm_site.celery import app
    from tests.fakes.zoho import FakeZoho
    from tests.faults import MODES, STALE_SECONDS, Trial, arm, queue_emails, settle, verdict
    from tests.fixtures.celery import purge_queue, start_worker
    from tests.fixtures.fakes import zoho_env

    queue = f"bench-faults-{uuid.uuid4().hex[:6]}"
    app.conf.task_default_queue = queue
    totals: Counter[str] = Counter()
    problems = 0
    with FakeZoho() as fake:
        fake.send_delay = 0.3
        env = {**zoho_env(fake), "EMAIL_SENDING_STALE_SECONDS": str(STALE_SECONDS), "CELERY_WORKER_LOST_WAIT": "0.5"}
        worker = start_worker(queue, concurrency=1, extra_env=env)
        brand = Brand.objects.create(
            name="Faults", slug="faults", from_email="s@x.example", send_weekdays=[], hourly_send_cap=10**6,
            daily_send_cap=10**6,
        )  # fmt: skip
        started = time.monotonic()
        try:
            for index in range(args.trials):
                trial = Trial(mode=MODES[index % len(MODES)], emails=queue_emails(brand, args.emails))
                fired = arm(fake, worker, trial)
                send_scheduled_emails.apply_async(queue=queue)
                fired.wait(timeout=30)
                fake.on_request.clear()
                fake.on_answered.clear()
                try:
                    settle([e.pk for e in trial.emails], lambda: send_scheduled_emails.apply_async(queue=queue).get(60))
                    totals.update(verdict(fake, trial.emails))
                except AssertionError as exc:
                    problems += 1
                    print(f"trial {index} ({trial.mode}): {exc}")
        finally:
            worker.stop()
            purge_queue(queue)
        elapsed = time.monotonic() - started
    duplicates = sum(1 for count in fake.sent_keys.values() if count > 1)
    print(f"database: {vendor}; broker: {app.conf.broker_url.split(':')[0]}")
    print(f"trials: {args.trials} ({len(MODES)} kill points), emails: {args.trials * args.emails}")
    print(f"ended: {dict(totals)}")
    print(f"duplicates at Zoho: {duplicates}  (must be 0); trials with a problem: {problems}  (must be 0)")
    print(f"mean seconds per trial: {elapsed / args.trials:.2f}")


if __name__ == "__main__":
    main()
