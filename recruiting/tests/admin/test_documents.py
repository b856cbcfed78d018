"""A CV added by hand in the admin (CV documents -> Add): stored, read, skills and matches follow."""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile

from recruiting.demo import demo_cv_pdf
from recruiting.models import Document, JobMatch
from recruiting.services.candidates import candidate_upsert

pytestmark = pytest.mark.django_db

admin.autodiscover()
ADD = "/admin/recruiting/document/add/"


@pytest.fixture
def candidate(roles):
    return candidate_upsert(
        contact_id="c-42", fields={"first_name": "Ana", "last_name": "Lima", "location": "Sydney NSW"}
    )


def test_a_cv_uploaded_in_the_admin_is_read_and_the_candidate_matched(admin_client, candidate, cv_dir):
    # given
    pdf = demo_cv_pdf("Ana Lima", "Sydney NSW", ["Accounting"], "Payroll, Xero, Excel")

    # when
    answer = admin_client.post(
        ADD, {"candidate": candidate.pk, "cv_file": SimpleUploadedFile("Ana-CV.pdf", pdf, "application/pdf")}
    )

    # then
    assert answer.status_code == 302, answer.content.decode()[:2000]
    cv = Document.objects.get(candidate=candidate)
    assert (cv.file_name, cv.extraction_status) == ("Ana-CV.pdf", "extracted")
    assert "Payroll" in cv.text
    assert {"Payroll", "Xero"} <= set(candidate.skills.values_list("name", flat=True))
    assert JobMatch.objects.filter(candidate=candidate).exists()


def test_a_file_that_is_not_a_cv_is_refused_with_a_reason(admin_client, candidate, cv_dir):
    answer = admin_client.post(
        ADD, {"candidate": candidate.pk, "cv_file": SimpleUploadedFile("notes.txt", b"hello", "text/plain")}
    )

    assert answer.status_code == 200
    assert "A CV is a PDF or a Word (.docx) file" in answer.content.decode()
    assert not Document.objects.exists()


def test_a_broken_pdf_is_kept_marked_failed_and_says_why(admin_client, candidate, cv_dir):
    answer = admin_client.post(
        ADD,
        {"candidate": candidate.pk, "cv_file": SimpleUploadedFile("cv.pdf", b"%PDF-1.4 broken", "application/pdf")},
        follow=True,
    )

    assert answer.status_code == 200
    assert Document.objects.get(candidate=candidate).extraction_status == "failed"
    assert "its text could not be read" in answer.content.decode()
