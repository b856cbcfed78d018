"""The CRM admin in a real browser: dashboard funnel, deal filters and the bulk move."""

import pytest

from crm.demo import seed_demo
from crm.models import ActivityType, Deal, Pipeline
from tests.fixtures.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def logged_in(page, live_server, django_user_model):
    seed_demo()
    django_user_model.objects.create_superuser("grace", "grace@example.com", "a-long-password-1")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "grace")
    page.fill("input[name=password]", "a-long-password-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def test_the_dashboard_shows_each_pipeline_s_funnel_with_the_seeded_numbers(logged_in):
    page = logged_in
    sales = Pipeline.objects.get(brand__slug="codeteki", slug="sales")

    funnel = page.locator(f'.funnel[data-pipeline="{sales.pk}"]')

    assert funnel.locator("canvas").is_visible()
    for stage in sales.stages.all():
        shown = funnel.locator(f'tr[data-stage="{stage.name}"] .stage-deals').inner_text()
        assert int(shown) == Deal.objects.filter(current_stage=stage).count(), stage.name
    open_deals = Deal.objects.filter(pipeline__is_active=True, status__in=["active", "paused"]).count()
    assert page.get_by_test_id("open-deals").inner_text() == str(open_deals)
    screenshot(page, "crm-dashboard")


def test_staff_filter_deals_and_move_two_with_the_bulk_action(logged_in, live_server):
    page = logged_in
    sales = Pipeline.objects.get(brand__slug="codeteki", slug="sales")
    new_lead, qualified = sales.stages.get(name="New Lead"), sales.stages.get(name="Qualified")
    # given the deals list filtered to one stage through the filter panel
    page.goto(f"{live_server.url}/admin/crm/deal/")
    page.locator("a", has_text="filter_list").click()  # the Filters button
    stage_filter = page.locator("#changelist-filter .select2-container").nth(2)  # brand, pipeline, stage
    stage_filter.click()
    page.locator(".select2-results__option", has_text="Codeteki · Sales Pipeline · New Lead").click()
    page.get_by_role("button", name="Apply Filters").click()
    page.wait_for_url("**stage=*")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == Deal.objects.filter(current_stage=new_lead).count()
    # when two are selected and moved with the bulk action
    chosen = [rows.nth(0), rows.nth(1)]
    for row in chosen:
        row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option("move_to_stage")
    page.locator("button[name=index]").click()
    page.locator("#action-form select[name=stage]").select_option(str(qualified.pk))
    page.fill("#action-form input[name=reason]", "called them")
    screenshot(page, "crm-move-to-stage")
    page.get_by_role("button", name="Move deals").click()
    # then
    page.get_by_text("Moved 2 deal(s) to Qualified").wait_for()
    moved = Deal.objects.filter(
        activities__activity_type=ActivityType.STAGE_CHANGED, activities__description__endswith="called them"
    )
    assert moved.count() == 2
    assert set(moved.values_list("current_stage", flat=True)) == {qualified.pk}
    screenshot(page, "crm-deals-after-move")
