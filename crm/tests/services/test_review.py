from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from crm.models import DailySummary
from crm.services.review import brand_daily_review, brands_due_for_review
from crm.tests.factories import ContactFactory, DealFactory

pytestmark = pytest.mark.django_db


def test_each_brand_is_reviewed_from_nine_in_its_own_time_zone(seeded):
    # noon UTC is 23:00 in Sydney and 07:00 in New York
    noon_utc = datetime(2026, 11, 24, 12, 0, tzinfo=ZoneInfo("UTC"))

    due = brands_due_for_review(now=noon_utc)

    assert [b.slug for b in due] == ["codeteki"]


def test_the_review_rescores_flags_stuck_deals_and_writes_once(sales):
    stuck = DealFactory(
        pipeline=sales, contact=ContactFactory(brand=sales.brand, domain_authority=50),
        current_stage=sales.stages.get(name="Contacted"), stage_entered_at=timezone.now() - timedelta(days=10),
    )  # fmt: skip
    fresh = DealFactory(pipeline=sales, contact=ContactFactory(brand=sales.brand), current_stage=sales.first_stage())

    summary = brand_daily_review(brand=sales.brand)
    again = brand_daily_review(brand=sales.brand)

    assert again is None
    assert DailySummary.objects.count() == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.needs_review and not fresh.needs_review
    assert stuck.contact.ai_score == 20 + 15 + 15 + 15
    assert summary.figures["stuck"] == 1 and summary.figures["rescored"] == 2
    assert "Stuck (1)" in summary.text
