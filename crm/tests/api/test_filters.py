"""List filters take what people type: a brand or pipeline by id or by slug, a stage by id or name;
an unknown one, or one of a brand the user does not see, is a 400 naming the filter, not an empty
list. `/api/` is an index."""

import pytest
from rest_framework.test import APIClient

from crm.models import Brand
from crm.tests.factories import ContactFactory, DealFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deals(codeteki, sales):
    backlinks = codeteki.pipelines.exclude(pk=sales.pk).first()
    return DealFactory(pipeline=sales), DealFactory(pipeline=backlinks)


def ids(api, query):
    answer = api.get(f"/api/crm/deals/?{query}")
    assert answer.status_code == 200, answer.json()
    return {row["id"] for row in answer.json()["results"]}


def test_a_pipeline_and_a_brand_by_slug_or_by_id(api, codeteki, sales, deals):
    in_sales = {str(deals[0].pk)}

    assert ids(api, "pipeline=sales") == ids(api, f"pipeline={sales.pk}") == in_sales
    assert ids(api, "brand=codeteki") == ids(api, f"brand={codeteki.pk}") == {str(deal.pk) for deal in deals}
    assert ids(api, "brand=codeteki&pipeline=sales") == in_sales


def test_a_stage_by_id_or_by_name_in_any_case(api, sales, deals):
    new_lead = sales.stages.get(name="New Lead")
    in_sales = {str(deals[0].pk)}

    assert ids(api, f"stage={new_lead.pk}") == ids(api, "stage=new lead&pipeline=sales") == in_sales
    assert ids(api, "stage=Contacted") == set()  # a stage that exists, with no deal in it


@pytest.mark.parametrize(
    ("path", "query", "param"),
    [
        ("/api/crm/deals/", "stage=Nowhere", "stage"),
        ("/api/crm/deals/", "brand=%C2%B3", "brand"),  # "³": a digit to str.isdigit(), not to int()
        ("/api/crm/deals/", "pipeline=99999999999999999999999", "pipeline"),
        ("/api/crm/deals/", "pipeline=no-such-pipeline", "pipeline"),
        ("/api/crm/deals/", "brand=nobody", "brand"),
        ("/api/crm/deals/", "pipeline=999999", "pipeline"),
        ("/api/crm/contacts/", "brand=nobody", "brand"),
        ("/api/crm/backlink-opportunities/", "brand=nobody", "brand"),
    ],
)
def test_an_unknown_value_is_a_400_naming_the_filter(api, path, query, param):
    answer = api.get(f"{path}?{query}")

    assert answer.status_code == 400 and "that you can see" in answer.json()[param]


def test_another_brand_is_unknown_to_whoever_does_not_see_it(api, codeteki):
    other = Brand.objects.exclude(pk=codeteki.pk).first()
    ContactFactory(brand=other)

    assert api.get(f"/api/crm/contacts/?brand={other.slug}").status_code == 400
    assert api.get(f"/api/crm/contacts/?brand={other.pk}").status_code == 400


def test_the_api_root_is_an_index():
    answer = APIClient().get("/api/")

    assert answer.status_code == 200
    endpoints = answer.json()["endpoints"]
    assert endpoints["crm"].endswith("/api/crm/") and endpoints["tasks"].endswith("/api/tasks/")
    assert endpoints["public"]["inquiries"].endswith("/api/public/inquiries/")


def test_the_forecast_takes_a_superscript_digit_as_an_unknown_brand_not_a_crash(api):
    # found by schemathesis: /api/core/analytics/sales_forecast/?brand=³ was a 500
    answer = api.get("/api/core/analytics/sales_forecast/?brand=%C2%B3")

    assert answer.status_code == 400 and "brand" in answer.json()
