"""Background jobs that take rows to work on survive an exception, a SIGKILL and a double run in
the middle of the work with nothing lost and nothing done twice (crm_site.claims), through a real
worker: incoming replies, the deal autopilot, the Chatwoot sync of a phone and the Ready to Pitch
flow of a candidate; each case ends with the work done exactly once."""

import threading
import uuid
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from crm.mail.outbox import OutboxMailbox
from crm.models import ActivityType, Brand, Deal, DealActivity, EmailLog, EmailStatus, InboundEmail, OutboxMessage
from crm.services.autopilot import deal_autopilot_run, deals_due
from crm.services.outbox import outbox_simulate_inbound
from crm.services.replies import brand_check_replies
from crm.services.seed import seed_crm_pipelines
from crm.tasks import check_email_replies, process_pending_deals, run_deal_autopilot
from crm.tests.factories import ContactFactory, DealFactory
from messaging.models import SyncState, WhatsAppContact, WhatsAppMessage
from messaging.services.messages import whatsapp_message_receive
from messaging.tasks import chatwoot_sync_message_task
from recruiting.models import Candidate
from recruiting.tasks import ready_to_pitch_run
from recruiting.tests import pdfs
from tests.fakes.chatwoot import FakeChatwoot
from tests.fakes.openai import API_KEY, FakeOpenAI, default_answer
from tests.fakes.zoho_crm import FakeZohoCRM
from tests.faults import kill_pool
from tests.fixtures.celery import purge_queue, start_worker, wait_for
from tests.fixtures.fakes import chatwoot_env, zoho_crm_env
from tests.fixtures.recruiting import CV_TEXT

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REPLIES = 3


@pytest.fixture(scope="module")
def openai():
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture(scope="module")
def chatwoot():
    with FakeChatwoot() as fake:
        yield fake


@pytest.fixture(scope="module")
def crm():
    with FakeZohoCRM() as fake:
        yield fake


@pytest.fixture(scope="module")
def worker(openai, chatwoot, crm, django_db_setup, django_db_blocker, tmp_path_factory):
    queue = f"claims-{uuid.uuid4().hex[:8]}"
    env = {
        "OPENAI_API_KEY": API_KEY, "OPENAI_BASE_URL": openai.base_url, "AI_PROVIDER": "openai",
        "CELERY_WORKER_LOST_WAIT": "0.5", **chatwoot_env(chatwoot), **zoho_crm_env(crm),
        "CV_DOWNLOAD_DIR": str(tmp_path_factory.mktemp("cvs")),
    }  # fmt: skip
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
        outbox_simulate_inbound(message=OutboxMessage.objects.get(pk=sent.message_id), kind="reply")
        deals.append(deal)
    return deals


def handled_once(deals):
    """Every reply processed, and each deal told about its reply exactly once."""
    replies = DealActivity.objects.filter(deal__in=deals, activity_type=ActivityType.REPLY_RECEIVED)
    return InboundEmail.objects.filter(processed_at__isnull=True).count() == 0 and sorted(
        replies.values_list("deal_id", flat=True)
    ) == sorted(d.pk for d in deals)


def time_passes(model=InboundEmail):
    """The leases and back-offs of `model`'s rows run out."""
    past = timezone.now() - timedelta(seconds=1)
    model.objects.filter(claim_until__isnull=False).update(claim_until=past)
    model.objects.filter(retry_at__isnull=False).update(retry_at=past)


def test_a_reply_cut_off_by_the_soft_time_limit_is_put_back_and_done_once_later(worker, fresh):
    # given three replies and a model that takes 3 s to answer (well past the limit, even when a
    # loaded machine delivers the time limit's signal late)
    deals = replies_waiting()
    fresh.delay = 3.0
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
    settings.OPENAI_API_KEY, settings.OPENAI_BASE_URL, settings.AI_PROVIDER = API_KEY, fresh.base_url, "openai"
    asked = len(fresh.received("POST", r".*/chat/completions"))
    # when one check runs in the worker and another here, at the same time
    running = check_email_replies.apply_async(queue=worker.queue)
    wait_for(lambda: len(fresh.received("POST", r".*/chat/completions")) > asked, timeout=30)
    here = brand_check_replies(brand=Brand.objects.get(slug="codeteki"))
    running.get(timeout=60)
    # then each reply is handled once, some by each
    assert handled_once(deals)
    assert 0 < here.processed < REPLIES


# --- the deal autopilot ------------------------------------------------------------------------------


def first_email_answer(schema, prompt):
    """A model that sends a new lead its first email, and otherwise waits."""
    if schema == "dealdecision":
        if "Emails sent: 0" in prompt:
            return {"action": "send_email", "reasoning": "A new lead.", "metadata": {"email_type": "initial"}}
        return {"action": "wait", "reasoning": "Wait for a reply.", "metadata": {"wait_days": 3}}
    return default_answer(schema, prompt)


@pytest.fixture
def deciding(fresh):
    fresh.answer = first_email_answer
    yield fresh
    fresh.answer = default_answer


def new_lead():
    seed_crm_pipelines()
    pipeline = Brand.objects.get(slug="codeteki").pipelines.get(slug="sales")
    return DealFactory(
        pipeline=pipeline, current_stage=pipeline.first_stage(), contact=ContactFactory(brand=pipeline.brand),
        next_action_date=timezone.now() - timedelta(minutes=1),
    )  # fmt: skip


def test_a_worker_killed_while_composing_queues_nothing_and_the_email_goes_once_later(worker, deciding):
    # given a due lead; the worker dies as the model is asked to write the email
    lead = new_lead()
    fired = threading.Event()

    def kill_at_compose(request):
        if not fired.is_set() and "composedemail" in request.body.decode(errors="replace").lower():
            fired.set()
            kill_pool(worker)

    deciding.on_request.append(kill_at_compose)
    run_deal_autopilot.apply_async((str(lead.pk),), {"only_if_due": True}, queue=worker.queue)
    assert fired.wait(30)
    deciding.on_request.clear()
    # then nothing is queued and the deal is held until its lease runs out
    lead.refresh_from_db()
    assert not EmailLog.objects.filter(deal=lead).exists()
    assert lead.claim_until > timezone.now()
    assert run_deal_autopilot.apply_async((str(lead.pk),), {"only_if_due": True}, queue=worker.queue).get(60) is None
    # when it runs out and the hourly job hands the deal out again
    time_passes(Deal)
    process_pending_deals.apply_async(queue=worker.queue).get(timeout=60)
    wait_for(lambda: EmailLog.objects.filter(deal=lead).exists())
    # then the email is queued once, and running again queues nothing more
    run_deal_autopilot.apply_async((str(lead.pk),), queue=worker.queue).get(timeout=60)
    assert EmailLog.objects.filter(deal=lead).count() == 1


def test_a_run_cut_off_by_the_soft_time_limit_puts_the_deal_back(worker, deciding):
    lead = new_lead()
    deciding.delay = 1.5

    with pytest.raises(SoftTimeLimitExceeded):
        run_deal_autopilot.apply_async((str(lead.pk),), queue=worker.queue, soft_time_limit=1).get(timeout=60)

    lead.refresh_from_db()
    assert (lead.claim_owner, lead.attempts) == ("", 1)
    assert lead.retry_at > timezone.now() and "SoftTimeLimitExceeded" in lead.last_error
    assert lead.pk not in deals_due()  # waiting for its retry
    deciding.delay = 0.0
    time_passes(Deal)
    process_pending_deals.apply_async(queue=worker.queue).get(timeout=60)
    wait_for(lambda: EmailLog.objects.filter(deal=lead).exists())
    assert EmailLog.objects.filter(deal=lead).count() == 1


def test_two_runs_of_one_deal_at_once_queue_one_email(worker, deciding, settings):
    # given a lead and a slow model, asked from the worker and from here at the same time
    lead = new_lead()
    deciding.delay = 0.5
    settings.OPENAI_API_KEY, settings.OPENAI_BASE_URL, settings.AI_PROVIDER = API_KEY, deciding.base_url, "openai"
    running = run_deal_autopilot.apply_async((str(lead.pk),), queue=worker.queue)
    wait_for(lambda: Deal.objects.filter(pk=lead.pk, claim_until__isnull=False).exists(), timeout=30)
    here = deal_autopilot_run(deal_id=lead.pk)
    there = running.get(timeout=60)
    # then one of them did the work
    assert (here, there["action"]) == (None, "send_email")
    assert EmailLog.objects.filter(deal=lead).count() == 1


# --- the Chatwoot sync of a phone ------------------------------------------------------------------


def killer(fake, worker, matches):
    """Kill the worker's pool as the first request `matches` reaches `fake`; the event says it fired."""
    fired = threading.Event()

    def kill(request):
        if not fired.is_set() and matches(request):
            fired.set()
            kill_pool(worker)

    fake.on_request.append(kill)
    return fired


def test_a_worker_killed_while_creating_the_conversation_leaves_one_conversation(worker, chatwoot, settings):
    # given a stored WhatsApp message; the worker dies as it asks Chatwoot for the conversation
    for name, value in chatwoot_env(chatwoot).items():
        setattr(settings, name, value)
    stored = whatsapp_message_receive(message=text_message_dict("31699900011", "Hallo"), profile_name="Kim")
    fired = killer(chatwoot, worker, lambda r: r.method == "POST" and r.path.endswith("/conversations"))
    chatwoot_sync_message_task.apply_async((stored.pk,), queue=worker.queue)
    assert fired.wait(30)
    chatwoot.on_request.clear()
    # then the phone is held until its lease runs out, and nothing is synced yet
    contact = WhatsAppContact.objects.get(pk=stored.contact_id)
    assert contact.claim_until > timezone.now() and stored.sync_state != SyncState.SYNCED
    # when it runs out and the sync runs again
    time_passes(WhatsAppContact)
    chatwoot_sync_message_task.apply_async((stored.pk,), queue=worker.queue).get(timeout=60)
    # then one conversation (the one Chatwoot made as the worker died, found again) and one post
    contact.refresh_from_db()
    mine = [c for c in chatwoot.conversations.values() if c.get("contact_id") == contact.chatwoot_contact_id]
    assert len(mine) == 1
    assert [m["source_id"] for m in chatwoot.messages(contact.chatwoot_conversation_id)] == [stored.wa_message_id]
    assert WhatsAppMessage.objects.get(pk=stored.pk).sync_state == SyncState.SYNCED


# --- the Ready to Pitch flow of a candidate ---------------------------------------------------------------


def test_a_worker_killed_while_downloading_the_cv_leaves_the_candidate_not_done(worker, crm, settings):
    # given a Zoho contact at Ready to Pitch with a CV; the worker dies as it downloads the CV
    for name, value in zoho_crm_env(crm).items():
        setattr(settings, name, value)
    contact_id = crm.add_contact(First_Name="Lea", Role_Success_Stage="Ready to Pitch", Mailing_City="Sydney")
    crm.add_attachment("Contacts", contact_id, "Lea CV.pdf", pdfs.text_pdf(CV_TEXT))
    fired = killer(crm, worker, lambda r: r.method == "GET" and "/Attachments/" in r.path)
    ready_to_pitch_run.apply_async((contact_id,), queue=worker.queue)
    assert fired.wait(30)
    crm.on_request.clear()
    # then the candidate is held, not done
    candidate = Candidate.objects.get(zoho_contact_id=contact_id)
    assert candidate.processing_status != "done" and candidate.claim_until > timezone.now()
    # when its lease runs out and the flow runs again
    time_passes(Candidate)
    report = ready_to_pitch_run.apply_async((contact_id,), queue=worker.queue).get(timeout=90)
    # then it is done once: one CV, released (the killed run, redelivered by Celery, may run the
    # flow once more after this one: wait for whichever runs last to let go)
    assert report["ok"], report
    settled = Candidate.objects.filter(pk=candidate.pk, processing_status="done", claim_owner="")
    wait_for(settled.exists, timeout=60)
    assert candidate.documents.count() == 1


def text_message_dict(phone_digits, body):
    return {"from": phone_digits, "id": f"wamid.{uuid.uuid4().hex}", "timestamp": str(int(timezone.now().timestamp())),
            "type": "text", "text": {"body": body}}  # fmt: skip
