import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from crm.models import Brand
from crm.services.seed import seed_crm_pipelines
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
