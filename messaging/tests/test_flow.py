"""A WhatsApp message through the services: stored, tagged, linked, mirrored into the fake Chatwoot."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from messaging.models import SyncState, WhatsAppContact, WhatsAppMessage
from messaging.services.chatwoot_sync import PhoneBusy, message_sync, message_sync_retry, messages_due
from messaging.services.messages import whatsapp_message_receive, whatsapp_status_apply
from messaging.tagging.catalogue import LABELS
from recruiting.models import Candidate
from tests.fakes.chatwoot import WHATSAPP_INBOX_ID
from tests.fakes.server import Response
from tests.whatsapp import fixture

pytestmark = pytest.mark.django_db

PHONE = "+31612345678"


def cloud_message(name="text_message.json"):
    value = json.loads(fixture(name))["entry"][0]["changes"][0]["value"]
    return value["messages"][0], value["contacts"][0]["profile"]["name"]


def text(body, *, wamid, phone="31612345678", minutes_ago=0):
    at = int((timezone.now() - timedelta(minutes=minutes_ago)).timestamp())
    return {"from": phone, "id": wamid, "timestamp": str(at), "type": "text", "text": {"body": body}}


def receive_and_sync(message, profile="Jan Jansen"):
    stored = whatsapp_message_receive(message=message, profile_name=profile)
    return stored, message_sync(message_id=stored.pk)


def test_a_first_message_creates_contact_conversation_labels_and_the_message(fake_chatwoot):
    # given
    message, profile = cloud_message()
    # when
    stored, outcome = receive_and_sync(message, profile)
    # then: ours
    assert outcome.state == SyncState.SYNCED
    contact = WhatsAppContact.objects.get()
    assert (contact.phone, contact.profile_name) == (PHONE, "Jan Jansen")
    assert {"journey-first-contact", "intent-job-search", "lang-en"} <= set(contact.labels)
    assert contact.attributes["message_count"] == 1
    # and Chatwoot's
    chatwoot_contact = fake_chatwoot.contact_by_phone(PHONE)
    assert chatwoot_contact["name"] == "Jan Jansen"
    assert chatwoot_contact["custom_attributes"]["message_count"] == 1
    conversation = fake_chatwoot.conversations[contact.chatwoot_conversation_id]
    assert conversation["inbox_id"] == WHATSAPP_INBOX_ID
    assert set(contact.labels) <= set(fake_chatwoot.conversation_labels(contact.chatwoot_conversation_id))
    posted = fake_chatwoot.messages(contact.chatwoot_conversation_id)
    assert [(m["content"], m["message_type"], m["source_id"]) for m in posted] == [
        (stored.text, 0, stored.wa_message_id)
    ]


def test_a_second_message_reuses_the_contact_and_the_conversation(fake_chatwoot):
    # given
    receive_and_sync(text("Hi, any jobs in Sydney?", wamid="wamid.1", minutes_ago=10))
    # when
    receive_and_sync(text("What is the salary for the warehouse role?", wamid="wamid.2"))
    # then
    assert len(fake_chatwoot.contacts) == 1
    assert len(fake_chatwoot.conversations) == 1
    contact = WhatsAppContact.objects.get()
    labels = fake_chatwoot.conversation_labels(contact.chatwoot_conversation_id)
    assert {"journey-first-contact", "journey-returning", "intent-salary"} <= set(labels)  # merged, none lost
    assert len(fake_chatwoot.messages(contact.chatwoot_conversation_id)) == 2


def test_a_contact_already_in_chatwoot_is_found_not_duplicated(fake_chatwoot):
    # given: someone created them in Chatwoot by hand, with an attribute of their own
    fake_chatwoot.add_contact(name="Jan (from the fair)", phone_number=PHONE, custom_attributes={"source": "fair"})
    # when
    receive_and_sync(text("hello, I want to apply", wamid="wamid.1"))
    # then
    assert len(fake_chatwoot.contacts) == 1
    merged = fake_chatwoot.contact_by_phone(PHONE)["custom_attributes"]
    assert merged["source"] == "fair"
    assert merged["whatsapp_phone"] == PHONE


def test_the_same_message_three_times_is_stored_and_posted_once(fake_chatwoot):
    # when
    for _ in range(3):
        stored = whatsapp_message_receive(message=text("Hi there", wamid="wamid.same"), profile_name="")
        message_sync(message_id=stored.pk)
    # then
    assert WhatsAppMessage.objects.count() == 1
    contact = WhatsAppContact.objects.get()
    assert len(fake_chatwoot.messages(contact.chatwoot_conversation_id)) == 1
    assert fake_chatwoot.contact_by_phone(PHONE)["name"] == f"WhatsApp {PHONE}"


def test_chatwoot_failing_then_recovering_ends_synced(fake_chatwoot):
    # given
    fake_chatwoot.fail_next("POST", r".*/contacts", Response(500, {"error": "Internal Server Error"}), times=1)
    stored = whatsapp_message_receive(message=text("Hi", wamid="wamid.1"), profile_name="Jan")
    # when
    first = message_sync(message_id=stored.pk)
    # then: kept for a retry, later
    stored.refresh_from_db()
    assert (first.state, stored.sync_state, stored.sync_attempts) == (SyncState.PENDING, SyncState.PENDING, 1)
    assert stored.next_sync_at > timezone.now()
    assert stored.pk not in messages_due()
    # when the back-off has passed
    WhatsAppMessage.objects.update(next_sync_at=timezone.now() - timedelta(seconds=1))
    assert messages_due() == [stored.pk]
    second = message_sync(message_id=stored.pk)
    # then
    assert second.state == SyncState.SYNCED
    assert len(fake_chatwoot.contacts) == 1


def test_after_the_last_retry_it_is_failed_and_staff_can_retry(fake_chatwoot, settings):
    # given
    settings.CHATWOOT_SYNC_MAX_ATTEMPTS = 2
    # the client's session repeats a GET twice on 503 itself: two attempts see six answers
    fake_chatwoot.fail_next("GET", r".*/contacts/search", Response(503, {"error": "down"}), times=6)
    stored = whatsapp_message_receive(message=text("Hi", wamid="wamid.1"), profile_name="")
    # when
    message_sync(message_id=stored.pk)
    WhatsAppMessage.objects.update(next_sync_at=None)
    message_sync(message_id=stored.pk)
    # then
    stored.refresh_from_db()
    assert stored.sync_state == SyncState.FAILED
    assert "503" in stored.sync_error
    assert message_sync_retry(message_ids=[stored.pk]) == 1
    assert message_sync(message_id=stored.pk).state == SyncState.SYNCED


def test_a_message_left_half_posted_is_not_posted_twice(fake_chatwoot):
    # given: posted to Chatwoot, then the worker died before recording it
    stored, _ = receive_and_sync(text("Hi", wamid="wamid.1"))
    WhatsAppMessage.objects.update(
        sync_state=SyncState.POSTING, chatwoot_message_id=None, next_sync_at=timezone.now() - timedelta(seconds=1)
    )
    # when
    assert messages_due() == [stored.pk]
    message_sync(message_id=stored.pk)
    # then
    contact = WhatsAppContact.objects.get()
    assert len(fake_chatwoot.messages(contact.chatwoot_conversation_id)) == 1
    stored.refresh_from_db()
    assert stored.sync_state == SyncState.SYNCED and stored.chatwoot_message_id


def test_without_chatwoot_messages_are_kept_tagged_and_wait(settings, fake_chatwoot):
    # given
    settings.CHATWOOT_BASE_URL = ""
    # when
    stored = whatsapp_message_receive(message=text("hoi, ik zoek werk als chauffeur", wamid="wamid.1"), profile_name="")
    message_sync(message_id=stored.pk)
    # then
    stored.refresh_from_db()
    assert stored.sync_state == SyncState.WAITING
    assert "intent-job-search" in WhatsAppContact.objects.get().labels
    assert messages_due() == []
    # and once Chatwoot is configured, the sweep takes them
    settings.CHATWOOT_BASE_URL = fake_chatwoot.url
    assert messages_due() == [stored.pk]
    assert message_sync(message_id=stored.pk).state == SyncState.SYNCED


def test_a_candidate_s_phone_links_the_conversation(fake_chatwoot):
    # given
    Candidate.objects.create(
        zoho_contact_id="7328395000000687002", first_name="Jan", phone=PHONE, role_success_stage="Ready to Pitch"
    )
    # when
    receive_and_sync(text("Any news about my application?", wamid="wamid.1"))
    # then
    contact = WhatsAppContact.objects.get()
    assert contact.candidate.zoho_contact_id == "7328395000000687002"
    assert {"journey-candidate", "journey-ready-to-pitch", "intent-application-status"} <= set(contact.labels)
    attributes = fake_chatwoot.contact_by_phone(PHONE)["custom_attributes"]
    assert attributes["candidate_stage"] == "Ready to Pitch"
    assert attributes["zoho_contact_id"] == "7328395000000687002"


def test_whatsapp_web_ids_and_media_messages(fake_chatwoot):
    # given
    message, profile = cloud_message("document_message.json")
    # when
    stored = whatsapp_message_receive(message=message, profile_name=profile)
    gateway = whatsapp_message_receive(message=text("hi", wamid="wamid.g", phone="61412345678@c.us"), profile_name="")
    group = whatsapp_message_receive(message=text("hi all", wamid="wamid.x", phone="12036302@g.us"), profile_name="")
    # then
    assert (stored.sender_phone, stored.message_type, stored.text) == ("+61412345678", "document", "My CV")
    assert "intent-documents" in stored.contact.labels
    assert gateway.contact_id == stored.contact_id
    assert group is None


def test_delivery_statuses_move_forward_only():
    # given
    stored = whatsapp_message_receive(message=text("Hi", wamid="wamid.s"), profile_name="")
    # when
    whatsapp_status_apply(status={"id": "wamid.s", "status": "read", "timestamp": "1767225720"})
    whatsapp_status_apply(status={"id": "wamid.s", "status": "delivered", "timestamp": "1767225660"})
    unknown = whatsapp_status_apply(status={"id": "wamid.nope", "status": "read", "timestamp": "1"})
    # then
    stored.refresh_from_db()
    assert stored.status == "read"
    assert set(stored.statuses) == {"read", "delivered"}
    assert unknown is False


def test_create_chatwoot_labels_is_idempotent(fake_chatwoot, capsys):
    # when
    call_command("create_chatwoot_labels")
    call_command("create_chatwoot_labels")
    # then
    out = capsys.readouterr().out
    assert f"{len(LABELS)} labels created, 0 already there." in out
    assert f"0 labels created, {len(LABELS)} already there." in out
    assert set(fake_chatwoot.labels) == {label.title for label in LABELS}


@pytest.mark.django_db(transaction=True)  # the worker that takes over runs on another connection
def test_a_sync_whose_claim_ran_out_stops_and_the_one_that_took_over_finishes(fake_chatwoot):
    # given a message; as its sync asks Chatwoot to create the contact, the claim on the phone runs
    # out and another worker takes the phone over and syncs the message in full
    stored = whatsapp_message_receive(message=text("Hallo", wamid="wamid.lease"), profile_name="Jan")
    took_over = []

    def another_worker(request):
        if request.method == "POST" and request.path.endswith("/contacts") and not took_over:
            took_over.append(True)
            WhatsAppContact.objects.update(claim_until=timezone.now() - timedelta(seconds=1))
            took_over.append(message_sync(message_id=stored.pk).state)

    fake_chatwoot.on_request.append(another_worker)
    # when the first worker carries on after Chatwoot answers
    with pytest.raises(PhoneBusy, match="ran out"):
        message_sync(message_id=stored.pk)
    # then it stopped: one contact, one conversation, the message posted once
    assert took_over == [True, SyncState.SYNCED]
    contact = WhatsAppContact.objects.get()
    assert len(fake_chatwoot.conversations) == 1
    assert [m["source_id"] for m in fake_chatwoot.messages(contact.chatwoot_conversation_id)] == ["wamid.lease"]
    assert contact.claim_owner == ""
