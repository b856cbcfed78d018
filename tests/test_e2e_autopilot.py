"""The autopilot end to end: a real Celery worker, the suite's broker, fake Zoho and OpenAI servers.

Seed, import contacts with deals, then process_pending_deals and send_scheduled_emails send
the first emails to the fake Zoho; a reply put in the fake inbox is found by
check_email_replies, classified and moves its deal; running every task again changes nothing.
"""

import io
import json
import time
import uuid

import pytest

from crm.models import Brand, Deal, EmailLog, EmailStatus, InboundEmail
from crm.services.imports import contact_import_run, import_target
from crm.services.seed import seed_crm_pipelines
from crm.tasks import check_email_replies, daily_ai_review, process_pending_deals, send_scheduled_emails
from tests.fakes.openai import API_KEY, FakeOpenAI, default_answer
from tests.fakes.zoho import FakeZoho
from tests.fixtures.celery import purge_queue, start_worker, wait_for
from tests.fixtures.fakes import zoho_env

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CONTACTS = (
    b"email,name,company\nann@harbour.example,Ann Lee,Harbour Dental\nbo@bakehouse.example,Bo Chen,Little Bakehouse\n"
)


def answer(schema, prompt):
    """What a sensible model says: send the first email, then move on, then wait."""
    if schema == "dealdecision" and "Stage: New Lead" in prompt:
        if "Emails sent: 0" in prompt:
            return {
                "action": "send_email",
                "reasoning": "A new lead: introduce ourselves.",
                "metadata": {"email_type": "initial"},
            }
        return {"action": "move_stage", "reasoning": "Introduced.", "metadata": {"target_stage": "Contacted"}}
    return default_answer(schema, prompt)


@pytest.fixture(scope="module")
def fakes():
    with FakeZoho() as zoho, FakeOpenAI() as openai:
        openai.answer = answer
        yield zoho, openai


@pytest.fixture(scope="module")
def worker(fakes, django_db_setup, django_db_blocker):
    zoho, openai = fakes
    queue = f"e2e-{uuid.uuid4().hex[:8]}"
    env = {**zoho_env(zoho), "OPENAI_API_KEY": API_KEY, "OPENAI_BASE_URL": openai.base_url, "AI_PROVIDER": "openai"}
    with django_db_blocker.unblock():
        process = start_worker(queue, extra_env=env)
    yield process
    process.stop()
    purge_queue(queue)


def run(task, worker):
    return task.apply_async(queue=worker.queue).get(timeout=60)


def snapshot(zoho):
    return (
        len(zoho.sent()),
        EmailLog.objects.count(),
        sorted(EmailLog.objects.values_list("status", flat=True)),
        sorted(Deal.objects.values_list("current_stage__name", flat=True)),
        InboundEmail.objects.count(),
    )


def test_the_autopilot_sends_reads_the_reply_and_moves_the_deal(fakes, worker):
    zoho, openai = fakes
    # given two imported leads with deals, and brands that may send at any hour
    seed_crm_pipelines()
    Brand.objects.update(send_window_start=None, send_window_end=None, send_weekdays=[])
    codeteki = Brand.objects.get(slug="codeteki")
    target = import_target(brand=codeteki, pipeline=codeteki.pipelines.get(slug="sales"))
    contact_import_run(stream=io.BytesIO(CONTACTS), target=target)

    # when the autopilot runs and the emails are sent
    assert run(process_pending_deals, worker) == 2
    wait_for(lambda: EmailLog.objects.filter(status=EmailStatus.PENDING).count() == 2)
    run(send_scheduled_emails, worker)

    # then each lead got exactly one email through Zoho, written by the model
    sent = zoho.sent()
    assert sorted(m.to_address for m in sent) == ["ann@harbour.example", "bo@bakehouse.example"]
    assert all(count == 1 for count in zoho.sent_keys.values()) and len(zoho.sent_keys) == 2
    assert all("A personal note from the fake model" in m.content for m in sent)
    ann = EmailLog.objects.get(to_email="ann@harbour.example")
    assert (ann.status, ann.provider, ann.ai_generated) == (EmailStatus.SENT, "zoho", True)

    # when Ann replies and the inbox is read
    zoho.deliver(
        from_address="ann@harbour.example", subject="Re: " + ann.subject, text="Sounds great, let's talk Thursday.",
        in_reply_to=ann.rfc_message_id,
    )  # fmt: skip
    reports = run(check_email_replies, worker)

    # then her deal moved forward and waits for a person
    assert reports["codeteki"]["kinds"] == {"reply": 1}
    deal = Deal.objects.get(contact__email="ann@harbour.example")
    assert (deal.current_stage.name, deal.needs_review) == ("Engaged", True)
    classify = [json.loads(r.body)["response_format"]["json_schema"]["name"] for r in openai.chat_requests()]
    assert "replyclassification" in classify

    # and running every task again changes nothing more
    run(daily_ai_review, worker)
    before = snapshot(zoho)
    for task in (process_pending_deals, send_scheduled_emails, check_email_replies, daily_ai_review):
        run(task, worker)
    time.sleep(1)  # let anything the second run enqueued finish
    assert snapshot(zoho) == before
