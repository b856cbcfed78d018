"""A contract in real Chromium: uploaded on a deal from the sidebar's Documents, its text and first
page shown once the worker has read it, shared by a link that is copied and then revoked, and
found on the deal's page."""

import pytest
from django.contrib.auth import get_user_model

from documents.models import Document
from documents.services.extraction import documents_extract_pending
from documents.tests import files
from tests.fixtures.browser import log_in
from tests.fixtures.celery import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_read_share_and_revoke_a_contract(page, live_server, acme_deal, tmp_path):
    contract = tmp_path / "Acme contract.pdf"
    contract.write_bytes(files.pdf("Website care agreement for Acme Widgets. Payment due within thirty days."))
    log_in(page, live_server, get_user_model(), "dana")

    # Documents in the sidebar; upload with the deal filled in from the address
    page.locator(
        "#nav-sidebar-inner a[href='/admin/documents/document/'], aside a[href='/admin/documents/document/']"
    ).first.click()
    page.wait_for_url("**/admin/documents/document/")
    page.goto(f"{live_server.url}/admin/documents/document/add/?deal={acme_deal.pk}")
    page.fill("input[name=name]", "Acme care contract")
    page.locator("select[name=category]").select_option("contract")
    page.locator("input[name=file]").set_input_files(str(contract))
    page.locator("button[name=_continue]").click()
    page.wait_for_url("**/change/**")
    document = Document.objects.get()
    assert (document.deal_id, document.category) == (acme_deal.pk, "contract")

    # the worker reads it (the sweep here, or a worker the suite runs): the text and first page appear
    documents_extract_pending()
    # a session worker started by an earlier test may hold the version: then it is the one to finish
    wait_for(lambda: document.versions.get().extraction_state == "done", timeout=30)
    page.reload()
    assert "Payment due within thirty days" in page.locator("pre").first.inner_text()
    thumbnail = page.locator(f"img[src*='/admin/documents/document/{document.pk}/thumbnail/1/']").first
    thumbnail.wait_for()
    assert page.evaluate("(img) => img.naturalWidth", thumbnail.element_handle()) > 0

    # a share link, shown once, that works without a login, then revoked
    page.fill("#share-form input[name=expires_in_hours]", "2")
    page.locator("#share-form button[type=submit]").first.click()
    link = page.locator("input[data-share-url]")
    link.wait_for()
    url = link.input_value()
    assert "/api/documents/shares/access/?token=" in url
    anonymous = page.context.browser.new_context()
    assert anonymous.request.get(url).body() == contract.read_bytes()
    page.locator("[data-revoke]").first.click()
    page.get_by_text("The link no longer works.").wait_for()
    assert anonymous.request.get(url).status == 404
    anonymous.close()

    # the deal's page lists it
    page.goto(f"{live_server.url}/admin/crm/deal/{acme_deal.pk}/change/")
    page.get_by_role("link", name="Acme care contract").wait_for()
