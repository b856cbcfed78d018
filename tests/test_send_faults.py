"""A worker SIGKILLed at random points of sending never sends an email twice and loses none.

See tests/faults.py for the kill points. bench/send_faults.py runs more trials.
"""

import os
import uuid

import pytest

from crm.models import Brand
from crm.tasks import send_scheduled_emails
from tests.fakes.zoho import FakeZoho
from tests.faults import MODES, STALE_SECONDS, Trial, arm, queue_emails, settle, verdict
from tests.fixtures.celery import purge_queue, start_worker
from tests.fixtures.fakes import zoho_env

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# Three kills at each point in the suite (each trial costs about 4 s); bench/send_faults.py runs hundreds.
TRIALS_PER_MODE = int(os.environ.get("FAULT_TRIALS_PER_MODE", "3"))
EMAILS_PER_TRIAL = 3


@pytest.fixture(scope="module")
def fake():
    with FakeZoho() as zoho:
        zoho.send_delay = 0.3  # a Zoho that takes its time to answer
        yield zoho


@pytest.fixture(scope="module")
def worker(fake, django_db_setup, django_db_blocker):
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    env = {**zoho_env(fake), "EMAIL_SENDING_STALE_SECONDS": str(STALE_SECONDS), "CELERY_WORKER_LOST_WAIT": "0.5"}
    with django_db_blocker.unblock():
        process = start_worker(queue, concurrency=1, extra_env=env)
    yield process
    process.stop()
    purge_queue(queue)


def test_a_killed_worker_sends_nothing_twice_and_loses_nothing(fake, worker):
    # One test for all trials: a transactional test costs a flush of every table on PostgreSQL.
    brand = Brand.objects.create(
        name="Faults",
        slug="faults",
        from_email="s@x.example",
        send_weekdays=[],
        hourly_send_cap=1000,
        daily_send_cap=9000,
    )
    outcomes = []
    for index, mode in enumerate(m for m in MODES for _ in range(TRIALS_PER_MODE)):
        outcomes.append((mode, run_trial(fake, worker, brand, mode, index)))
    assert len(outcomes) == len(MODES) * TRIALS_PER_MODE
    assert {mode for mode, _ in outcomes} == set(MODES)


def run_trial(fake, worker, brand, mode, index):
    # given a few queued emails
    trial = Trial(mode=mode, emails=queue_emails(brand, EMAILS_PER_TRIAL))
    fired = arm(fake, worker, trial)
    # when the send task runs and the worker's pool process is killed at the chosen point
    send_scheduled_emails.apply_async(queue=worker.queue)
    assert fired.wait(timeout=30), f"trial {index}: the kill point {mode} was never reached"
    fake.on_request.clear()
    fake.on_answered.clear()
    settle([e.pk for e in trial.emails], lambda: send_scheduled_emails.apply_async(queue=worker.queue).get(timeout=60))
    # then every email is settled, none twice, and "sent" exactly where Zoho has it
    assert trial.killed >= 1, f"trial {index} ({mode}): nothing was killed"
    counts = verdict(fake, trial.emails)
    assert sum(counts.values()) == EMAILS_PER_TRIAL
    return counts
