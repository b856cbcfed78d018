"""The access matrix: each level against the owner, a colleague of the brand, a manager of the
brand, a colleague named on the document, someone of another brand and an anonymous caller, through
the API (list, detail, search, download), the admin (list, page, download, thumbnail) and share links."""

import pytest
from django.contrib.auth.models import Permission

from documents.models import Document, DocumentVersion
from documents.services.extraction import document_version_extract
from documents.services.search import search_vector_refresh
from documents.tests import files

URL = "/api/documents/documents/"
LEVELS = ("public", "internal", "confidential", "restricted")
# who sees a document of each level (the owner and superusers always do)
SEES = {
    "public": {"owner", "colleague", "manager", "named"},
    "internal": {"owner", "colleague", "manager", "named"},
    "confidential": {"owner", "manager"},
    "restricted": {"owner", "named"},
}
PEOPLE = ("owner", "colleague", "manager", "named", "outsider")


@pytest.fixture
def library(make_document, people, codeteki):
    """One document of each level, each with a word of its own in its text (written as the worker
    would, without running the parser: the admin test below reads them for their thumbnails)."""
    made = {}
    for level in LEVELS:
        text = f"Quarterly figures marked {level}word for the board."
        document = make_document(
            f"{level}.pdf", files.pdf(text), brand=codeteki, access_level=level, extract=False,
            allowed_users=[people["named"]] if level == "restricted" else [],
        )  # fmt: skip
        DocumentVersion.objects.filter(pk=document.current_version_id).update(extraction_state="done", text=text)
        Document.objects.filter(pk=document.pk).update(text=text)
        made[level] = document
    search_vector_refresh()
    return made


@pytest.fixture
def read_library(library):
    for document in library.values():
        DocumentVersion.objects.filter(pk=document.current_version_id).update(extraction_state="pending")
        document_version_extract(version_id=document.current_version_id)
        document.refresh_from_db()
    return library


@pytest.mark.django_db
@pytest.mark.parametrize("who", PEOPLE)
def test_the_api_shows_each_person_what_their_level_allows(library, people, client_for, who):
    api = client_for(people[who])
    expected = {library[level].pk for level in LEVELS if who in SEES[level]}

    listed = {d["id"] for d in api.get(URL).json()["results"]}
    found = {d["id"] for d in api.get(URL, {"q": "quarterly"}).json()["results"]}

    assert listed == expected
    assert found == expected
    for level in LEVELS:
        document = library[level]
        detail = api.get(f"{URL}{document.pk}/")
        download = api.get(f"{URL}{document.pk}/download/")
        versions = api.get(f"{URL}{document.pk}/versions/")
        by_word = {d["id"] for d in api.get(URL, {"q": f"{level}word"}).json()["results"]}
        if who in SEES[level]:
            assert (detail.status_code, download.status_code, versions.status_code) == (200, 200, 200)
            assert by_word == {document.pk}
        else:  # another brand's staff and people the level leaves out: not found, nothing leaks
            assert (detail.status_code, download.status_code, versions.status_code) == (404, 404, 404)
            assert by_word == set()


@pytest.mark.django_db
def test_without_a_login_nothing_is_served(library, client_for):
    anonymous = client_for(None)

    for document in library.values():
        assert anonymous.get(f"{URL}{document.pk}/download/").status_code in (401, 403)
        assert anonymous.get(f"{URL}{document.pk}/").status_code in (401, 403)
    assert anonymous.get(URL).status_code in (401, 403)


@pytest.mark.django_db
def test_files_are_not_served_from_the_media_folder(library, client):
    version = library["public"].current_version

    assert client.get(f"/media/{version.file.name}").status_code == 404
    assert client.get(f"/{version.file.name}").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", PEOPLE)
def test_the_admin_shows_each_person_what_their_level_allows(read_library, people, client, who):
    library = read_library
    client.force_login(people[who])

    page = client.get("/admin/documents/document/").content.decode()

    for level in LEVELS:
        document = library[level]
        version = document.current_version
        change = client.get(f"/admin/documents/document/{document.pk}/change/")
        download = client.get(f"/admin/documents/document/{document.pk}/download/1/")
        thumbnail = client.get(f"/admin/documents/document/{document.pk}/thumbnail/1/")
        if who in SEES[level]:
            assert f"{level}.pdf" in page
            assert (change.status_code, download.status_code, thumbnail.status_code) == (200, 200, 200)
            assert b"".join(download.streaming_content) == version.file.open("rb").read()
        else:
            assert f"{level}.pdf" not in page
            assert change.status_code in (302, 404)  # the admin redirects a missing object to the list
            assert (download.status_code, thumbnail.status_code) == (404, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("who", PEOPLE)
def test_a_contacts_page_lists_only_the_documents_one_may_see(make_document, people, client, acme, who):
    for level in LEVELS:
        make_document(f"acme-{level}.pdf", contact=acme, access_level=level, allowed_users=[people["named"]])
    people[who].user_permissions.add(Permission.objects.get(codename="view_contact"))
    client.force_login(people[who])

    response = client.get(f"/admin/crm/contact/{acme.pk}/change/")

    if who == "outsider":
        assert response.status_code in (302, 404)
        return
    page = response.content.decode()
    for level in LEVELS:
        assert (f"acme-{level}.pdf" in page) == (who in SEES[level]), level


@pytest.mark.django_db
@pytest.mark.parametrize("level", LEVELS)
def test_a_share_link_gives_that_file_and_nothing_else(library, people, client_for, level):
    owner = client_for(people["owner"])
    document = library[level]
    token = owner.post(f"{URL}{document.pk}/share/", {"expires_in_hours": 1}, format="json").json()["token"]
    anonymous = client_for(None)

    shared = anonymous.get("/api/documents/shares/access/", {"token": token})

    assert shared.status_code == 200
    assert b"".join(shared.streaming_content) == document.current_version.file.open("rb").read()
    assert anonymous.get(URL, HTTP_AUTHORIZATION=f"Token {token}").status_code in (401, 403)
    assert anonymous.get(f"{URL}{document.pk}/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize(("level", "sharer", "allowed"), [
    ("public", "colleague", True), ("internal", "colleague", True), ("confidential", "manager", True),
    ("restricted", "named", False), ("confidential", "owner", True), ("restricted", "owner", True),
])  # fmt: skip
def test_who_may_make_a_share_link(library, people, client_for, level, sharer, allowed):
    response = client_for(people[sharer]).post(
        f"{URL}{library[level].pk}/share/", {"expires_in_hours": 1}, format="json"
    )

    assert response.status_code == (201 if allowed else 403)


@pytest.mark.django_db
def test_only_the_owner_or_a_manager_changes_who_sees_a_document(library, people, client_for):
    document = library["internal"]

    refused = client_for(people["colleague"]).patch(f"{URL}{document.pk}/", {"access_level": "public"}, format="json")
    allowed = client_for(people["manager"]).patch(
        f"{URL}{document.pk}/", {"access_level": "confidential"}, format="json"
    )

    assert refused.status_code == 403
    assert (allowed.status_code, allowed.json()["access_level"]) == (200, "confidential")
    assert client_for(people["colleague"]).get(f"{URL}{document.pk}/").status_code == 404
