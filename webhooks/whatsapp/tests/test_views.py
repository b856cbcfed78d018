"""/webhook/whatsapp/ (Meta) and /webhook/waha/ (a gateway): verify first, store once per message, 200."""

import io
import json
import logging

import pytest
from django.core.management import CommandError, call_command

from messaging.models import WhatsAppMessage
from tests.whatsapp import APP_SECRET, VERIFY_TOKEN, fixture, post, sign
from webhooks.handlers import HANDLERS
from webhooks.models import InboundEvent
from webhooks.services import inbound_event_process

pytestmark = pytest.mark.django_db

URL = "/webhook/whatsapp/"
WAMID = "wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQTk0RjY0QjM2RTVBNkUwQTk3MQA="


@pytest.fixture(autouse=True)
def secrets(settings):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN
    settings.WAHA_WEBHOOK_TOKEN = "gateway-token"


def test_meta_s_verification_gets_the_challenge_back(client):
    # when
    response = client.get(
        URL, {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    )
    # then
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.challenge": "1"},
    ],
)
def test_a_wrong_verify_token_gets_403(client, params):
    # when
    response = client.get(URL, params)
    # then
    assert response.status_code == 403
    assert not InboundEvent.objects.exists()


def test_a_signed_message_is_stored_once_per_message_id_and_enqueued(client, django_capture_on_commit_callbacks):
    # given
    body = fixture("text_message.json")
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = post(client, body)
    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "stored": 1}
    event = InboundEvent.objects.get()
    assert (event.provider, event.event_type, event.external_id) == ("whatsapp", "message", WAMID)
    assert event.payload["profile_name"] == "Jan Jansen"
    assert event.payload["message"]["text"]["body"].startswith("Hi! I am looking")
    assert len(callbacks) == 1


def test_the_same_delivery_three_times_is_one_event(client):
    # when
    responses = [post(client, fixture("text_message.json")) for _ in range(3)]
    # then
    assert [r.json()["stored"] for r in responses] == [1, 0, 0]
    assert InboundEvent.objects.count() == 1


def test_statuses_are_stored_one_event_each(client):
    # when
    response = post(client, fixture("statuses.json"))
    # then
    assert response.json()["stored"] == 2
    assert sorted(InboundEvent.objects.values_list("external_id", flat=True)) == [f"{WAMID}:delivered", f"{WAMID}:read"]


def test_an_unknown_event_type_is_stored_and_answered_200(client):
    # when
    response = post(client, fixture("account_update.json"))
    # then
    assert response.status_code == 200
    assert InboundEvent.objects.get().event_type == "unknown"


@pytest.mark.parametrize(
    "signature",
    ["", "sha256=" + "0" * 64, sign(b"another body"), sign(fixture("text_message.json"), "other-secret"), "md5=abc"],
)
def test_a_bad_signature_gets_401_writes_nothing_but_a_log_line(client, caplog, signature):
    # when
    with caplog.at_level(logging.WARNING, logger="webhooks.whatsapp.views"):
        response = post(client, fixture("text_message.json"), signature=signature)
    # then
    assert response.status_code == 401
    assert not InboundEvent.objects.exists()
    assert "bad signature" in caplog.text


def test_without_an_app_secret_nothing_is_accepted(client, settings):
    # given
    settings.WHATSAPP_APP_SECRET = ""
    # when
    response = post(client, fixture("text_message.json"), signature=sign(fixture("text_message.json"), ""))
    # then
    assert response.status_code == 401


def test_a_body_over_3_mb_gets_413_and_changes_nothing(client):
    # given: a real message padded past the limit
    body = json.loads(fixture("text_message.json"))
    body["padding"] = "x" * (3 * 1024 * 1024)
    raw = json.dumps(body).encode()
    # when
    response = post(client, raw)
    # then
    assert response.status_code == 413
    assert not InboundEvent.objects.exists()


def test_a_body_just_under_3_mb_is_accepted(client):
    # given
    body = json.loads(fixture("text_message.json"))
    body["padding"] = "x" * (3 * 1024 * 1024 - 2_000)
    # when
    response = post(client, json.dumps(body).encode())
    # then
    assert response.status_code == 200
    assert InboundEvent.objects.count() == 1


@pytest.mark.parametrize("raw", [b'{"object": "whatsapp_business_account", "entry": [', b"[1, 2]", b"\xff\xfe"])
def test_a_malformed_body_gets_400_and_changes_nothing(client, raw):
    # when
    response = post(client, raw)
    # then
    assert response.status_code == 400
    assert response.json()["field"] == "body"
    assert not InboundEvent.objects.exists()


def test_a_gateway_message_with_the_token_is_stored_as_a_message(client):
    # when
    response = client.post(
        "/webhook/waha/?token=gateway-token", fixture("waha_message.json"), content_type="application/json"
    )
    # then
    assert response.status_code == 200
    event = InboundEvent.objects.get()
    assert (event.provider, event.event_type) == ("waha", "message")
    assert event.payload["message"]["from"] == "31612345678@c.us"
    assert event.payload["profile_name"] == "Jan Jansen"


def test_a_gateway_without_the_token_gets_401(client):
    # when
    response = client.post(
        "/webhook/waha/",
        fixture("waha_message.json"),
        content_type="application/json",
        headers={"X-Webhook-Token": "nope"},
    )
    # then
    assert response.status_code == 401
    assert not InboundEvent.objects.exists()


def test_the_summary_s_sample_without_an_id_is_processed_as_a_message(client):
    # given the Chatwoot integration summary's test body, signed
    body = b'{"messages": [{"from": "31612345678", "text": {"body": "Hallo"}}]}'
    # when it is posted, processed, and posted again
    first = post(client, body)
    event = InboundEvent.objects.get()
    inbound_event_process(event_id=event.pk, handlers=HANDLERS)
    second = post(client, body)
    # then one message is kept, from +31612345678, and the repeat is absorbed
    assert (first.json(), second.json()) == ({"status": "ok", "stored": 1}, {"status": "ok", "stored": 0})
    message = WhatsAppMessage.objects.get()
    assert (message.sender_phone, message.text) == ("+31612345678", "Hallo")
    assert message.wa_message_id.startswith("content:")


def test_send_test_whatsapp_posts_a_signed_delivery_the_server_accepts(live_server):
    # when
    out = io.StringIO()
    call_command(
        "send_test_whatsapp", "--phone", "+31 6 12345678", "--text", "Hallo", "--name", "Jan",
        "--url", f"{live_server.url}/webhook/whatsapp", stdout=out,
    )  # fmt: skip
    # then
    assert "answered 200" in out.getvalue()
    event = InboundEvent.objects.get()
    assert event.payload["message"]["from"] == "31612345678"
    assert (event.payload["message"]["text"]["body"], event.payload["profile_name"]) == ("Hallo", "Jan")


def test_send_test_whatsapp_says_what_is_missing(settings, live_server):
    # given
    settings.WHATSAPP_APP_SECRET = ""
    # when / then
    with pytest.raises(CommandError, match="WHATSAPP_APP_SECRET is not set"):
        call_command("send_test_whatsapp", "--phone", "+31612345678", "--text", "Hallo", "--url", live_server.url)
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    with pytest.raises(CommandError, match="not a phone number"):
        call_command("send_test_whatsapp", "--phone", "hello", "--text", "Hallo", "--url", live_server.url)
