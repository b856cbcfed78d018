"""The messaging admin in a real browser: conversations with their labels, messages searched by phone
and text, and a failed sync retried from the list."""

import pytest
from playwright.sync_api import expect

from messaging.models import SyncState, WhatsAppMessage
from messaging.services.messages import whatsapp_message_receive
from tests.fixtures.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def logged_in(page, live_server, django_user_model):
    return log_in(page, live_server, django_user_model, "sam")


def receive(phone, text, wamid):
    message = {"from": phone, "id": wamid, "timestamp": "1767225600", "type": "text", "text": {"body": text}}
    return whatsapp_message_receive(message=message, profile_name="Jan")


def test_conversations_show_labels_and_messages_are_searchable(logged_in, live_server):
    page = logged_in
    receive("31612345678", "Looking for a job in logistics", "wamid.1")
    receive("61412345678", "What is the salary?", "wamid.2")
    # when
    page.goto(f"{live_server.url}/admin/messaging/whatsappcontact/")
    # then
    expect(page.locator("#result_list").get_by_text("intent-job-search", exact=False)).to_be_visible()
    # when
    page.goto(f"{live_server.url}/admin/messaging/whatsappmessage/?q=salary")
    # then
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("+61412345678")


def test_a_failed_sync_is_retried_from_the_list(logged_in, live_server):
    page = logged_in
    stored = receive("31612345678", "Hi", "wamid.1")
    WhatsAppMessage.objects.update(sync_state=SyncState.FAILED, sync_error="Chatwoot answered 500", sync_attempts=6)
    # when
    page.goto(f"{live_server.url}/admin/messaging/whatsappmessage/?sync_state__exact=failed")
    page.locator("#result_list tbody tr input.action-select").first.check()
    page.locator("select[name=action]").select_option("retry_sync")
    page.locator("button[name=index]").click()
    # then
    expect(page.get_by_text("1 failed messages queued again.")).to_be_visible()
    stored.refresh_from_db()
    assert stored.sync_attempts == 0
    assert stored.sync_state in (SyncState.PENDING, SyncState.WAITING)  # a running worker finds no Chatwoot set
