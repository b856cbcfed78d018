"""The demo documents `make run` loads: a template and a two-version contract per brand; once."""

import pytest
from django.core.management import call_command

from crm.models import Brand
from documents.models import Document, DocumentTemplate
from documents.services.extraction import documents_extract_pending

pytestmark = pytest.mark.django_db


def test_the_demo_documents_load_once_and_their_text_is_found(capsys):
    call_command("seed_crm_pipelines")
    call_command("seed_demo")

    call_command("seed_documents_demo")
    call_command("seed_documents_demo")

    out = capsys.readouterr().out
    assert "Demo documents: 2 brand(s) seeded." in out and "already there" in out
    brands = Brand.objects.count()
    assert DocumentTemplate.objects.count() == brands
    contracts = Document.objects.filter(category="proposal")
    assert contracts.count() == brands
    for document in contracts:
        assert [v.number for v in document.versions.order_by("number")] == [1, 2]
        assert document.deal is not None and document.comments.count() == 1
    assert documents_extract_pending() == 2 * brands
    assert all("quarterly" in d.text for d in Document.objects.all())
