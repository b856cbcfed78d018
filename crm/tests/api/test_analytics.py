"""`/api/core/analytics/`: the keys the extra features document promises, brand scoping, bad queries."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from crm.tests.api.conftest import client_for
from crm.tests.factories import deal_with_history

pytestmark = pytest.mark.django_db

ANALYTICS = "/api/core/analytics/pipeline_analytics/"
FORECAST = "/api/core/analytics/sales_forecast/"


def ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def history(sales, seeded):
    """Codeteki: two won (5000, 7000) and a lost deal, one open of 4000; Desi Firms: one big win."""
    deal_with_history(sales, [("New Lead", ago(60)), ("Contacted", ago(55)), ("Won", ago(40))], value=5000)
    deal_with_history(sales, [("New Lead", ago(50)), ("Engaged", ago(45)), ("Won", ago(20))], value=7000)
    deal_with_history(sales, [("New Lead", ago(30)), ("Lost", ago(25))], value=3000, reason="Went elsewhere")
    deal_with_history(sales, [("New Lead", ago(10)), ("Contacted", ago(4))], value=4000)
    desi = seeded["desi-firms"].pipelines.get(slug="sales")
    deal_with_history(desi, [("New Lead", ago(30)), ("Won", ago(3))], value=99000)


def test_the_documents_keys_for_a_brands_staff(api, history):
    answer = api.get(ANALYTICS)

    assert answer.status_code == 200
    body = answer.json()
    health = body["pipeline_health"]
    assert set(health) >= {
        "overall_health_score", "stage_distribution", "velocity_metrics", "bottlenecks", "win_rate", "recommendations",
    }  # fmt: skip
    assert 0 <= health["overall_health_score"] <= 100
    assert health["win_rate"] == 66.7  # Codeteki's 2 won, 1 lost; Desi Firms' win is not theirs
    assert set(body["pipeline_forecast"]) >= {"by_stage", "by_month", "total_pipeline_value", "weighted_pipeline_value"}
    assert body["pipeline_forecast"]["total_pipeline_value"] == 4000.0
    funnel = body["conversion_funnel"]
    assert set(funnel) >= {"funnel", "overall_conversion", "recommendations"}
    assert all({"stage", "count", "conversion"} <= set(step) for step in funnel["funnel"])
    velocity = body["deal_velocity"]
    assert set(velocity) >= {"average_days", "median_days", "fastest", "slowest"}
    assert velocity["median_days"] == 25.0  # 20 and 30 days from creation to win
    assert (velocity["fastest"]["value"], velocity["slowest"]["value"]) == (5000.0, 7000.0)
    assert {row["brand"] for row in body["win_loss"]["by_brand"]} == {"Codeteki"}
    assert body["win_loss"]["loss_reasons"] == [{"reason": "Went elsewhere", "deals": 1}]


def test_filters_by_slug_or_id_and_dates(api, sales, history):
    by_slug = api.get(ANALYTICS, {"brand": "codeteki", "pipeline": "sales"}).json()
    by_id = api.get(ANALYTICS, {"brand": sales.brand_id, "pipeline": sales.pk}).json()
    recent = api.get(ANALYTICS, {"date_from": ago(30).date().isoformat(), "date_to": timezone.now().date()}).json()

    assert by_slug["pipeline_health"]["win_rate"] == by_id["pipeline_health"]["win_rate"] == 66.7
    assert (recent["pipeline_health"]["won"], recent["pipeline_health"]["lost"]) == (1, 1)  # closed 20 and 25 days ago


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"brand": "desi-firms"}, "brand"),  # not one of theirs
        ({"brand": "nope"}, "brand"),
        ({"pipeline": "nope"}, "pipeline"),
        ({"date_from": "last tuesday"}, "date_from"),
        ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, "date_to"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(api, query, field):
    answer = api.get(ANALYTICS, query)

    assert answer.status_code == 400
    assert field in answer.json()


@pytest.mark.parametrize("months", ["0", "13", "three", "-1"])
def test_the_forecast_takes_1_to_12_months(api, months):
    answer = api.get(FORECAST, {"months": months})

    assert answer.status_code == 400
    assert "months" in answer.json()


@pytest.mark.parametrize("months", [1, 12])
def test_the_forecast_has_an_entry_per_month_and_its_errors(api, history, months):
    body = api.get(FORECAST, {"months": months}).json()

    assert body["months"] == months
    assert len(body["by_month"]) == months
    for entry in body["by_month"]:
        assert entry["low"] <= entry["expected"] <= entry["high"]
    assert {"backtest_error", "baseline_error", "error_measure"} <= set(body["method"])


def test_anonymous_calls_and_users_without_deal_rights_are_refused(history, django_user_model):
    assert APIClient().get(ANALYTICS).status_code in (401, 403)
    assert APIClient().get(FORECAST).status_code in (401, 403)
    nobody = django_user_model.objects.create_user("nobody", password="a-long-password-1")
    assert client_for(nobody).get(ANALYTICS).status_code == 403


def test_superusers_see_every_brands_figures(admin_user, history):
    body = client_for(admin_user).get(ANALYTICS).json()

    assert body["pipeline_health"]["win_rate"] == 75.0  # 3 won, 1 lost
    assert {row["brand"] for row in body["win_loss"]["by_brand"]} == {"Codeteki", "Desi Firms"}
