"""Two brands and the people the access rules are about: the owner, a colleague of the brand, a
manager of the brand, a colleague named on a restricted document, and someone of another brand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from crm.models import Brand
from crm.services.seed import seed_crm_pipelines
from crm.tests.factories import ContactFactory
from crm_site.tests.factories import UserFactory
from documents.services.documents import document_create
from documents.services.files import file_check
from documents.tests import files

DOCUMENT_APPS = ("documents",)


@pytest.fixture(autouse=True)
def media_root(request, settings, tmp_path):
    """Each test's files in a folder of its own; a browser test keeps the suite's MEDIA_ROOT, which
    a running worker (tests/fixtures/celery.py) shares, since its upload's task may reach it."""
    if "live_server" in request.fixturenames:
        yield Path(settings.MEDIA_ROOT)
        return
    settings.MEDIA_ROOT = tmp_path / "media"
    yield Path(settings.MEDIA_ROOT)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def brands(db):
    seed_crm_pipelines()
    return {brand.slug: brand for brand in Brand.objects.all()}


@pytest.fixture
def codeteki(brands):
    return brands["codeteki"]


@pytest.fixture
def other_brand(brands):
    return next(brand for slug, brand in brands.items() if slug != "codeteki")


def staff_of(brand, username, *, manager=False):
    user = UserFactory(username=username)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=DOCUMENT_APPS))
    brand.members.add(user)
    if manager:
        brand.managers.add(user)
    return user


@pytest.fixture
def people(codeteki, other_brand):
    return {
        "owner": staff_of(codeteki, "olivia"),
        "colleague": staff_of(codeteki, "colin"),
        "manager": staff_of(codeteki, "maya", manager=True),
        "named": staff_of(codeteki, "nadia"),
        "outsider": staff_of(other_brand, "oscar"),
    }


@pytest.fixture
def client_for():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def acme(codeteki):
    return ContactFactory(brand=codeteki, email="jo@acme.example", name="Jo Acme", company="Acme Widgets")


@pytest.fixture
def acme_deal(acme):
    from crm.services.deals import deal_create

    pipeline = acme.brand.pipelines.first()
    return deal_create(contact=acme, pipeline=pipeline)


@pytest.fixture
def make_document(people):
    """A document stored through the service (as an upload is), with its text read in-process."""

    def make(name="Contract.pdf", content=None, *, owner=None, extract=True, **fields):
        from documents.services.extraction import document_version_extract

        checked = file_check([content or files.pdf(f"{name}: a service agreement for website care.")], name)
        document = document_create(checked=checked, owner=owner or people["owner"], **fields)
        if extract:
            document_version_extract(version_id=document.current_version_id)
            document.refresh_from_db()
        return document

    return make


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
