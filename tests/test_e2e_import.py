"""An admin upload imported by the real Celery worker, through the broker the suite runs on."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crm.models import Contact, ContactImport, Deal, ImportStatus
from crm.services.seed import seed_crm_pipelines
from tests.fixtures.celery import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_an_admin_upload_is_imported_by_the_worker(admin_client, celery_worker):
    # given
    seed_crm_pipelines()
    rows = "\n".join(f"lead{n}@shop{n}.example,Lead {n},{n % 90}" for n in range(250))
    upload = SimpleUploadedFile("leads.csv", f"email,name,da\n{rows}\nbroken,,\n".encode())
    codeteki = ContactImport._meta.get_field("brand").related_model.objects.get(slug="codeteki")
    sales = codeteki.pipelines.get(slug="sales")
    # when
    response = admin_client.post(
        "/admin/crm/contactimport/add/",
        {"brand": codeteki.pk, "file": upload, "contact_type": "lead", "create_deals": "on", "pipeline": sales.pk},
    )
    assert response.status_code == 302
    preview = admin_client.get(response.url)
    assert preview.context["preview"].report.created == 250
    started = admin_client.post(
        response.url, {"width": "3", "col_0": "email", "col_1": "name", "col_2": "domain_authority"}
    )
    # then
    assert started.status_code == 302
    contact_import = ContactImport.objects.get()
    wait_for(lambda: ContactImport.objects.get().status == ImportStatus.COMPLETED)
    contact_import.refresh_from_db()
    assert (contact_import.total_rows, contact_import.created_count, contact_import.failed_count) == (251, 250, 1)
    assert contact_import.errors == [{"line": 252, "email": "broken", "reason": "invalid email 'broken'"}]
    assert Contact.objects.count() == 250
    assert Deal.objects.filter(pipeline=sales).count() == 250
