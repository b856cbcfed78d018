"""The Analytics page in a real browser, on the demo's two years of deals."""

import pytest

from crm.demo import seed_demo
from crm.models import Pipeline
from crm.selectors.pipeline_history import AnalyticsScope
from crm.selectors.pipeline_report import pipeline_analytics, sales_forecast
from tests.fixtures.browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def logged_in(page, live_server, django_user_model):
    seed_demo()
    return log_in(page, live_server, django_user_model, "ada")


def test_staff_open_analytics_from_the_sidebar_and_see_explained_figures(logged_in, live_server):
    page = logged_in
    every = AnalyticsScope(tuple(Pipeline.objects.select_related("brand")))
    figures, forecast = pipeline_analytics(every), sales_forecast(every, 6)

    page.get_by_role("link", name="Analytics").click()
    page.wait_for_url("**/admin/crm/deal/analytics/")

    gauge = page.locator("#health-gauge")
    assert gauge.get_attribute("data-score") == str(figures["pipeline_health"]["overall_health_score"])
    assert page.locator("#health-components [data-component]").count() == 4
    assert page.locator("#funnel-chart canvas").is_visible()
    assert page.locator("#forecast-chart canvas").is_visible()
    assert page.locator("#forecast tbody tr").count() == 6
    backtest = page.locator("#backtest").inner_text()
    assert (
        str(forecast["method"]["backtest_error"]) in backtest and str(forecast["method"]["baseline_error"]) in backtest
    )
    assert forecast["method"]["backtest_error"] < forecast["method"]["baseline_error"]  # the demo's history
    win_rate = figures["pipeline_health"]["win_rate"]
    assert page.locator('[data-figure="win_rate"]').inner_text() == f"{win_rate}%"
    assert page.locator("#recommendations li").count() >= 1
    assert page.locator("#bottlenecks tbody tr").count() >= 1
    screenshot(page, "crm-analytics")


def test_the_filters_narrow_the_figures_and_a_bad_date_is_explained(logged_in, live_server):
    page = logged_in
    sales = Pipeline.objects.get(brand__slug="desi-firms", slug="sales")
    page.goto(f"{live_server.url}/admin/crm/deal/analytics/")

    page.locator("#analytics-filters select[name=pipeline]").select_option(str(sales.pk))
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"**pipeline={sales.pk}*")

    expected = pipeline_analytics(AnalyticsScope((sales,)))
    funnel = page.locator("#funnel tbody tr")
    assert funnel.count() == len(expected["conversion_funnel"]["funnel"])
    assert funnel.first.get_attribute("data-stage") == "New Lead"
    assert page.locator('[data-figure="win_rate"]').inner_text() == f"{expected['pipeline_health']['win_rate']}%"

    page.goto(f"{live_server.url}/admin/crm/deal/analytics/?date_from=yesterday")
    assert "date_from" in page.locator("#filter-errors").inner_text()
