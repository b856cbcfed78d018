"""Every inbound URL answers the same with and without its trailing slash, for every method it
accepts: the same status and the same stored event. Meta and Zoho do not follow a redirect with
their POST, so a webhook configured without the slash must not get one (or a 500)."""

import json

import pytest
from django.contrib.auth.models import User
from django.urls import get_resolver
from knox.models import AuthToken

from recruiting.services.candidates import candidate_upsert
from tests.whatsapp import APP_SECRET, VERIFY_TOKEN, fixture, sign, text_message
from webhooks.models import InboundEvent

pytestmark = pytest.mark.django_db

ZOHO_SECRET = "zoho-webhook-secret-for-tests"
GATEWAY_TOKEN = "gateway-token"


@pytest.fixture(autouse=True)
def secrets(settings):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN
    settings.WAHA_WEBHOOK_TOKEN = GATEWAY_TOKEN
    settings.WEBHOOK_SECRET = ZOHO_SECRET
    settings.ZOHO_CRM_CLIENT_ID = settings.ZOHO_CRM_REFRESH_TOKEN = ""  # the flow runs on local data


@pytest.fixture
def staff(db):
    return {"Authorization": f"Token {AuthToken.objects.create(User.objects.create_user('s', is_staff=True))[1]}"}


@pytest.fixture
def candidate(roles):
    return candidate_upsert(contact_id="demo-7", fields={"first_name": "Ana", "location": "Sydney"}).zoho_contact_id


def both(client, method, path, **kwargs):
    """The answer at `path` and at `path` without its trailing slash, each with the events it stored."""
    return _twice(client, method, path, lambda: kwargs)


def test_meta_s_verification_get(client):
    params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "42"}

    (slash, _), (bare, _) = both(client, "get", "/webhook/whatsapp/", data=params)

    assert (slash.status_code, slash.content) == (bare.status_code, bare.content) == (200, b"42")


def test_meta_s_signed_post(client):
    def delivery():
        body = text_message("31612345678", "Hallo")
        return {"data": body, "content_type": "application/json", "headers": {"X-Hub-Signature-256": sign(body)}}

    (slash, slash_events), (bare, bare_events) = _post_twice(client, "/webhook/whatsapp/", delivery)

    assert slash.status_code == bare.status_code == 200
    assert len(slash_events) == len(bare_events) == 1
    assert _without_ids(slash_events) == _without_ids(bare_events)


def test_the_gateway_post(client):
    def delivery():
        body = json.loads(fixture("waha_message.json"))
        body["payload"]["id"] += str(InboundEvent.objects.count())  # a new message each time
        return {
            "data": json.dumps(body),
            "content_type": "application/json",
            "headers": {"X-Webhook-Token": GATEWAY_TOKEN},
        }

    (slash, slash_events), (bare, bare_events) = _post_twice(client, "/webhook/waha/", delivery)

    assert slash.status_code == bare.status_code == 200
    assert _without_ids(slash_events) == _without_ids(bare_events) != []


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_zoho_s_contact_post(client, content_type):
    fields = {"contact_id": "5725767000000700001", "role_success_stage": "Ready to Pitch"}
    body = json.dumps(fields) if content_type == "application/json" else "&".join(f"{k}={v}" for k, v in fields.items())

    (slash, slash_events), (bare, bare_events) = both(
        client, "post", "/webhook/zoho/contact/", data=body, content_type=content_type,
        headers={"X-Webhook-Token": ZOHO_SECRET},
    )  # fmt: skip

    assert slash.status_code == bare.status_code == 200
    assert slash_events == bare_events == [("zoho_crm", "contact.updated", fields)]


def test_the_simulated_ready_to_pitch_post(client, staff):
    (slash, slash_events), (bare, bare_events) = both(
        client, "post", "/webhook/test-ready-to-pitch/", data={"contact_id": "demo-2"},
        content_type="application/json", headers=staff,
    )  # fmt: skip

    assert slash.status_code == bare.status_code == 200
    assert (
        slash_events
        == bare_events
        == [("zoho_crm", "contact.updated", {"contact_id": "demo-2", "role_success_stage": "Ready to Pitch"})]
    )


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("post", "/webhook/manual-cv-extraction/{id}/", 202),
        ("post", "/webhook/jobs/match/{id}/", 200),
        ("get", "/webhook/jobs/matches/{id}/", 200),
        ("get", "/webhook/skills/{id}/", 200),
    ],
)
def test_the_staff_endpoints(client, staff, candidate, method, path, status):
    (slash, _), (bare, _) = both(client, method, path.format(id=candidate), headers=staff)

    assert slash.status_code == bare.status_code == status
    assert _steady(slash.json()) == _steady(bare.json())


@pytest.mark.parametrize("method", ["post", "get", "put", "delete"])
def test_a_method_a_webhook_refuses_is_refused_the_same_way(client, method):
    body = {} if method == "get" else {"data": "{}", "content_type": "application/json"}

    (slash, _), (bare, _) = both(client, method, "/webhook/waha/", **body)

    assert slash.status_code == bare.status_code == (401 if method == "post" else 405)


def test_every_webhook_route_has_its_slashless_twin():
    # given the webhook routes
    [webhooks] = [p for p in get_resolver().url_patterns if str(p.pattern) == "webhook/"]
    # then each route with a slash has the same route without it, served by the same view
    slashed = {str(p.pattern): p.callback for p in webhooks.url_patterns if str(p.pattern).endswith("/")}
    bare = {str(p.pattern): p.callback for p in webhooks.url_patterns if not str(p.pattern).endswith("/")}
    assert len(slashed) == 8
    assert {route.rstrip("/"): view for route, view in slashed.items()} == bare


def _post_twice(client, path, delivery):
    """As `both`, with a new delivery (a new message id) for each of the two posts."""
    return _twice(client, "post", path, delivery)


def _twice(client, method, path, request):
    answers = []
    for url in (path, path.rstrip("/")):
        before = set(InboundEvent.objects.values_list("pk", flat=True))
        response = getattr(client, method)(url, **request())
        stored = InboundEvent.objects.exclude(pk__in=before)
        answers.append((response, [(e.provider, e.event_type, e.payload) for e in stored]))
    return answers


def _without_ids(events):
    """The events with the per-delivery message ids and timestamps left out."""
    steady = []
    for provider, event_type, payload in events:
        message = {k: v for k, v in payload["message"].items() if k not in ("id", "timestamp")}
        steady.append((provider, event_type, {**payload, "message": message}))
    return steady


def _steady(body):
    """A response body without what changes from one call to the next (run ids, times)."""
    if isinstance(body, dict):
        return {k: _steady(v) for k, v in body.items() if k not in ("candidate_id", "computed_at", "task_id")}
    if isinstance(body, list):
        return [_steady(v) for v in body]
    return body
