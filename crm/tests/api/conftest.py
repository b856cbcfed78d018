"""The API's users: staff of one brand, with the CRM's model permissions, and their clients."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from crm_site.tests.factories import UserFactory
from crm_site.tokens import api_token_create

CRM_PERMS = ["view", "add", "change"]
CRM_MODELS = ["contact", "deal", "pipeline", "pipelinestage", "emailsequence", "aidecisionlog", "backlinkopportunity"]


def client_for(user) -> APIClient:
    _row, token = api_token_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def carl(codeteki):
    """Staff of Codeteki only, with the CRM's view/add/change permissions."""
    user = UserFactory(username="carl")
    codenames = [f"{perm}_{model}" for perm in CRM_PERMS for model in CRM_MODELS]
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="crm", codename__in=codenames))
    codeteki.members.add(user)
    return user


@pytest.fixture
def api(carl):
    return client_for(carl)
