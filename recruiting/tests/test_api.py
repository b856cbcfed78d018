"""The staff endpoints of the Ready-to-Pitch system (recruiting/api/): API token or session, 404 JSON
for a stranger, the manual run queued for a worker."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from knox.models import AuthToken

from crm_site import claims
from integrations.zoho.errors import ZohoError
from recruiting.models import Candidate, JobMatch
from recruiting.services.candidates import candidate_upsert
from recruiting.services.pitch import CandidateBusy, candidate_ready_to_pitch_run, candidate_webhook_handle
from recruiting.tasks import ready_to_pitch_run
from webhooks.models import InboundEvent

pytestmark = pytest.mark.django_db

READY = "Ready to Pitch"


@pytest.fixture
def token(db):
    user = User.objects.create_user("script", is_staff=True)
    return AuthToken.objects.create(user)[1]


@pytest.fixture
def matched(fake_zoho_crm, zoho_candidate, roles):
    candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    return zoho_candidate


def auth(token):
    return {"Authorization": f"Token {token}"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/webhook/test-ready-to-pitch/"),
        ("post", "/webhook/manual-cv-extraction/1/"),
        ("post", "/webhook/jobs/match/1/"),
        ("get", "/webhook/jobs/matches/1/"),
        ("get", "/webhook/skills/1/"),
    ],
)
def test_the_endpoints_need_a_token_or_a_staff_session(client, method, path):
    # when
    anonymous = getattr(client, method)(path)
    client.force_login(User.objects.create_user("viewer"))  # not staff
    not_staff = getattr(client, method)(path)
    # then
    assert (anonymous.status_code, not_staff.status_code) == (401, 403)


def test_matches_come_best_first_with_their_breakdown(client, token, matched):
    # when
    response = client.get(f"/webhook/jobs/matches/{matched}/", {"limit": 2}, headers=auth(token))
    # then
    assert response.status_code == 200
    matches = response.json()["matches"]
    assert [m["title"] for m in matches] == ["Senior Python Engineer", "Data Engineer"]
    assert set(matches[0]["breakdown"]) == {"industry", "location", "work_policy", "skills"}
    assert matches[0]["explanation"]["summary"]


@pytest.mark.parametrize("limit", ["0", "51", "five", "-1"])
def test_a_bad_limit_is_a_400_naming_it(client, token, matched, limit):
    # when
    response = client.get(f"/webhook/jobs/matches/{matched}/", {"limit": limit}, headers=auth(token))
    # then
    assert response.status_code == 400
    assert response.json()["field"] == "limit"


def test_skills_are_listed(admin_client, matched):
    # when
    response = admin_client.get(f"/webhook/skills/{matched}/")
    # then
    assert response.status_code == 200
    names = {s["name"] for s in response.json()["skills"]}
    assert {"Python", "Django"} <= names


def test_match_rescored_on_demand(client, token, matched):
    # given
    JobMatch.objects.all().delete()
    # when
    response = client.post(f"/webhook/jobs/match/{matched}/", headers=auth(token))
    # then
    assert response.status_code == 200
    assert response.json()["matches_saved"] == 3


def test_manual_extraction_queues_the_flow_which_reports_each_step(
    client, token, fake_zoho_crm, zoho_candidate, roles, django_capture_on_commit_callbacks
):
    # when
    response = client.post(f"/webhook/manual-cv-extraction/{zoho_candidate}/", headers=auth(token))
    # then the request only queued it; the worker's run reports each step
    assert response.status_code == 202
    assert response.json()["status"] == "queued" and response.json()["task_id"]
    assert not Candidate.objects.filter(zoho_contact_id=zoho_candidate).exists()  # nothing ran in the request
    body = ready_to_pitch_run(zoho_candidate)
    assert body["ok"] is True
    assert [s["step"] for s in body["steps"]] == [
        "fetch contact",
        "download CV",
        "extract text",
        "extract skills",
        "match roles",
    ]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/webhook/jobs/match/5725767000000000404/"),
        ("get", "/webhook/jobs/matches/5725767000000000404/"),
        ("get", "/webhook/skills/5725767000000000404/"),
    ],
)
def test_an_unknown_contact_is_a_404_in_json(client, token, fake_zoho_crm, method, path):
    # when
    response = getattr(client, method)(path, headers=auth(token))
    # then
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_simulating_the_webhook_stores_an_event(client, token):
    # when
    response = client.post(
        "/webhook/test-ready-to-pitch/",
        {"contact_id": "5725767000000700001"},
        content_type="application/json",
        headers=auth(token),
    )
    # then
    assert response.status_code == 200
    event = InboundEvent.objects.get()
    assert event.payload == {"contact_id": "5725767000000700001", "role_success_stage": READY}
    assert not Candidate.objects.exists()  # the worker does the rest


def test_simulating_needs_a_valid_contact_id(client, token):
    # when
    response = client.post(
        "/webhook/test-ready-to-pitch/", {"contact_id": "x/../y"}, content_type="application/json", headers=auth(token)
    )
    # then
    assert response.status_code == 400
    assert "contact_id" in response.json()


def simulated_and_delivered(client, token, contact_id):
    """The id posted to the staff simulation and, as Zoho would, to the contact webhook."""
    body = {"data": {"contact_id": contact_id}, "content_type": "application/json"}
    simulated = client.post("/webhook/test-ready-to-pitch/", **body, headers=auth(token))
    delivered = client.post("/webhook/zoho/contact/", **body, headers={"X-Webhook-Token": "s3cret"})
    return simulated, delivered


@pytest.mark.parametrize("contact_id", ["demo-2", "5725767000000700001", "candidate_7"])
def test_every_entry_point_takes_the_same_contact_ids(client, token, settings, contact_id):
    # given
    settings.WEBHOOK_SECRET = "s3cret"
    # when the id arrives by the simulation, by Zoho's webhook and in a URL
    simulated, delivered = simulated_and_delivered(client, token, contact_id)
    looked_up = client.get(f"/webhook/skills/{contact_id}/", headers=auth(token))
    # then all accept it (the last knows no such candidate yet)
    assert (simulated.status_code, delivered.status_code, looked_up.status_code) == (200, 200, 404)


@pytest.mark.parametrize("contact_id", ["x/../y", "-lead", "a b", "a" * 65, "", "ünï"])
def test_every_entry_point_refuses_the_same_bad_ids_naming_the_field(client, token, settings, contact_id):
    # given
    settings.WEBHOOK_SECRET = "s3cret"
    # when
    simulated, delivered = simulated_and_delivered(client, token, contact_id)
    # then
    assert (simulated.status_code, delivered.status_code) == (400, 400)
    assert "contact_id" in simulated.json()
    assert delivered.json()["field"] == "contact_id"
    assert not InboundEvent.objects.exists()


@pytest.mark.parametrize("contact_id", ["a.b", "-x", "%C3%BC"])
def test_a_bad_id_in_a_url_is_a_400_naming_the_field(client, token, contact_id):
    response = client.get(f"/webhook/skills/{contact_id}/", headers=auth(token))

    assert response.status_code == 400
    assert response.json()["field"] == "contact_id"


def test_manual_extraction_of_a_contact_nobody_knows_is_a_404(client, token, settings):
    settings.ZOHO_CRM_CLIENT_ID = settings.ZOHO_CRM_REFRESH_TOKEN = ""  # no Zoho CRM to ask

    response = client.post("/webhook/manual-cv-extraction/5725767000000000404/", headers=auth(token))

    assert (response.status_code, response.json()["error"]) == (404, "not_found")


def test_a_run_while_another_holds_the_candidate_waits_its_turn(fake_zoho_crm, zoho_candidate, roles):
    # given another worker holds the candidate
    candidate = candidate_upsert(contact_id=zoho_candidate, fields={"first_name": "Priya"})
    claims.claim_row(Candidate, candidate.pk, lease=timedelta(minutes=5), owner="another-worker")
    # when / then the run says busy (the task retries it), and nothing is marked done
    with pytest.raises(CandidateBusy):
        candidate_ready_to_pitch_run(contact_id=zoho_candidate)
    candidate.refresh_from_db()
    assert candidate.processing_status != "done" and candidate.claim_owner == "another-worker"


def test_a_zoho_outage_mid_flow_puts_the_candidate_back_not_done(fake_zoho_crm, zoho_candidate, roles):
    # given Zoho answers the contact, then fails listing its attachments (a retryable error)
    fake_zoho_crm.fail_next_crm(503, path=r".*/Attachments", times=5)
    # when the webhook's run meets it
    with pytest.raises(ZohoError):
        candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    # then the candidate is not marked done, the claim is let go, and the error is kept
    candidate = Candidate.objects.get(zoho_contact_id=zoho_candidate)
    assert candidate.processing_status == "idle"
    assert (candidate.claim_owner, candidate.attempts) == ("", 1)
    assert "ZohoError" in candidate.last_error
