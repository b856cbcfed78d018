"""Slack (Block Kit), Microsoft Teams (Adaptive Card), Zapier REST hooks and the calendar feed,
against small servers on 127.0.0.1 that take what Slack's incoming webhooks and a Teams workflow
take; every outgoing call is an IntegrationLog row."""

import pytest
from django.db import connection
from icalendar import Calendar
from rest_framework.test import APIClient
from standardwebhooks.webhooks import Webhook as Verifier

from crm.models import Deal, Task
from crm.services.deals import deal_create, deal_move_to_stage
from crm.tests.factories import ContactFactory
from crm_site.tests.factories import UserFactory
from hub.models import IntegrationLog, ThirdPartyIntegration, Webhook
from hub.tasks import hub_dispatch_task
from tests.fakes.server import FakeServer, Response

pytestmark = pytest.mark.django_db


class Chat(FakeServer):
    """Slack's incoming webhook answers 200 "ok"; a Teams workflow trigger answers 202."""

    def __init__(self) -> None:
        super().__init__()
        self.route("POST", r"/services/T0/B0/secret", lambda request: Response(200, "ok"))
        self.route("POST", r"/workflows/teams", lambda request: Response(202, ""))
        self.route("POST", r"/hooks/catch/1/abc", lambda request: Response(200, {"status": "success"}))


@pytest.fixture
def chat(allow_loopback):
    with Chat() as server:
        yield server


def won(deal):
    return deal_move_to_stage(deal=deal, stage=deal.pipeline.stages.get(outcome="won"))


def test_slack_and_teams_channels_hear_of_a_won_deal_and_every_call_is_logged(codeteki, sales, contact, staff, chat):
    slack = staff.post(
        "/api/integrations/integrations/",
        {"name": "Sales channel", "kind": "slack", "brand": codeteki.pk, "events": ["opportunity.won"],
         "target_url": f"{chat.url}/services/T0/B0/secret"},
        format="json",
    )  # fmt: skip
    teams = staff.post(
        "/api/integrations/integrations/",
        {"name": "Teams sales", "kind": "teams", "brand": codeteki.pk, "events": ["opportunity.won"],
         "target_url": f"{chat.url}/workflows/teams"},
        format="json",
    )  # fmt: skip
    assert slack.status_code == teams.status_code == 201, (slack.json(), teams.json())
    assert "target_url" not in slack.json() and "secret" not in slack.json()["target"]

    won(deal_create(contact=contact, pipeline=sales, value=900))
    hub_dispatch_task()

    (slack_post,) = chat.received("POST", r"/services/T0/B0/secret")
    body = slack_post.json()
    assert body["text"].startswith("Deal won")
    assert body["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": "Deal won"}}
    facts = {field["text"] for field in body["blocks"][1]["fields"]}
    assert "*Value*\n900.00" in facts and f"*Contact*\nJo Acme &lt;{contact.email}&gt;" in facts
    (teams_post,) = chat.received("POST", r"/workflows/teams")
    card = teams_post.json()["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["type"] == "AdaptiveCard" and card["content"]["body"][0]["text"] == "Deal won"
    assert {"title": "Value", "value": "900.00"} in card["content"]["body"][1]["facts"]
    logs = IntegrationLog.objects.filter(action="notify", event_type="opportunity.won")
    assert sorted((log.integration.kind, log.ok, log.status_code) for log in logs) == [
        ("slack", True, 200),
        ("teams", True, 202),
    ]


def test_a_channel_address_is_encrypted_at_rest_and_never_shown(codeteki, staff, chat):
    made = staff.post(
        "/api/integrations/integrations/",
        {"name": "Sales channel", "kind": "slack", "events": ["lead.created"], "brand": codeteki.pk,
         "target_url": f"{chat.url}/services/T0/B0/secret"},
        format="json",
    )  # fmt: skip

    with connection.cursor() as cursor:
        cursor.execute("SELECT target_url FROM hub_thirdpartyintegration")
        (stored,) = cursor.fetchone()
        cursor.execute("SELECT url FROM hub_webhook")
        (hook_url,) = cursor.fetchone()
    assert "secret" not in stored and stored.startswith("fernet:") and hook_url.startswith("fernet:")
    listed = staff.get("/api/integrations/integrations/").json()["results"][0]
    assert "/services/" not in str(listed) and listed["target"].endswith("/…")
    assert "/services/" not in str(staff.get("/api/integrations/webhooks/").json())
    assert made.json()["id"] == listed["id"]


def test_test_sends_a_test_message_and_sync_sends_what_waits(codeteki, sales, contact, staff, chat):
    made = staff.post(
        "/api/integrations/integrations/",
        {"name": "Sales channel", "kind": "slack", "brand": codeteki.pk, "events": ["opportunity.created"],
         "target_url": f"{chat.url}/services/T0/B0/secret"},
        format="json",
    ).json()  # fmt: skip

    tested = staff.post(f"/api/integrations/integrations/{made['id']}/test/")
    assert tested.status_code == 200 and tested.json()["ok"], tested.json()
    assert chat.received("POST", r"/services/.*")[0].json()["text"].startswith("Test message")

    chat.fail_next("POST", r"/services/.*", Response(500, "oops"))
    deal_create(contact=contact, pipeline=sales)
    hub_dispatch_task()  # the first try fails; its retry waits
    synced = staff.post(f"/api/integrations/integrations/{made['id']}/sync/")

    assert synced.status_code == 200 and synced.json() == {"ok": True, "detail": "1 of 1 waiting message(s) delivered"}
    actions = list(IntegrationLog.objects.order_by("at", "pk").values_list("action", "ok"))
    assert actions == [("test", True), ("notify", False), ("notify", True), ("sync", True)]
    integration = ThirdPartyIntegration.objects.get()
    assert integration.last_test_ok and integration.last_synced_at


def test_a_channel_that_is_down_fails_its_test_with_the_reason(codeteki, staff, chat):
    made = staff.post(
        "/api/integrations/integrations/",
        {"name": "Teams", "kind": "teams", "brand": codeteki.pk, "events": ["lead.created"],
         "target_url": f"{chat.url}/workflows/teams"},
        format="json",
    ).json()  # fmt: skip
    chat.fail_next("POST", r"/workflows/teams", Response(404, "no such workflow"))

    tested = staff.post(f"/api/integrations/integrations/{made['id']}/test/").json()

    assert tested == {"ok": False, "detail": "test message failed: answered 404"}
    assert ThirdPartyIntegration.objects.get().last_test_ok is False


def test_bad_integrations_are_400s_naming_the_field(codeteki, staff, settings):
    no_url = staff.post("/api/integrations/integrations/", {"name": "S", "kind": "slack", "events": ["lead.created"]})
    no_events = staff.post(
        "/api/integrations/integrations/", {"name": "S", "kind": "slack", "target_url": "https://hooks.slack.com/x"}
    )
    bad_kind = staff.post("/api/integrations/integrations/", {"name": "S", "kind": "fax"})
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    private = staff.post(
        "/api/integrations/integrations/",
        {"name": "S", "kind": "slack", "events": ["lead.created"], "target_url": "http://127.0.0.1:9/x"},
        format="json",
    )

    assert no_url.status_code == 400 and "target_url" in no_url.json()
    assert no_events.status_code == 400 and "events" in no_events.json()
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()
    assert private.status_code == 400 and "target_url" in private.json()
    assert not ThirdPartyIntegration.objects.exists()


def test_a_zap_subscribes_gets_signed_won_deals_and_unsubscribes(codeteki, sales, contact, staff, chat):
    sample = staff.get("/api/integrations/zapier/hooks/samples/opportunity.won/")
    assert sample.status_code == 200 and sample.json()[0]["type"] == "opportunity.won"
    subscribed = staff.post(
        "/api/integrations/zapier/hooks/",
        {"hookUrl": f"{chat.url}/hooks/catch/1/abc", "event": "opportunity.won", "brand": codeteki.pk},
        format="json",
    )
    assert subscribed.status_code == 201, subscribed.json()

    deal = won(deal_create(contact=contact, pipeline=sales))
    hub_dispatch_task()

    (delivery,) = chat.received("POST", r"/hooks/catch/.*")
    hook = Webhook.objects.get(pk=subscribed.json()["id"])
    payload = Verifier(hook.secret).verify(delivery.body, delivery.headers)
    assert payload["type"] == "opportunity.won" and payload["data"]["id"] == str(deal.pk)
    latest = staff.get("/api/integrations/zapier/hooks/samples/opportunity.won/").json()
    assert latest[0]["data"]["id"] == str(deal.pk)  # the sample is a real, recent payload now

    assert staff.delete(f"/api/integrations/zapier/hooks/{hook.pk}/").status_code == 204
    won(deal_create(contact=ContactFactory(brand=codeteki), pipeline=sales))
    hub_dispatch_task()
    assert len(chat.received("POST", r"/hooks/catch/.*")) == 1
    actions = list(IntegrationLog.objects.order_by("at", "pk").values_list("action", flat=True))
    assert actions == ["subscribe", "notify", "unsubscribe"]


def test_a_zap_that_answers_410_is_unsubscribed(codeteki, sales, contact, staff, chat):
    staff.post(
        "/api/integrations/zapier/hooks/",
        {"target_url": f"{chat.url}/hooks/catch/1/abc", "event": "opportunity.created"},
    )
    chat.fail_next("POST", r"/hooks/catch/.*", Response(410, "gone"))

    deal_create(contact=contact, pipeline=sales)
    hub_dispatch_task()

    assert Webhook.objects.get().is_active is False


def test_zapier_input_is_checked(staff):
    bad_event = staff.post(
        "/api/integrations/zapier/hooks/", {"target_url": "https://hooks.zapier.com/1", "event": "deal.won"}
    )
    no_url = staff.post("/api/integrations/zapier/hooks/", {"event": "lead.created"})
    unknown = staff.get("/api/integrations/zapier/hooks/samples/deal.won/")

    assert bad_event.status_code == 400 and "event" in bad_event.json()
    assert no_url.status_code == 400 and "target_url" in no_url.json()
    assert unknown.status_code == 400
    assert staff.delete("/api/integrations/zapier/hooks/99999/").status_code == 404


def test_a_calendar_feed_lists_my_tasks_and_next_actions_at_a_secret_address(codeteki, sales, contact, staff):
    deal = deal_create(contact=contact, pipeline=sales)
    Task.objects.create(brand=codeteki, title="Call Jo", assignee=staff.user, due_at=deal.next_action_date)
    Task.objects.create(brand=codeteki, title="Someone else's", assignee=UserFactory(username="other"))
    made = staff.post("/api/integrations/integrations/", {"name": "My calendar", "kind": "calendar"})
    assert made.status_code == 201, made.json()
    feed_url = made.json()["feed_url"]

    feed = APIClient().get(feed_url.removeprefix("http://testserver"))  # no login: the address is the key

    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.content)
    assert [str(todo["SUMMARY"]) for todo in calendar.walk("VTODO")] == ["Call Jo"]
    assert [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")] == ["Next action: Jo Acme (New Lead)"]
    assert "feed_url" not in staff.get(f"/api/integrations/integrations/{made.json()['id']}/").json()
    assert APIClient().get("/api/integrations/calendar/not-the-token.ics").status_code == 404
    assert staff.post(f"/api/integrations/integrations/{made.json()['id']}/sync/").json()["ok"]
    assert Deal.objects.count() == 1
