from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from rest_framework.test import APIClient

from campaigns.models import Campaign, CampaignSegment
from crm.models import Brand, Contact
from crm.services.seed import seed_crm_pipelines
from crm.tests.factories import ContactFactory
from crm_site.tests.factories import UserFactory
from crm_site.tokens import api_token_create


@pytest.fixture
def seeded(db):
    seed_crm_pipelines()
    return {brand.slug: brand for brand in Brand.objects.all()}


@pytest.fixture
def codeteki(seeded):
    return seeded["codeteki"]


@pytest.fixture
def api(codeteki):
    """A member of Codeteki with the campaign models' permissions, by API token."""
    user = UserFactory(username="marketer")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="campaigns"))
    codeteki.members.add(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)[1]}")
    return client


@pytest.fixture
def open_brand(codeteki):
    """Codeteki sending at any hour, with caps that do not get in the way."""
    Brand.objects.filter(pk=codeteki.pk).update(
        send_window_start=None, send_window_end=None, send_weekdays=[0, 1, 2, 3, 4, 5, 6],
        hourly_send_cap=10_000, daily_send_cap=10_000,
    )  # fmt: skip
    codeteki.refresh_from_db()
    return codeteki


@pytest.fixture
def leads(open_brand):
    """Twelve leads of Codeteki and one partner; the last lead unsubscribed, the one before bounced."""
    people = [
        ContactFactory(brand=open_brand, email=f"lead{n}@shop{n}.example", name=f"Lead{n} Person", contact_type="lead")
        for n in range(12)
    ]
    ContactFactory(brand=open_brand, email="partner@agency.example", contact_type="partner")
    Contact.objects.filter(pk=people[-1].pk).update(unsubscribed_at=timezone.now())
    Contact.objects.filter(pk=people[-2].pk).update(bounced_at=timezone.now())
    return people


@pytest.fixture
def segment(open_brand):
    return CampaignSegment.objects.create(brand=open_brand, name="Leads", filters={"contact_type": "lead"})


@pytest.fixture
def make_campaign(open_brand, segment):
    def make(**fields):
        values = {
            "brand": open_brand, "segment": segment, "name": "Spring offer",
            "subject": 'Hi {{ first_name|default:"there" }}, an idea for {{ company }}',
            "content_html": (
                '<p>Hello {{ first_name }},</p><p><a href="https://codeteki.au/offer">See the offer</a></p>'
            ),
            **fields,
        }  # fmt: skip
        return Campaign.objects.create(**values)

    return make


def leases_run_out(model):
    """The leases and back-offs of `model`'s rows run out."""
    past = timezone.now() - timedelta(seconds=1)
    model.objects.filter(claim_until__isnull=False).update(claim_until=past)
    model.objects.filter(retry_at__isnull=False).update(retry_at=past)
