"""Recruiting's CVs as documents (docs/adr/0017): each CV from Zoho CRM becomes a version of the
candidate's CV document, with its history kept, visible to staff and on the candidate's page."""

import pytest

from documents.models import Document
from documents.tests.conftest import staff_of
from recruiting.models import Candidate
from recruiting.services.pitch import candidate_webhook_handle
from recruiting.tests import pdfs
from tests.fixtures.recruiting import CV_TEXT, zoho_time

pytestmark = pytest.mark.django_db

READY = {"role_success_stage": "Ready to Pitch"}


def test_each_new_cv_becomes_a_version_of_the_candidates_cv_document(fake_zoho_crm, zoho_candidate, roles, cv_dir):
    candidate_webhook_handle(fields={"contact_id": zoho_candidate, **READY})
    candidate = Candidate.objects.get()
    document = Document.objects.get(candidate=candidate)
    assert (document.category, document.access_level, document.brand, document.name) == (
        "cv", "internal", None, f"CV: {candidate}",
    )  # fmt: skip
    assert document.current_version.file_name == "Priya_Sharma_CV.pdf"
    first = document.current_version.file.open("rb").read()

    # the same CV again: nothing new
    candidate_webhook_handle(fields={"contact_id": zoho_candidate, **READY})
    assert document.versions.count() == 1

    # a newer CV in Zoho: version 2, and version 1 is still there though recruiting replaced its file
    fake_zoho_crm.add_attachment(
        "Contacts",
        zoho_candidate,
        "Priya CV 2026.pdf",
        pdfs.text_pdf(CV_TEXT + " Now Terraform."),
        created_time=zoho_time(0),
    )
    candidate_webhook_handle(fields={"contact_id": zoho_candidate, **READY})
    document.refresh_from_db()
    assert [v.number for v in document.versions.order_by("number")] == [1, 2]
    assert document.current_version.file_name == "Priya CV 2026.pdf"
    assert document.versions.get(number=1).file.open("rb").read() == first


def test_staff_see_cv_documents_on_the_candidates_page(fake_zoho_crm, zoho_candidate, roles, client, codeteki):
    from django.contrib.auth.models import Permission

    candidate_webhook_handle(fields={"contact_id": zoho_candidate, **READY})
    candidate = Candidate.objects.get()
    recruiter = staff_of(codeteki, "rita")
    recruiter.user_permissions.add(Permission.objects.get(codename="view_candidate"))
    client.force_login(recruiter)

    page = client.get(f"/admin/recruiting/candidate/{candidate.pk}/change/").content.decode()

    assert f"CV: {candidate}" in page
