"""/api/campaigns/segments/ and /api/campaigns/campaigns/: the document's paths and keys, brand
scoping, 400s that name the field (or the filter key), and state changes that say why."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from rest_framework.test import APIClient

from campaigns.models import Campaign, CampaignRecipient, CampaignSegment, EmailTemplate
from campaigns.services import campaign_run
from crm.services.sending import brand_send_due
from crm.tests.factories import BrandFactory, ContactFactory
from crm_site.tests.factories import UserFactory
from crm_site.tokens import api_token_create

pytestmark = pytest.mark.django_db

SEGMENTS = "/api/campaigns/segments/"
CAMPAIGNS = "/api/campaigns/campaigns/"


def test_a_segment_is_checked_key_by_key_and_previewed(api, open_brand, leads):
    bad = api.post(
        SEGMENTS,
        {"brand": open_brand.pk, "name": "X", "filters": {"colour": "red", "contact_type": "vip"}},
        format="json",
    )
    assert bad.status_code == 400
    assert set(bad.json()["filters"]) == {"colour", "contact_type"}
    assert "unknown filter 'colour'" in bad.json()["filters"]["colour"]

    made = api.post(
        SEGMENTS, {"brand": open_brand.pk, "name": "Leads", "filters": {"contact_type": "lead"}}, format="json"
    )
    assert made.status_code == 201, made.json()
    preview = api.get(f"{SEGMENTS}{made.json()['id']}/preview/").json()
    assert preview["count"] == 12 and len(preview["sample"]) == 12
    assert set(preview["sample"][0]) >= {"id", "email", "name", "company", "contact_type", "tags"}

    draft = api.post(
        f"{SEGMENTS}preview/", {"brand": open_brand.pk, "filters": {"contact_type": "partner"}}, format="json"
    )
    assert draft.status_code == 200 and draft.json()["count"] == 1
    assert api.post(f"{SEGMENTS}preview/", {"brand": open_brand.pk, "filters": {"x": 1}}, format="json").json() == {
        "filters": {"x": draft_problem("x")}
    }
    assert api.post(SEGMENTS, {"brand": open_brand.pk, "name": "Leads", "filters": {}}, format="json").json() == {
        "name": ["This brand already has a segment of this name."]
    }


def draft_problem(key):
    from campaigns.segments import FILTERS

    return f"unknown filter {key!r} (known: {', '.join(FILTERS)})"


def test_the_preview_sample_is_at_most_twenty(api, open_brand):
    for n in range(25):
        ContactFactory(brand=open_brand, email=f"p{n}@x{n}.example")
    segment = CampaignSegment.objects.create(brand=open_brand, name="All", filters={})
    preview = api.get(f"{SEGMENTS}{segment.pk}/preview/").json()
    assert preview["count"] == 25 and len(preview["sample"]) == 20


def test_another_brands_segments_and_campaigns_are_404(api, open_brand):
    other = BrandFactory()
    segment = CampaignSegment.objects.create(brand=other, name="Theirs", filters={})
    campaign = Campaign.objects.create(brand=other, name="Theirs", subject="Hi")
    assert api.get(f"{SEGMENTS}{segment.pk}/preview/").status_code == 404
    assert api.post(f"{CAMPAIGNS}{campaign.pk}/send_now/").status_code == 404
    assert api.post(CAMPAIGNS, {"brand": other.pk, "name": "X", "subject": "Hi"}, format="json").status_code == 400
    assert api.get(CAMPAIGNS).json()["count"] == 0


def test_anonymous_calls_are_refused():
    assert APIClient().get(CAMPAIGNS).status_code in (401, 403)


def test_a_campaign_made_from_a_template_with_variants(api, open_brand, segment):
    template = EmailTemplate.objects.create(
        brand=open_brand, name="Offer", subject="An idea for {{ company }}", content_html="<p>Hi {{ first_name }}</p>"
    )
    made = api.post(
        CAMPAIGNS,
        {
            "brand": open_brand.pk, "name": "Spring", "template": template.pk, "segment": segment.pk,
            "variants": [{"subject": "Idea for {{ company }}"}, {"subject": "Quick question, {{ first_name }}"}],
            "ab_test_percentage": 30, "ab_wait_hours": 6, "ab_winner_metric": "click_rate",
        },
        format="json",
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["subject"] == "An idea for {{ company }}" and body["content_html"] == "<p>Hi {{ first_name }}</p>"
    assert [v["label"] for v in body["variants"]] == ["A", "B"] and body["status"] == "draft"
    assert body["recipient_count"] == 0 and body["ab_winner"] is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"subject": "Hi {{ password }}"}, "subject"),
        ({"subject": "Hi", "content_html": "{% load static %}"}, "content_html"),
        ({"subject": "Hi", "variants": [{"subject": "only one"}]}, "variants"),
        ({"subject": "Hi", "variants": [{"subject": "a"}, {"subject": "{{ nope }}"}]}, "variants"),
        ({"subject": "Hi", "ab_test_percentage": 0}, "ab_test_percentage"),
        ({"subject": "Hi", "ab_winner_metric": "vibes"}, "ab_winner_metric"),
        ({"name": ""}, "name"),
        ({}, "subject"),
    ],
)
def test_a_bad_campaign_is_a_400_naming_the_field(api, open_brand, payload, field):
    response = api.post(CAMPAIGNS, {"brand": open_brand.pk, "name": "N", **payload}, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()


def test_a_template_or_segment_of_another_brand_is_refused(api, open_brand):
    other = BrandFactory()
    segment = CampaignSegment.objects.create(brand=other, name="Theirs", filters={})
    response = api.post(
        CAMPAIGNS, {"brand": open_brand.pk, "name": "N", "subject": "Hi", "segment": segment.pk}, format="json"
    )
    assert response.status_code == 400 and "segment" in response.json()


def test_schedule_send_pause_resume_cancel_through_the_api(api, open_brand, leads, make_campaign):
    campaign = make_campaign()
    url = f"{CAMPAIGNS}{campaign.pk}/"

    past = api.post(
        f"{url}schedule/", {"scheduled_at": (timezone.now() - timedelta(hours=1)).isoformat()}, format="json"
    )
    assert past.status_code == 400 and "past" in past.json()["detail"]
    assert api.post(f"{url}schedule/", {}, format="json").json() == {"scheduled_at": ["This field is required."]}
    soon = (timezone.now() + timedelta(hours=1)).isoformat()
    scheduled = api.post(f"{url}schedule/", {"scheduled_at": soon}, format="json")
    assert scheduled.status_code == 200 and scheduled.json()["status"] == "scheduled"
    assert scheduled.json()["recipient_count"] == 10 + 2  # the segment now; suppressed ones are skipped later

    sent = api.post(f"{url}send_now/")
    assert sent.status_code == 202 and sent.json()["status"] == "scheduled"
    campaign_run(campaign_id=campaign.pk)  # what the worker does
    assert api.post(f"{url}send_now/").json()["detail"] == "A sending campaign cannot be sent now."
    edit = api.patch(url, {"subject": "Changed"}, format="json")
    assert edit.json() == {"status": ["A sending campaign cannot be edited."]}

    assert api.post(f"{url}pause/").json()["status"] == "paused"
    assert api.post(f"{url}pause/").status_code == 400
    assert api.post(f"{url}resume/").json()["status"] == "sending"
    campaign_run(campaign_id=campaign.pk)
    brand_send_due(brand=open_brand)
    cancelled = api.post(f"{url}cancel/")
    assert cancelled.json()["status"] == "cancelled"
    assert api.post(f"{url}cancel/").json()["detail"] == "A cancelled campaign cannot be cancelled."
    assert api.delete(url).status_code == 400  # it sent mail: kept for its figures
    assert CampaignRecipient.objects.filter(campaign=campaign, state="sent").count() == 10


def test_analytics_and_statistics_keys(api, open_brand, leads, make_campaign):
    campaign = make_campaign()
    api.post(f"{CAMPAIGNS}{campaign.pk}/send_now/")
    campaign_run(campaign_id=campaign.pk)
    brand_send_due(brand=open_brand)

    analytics = api.get(f"{CAMPAIGNS}{campaign.pk}/analytics/").json()
    stats = api.get(f"{CAMPAIGNS}statistics/").json()

    keys = {
        "recipients", "sent", "skipped", "opened", "unique_opens", "clicked", "unique_clicks", "bounced",
        "unsubscribed", "replied", "open_rate", "click_rate", "bounce_rate", "unsubscribe_rate", "reply_rate",
    }  # fmt: skip
    assert keys <= set(analytics) and keys <= set(stats)
    assert {"variants", "links", "opens_per_hour", "clicks_per_hour", "ab_test"} <= set(analytics)
    assert (analytics["recipients"], analytics["sent"], analytics["skipped"]) == (12, 10, 2)
    assert stats["campaigns"] == 1 and stats["by_status"]["sending"] == 1 and stats["sent"] == 10


def test_acting_takes_the_change_permission(open_brand, make_campaign):
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.set(Permission.objects.filter(codename="view_campaign"))
    open_brand.members.add(viewer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=viewer)[1]}")
    campaign = make_campaign()

    assert client.get(f"{CAMPAIGNS}{campaign.pk}/").status_code == 200
    assert client.post(f"{CAMPAIGNS}{campaign.pk}/send_now/").status_code == 403


def test_a_test_send_goes_to_me_marked_test(api, open_brand, leads, make_campaign):
    from crm.models import EmailLog, OutboxMessage

    campaign = make_campaign()
    response = api.post(f"{CAMPAIGNS}{campaign.pk}/send_test/", {"to": "me@codeteki.au"}, format="json")

    assert response.status_code == 200, response.json()
    message = OutboxMessage.objects.get(to_address="me@codeteki.au")
    assert message.subject.startswith("[Test] Hi ") and 'href="https://codeteki.au/offer"' in message.html
    assert not EmailLog.objects.exists()  # nothing recorded against a contact
