"""The documents admin, as staff use it: upload on a deal, a new version, the text, a share link
shown once and revoked, a comment, an approval asked and decided from the queue, a template made
into a PDF."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Document, DocumentApproval, DocumentComment, DocumentShare
from documents.services.extraction import document_version_extract
from documents.tests import files

pytestmark = pytest.mark.django_db
ADD = "/admin/documents/document/add/"


def form(**fields):
    empty = {
        f"{prefix}-{part}": "0"
        for prefix in ("versions", "shares", "comments")
        for part in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    return {"category": "other", "access_level": "internal", "tags": "[]", **empty, **fields}


def read_all():
    for document in Document.objects.all():
        for version in document.versions.filter(extraction_state="pending"):
            document_version_extract(version_id=version.pk)


def test_a_contract_uploaded_on_a_deal_versioned_read_and_searched(people, client, acme_deal):
    client.force_login(people["owner"])
    contract = files.pdf("Website care contract for Acme Widgets: monthly retainer, twelve months.")

    response = client.post(
        ADD,
        form(
            name="Acme care contract",
            category="contract",
            deal=str(acme_deal.pk),
            file=SimpleUploadedFile("c.pdf", contract),
        ),
    )

    assert response.status_code == 302, response.content.decode()[-3000:]
    document = Document.objects.get()
    assert (document.deal_id, document.brand_id, document.owner) == (
        acme_deal.pk,
        acme_deal.pipeline.brand_id,
        people["owner"],
    )
    read_all()
    change = f"/admin/documents/document/{document.pk}/change/"
    page = client.get(change).content.decode()
    assert "monthly retainer" in page  # the extracted text
    assert f"/admin/documents/document/{document.pk}/thumbnail/1/" in page

    response = client.post(
        change,
        form(
            name="Acme care contract",
            category="contract",
            deal=str(acme_deal.pk),
            version_note="price updated",
            file=SimpleUploadedFile("c2.pdf", files.pdf("Amended: quarterly invoicing.")),
        ),
    )

    assert response.status_code == 302
    assert [(v.number, v.note) for v in document.versions.order_by("number")] == [
        (1, "first version"),
        (2, "price updated"),
    ]
    read_all()
    listing = client.get("/admin/documents/document/", {"q": "quarterly"}).content.decode()
    assert "Acme care contract" in listing
    assert "Acme care contract" not in client.get("/admin/documents/document/", {"q": "retainer"}).content.decode()
    people["owner"].user_permissions.add(Permission.objects.get(codename="view_deal"))
    deal_page = client.get(f"/admin/crm/deal/{acme_deal.pk}/change/").content.decode()
    assert "Acme care contract" in deal_page and f"/admin/documents/document/{document.pk}/change/" in deal_page


def test_a_bad_upload_in_the_admin_names_the_problem(people, client):
    client.force_login(people["owner"])

    response = client.post(ADD, form(name="x", file=SimpleUploadedFile("x.pdf", files.TEXT_FILE)))

    assert response.status_code == 200
    assert "checked by its content" in response.content.decode()
    assert not Document.objects.exists()


def test_a_share_link_is_shown_once_and_revoked(people, client, make_document):
    document = make_document()
    client.force_login(people["owner"])

    page = client.post(
        f"/admin/documents/document/{document.pk}/share/",
        {"expires_in_hours": "24", "password": "", "max_downloads": ""},
        follow=True,
    ).content.decode()

    url = re.search(r'value="(http[^"]+token=[^"]+)"', page).group(1)
    token = url.split("token=")[1]
    share = DocumentShare.objects.get()
    assert token not in client.get(f"/admin/documents/document/{document.pk}/change/").content.decode()
    assert client.get("/api/documents/shares/access/", {"token": token}).status_code == 200

    client.post(f"/admin/documents/document/{document.pk}/share/{share.pk}/revoke/")

    share.refresh_from_db()
    assert share.revoked_at is not None
    assert client.get("/api/documents/shares/access/", {"token": token}).status_code == 404


def test_comments_and_an_approval_from_the_queue(people, client, make_document):
    document = make_document()
    change = f"/admin/documents/document/{document.pk}/change/"
    client.force_login(people["colleague"])  # sees the document, does not manage it
    data = form(name=document.name, **{"comments-TOTAL_FORMS": "1", "comments-0-body": "Clause 4 needs a date."})
    assert client.post(change, data).status_code == 302
    assert list(DocumentComment.objects.values_list("author__username", "body")) == [
        ("colin", "Clause 4 needs a date.")
    ]

    client.force_login(people["owner"])
    client.post(
        f"/admin/documents/document/{document.pk}/request-approval/",
        {"approver": people["manager"].pk, "note": "sign?"},
    )
    approval = DocumentApproval.objects.get()

    client.force_login(people["manager"])
    queue = client.get("/admin/documents/documentapproval/").content.decode()
    assert f"/admin/documents/documentapproval/{approval.pk}/change/" in queue
    response = client.post(
        f"/admin/documents/documentapproval/{approval.pk}/change/", {"decision": "approve", "comment": "Fine"}
    )
    assert response.status_code == 302
    approval.refresh_from_db()
    assert (approval.status, approval.comment, approval.decided_at is not None) == ("approved", "Fine", True)

    client.force_login(people["owner"])  # not the approver: the page is read-only, a post changes nothing
    client.post(f"/admin/documents/documentapproval/{approval.pk}/change/", {"decision": "reject"})
    approval.refresh_from_db()
    assert approval.status == "approved"


def test_a_template_made_into_a_pdf_on_a_deal(people, client, codeteki, acme_deal):
    client.force_login(people["owner"])
    response = client.post(
        "/admin/documents/documenttemplate/add/",
        {
            "brand": codeteki.pk,
            "name": "Quote",
            "category": "proposal",
            "title": "Quote for {{ contact.company }}",
            "body": "Total {{ deal.value }}",
            "access_level": "internal",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    template = codeteki.document_templates.get()

    response = client.post(f"/admin/documents/documenttemplate/{template.pk}/generate/", {"target": str(acme_deal.pk)})

    document = Document.objects.get()
    assert response.url == f"/admin/documents/document/{document.pk}/change/"
    assert (document.name, document.deal_id, document.current_version.kind) == (
        "Quote for Acme Widgets",
        acme_deal.pk,
        "pdf",
    )


def test_a_template_with_a_variable_it_may_not_use_is_refused(people, client, codeteki):
    client.force_login(people["owner"])

    response = client.post(
        "/admin/documents/documenttemplate/add/",
        {
            "brand": codeteki.pk,
            "name": "Bad",
            "category": "proposal",
            "title": "x",
            "body": "{{ brand.zoho_refresh_token }}",
            "access_level": "internal",
        },
    )

    assert response.status_code == 200
    assert "unknown variable" in response.content.decode()
