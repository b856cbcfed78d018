"""Backlinks end to end: an opportunity created through the API gets its pitch angle from a real
Celery worker; marked placed, its page (a fake site) is fetched and the link verified; when the
page drops the link, a check asked for through the API marks it lost and flags the deal."""

import pytest
from rest_framework.test import APIClient

from crm.models import BacklinkOpportunity, Brand
from crm.services.seed import seed_crm_pipelines
from crm.tests.factories import ContactFactory, DealFactory
from crm_site.tests.factories import UserFactory
from crm_site.tokens import api_token_create
from tests.fakes.site import LOOPBACK, FakeSite, article
from tests.fixtures.celery import routed_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

OURS = "https://codeteki.example/blog/seo-checklist-for-cafes/"


@pytest.fixture(scope="module")
def site():
    with FakeSite() as fake:
        yield fake


@pytest.fixture(scope="module")
def worker(site, django_db_setup, django_db_blocker):
    with routed_worker("e2e-links", {"PUBLIC_FETCH_ALLOWED_NETWORKS": LOOPBACK}, django_db_blocker) as process:
        yield process


@pytest.fixture
def api(worker):
    _row, token = api_token_create(user=UserFactory(username="links", is_superuser=True, is_staff=True))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def fetched(pk, **expected):
    row = BacklinkOpportunity.objects.filter(pk=pk).values(*expected).first()
    return row == expected


def test_an_opportunity_is_pitched_verified_and_then_lost(api, site):
    # given the backlink pipeline's deal with the site's editor
    seed_crm_pipelines()
    pipeline = Brand.objects.get(slug="codeteki").pipelines.get(slug="backlink")
    contact = ContactFactory(brand=pipeline.brand)
    deal = DealFactory(pipeline=pipeline, current_stage=pipeline.first_stage(), contact=contact)
    page = site.page("/cafe-tools", article(f'<a href="{OURS}" rel="nofollow">the cafe SEO checklist</a>'))
    # when it is created through the API, then marked placed
    created = api.post(
        "/api/crm/backlink-opportunities/",
        {"brand": pipeline.brand_id, "target_url": page, "our_content_url": OURS, "deal": str(deal.pk)},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    wait_for(lambda: BacklinkOpportunity.objects.get(pk=pk).outreach_angle != "")
    placed = api.patch(f"/api/crm/backlink-opportunities/{pk}/", {"status": "placed"}, format="json")
    # then the worker finds the link
    assert placed.status_code == 200, placed.json()
    wait_for(lambda: fetched(pk, status="verified", link_state="present", link_rel="nofollow"))
    assert "SEO checklist for cafes" in BacklinkOpportunity.objects.get(pk=pk).outreach_angle
    # when the page drops the link and a check is asked for
    site.page("/cafe-tools", article('<a href="https://competitor.example/">another checklist</a>'))
    asked = api.post(f"/api/crm/backlink-opportunities/{pk}/verify/")
    # then it is lost and the deal is flagged for a person
    assert asked.status_code == 202
    wait_for(lambda: fetched(pk, status="lost", link_state="missing"))
    deal.refresh_from_db()
    assert deal.needs_review and "backlink is lost" in deal.review_reason
    assert [r.path for r in site.requests].count("/cafe-tools") == 2
