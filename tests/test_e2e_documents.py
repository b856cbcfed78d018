"""Documents through a real worker: an upload's text is read in the worker (PDF, DOCX, XLSX, a
photo and a scanned page by OCR); broken and hostile files end failed with a reason while the rest
goes on; and the extraction survives an exception, a SIGKILL and a double run mid-way (the version
is claimed, crm_site.claims), ending read exactly once."""

import uuid
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from crm.models import Brand
from crm.services.seed import seed_crm_pipelines
from crm_site.claims import claim_row
from crm_site.tests.factories import UserFactory
from documents.models import Document, DocumentVersion
from documents.services.files import file_check, file_store
from documents.tasks import document_version_extract_task, documents_extract_pending_task
from documents.tests import files
from recruiting.tests import pdfs
from tests.faults import kill_pool
from tests.fixtures.celery import purge_queue, start_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

UPLOADS = {
    "contract.pdf": (
        files.pdf("This services agreement binds Codeteki and Acme Widgets for twelve months."),
        "twelve months",
    ),
    "proposal.docx": (
        files.word("Proposal for Acme", "Phase one covers the storefront redesign."),
        "storefront redesign",
    ),
    "invoice.xlsx": (files.excel([["Item", "Amount"], ["Hosting renewal", 1200]]), "Hosting renewal"),
    "letter.png": (files.picture(["PURCHASE ORDER 7731", "Deliver before Friday"]), "PURCHASE ORDER 7731"),
    "scan.pdf": (files.scanned_pdf(["Scanned lease agreement", "Rent is due monthly"]), "Rent is due monthly"),
}
HOSTILE = {
    "broken.pdf": (files.BROKEN_PDF, "unreadable PDF"),
    "locked.pdf": (pdfs.encrypted_pdf(), "password-protected"),
}


@pytest.fixture
def uploader(db):
    seed_crm_pipelines()
    user = UserFactory(username="uploader")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="documents"))
    Brand.objects.get(slug="codeteki").members.add(user)
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_a_real_worker_reads_every_kind_and_a_bad_file_fails_alone(celery_worker, uploader):
    ids = {}
    for name, (data, _) in {**UPLOADS, **{n: (d, "") for n, (d, _) in HOSTILE.items()}}.items():
        response = uploader.post(
            "/api/documents/documents/", {"file": SimpleUploadedFile(name, data)}, format="multipart"
        )
        assert response.status_code == 201, response.json()
        ids[name] = response.json()["id"]

    wait_for(lambda: not DocumentVersion.objects.filter(extraction_state="pending").exists(), timeout=120)

    for name, (_, words) in UPLOADS.items():
        version = Document.objects.get(pk=ids[name]).current_version
        assert (version.extraction_state, version.extraction_error) == ("done", ""), name
        assert words.lower() in version.text.lower(), (name, version.text)
    assert Document.objects.get(pk=ids["letter.png"]).current_version.ocr_pages == 1
    assert Document.objects.get(pk=ids["scan.pdf"]).current_version.ocr_pages == 1
    assert Document.objects.get(pk=ids["contract.pdf"]).current_version.thumbnail
    for name, (_, reason) in HOSTILE.items():
        version = Document.objects.get(pk=ids[name]).current_version
        assert version.extraction_state == "failed" and reason in version.extraction_error, name
    found = uploader.get("/api/documents/documents/", {"q": "storefront"}).json()["results"]
    assert [d["id"] for d in found] == [ids["proposal.docx"]]


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def fault_worker(media, django_db_setup, django_db_blocker):
    queue = f"documents-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        process = start_worker(
            queue, concurrency=1, extra_env={"MEDIA_ROOT": str(media), "CELERY_WORKER_LOST_WAIT": "0.5"}
        )
    yield process
    process.stop()
    purge_queue(queue)


@pytest.fixture
def stored(settings, media):
    """A version stored as an upload is, without publishing its task: the test runs the work."""
    settings.MEDIA_ROOT = media

    def store(data: bytes, name: str = "slow.pdf") -> DocumentVersion:
        checked = file_check([data], name)
        document = Document.objects.create(name=name)
        version = DocumentVersion.objects.create(
            document=document, number=1, file=file_store(checked, document_id=document.pk, number=1),
            file_name=checked.file_name, kind=checked.kind, content_type=checked.content_type, size=checked.size,
            sha256=checked.sha256,
        )  # fmt: skip
        Document.objects.filter(pk=document.pk).update(current_version=version)
        return version

    return store


def time_passes():
    past = timezone.now() - timedelta(seconds=1)
    DocumentVersion.objects.filter(claim_until__isnull=False).update(claim_until=past)
    DocumentVersion.objects.filter(retry_at__isnull=False).update(retry_at=past)


def read_once(version):
    """Read to the end (a slow PDF of one repeated letter has no words: "no text") and let go."""
    version.refresh_from_db()
    return version.extraction_state == "no_text" and version.extracted_at is not None and version.claim_owner == ""


def test_an_extraction_cut_off_mid_parse_is_put_back_and_read_once_later(fault_worker, stored):
    # given a PDF that takes seconds to parse (60,000 text operations)
    version = stored(pdfs.slow_pdf(60_000))
    # when the task is cut off by a 1 s soft time limit while the child parses
    with pytest.raises(SoftTimeLimitExceeded):
        document_version_extract_task.apply_async(args=[version.pk], queue=fault_worker.queue, soft_time_limit=1).get(
            timeout=60
        )
    # then the version is put back with its error, not marked read
    version.refresh_from_db()
    assert (version.extraction_state, version.attempts, version.claim_owner) == ("pending", 1, "")
    assert "SoftTimeLimitExceeded" in version.last_error
    # when time passes and the sweep runs
    time_passes()
    documents_extract_pending_task.apply_async(queue=fault_worker.queue).get(timeout=120)
    # then it is read once, and released clean
    assert read_once(version)
    assert version.attempts == 0


def test_a_worker_killed_mid_parse_leaves_the_version_held_then_it_is_read_once(fault_worker, stored):
    version = stored(pdfs.slow_pdf(60_000))
    document_version_extract_task.apply_async(args=[version.pk], queue=fault_worker.queue)
    wait_for(lambda: DocumentVersion.objects.filter(pk=version.pk).exclude(claim_owner="").exists(), timeout=30)
    # when the pool process is killed while the child parses
    assert kill_pool(fault_worker) >= 1
    # then the version stays pending, held by a lease nobody renews (the redelivered task finds it held)
    version.refresh_from_db()
    assert version.extraction_state == "pending" and version.claim_owner
    # when the lease runs out and the sweep runs (or the redelivered task gets there first), it is read once
    time_passes()
    documents_extract_pending_task.apply_async(queue=fault_worker.queue).get(timeout=120)
    wait_for(lambda: read_once(version), timeout=120)
    assert version.attempts == 0


def test_a_double_run_reads_a_version_once(fault_worker, stored):
    # given a version another worker holds
    version = stored(files.pdf("Held by someone else: a maintenance contract for the whole year ahead of us."))
    holder = claim_row(DocumentVersion, version.pk, lease=timedelta(minutes=5))
    # when the task runs twice meanwhile, neither touches it
    for _ in range(2):
        assert (
            document_version_extract_task.apply_async(args=[version.pk], queue=fault_worker.queue).get(timeout=60)
            is None
        )
    version.refresh_from_db()
    assert (version.extraction_state, version.claim_owner) == ("pending", holder.owner)
    # when the holder's lease runs out, two runs at once: one reads it, the other finds nothing
    time_passes()
    first = document_version_extract_task.apply_async(args=[version.pk], queue=fault_worker.queue)
    second = document_version_extract_task.apply_async(args=[version.pk], queue=fault_worker.queue)
    assert sorted([first.get(timeout=60) or "", second.get(timeout=60) or ""]) == ["", "done"]
    version.refresh_from_db()
    assert version.extraction_state == "done" and "maintenance contract" in version.text


def test_a_version_that_keeps_failing_is_given_up_with_its_reason(fault_worker, stored):
    version = stored(files.pdf("Given up: this file will never be read because its worker keeps dying on it."))
    DocumentVersion.objects.filter(pk=version.pk).update(attempts=3, last_error="WorkerLostError: killed")

    documents_extract_pending_task.apply_async(queue=fault_worker.queue).get(timeout=60)

    version.refresh_from_db()
    assert version.extraction_state == "failed"
    assert version.extraction_error == "gave up after 3 attempts: WorkerLostError: killed"
