from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from crm_site.tests.factories import UserFactory
from crm_site.tokens import api_token_create

pytestmark = pytest.mark.django_db


def test_the_api_refuses_anonymous_callers():
    response = APIClient().get("/api/me/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_a_token_from_the_command_authenticates(capsys):
    # given
    UserFactory(username="script")
    call_command("create_api_token", "script")
    token = capsys.readouterr().out.strip()
    # when
    response = APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}")
    # then
    assert response.status_code == 200
    assert response.json()["username"] == "script"
    assert token.startswith("crm_")


def test_only_a_hash_of_the_token_is_stored():
    _row, raw = api_token_create(user=UserFactory())

    stored = AuthToken.objects.values_list("digest", "token_key").get()
    assert raw not in stored
    assert raw.startswith(stored[1])  # the key is a short prefix, for recognising a token


def test_an_expired_token_is_refused():
    row, raw = api_token_create(user=UserFactory(), days=1)
    AuthToken.objects.filter(pk=row.pk).update(expiry=timezone.now() - timedelta(seconds=1))

    response = APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Token {raw}")

    assert response.status_code == 401


def test_a_staff_session_authenticates(admin_client):
    response = admin_client.get("/api/me/")

    assert response.status_code == 200
    assert response.json() == {"username": "admin", "is_staff": True, "is_superuser": True}


def test_the_openapi_schema_and_swagger_ui_are_served_offline(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert "/api/me/" in schema.json()["paths"]
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    assert "cdn.jsdelivr" not in html


def test_the_command_refuses_an_unknown_user():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("create_api_token", "ghost")


def test_a_bearer_token_authenticates_as_the_extra_features_scripts_send_it():
    # given
    _row, raw = api_token_create(user=UserFactory(username="script"))
    # when
    bearer = APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    lower = APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"bearer {raw}")
    wrong = APIClient().get("/api/me/", HTTP_AUTHORIZATION="Bearer crm_not-a-token")
    # then
    assert (bearer.status_code, lower.status_code, wrong.status_code) == (200, 200, 401)
    assert bearer.json()["username"] == "script"
