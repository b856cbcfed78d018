import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from crm.models import EmailLog, EmailStatus, InboundEmail, OutboxMessage
from crm.services.replies import brand_check_replies
from crm.services.review import brand_daily_review
from crm.services.sending import brand_send_due, email_queue
from crm.tasks import run_deal_autopilot
from crm.tests.factories import ContactFactory, DealFactory
from tests.fixtures.fakes import give_zoho_credentials

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand(codeteki):
    codeteki.send_window_start = codeteki.send_window_end = None
    codeteki.send_weekdays = []
    codeteki.save()
    return codeteki


def sent_email(brand):
    sales = brand.pipelines.get(slug="sales")
    deal = DealFactory(
        pipeline=sales, contact=ContactFactory(brand=brand), current_stage=sales.stages.get(name="Contacted")
    )
    email = email_queue(deal=deal, subject="A quick idea", body="Hi")
    brand_send_due(brand=brand)
    email.refresh_from_db()
    return email


def test_staff_simulate_a_reply_in_the_outbox_and_the_autopilot_reads_it(admin_client, brand):
    email = sent_email(brand)
    message = OutboxMessage.objects.get()

    form = admin_client.post(
        "/admin/crm/outboxmessage/", {"action": "simulate_inbound", "_selected_action": [message.pk]}
    )
    done = admin_client.post(
        "/admin/crm/outboxmessage/",
        {
            "action": "simulate_inbound",
            "_selected_action": [message.pk],
            "apply": "1",
            "kind": "reply",
            "text": "Yes, interested!",
        },
        follow=True,
    )
    brand_check_replies(brand=brand)

    assert b'name="kind"' in form.content
    assert "in the inbox" in done.content.decode()
    assert InboundEmail.objects.get().email_id == email.pk
    assert admin_client.get("/admin/crm/inboundemail/").status_code == 200
    page = admin_client.get(f"/admin/crm/outboxmessage/{message.pk}/change/").content.decode()
    assert "srcdoc" in page  # the sent message is shown, sandboxed


def test_run_autopilot_now_and_mark_reviewed(admin_client, brand):
    sales = brand.pipelines.get(slug="sales")
    deal = DealFactory(
        pipeline=sales, contact=ContactFactory(brand=brand), current_stage=sales.stages.get(name="Engaged")
    )

    ran = admin_client.post("/admin/crm/deal/", {"action": "run_autopilot", "_selected_action": [deal.pk]}, follow=True)
    assert "will look at 1 deal(s) in a moment" in ran.content.decode()
    assert not deal.activities.exists()  # nothing ran in the request
    run_deal_autopilot(str(deal.pk))  # as the worker does
    deal.refresh_from_db()
    assert deal.needs_review
    assert "needs review" in admin_client.get("/admin/crm/deal/?needs_review__exact=1").content.decode()

    admin_client.post("/admin/crm/deal/", {"action": "mark_reviewed", "_selected_action": [deal.pk]})
    deal.refresh_from_db()
    assert not deal.needs_review


def test_needs_reconcile_is_settled_by_hand(admin_client, brand):
    email = sent_email(brand)
    EmailLog.objects.filter(pk=email.pk).update(status=EmailStatus.NEEDS_RECONCILE)

    admin_client.post("/admin/crm/emaillog/", {"action": "reconciled_send_again", "_selected_action": [email.pk]})

    assert EmailLog.objects.get(pk=email.pk).status == EmailStatus.PENDING


def test_the_brand_test_email_action_reports_the_mailbox(admin_client, brand, fake_zoho):
    give_zoho_credentials(brand)

    response = admin_client.post(
        "/admin/crm/brand/",
        {"action": "send_test_email", "_selected_action": [brand.pk], "apply": "1", "to": "me@example.com"},
        follow=True,
    )

    assert "Codeteki (zoho): sent to me@example.com" in response.content.decode()
    assert [m.to_address for m in fake_zoho.sent()] == ["me@example.com"]


def test_check_brand_email_command(brand, fake_zoho, capsys):
    call_command("check_brand_email", "codeteki")
    assert "via outbox: no Zoho credentials" in capsys.readouterr().out

    give_zoho_credentials(brand)
    call_command("check_brand_email", "codeteki", "--send-test", "me@example.com")
    assert "via zoho: sent to me@example.com" in capsys.readouterr().out

    brand.zoho_refresh_token = "1000.revoked"
    brand.save()
    with pytest.raises(CommandError, match="invalid_code"):
        call_command("check_brand_email", "codeteki")


def test_the_dashboard_shows_the_daily_review(admin_client, brand):
    brand_daily_review(brand=brand)

    html = admin_client.get("/admin/").content.decode()

    assert 'id="daily-summaries"' in html
    assert "Codeteki:" in html


def test_the_guide_s_email_service_snippet_works(brand):
    from crm.services.email_service import get_email_service

    service = get_email_service(brand)
    result = service.send("test@example.com", "Test", "<p>Test email</p>")

    assert service.enabled
    assert OutboxMessage.objects.get().to_address == "test@example.com"
    assert result.provider == "outbox"


def test_the_guide_s_task_snippets_work(brand, django_capture_on_commit_callbacks):
    from crm.tasks import queue_deal_email

    sales = brand.pipelines.get(slug="sales")
    deal = DealFactory(pipeline=sales, contact=ContactFactory(brand=brand), current_stage=sales.first_stage())

    email_id = queue_deal_email.apply(kwargs={"deal_id": str(deal.pk), "email_type": "followup"}).get()

    assert EmailLog.objects.get(pk=email_id).deal == deal


def test_the_dashboard_names_a_brand_that_cannot_send(admin_client, brand, settings):
    settings.MAIL_BACKEND = "zoho"

    html = admin_client.get("/admin/").content.decode()

    assert 'id="not-sending"' in html
    assert f'data-brand="{brand.slug}"' in html and "no Zoho Mail credentials" in html
