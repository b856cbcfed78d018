"""Custom read-only endpoints: defined without code (a model, a filter in the segments' language,
fields), served at /api/integrations/custom/<slug>/ with token auth, brand scoping and pages;
nothing in a definition is evaluated."""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from crm.models import Brand, ContactType
from crm.tests.factories import ContactFactory, DealFactory
from crm_site.tests.factories import UserFactory
from hub.models import APIEndpoint

pytestmark = pytest.mark.django_db


def token_client(user):
    _, token = AuthToken.objects.create(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def saas_leads(codeteki):
    leads = [ContactFactory(brand=codeteki, tags=["saas"], company=f"Co {n}") for n in range(3)]
    ContactFactory(brand=codeteki, tags=["retail"])
    ContactFactory(brand=codeteki, tags=["saas"], contact_type=ContactType.PARTNER)
    return leads


def test_an_endpoint_serves_the_filtered_rows_with_the_chosen_fields_by_token(codeteki, staff, saas_leads):
    made = staff.post(
        "/api/integrations/endpoints/",
        {"slug": "saas-leads", "name": "SaaS leads", "brand": codeteki.pk, "model": "contacts",
         "filters": {"contact_type": "lead", "tags_any": ["saas"]}, "fields": ["email", "company", "tags"]},
        format="json",
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    assert made.json()["url"] == "/api/integrations/custom/saas-leads/"

    page = token_client(staff.user).get("/api/integrations/custom/saas-leads/?page_size=2").json()

    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert set(page["results"][0]) == {"email", "company", "tags"}
    emails = {row["email"] for row in page["results"]} | {
        row["email"]
        for row in token_client(staff.user).get(page["next"].removeprefix("http://testserver")).json()["results"]
    }
    assert emails == {lead.email for lead in saas_leads}


def test_a_deals_endpoint_narrows_by_the_deal_filters(codeteki, staff):
    sales = codeteki.pipelines.get(slug="sales")
    active = DealFactory(pipeline=sales)
    DealFactory(pipeline=sales, status="won")
    APIEndpoint.objects.create(
        slug="open-sales", name="Open", brand=codeteki, model="deals",
        filters={"pipeline": "sales", "deal_status": "active"}, fields=["id", "contact_email", "stage_name", "value"],
    )  # fmt: skip

    rows = staff.get("/api/integrations/custom/open-sales/").json()["results"]

    expected = {"id": str(active.pk), "contact_email": active.contact.email, "stage_name": "New Lead"}
    assert rows == [{**expected, "value": f"{active.value:.2f}"}]


def test_bad_definitions_are_400s_naming_the_field(codeteki, staff):
    def make(**changes):
        body = {"slug": "x", "name": "X", "brand": codeteki.pk, "model": "contacts", "filters": {}, "fields": ["email"]}
        return staff.post("/api/integrations/endpoints/", {**body, **changes}, format="json")

    unknown_filter = make(filters={"__import__('os').system('id')": 1})
    bad_value = make(filters={"domain_authority_min": "lots"})
    unknown_field = make(fields=["email", "password"])
    no_fields = make(fields=[])
    bad_model = make(model="users")
    bad_slug = make(slug="not a slug!")

    assert unknown_filter.status_code == 400 and "filters" in unknown_filter.json()
    assert "unknown filter" in unknown_filter.json()["filters"][0]
    assert bad_value.status_code == 400 and "filters" in bad_value.json()
    assert unknown_field.status_code == 400 and "fields" in unknown_field.json()
    assert no_fields.status_code == 400 and "fields" in no_fields.json()
    assert bad_model.status_code == 400 and "model" in bad_model.json()
    assert bad_slug.status_code == 400 and "slug" in bad_slug.json()
    assert not APIEndpoint.objects.exists()


def test_another_brand_s_endpoint_is_not_found_and_a_login_is_needed(codeteki, staff, saas_leads):
    other = Brand.objects.exclude(pk=codeteki.pk).first()
    APIEndpoint.objects.create(slug="theirs", name="Theirs", brand=other, model="contacts", fields=["email"])
    APIEndpoint.objects.create(slug="ours", name="Ours", brand=codeteki, model="contacts", fields=["email"])
    APIEndpoint.objects.create(
        slug="off", name="Off", brand=codeteki, model="contacts", fields=["email"], is_active=False
    )
    no_perms = UserFactory(username="nobody")
    codeteki.members.add(no_perms)

    assert staff.get("/api/integrations/custom/theirs/").status_code == 404
    assert staff.get("/api/integrations/custom/off/").status_code == 404
    assert APIClient().get("/api/integrations/custom/ours/").status_code in (401, 403)
    assert token_client(no_perms).get("/api/integrations/custom/ours/").status_code == 403
    assert staff.get("/api/integrations/custom/ours/").json()["count"] == 5
