"""Ready to Pitch end to end: Zoho's webhook -> the stored event -> a real Celery worker -> the fake
Zoho CRM -> CV, skills and matches in the database. The same body delivered again looks again: it
changes nothing when nothing changed in Zoho, and brings a new CV when one was uploaded; a Zoho
outage is retried until it passes."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from recruiting.models import Candidate, Document, JobMatch, ProcessingStatus
from recruiting.services.roles import role_upsert
from recruiting.tests.cvs import LABELLED_CVS, cv_pdf
from tests.fakes.zoho_crm import FakeZohoCRM
from tests.fixtures.celery import routed_worker, wait_for
from tests.fixtures.fakes import zoho_crm_env
from webhooks.models import EventState, InboundEvent
from webhooks.services import inbound_events_due
from webhooks.tasks import inbound_event_process_task

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SECRET = "e2e-webhook-secret"
URL = "/webhook/zoho/contact/"


@pytest.fixture(scope="module")
def crm():
    with FakeZohoCRM() as fake:
        yield fake


@pytest.fixture(scope="module")
def worker(crm, django_db_setup, django_db_blocker, tmp_path_factory):
    """A worker of its own, pointed at the fake CRM; the webhook's tasks are routed to it."""
    cv_dir = tmp_path_factory.mktemp("cvs")
    env = {**zoho_crm_env(crm), "CV_DOWNLOAD_DIR": str(cv_dir), "WEBHOOK_SECRET": SECRET}
    with routed_worker("e2e-rec", env, django_db_blocker) as process:
        yield process


@pytest.fixture
def setup(settings, crm, worker):
    settings.WEBHOOK_SECRET = SECRET
    for name, value in zoho_crm_env(crm).items():
        setattr(settings, name, value)
    for title, company, industries, location, policy, required in [
        ("Backend Engineer", "Canva", "Information Technology", "Sydney NSW", "hybrid", "Python, Django, PostgreSQL"),
        ("Registered Nurse", "Alfred Health", "Healthcare", "Melbourne VIC", "office", "Patient Care"),
    ]:
        role_upsert(
            title=title,
            company=company,
            data={"industries": industries, "location": location, "work_policy": policy, "required_skills": required},
        )


def software_cv():
    return next(cv for cv in LABELLED_CVS if "Python" in cv.true_skills and "Django" in cv.true_skills)


def add_candidate(crm, cv):
    contact_id = crm.add_contact(
        First_Name=cv.name.split()[0],
        Last_Name=cv.name.split()[-1],
        Email=cv.email,
        Mailing_City="Sydney",
        Mailing_Country="Australia",
        Work_Policy="Hybrid",
        Role_Success_Stage="Ready to Pitch",
        Industry_1_Areas=["Information Technology"],
    )
    crm.add_attachment(
        "Contacts",
        contact_id,
        f"{cv.slug}.pdf",
        cv_pdf(cv),
        created_time=datetime.now(timezone(timedelta(hours=10))) - timedelta(hours=1),
    )
    return contact_id


def deliver(client, contact_id, **extra):
    body = json.dumps({"contact_id": contact_id, "role_success_stage": "Ready to Pitch", **extra})
    return client.post(URL, body, content_type="application/json", headers={"X-Webhook-Token": SECRET})


def done(contact_id):
    candidate = Candidate.objects.filter(zoho_contact_id=contact_id).first()
    return candidate is not None and candidate.processing_status in (ProcessingStatus.DONE, ProcessingStatus.PARTIAL)


def test_the_webhook_brings_cv_skills_and_matches_through_the_worker(client, crm, setup):
    # given
    cv = software_cv()
    contact_id = add_candidate(crm, cv)
    # when
    response = deliver(client, contact_id)
    # then
    assert response.status_code == 200
    wait_for(lambda: done(contact_id))
    candidate = Candidate.objects.get(zoho_contact_id=contact_id)
    assert candidate.processing_status == ProcessingStatus.DONE, candidate.processing_error
    assert Document.objects.get(candidate=candidate).extraction_status == "extracted"
    assert {"Python", "Django"} <= set(candidate.skills.values_list("name", flat=True))
    best = JobMatch.objects.filter(candidate=candidate).order_by("-score").first()
    assert best is not None and best.role.title == "Backend Engineer"
    wait_for(lambda: InboundEvent.objects.get().state == EventState.DONE)
    # and the same body delivered again looks at the attachments, downloads nothing and changes nothing
    downloads, skills = sum(crm.downloads.values()), sorted(candidate.skills.values_list("pk", flat=True))
    again = deliver(client, contact_id)
    assert again.json()["status"] == "accepted"
    wait_for(lambda: all(event.state == EventState.DONE for event in InboundEvent.objects.all()))
    assert InboundEvent.objects.count() == 2
    assert sum(crm.downloads.values()) == downloads
    assert sorted(candidate.skills.values_list("pk", flat=True)) == skills


def test_a_new_cv_delivered_with_the_same_body_minutes_later_replaces_the_old(client, crm, setup):
    # given a candidate processed once
    contact_id = add_candidate(crm, software_cv())
    deliver(client, contact_id)
    wait_for(lambda: InboundEvent.objects.filter(state=EventState.DONE).count() == 1)
    old = Document.objects.get(candidate__zoho_contact_id=contact_id)
    # when the recruiter uploads a new CV in Zoho and the workflow posts the very same fields again
    other = next(cv for cv in LABELLED_CVS if cv.slug == "devops-sre")
    crm.add_attachment(
        "Contacts",
        contact_id,
        "cv-updated.pdf",
        cv_pdf(other),
        created_time=datetime.now(timezone(timedelta(hours=10))),
    )
    deliver(client, contact_id)
    # then the new CV is fetched and read, and the old one is gone
    wait_for(lambda: InboundEvent.objects.filter(state=EventState.DONE).count() == 2)
    document = Document.objects.get(candidate__zoho_contact_id=contact_id)
    assert (document.file_name, document.extraction_status) == ("cv-updated.pdf", "extracted")
    assert document.pk != old.pk
    assert "Ansible" in set(Candidate.objects.get(zoho_contact_id=contact_id).skills.values_list("name", flat=True))


def test_a_zoho_outage_is_retried_by_the_beat_job_until_it_passes(client, crm, setup):
    # given: Zoho CRM answers 500 to the next requests
    contact_id = add_candidate(crm, software_cv())
    crm.fail_next_crm(500, times=1)
    # when
    deliver(client, contact_id)
    wait_for(lambda: InboundEvent.objects.get().attempts == 1)
    event = InboundEvent.objects.get()
    assert (event.state, event.processed_at) == (EventState.PENDING, None)
    assert "INTERNAL_ERROR" in event.error
    InboundEvent.objects.update(next_attempt_at=None)  # the back-off has passed
    for event_id in inbound_events_due(stale=timedelta(0)):
        inbound_event_process_task.delay(event_id)
    # then
    wait_for(lambda: InboundEvent.objects.get().state == EventState.DONE)
    assert done(contact_id)
    assert JobMatch.objects.filter(candidate__zoho_contact_id=contact_id).exists()
