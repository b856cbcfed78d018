"""POST /webhook/zoho/contact/: token or signature first, then store once, enqueue, answer 200."""

import hashlib
import hmac
import json
from pathlib import Path

import pytest

from webhooks.models import EventState, InboundEvent

pytestmark = pytest.mark.django_db

URL = "/webhook/zoho/contact/"
SECRET = "zoho-webhook-secret-for-tests"
FIXTURES = Path(__file__).parent / "fixtures"
BODY = (FIXTURES / "ready_to_pitch.json").read_bytes()


@pytest.fixture(autouse=True)
def secret(settings):
    settings.WEBHOOK_SECRET = SECRET


def post(client, body=BODY, content_type="application/json", **headers):
    return client.post(URL, body, content_type=content_type, headers=headers)


def signature(body):
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def test_a_delivery_with_the_token_header_is_stored_and_enqueued(client, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = post(client, **{"X-Webhook-Token": SECRET})
    # then
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    event = InboundEvent.objects.get()
    assert (event.provider, event.event_type, event.state) == ("zoho_crm", "contact.updated", EventState.PENDING)
    assert event.payload["contact_id"] == "7328395000000687002"
    assert event.payload["industry_1_areas"] == ["Information Technology", "Finance"]
    assert "industry_choice_3" not in event.payload  # empty: read from the Zoho record instead
    assert len(callbacks) == 1


def test_the_token_may_come_as_a_query_parameter(client):
    # when
    response = client.post(f"{URL}?token={SECRET}", BODY, content_type="application/json")
    # then
    assert response.status_code == 200
    assert InboundEvent.objects.count() == 1


def test_a_signed_body_is_accepted(client):
    # when
    response = post(client, **{"X-Webhook-Signature": signature(BODY)})
    # then
    assert response.status_code == 200


def test_form_data_as_zoho_sends_it_is_accepted(client):
    # given
    body = (FIXTURES / "ready_to_pitch_form.txt").read_text().strip()
    # when
    response = post(client, body, "application/x-www-form-urlencoded", **{"X-Webhook-Token": SECRET})
    # then
    assert response.status_code == 200
    payload = InboundEvent.objects.get().payload
    assert payload["location"] == "Sydney, Australia"
    assert payload["industry_1_areas"] == ["Information Technology", "Finance"]


def test_zoho_api_names_are_understood_as_keys(client):
    # given
    body = json.dumps({"Contact_Id": "123456", "Role_Success_Stage": "Ready to Pitch", "First_Name": "Li"})
    # when
    response = post(client, body, **{"X-Webhook-Token": SECRET})
    # then
    assert response.status_code == 200
    assert InboundEvent.objects.get().payload == {
        "contact_id": "123456",
        "role_success_stage": "Ready to Pitch",
        "first_name": "Li",
    }


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Webhook-Token": "wrong"},
        {"X-Webhook-Token": SECRET[:-1]},
        {"X-Webhook-Signature": "sha256=" + "0" * 64},
        {"X-Webhook-Signature": signature(b"another body")},
        {"X-Webhook-Signature": SECRET},
    ],
)
def test_a_wrong_secret_gets_401_and_changes_nothing(client, headers):
    # when
    response = post(client, **headers)
    # then
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert not InboundEvent.objects.exists()


def test_without_a_configured_secret_nobody_gets_in(client, settings):
    # given
    settings.WEBHOOK_SECRET = ""
    # when
    response = post(client, **{"X-Webhook-Token": ""})
    # then
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"first_name": "No Id"}', "contact_id"),
        (b'{"contact_id": "../../etc"}', "contact_id"),
        (b'{"contact_id": ', "body"),
        (b'["a list"]', "body"),
    ],
)
def test_a_bad_body_gets_400_naming_the_field(client, body, field):
    # when
    response = post(client, body, **{"X-Webhook-Token": SECRET})
    # then
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not InboundEvent.objects.exists()


def test_the_same_body_again_is_a_delivery_of_its_own(client, django_capture_on_commit_callbacks):
    # given Zoho sends no delivery id: the same fields again may come with a new CV in the record
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        # when
        first = post(client, **{"X-Webhook-Token": SECRET})
        second = post(client, **{"X-Webhook-Token": SECRET})
    # then both are stored and both are processed
    assert first.json()["status"] == second.json()["status"] == "accepted"
    assert first.json()["event_id"] != second.json()["event_id"]
    assert InboundEvent.objects.count() == 2
    assert len(callbacks) == 2


def test_only_post_is_allowed(client):
    # when
    response = client.get(URL, {"token": SECRET})
    # then
    assert response.status_code == 405
