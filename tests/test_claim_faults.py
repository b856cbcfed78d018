"""Background jobs that take rows to work on survive an exception, a SIGKILL and a double run in
the middle of the work with nothing lost and nothing done twice (crm_site.claims), through a real
worker: incoming replies here; each case ends with every row done exactly once."""

import threading
import uuid
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from crm.mail.outbox import OutboxMailbox
from crm.models import ActivityType, Brand, DealActivity, EmailLog, EmailStatus, InboundEmail
from crm.services.outbox import outbox_simulate_inbound
from crm.services.replies import brand_check_replies
from crm.services.seed import seed_crm_pipelines
from crm.tasks import check_email_replies
from crm.tests.factories import ContactFactory, DealFactory
from tests.fakes.openai import API_KEY, FakeOpenAI
from tests.faults import kill_pool
from tests.fixtures.celery import purge_queue, start_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REPLIES = 3


@pytest.fixture(scope="module")
def openai():
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture(scope="module")
def worker(openai, django_db_setup, django_db_blocker):
    queue = f"claims-{uuid.uuid4().hex[:8]}"
    env = {"OPENAI_API_KEY": API_KEY, "OPENAI_BASE_URL": openai.base_url, "CELERY_WORKER_LOST_WAIT": "0.5"}
    with django_db_blocker.unblock():
        process = start_worker(queue, concurrency=1, extra_env=env)
    yield process
    process.stop()
    purge_queue(queue)


@pytest.fixture
def fresh(openai):
    openai.delay = 0.0
    openai.on_request.clear()
    yield openai
    openai.delay = 0.0
    openai.on_request.clear()


def replies_waiting(count=REPLIES):
    """`count` deals whose first email was sent through the outbox, each with a reply in the inbox."""
    seed_crm_pipelines()
    brand = Brand.objects.get(slug="codeteki")
    Brand.objects.exclude(pk=brand.pk).update(is_active=False)
    pipeline = brand.pipelines.get(slug="sales")
    deals = []
    for index in range(count):
        deal = DealFactory(pipeline=pipeline, current_stage=pipeline.first_stage(), contact=ContactFactory(brand=brand))
        sent = OutboxMailbox(brand).send(deal.contact.email, f"Hello {index}", "<p>Hi</p>", "Hi")
        EmailLog.objects.create(
            deal=deal, to_email=deal.contact.email, subject=f"Hello {index}", body="<p>Hi</p>",
            status=EmailStatus.SENT, sent_at=timezone.now(), provider="outbox", rfc_message_id=sent.rfc_message_id,
        )  # fmt: skip
        from crm.models import OutboxMessage

        outbox_simulate_inbound(message=OutboxMessage.objects.get(pk=sent.message_id), kind="reply")
        deals.append(deal)
    return deals


def handled_once(deals):
    """Every reply processed, and each deal told about its reply exactly once."""
    replies = DealActivity.objects.filter(deal__in=deals, activity_type=ActivityType.REPLY_RECEIVED)
    return InboundEmail.objects.filter(processed_at__isnull=True).count() == 0 and sorted(
        replies.values_list("deal_id", flat=True)
    ) == sorted(d.pk for d in deals)


def time_passes():
    """Leases and back-offs run out."""
    past = timezone.now() - timedelta(seconds=1)
    InboundEmail.objects.filter(claim_until__isnull=False).update(claim_until=past)
    InboundEmail.objects.filter(retry_at__isnull=False).update(retry_at=past)


def test_a_reply_cut_off_by_the_soft_time_limit_is_put_back_and_done_once_later(worker, fresh):
    # given three replies and a model that takes 1.5 s to answer
    deals = replies_waiting()
    fresh.delay = 1.5
    # when the check runs with a 1 s soft time limit
    with pytest.raises(SoftTimeLimitExceeded):
        check_email_replies.apply_async(queue=worker.queue, soft_time_limit=1).get(timeout=60)
    # then the reply being classified is put back with its error, none is marked done
    cut = InboundEmail.objects.get(attempts=1)
    assert cut.processed_at is None and cut.claim_owner == "" and "SoftTimeLimitExceeded" in cut.last_error
    assert InboundEmail.objects.filter(processed_at__isnull=False).count() == 0
    # when time passes and the check runs again
    fresh.delay = 0.0
    time_passes()
    check_email_replies.apply_async(queue=worker.queue).get(timeout=60)
    # then every reply is handled once
    assert handled_once(deals)
    assert InboundEmail.objects.get(pk=cut.pk).attempts == 0  # released clean


def test_a_worker_killed_mid_reply_leaves_it_held_then_it_is_done_once(worker, fresh):
    # given three replies; the worker is killed as its first classification reaches the model
    deals = replies_waiting()
    fired = threading.Event()

    def kill_once(request):
        if not fired.is_set() and request.path.endswith("/chat/completions"):
            fired.set()
            kill_pool(worker)

    fresh.on_request.append(kill_once)
    # when the check runs, and runs again (as beat does) after the kill
    check_email_replies.apply_async(queue=worker.queue)
    assert fired.wait(30)
    fresh.on_request.clear()
    check_email_replies.apply_async(queue=worker.queue).get(timeout=60)
    wait_for(lambda: InboundEmail.objects.filter(processed_at__isnull=False).count() == REPLIES - 1)
    # then the killed reply is still held, not done
    held = InboundEmail.objects.get(processed_at__isnull=True)
    assert held.claim_until > timezone.now()
    # when its lease runs out and the check runs again
    time_passes()
    check_email_replies.apply_async(queue=worker.queue).get(timeout=60)
    # then every reply is handled once
    assert handled_once(deals)


def test_two_checks_at_once_handle_each_reply_once(worker, fresh, settings):
    # given three replies and a model slow enough for the two checks to overlap
    deals = replies_waiting()
    fresh.delay = 0.5
    settings.OPENAI_API_KEY, settings.OPENAI_BASE_URL = API_KEY, fresh.base_url
    asked = len(fresh.received("POST", r".*/chat/completions"))
    # when one check runs in the worker and another here, at the same time
    running = check_email_replies.apply_async(queue=worker.queue)
    wait_for(lambda: len(fresh.received("POST", r".*/chat/completions")) > asked, timeout=30)
    here = brand_check_replies(brand=Brand.objects.get(slug="codeteki"))
    running.get(timeout=60)
    # then each reply is handled once, some by each
    assert handled_once(deals)
    assert 0 < here.processed < REPLIES
