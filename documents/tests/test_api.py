"""/api/documents/: a contract uploaded on a deal, versioned, found by a word inside it, shared by a
link that expires, commented on and approved; and every bad request a 400 naming its field."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from documents.models import Document, DocumentAccess, DocumentShare, DocumentVersion
from documents.services.extraction import document_version_extract
from documents.tests import files
from documents.tests.conftest import upload

URL = "/api/documents/documents/"


def read_text(document_id):
    for version in DocumentVersion.objects.filter(document_id=document_id, extraction_state="pending"):
        document_version_extract(version_id=version.pk)


def content(response):
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_a_contract_goes_from_upload_to_approval(people, client_for, acme_deal):
    owner, manager = people["owner"], people["manager"]
    api = client_for(owner)
    # upload on a deal
    contract = files.pdf("Master services agreement between Codeteki and Acme Widgets. Term: twelve months.")
    response = api.post(
        URL,
        {"file": upload("MSA Acme.pdf", contract), "name": "MSA Acme", "category": "contract",
         "access_level": "internal", "deal": str(acme_deal.pk)},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["name"], body["category"], body["deal"], body["brand"]) == (
        "MSA Acme", "contract", str(acme_deal.pk), acme_deal.pipeline.brand_id,
    )  # fmt: skip
    assert body["contact"] is None
    assert body["current_version"]["number"] == 1
    assert body["current_version"]["extraction_state"] == "pending"
    document_id = body["id"]
    read_text(document_id)

    # a second version, with a note
    amended = files.pdf("Master services agreement, amended: Acme Widgets pays quarterly. Term: twenty-four months.")
    response = api.post(
        f"{URL}{document_id}/create_version/",
        {"file": upload("msa-v2.pdf", amended), "note": "term now 24 months"},
        format="multipart",
    )
    assert response.status_code == 201
    assert (response.json()["number"], response.json()["note"], response.json()["author"]) == (
        2,
        "term now 24 months",
        "olivia",
    )
    read_text(document_id)
    versions = api.get(f"{URL}{document_id}/versions/").json()
    assert [(v["number"], v["author"], v["extraction_state"]) for v in versions] == [
        (2, "olivia", "done"),
        (1, "olivia", "done"),
    ]
    assert content(api.get(f"{URL}{document_id}/download/?version=1")) == contract
    assert content(api.get(f"{URL}{document_id}/download/")) == amended

    # found by a word inside the current version, not by one only in the old one
    assert [d["id"] for d in api.get(URL, {"q": "quarterly"}).json()["results"]] == [document_id]
    assert api.get(URL, {"q": "twelve"}).json()["results"] == []

    # shared by a link that expires
    response = api.post(f"{URL}{document_id}/share/", {"expires_in_hours": 2}, format="json")
    assert response.status_code == 201
    token, url = response.json()["token"], response.json()["url"]
    assert url.endswith(f"/api/documents/shares/access/?token={token}")
    anonymous = client_for(None)
    anonymous.force_authenticate(None)
    assert content(anonymous.get("/api/documents/shares/access/", {"token": token})) == amended
    DocumentShare.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert anonymous.get("/api/documents/shares/access/", {"token": token}).status_code == 404

    # commented on
    response = api.post(
        "/api/documents/comments/", {"document": document_id, "body": "Legal checked clause 4."}, format="json"
    )
    assert response.status_code == 201
    listed = api.get("/api/documents/comments/", {"document": document_id}).json()["results"]
    assert [(c["author"], c["body"]) for c in listed] == [("olivia", "Legal checked clause 4.")]

    # approved, by the named approver only
    response = api.post(
        f"{URL}{document_id}/request_approval/", {"approver": manager.pk, "note": "please sign off"}, format="json"
    )
    assert response.status_code == 201
    approval = response.json()
    assert (approval["status"], approval["version"], approval["approver"]) == ("pending", 2, "maya")
    assert api.post(f"/api/documents/approvals/{approval['id']}/approve/").status_code == 403
    queue = client_for(manager).get("/api/documents/approvals/", {"mine": "true"}).json()["results"]
    assert [a["id"] for a in queue] == [approval["id"]]
    response = client_for(manager).post(
        f"/api/documents/approvals/{approval['id']}/approve/", {"comment": "OK to sign"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["comment"]) == ("approved", "OK to sign")
    assert response.json()["decided_at"]
    again = client_for(manager).post(f"/api/documents/approvals/{approval['id']}/reject/")
    assert again.status_code == 400
    assert "already approved" in again.json()["status"][0]

    # every download was logged
    channels = list(DocumentAccess.objects.filter(document_id=document_id).values_list("channel", flat=True))
    assert sorted(channels) == ["api", "api", "share"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.pdf", files.TEXT_FILE, "is not a PDF, DOCX, DOC, XLSX, XLS, PNG, JPEG or TIFF file"),
        ("setup.exe", files.EXE, "checked by its content"),
        ("empty.pdf", b"", "empty"),
        ("bomb.docx", files.zip_bomb_docx(250), "refused as a zip bomb"),
        ("fake.docx", b"PK\x03\x04 not really a zip", "not a valid zip archive"),
    ],
)
def test_a_bad_file_is_a_400_naming_the_problem_and_stores_nothing(people, client_for, settings, name, data, message):
    response = client_for(people["owner"]).post(URL, {"file": upload(name, data)}, format="multipart")

    assert response.status_code == 400
    assert message in response.json()["file"][0]
    assert not Document.objects.exists()
    assert not any(path.is_file() for path in settings.MEDIA_ROOT.rglob("*")) if settings.MEDIA_ROOT.exists() else True


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(people, client_for, settings):
    settings.DOCUMENT_MAX_BYTES = 1000

    response = client_for(people["owner"]).post(
        URL, {"file": upload("big.pdf", files.pdf("x " * 2000))}, format="multipart"
    )

    assert response.status_code == 400
    assert "larger than the limit of 1,000 bytes" in response.json()["file"][0]


@pytest.mark.django_db
def test_the_name_is_made_safe_and_the_extension_follows_the_content(people, client_for):
    response = client_for(people["owner"]).post(
        URL, {"file": upload("../../etc/Angebot März<script>.docx", files.pdf("Angebot für Acme"))}, format="multipart"
    )

    assert response.status_code == 201
    version = DocumentVersion.objects.get()
    assert version.file_name == "Angebot März_script.pdf"
    assert (version.kind, version.content_type) == ("pdf", "application/pdf")
    assert ".." not in version.file.name and version.file.name.startswith("documents/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"category": "poem"}, "category"),
        ({"access_level": "secret"}, "access_level"),
        ({"deal": "not-a-uuid"}, "deal"),
        ({"contact": "7d5a8a5e-0000-4000-8000-000000000000"}, "contact"),
        ({"candidate": "99999999999999999999999"}, "candidate"),
        ({"allowed_users": ["x"]}, "allowed_users"),
    ],
)
def test_a_bad_field_is_a_400_naming_it(people, client_for, data, field):
    response = client_for(people["owner"]).post(
        URL, {"file": upload("a.pdf", files.pdf("hello there")), **data}, format="multipart"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_a_contact_and_a_deal_of_different_brands_are_refused(people, client_for, acme_deal, other_brand):
    from crm.tests.factories import ContactFactory

    people["owner"].brands.add(other_brand)
    stranger = ContactFactory(brand=other_brand)
    response = client_for(people["owner"]).post(
        URL,
        {"file": upload("a.pdf", files.pdf("hello")), "deal": str(acme_deal.pk), "contact": str(stranger.pk)},
        format="multipart",
    )

    assert response.status_code == 400
    assert "different brands" in response.json()["deal"][0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"expires_in_hours": 0}, "expires_in_hours"),
        ({}, "expires_in_hours"),
        ({"expires_in_hours": 99999}, "expires_in_hours"),
        ({"expires_in_hours": 1, "max_downloads": 0}, "max_downloads"),
    ],
)
def test_a_bad_share_request_is_a_400_naming_the_field(people, client_for, make_document, data, field):
    document = make_document()

    response = client_for(people["owner"]).post(f"{URL}{document.pk}/share/", data, format="json")

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_a_share_link_with_a_password_and_a_download_limit(people, client_for, make_document):
    document = make_document()
    api, anonymous = client_for(people["owner"]), client_for(None)
    token = api.post(
        f"{URL}{document.pk}/share/", {"expires_in_hours": 1, "password": "s3same", "max_downloads": 2}, format="json"
    ).json()["token"]
    access = "/api/documents/shares/access/"

    assert anonymous.get(access, {"token": token}).status_code == 404  # no password
    assert anonymous.get(access, {"token": token}, HTTP_X_SHARE_PASSWORD="wrong").status_code == 404
    assert anonymous.get(access, {"token": token}, HTTP_X_SHARE_PASSWORD="s3same").status_code == 200
    assert anonymous.post(access, {"token": token, "password": "s3same"}, format="json").status_code == 200
    used_up = anonymous.get(access, {"token": token}, HTTP_X_SHARE_PASSWORD="s3same")
    assert used_up.status_code == 404
    share = DocumentShare.objects.get()
    assert (share.download_count, share.last_accessed_at is not None) == (2, True)
    assert token not in str(DocumentShare.objects.values_list().get()) and share.token_hash != token


@pytest.mark.django_db
def test_unknown_revoked_expired_and_used_up_links_are_the_same_404(people, client_for, make_document):
    document = make_document()
    api, anonymous = client_for(people["owner"]), client_for(None)
    access = "/api/documents/shares/access/"
    revoked = api.post(f"{URL}{document.pk}/share/", {"expires_in_hours": 1}, format="json").json()
    api.post(f"/api/documents/shares/{revoked['id']}/revoke/")
    used = api.post(f"{URL}{document.pk}/share/", {"expires_in_hours": 1, "max_downloads": 1}, format="json").json()
    anonymous.get(access, {"token": used["token"]})

    answers = [anonymous.get(access, {"token": token}) for token in ("nope", "", revoked["token"], used["token"])]

    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.content for answer in answers}) == 1


@pytest.mark.django_db
def test_a_template_becomes_a_pdf_document_on_the_deal(people, client_for, codeteki, acme_deal):
    api = client_for(people["owner"])
    template = api.post(
        "/api/documents/templates/",
        {"brand": codeteki.pk, "name": "Proposal", "category": "proposal",
         "title": "Proposal for {{ contact.company }}",
         "body": "Dear {{ contact.first_name }},\n\nWe propose a redesign worth {{ deal.value }}.\n\n{{ brand.name }}"},
        format="json",
    )  # fmt: skip
    assert template.status_code == 201, template.json()

    response = api.post(
        f"/api/documents/templates/{template.json()['id']}/generate/", {"deal": str(acme_deal.pk)}, format="json"
    )

    assert response.status_code == 201, response.json()
    document = Document.objects.get(pk=response.json()["id"])
    assert (document.name, document.category, document.deal_id, document.contact_id) == (
        "Proposal for Acme Widgets", "proposal", acme_deal.pk, acme_deal.contact_id,
    )  # fmt: skip
    read_text(document.pk)
    document.refresh_from_db()
    assert "Dear Jo" in document.text and "Codeteki" in document.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ contact.password }}", "unknown variable 'contact.password'"),
        ("{% load static %}", "does not parse"),
        ('{% include "admin/base.html" %}', "not allowed"),
        ("{{ deal.contact.brand.zoho_refresh_token }}", "unknown variable"),
    ],
)
def test_a_template_that_reaches_outside_its_variables_is_refused(people, client_for, codeteki, body, message):
    response = client_for(people["owner"]).post(
        "/api/documents/templates/", {"brand": codeteki.pk, "name": "Bad", "title": "T", "body": body}, format="json"
    )

    assert response.status_code == 400
    assert message in " ".join(response.json()["body"])


@pytest.mark.django_db
def test_only_the_named_approver_decides(people, client_for, make_document):
    document = make_document()
    approval = (
        client_for(people["owner"])
        .post(f"{URL}{document.pk}/request_approval/", {"approver": people["named"].pk}, format="json")
        .json()
    )

    for who in ("owner", "manager", "colleague"):
        assert client_for(people[who]).post(f"/api/documents/approvals/{approval['id']}/reject/").status_code == 403
    response = client_for(people["named"]).post(
        f"/api/documents/approvals/{approval['id']}/reject/", {"comment": "wrong price"}, format="json"
    )
    assert (response.status_code, response.json()["status"]) == (200, "rejected")


@pytest.mark.django_db
def test_an_approver_who_cannot_see_the_document_is_refused(people, client_for, make_document):
    document = make_document(access_level="restricted")

    response = client_for(people["owner"]).post(
        f"{URL}{document.pk}/request_approval/", {"approver": people["colleague"].pk}, format="json"
    )

    assert response.status_code == 400
    assert "cannot see this document" in response.json()["approver"][0]


@pytest.mark.django_db(transaction=True)
def test_deleting_a_document_removes_its_files(people, client_for, make_document):
    document = make_document()
    paths = [document.current_version.file.path, document.current_version.thumbnail.path]

    assert client_for(people["colleague"]).delete(f"{URL}{document.pk}/").status_code == 403
    assert client_for(people["owner"]).delete(f"{URL}{document.pk}/").status_code == 204

    assert not Document.objects.exists()
    assert not any(Path(path).exists() for path in paths)


@pytest.mark.django_db
def test_a_search_counts_its_matches_up_to_a_cap(people, client_for, codeteki):
    from documents.api.pagination import SEARCH_COUNT_CAP
    from documents.services.search import search_vector_refresh

    Document.objects.bulk_create(
        Document(brand=codeteki, name=f"Note {n}", text="renewal reminder" if n <= SEARCH_COUNT_CAP else "other")
        for n in range(SEARCH_COUNT_CAP + 5)
    )
    search_vector_refresh()
    api = client_for(people["colleague"])

    few = api.get(URL, {"q": "other"}).json()
    many = api.get(URL, {"q": "renewal"}).json()
    everything = api.get(URL).json()

    assert (few["count"], few["count_capped"]) == (4, False)
    assert (many["count"], many["count_capped"], len(many["results"])) == (SEARCH_COUNT_CAP, True, 50)
    assert (everything["count"], everything["count_capped"]) == (SEARCH_COUNT_CAP + 5, False)
