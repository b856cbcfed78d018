"""The recruiting admin in a real browser: a candidate with skills, CV and explained matches;
re-running matching; documents and matches lists; the inbound events behind them."""

import pytest
from playwright.sync_api import expect

from recruiting.models import Candidate, JobMatch
from recruiting.services.pitch import candidate_webhook_handle
from tests.fixtures.browser import log_in, screenshot
from webhooks.models import InboundEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def candidate(fake_zoho_crm, zoho_candidate, roles):
    candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": "Ready to Pitch"})
    return Candidate.objects.get()


@pytest.fixture
def logged_in(page, live_server, django_user_model):
    return log_in(page, live_server, django_user_model, "rita")


def test_a_candidate_shows_skills_cv_and_explained_matches(logged_in, live_server, candidate):
    page = logged_in
    # when
    page.goto(f"{live_server.url}/admin/recruiting/candidate/{candidate.pk}/change/")
    # then: the CV link downloads the stored file
    link = page.get_by_role("link", name="Priya_Sharma_CV.pdf")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "Priya_Sharma_CV.pdf"
    # the skills tab
    page.get_by_role("link", name="Skills").click()
    assert page.locator("input[value=Python]").count() == 1
    # the matches tab, best first, with the reason in words
    page.get_by_role("link", name="Top job matches").click()
    best = JobMatch.objects.filter(candidate=candidate).order_by("-score").first()
    expect(page.get_by_text(best.explanation["summary"]).first).to_be_visible()  # once the tab has switched
    screenshot(page, "recruiting-candidate")


def test_re_run_matching_from_the_candidate_list(logged_in, live_server, candidate):
    page = logged_in
    JobMatch.objects.all().delete()
    # when
    page.goto(f"{live_server.url}/admin/recruiting/candidate/")
    page.locator("#result_list tbody tr input.action-select").first.check()
    page.locator("select[name=action]").select_option("rematch")
    page.locator("button[name=index]").click()
    # then
    expect(page.get_by_text("3 matches saved.")).to_be_visible()
    assert JobMatch.objects.filter(candidate=candidate).count() == 3


def test_documents_matches_and_events_lists(logged_in, live_server, candidate, client):
    page = logged_in
    InboundEvent.objects.create(
        provider="zoho_crm",
        event_type="contact.updated",
        external_id="x:1",
        payload={"contact_id": candidate.zoho_contact_id},
    )
    # when / then
    page.goto(f"{live_server.url}/admin/recruiting/document/")
    assert page.locator("#result_list").get_by_text("extracted", exact=True).is_visible()
    page.goto(f"{live_server.url}/admin/recruiting/jobmatch/?score_from=50")
    assert page.locator("#result_list tbody tr").count() == JobMatch.objects.filter(score__gte=50).count()
    page.goto(f"{live_server.url}/admin/webhooks/inboundevent/")
    assert page.locator("#result_list").get_by_text("contact.updated").is_visible()
    screenshot(page, "recruiting-inbound-events")
