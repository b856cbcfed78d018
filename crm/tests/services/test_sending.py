from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from crm.models import ActivityType, DealStatus, EmailLog, EmailStatus, MailboxState, OutboxMessage
from crm.services.email_service import brands_not_sending, get_email_service, mail_problem
from crm.services.sending import (
    SendReport,
    brand_send_due,
    email_claim_next,
    email_queue,
    emails_send_scheduled,
    next_window_start,
)
from crm.tests.factories import BrandFactory, ContactFactory, DealFactory, PipelineFactory
from tests.fakes.server import Response
from tests.fakes.zoho import envelope
from tests.fixtures.fakes import give_zoho_credentials

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand():
    return BrandFactory(
        send_window_start=None, send_window_end=None, send_weekdays=[], hourly_send_cap=100, daily_send_cap=500
    )


def queued(brand, n=1, **contact):
    pipeline = PipelineFactory(brand=brand)
    emails = []
    for _ in range(n):
        deal = DealFactory(
            pipeline=pipeline, contact=ContactFactory(brand=brand, **contact), current_stage=pipeline.first_stage()
        )
        emails.append(email_queue(deal=deal, subject="Hello", body="Hi there,\n\nA note.\n\nBest"))
    return emails


def test_a_queued_email_goes_out_once_through_the_outbox_with_pixel_unsubscribe_and_send_key(brand):
    (email,) = queued(brand)

    report = brand_send_due(brand=brand)
    again = brand_send_due(brand=brand)

    email.refresh_from_db()
    assert (report.sent, again.sent) == (1, 0)
    assert (email.status, email.provider) == (EmailStatus.SENT, "outbox")
    message = OutboxMessage.objects.get()
    assert f"/t/o/{email.tracking_token}.gif" in message.html
    assert f"/u/{email.tracking_token}/" in message.html
    assert f"Ref {email.send_key}" in message.html and f"Ref {email.send_key}" in message.text
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.text.startswith("Hi there,\n\nA note.")
    deal = email.deal
    deal.refresh_from_db()
    assert deal.emails_sent == 1
    assert deal.next_action_date > timezone.now() + timedelta(days=2)
    assert deal.activities.filter(activity_type=ActivityType.EMAIL_SENT).count() == 1


def test_the_html_is_sanitised(brand):
    (email,) = queued(brand)
    EmailLog.objects.filter(pk=email.pk).update(
        body='<p onclick="x()">Hi<script>alert(1)</script></p><a href="javascript:x">y</a>'
    )

    brand_send_due(brand=brand)

    html = OutboxMessage.objects.get().html
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html


def test_zoho_sends_with_the_brand_s_credentials(brand, fake_zoho):
    give_zoho_credentials(brand)
    (email,) = queued(brand)

    brand_send_due(brand=brand)

    email.refresh_from_db()
    assert (email.status, email.provider) == (EmailStatus.SENT, "zoho")
    assert email.rfc_message_id.endswith("@zohomail.test>")
    assert fake_zoho.sent_keys == {email.send_key: 1}


def test_the_hourly_cap_holds_and_the_rest_keep_their_place(brand):
    brand.hourly_send_cap = 2
    brand.save()
    emails = queued(brand, 4)

    report = brand_send_due(brand=brand)

    assert report.sent == 2 and report.cap_reached
    statuses = [EmailLog.objects.get(pk=e.pk).status for e in emails]
    assert statuses == ["sent", "sent", "pending", "pending"]
    EmailLog.objects.filter(status="sent").update(claimed_at=timezone.now() - timedelta(hours=2))
    assert brand_send_due(brand=brand).sent == 2


def test_suppressed_and_stopped_emails_are_cancelled_not_sent(brand):
    unsubscribed, replied, closed, fine = queued(brand, 4)
    contact = unsubscribed.deal.contact
    contact.unsubscribed_at = timezone.now()
    contact.save()
    earlier = email_queue(deal=replied.deal, subject="Earlier", body="x")
    EmailLog.objects.filter(pk=earlier.pk).update(status="sent", replied=True, replied_at=timezone.now())
    closed.deal.status = DealStatus.LOST
    closed.deal.save()

    report = brand_send_due(brand=brand)

    assert (report.sent, report.cancelled) == (1, 3)
    assert EmailLog.objects.get(pk=fine.pk).status == EmailStatus.SENT
    assert "unsubscribed" in EmailLog.objects.get(pk=unsubscribed.pk).error
    assert "replied" in EmailLog.objects.get(pk=replied.pk).error


def test_a_paused_deal_s_email_waits_and_then_goes_first(brand):
    first, second = queued(brand, 2)
    first.deal.status = DealStatus.PAUSED
    first.deal.save()

    brand_send_due(brand=brand)
    first.refresh_from_db()
    assert first.status == EmailStatus.PENDING and first.scheduled_for > timezone.now()
    first.deal.status = DealStatus.ACTIVE
    first.deal.save()
    EmailLog.objects.filter(pk=first.pk).update(scheduled_for=None)

    report = SendReport()
    assert email_claim_next(brand=brand, now=timezone.now(), report=report).pk == first.pk


SYDNEY, NEW_YORK, LONDON = ZoneInfo("Australia/Sydney"), ZoneInfo("America/New_York"), ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("zone", "local", "inside"),
    [
        # Sydney moves its clocks forward on 4 October 2026, New York back on 1 November, London back on 25 October.
        (SYDNEY, datetime(2026, 10, 5, 9, 0), True),
        (SYDNEY, datetime(2026, 10, 5, 8, 59), False),
        (SYDNEY, datetime(2026, 10, 5, 17, 0), False),
        (NEW_YORK, datetime(2026, 11, 2, 9, 30), True),
        (NEW_YORK, datetime(2026, 10, 30, 16, 59), True),
        (LONDON, datetime(2026, 10, 26, 8, 30), False),
        (LONDON, datetime(2026, 10, 26, 12, 0), True),
        (SYDNEY, datetime(2026, 10, 3, 12, 0), False),  # a Saturday
    ],
)
def test_the_window_is_read_in_local_time_across_dst(zone, local, inside):
    brand = BrandFactory(send_window_start=time(9), send_window_end=time(17), send_weekdays=[0, 1, 2, 3, 4])

    assert brand.in_send_window(local.replace(tzinfo=zone), zone) is inside


@pytest.mark.parametrize("zone", [SYDNEY, NEW_YORK, LONDON])
def test_a_deferred_email_waits_for_the_next_local_opening(zone):
    brand = BrandFactory(send_window_start=time(9), send_window_end=time(17), send_weekdays=[0, 1, 2, 3, 4])
    friday_evening = datetime(2026, 10, 30, 18, 0, tzinfo=zone)  # the weekend of a DST change in two of them

    opening = next_window_start(brand, zone, friday_evening)

    assert opening.astimezone(zone).replace(tzinfo=None) == datetime(2026, 11, 2, 9, 0)


def test_the_recipient_s_time_zone_wins_over_the_brand_s(brand):
    brand.send_window_start, brand.send_window_end, brand.timezone = time(9), time(17), "Australia/Sydney"
    brand.send_weekdays = [0, 1, 2, 3, 4, 5, 6]
    brand.save()
    (email,) = queued(brand, timezone="America/New_York")
    noon_in_sydney = datetime(2026, 11, 24, 12, 0, tzinfo=SYDNEY)  # 20:00 the evening before in New York

    report = SendReport()
    assert email_claim_next(brand=brand, now=noon_in_sydney, report=report) is None
    email.refresh_from_db()
    assert email.scheduled_for.astimezone(NEW_YORK).hour == 9


# --- failures and reconciliation -----------------------------------------------------------------


@pytest.fixture
def zoho_brand(brand, fake_zoho):
    return give_zoho_credentials(brand)


def test_a_refused_send_fails_and_is_recorded(zoho_brand, fake_zoho):
    (email,) = queued(zoho_brand)
    refused = Response(400, envelope({"errorCode": "PATTERN_NOT_MATCHED"}, 400, "Invalid"))
    fake_zoho.fail_next("POST", r".*/messages", refused, times=2)  # with the sender's name, then without

    report = brand_send_due(brand=zoho_brand)

    email.refresh_from_db()
    assert (report.failed, email.status) == (1, EmailStatus.FAILED)
    assert "PATTERN_NOT_MATCHED" in email.error
    assert email.deal.activities.filter(activity_type=ActivityType.EMAIL_FAILED).exists()


def test_a_server_error_puts_the_email_back_for_later(zoho_brand, fake_zoho):
    (email,) = queued(zoho_brand)
    fake_zoho.fail_next("POST", r".*/messages", Response(500, envelope({"errorCode": "INTERNAL"}, 500, "error")))

    brand_send_due(brand=zoho_brand)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert email.scheduled_for > timezone.now() + timedelta(seconds=60)
    assert fake_zoho.sent_keys == {}


def test_a_timeout_is_reconciled_from_the_sent_folder_never_resent(zoho_brand, fake_zoho, settings):
    (email,) = queued(zoho_brand)
    settings.HTTP_TIMEOUT_SECONDS = 0.3
    fake_zoho.send_delay = 1.0

    first = brand_send_due(brand=zoho_brand)
    email.refresh_from_db()
    assert (first.needs_reconcile, email.status) == (1, EmailStatus.NEEDS_RECONCILE)
    fake_zoho.send_delay = 0
    settings.HTTP_TIMEOUT_SECONDS = 5

    second = brand_send_due(brand=zoho_brand)

    email.refresh_from_db()
    assert (second.reconciled, email.status) == (1, EmailStatus.SENT)
    assert fake_zoho.sent_keys == {email.send_key: 1}


def test_a_row_a_dead_worker_left_in_sending_is_settled_without_sending(zoho_brand, fake_zoho):
    went_out, did_not = queued(zoho_brand, 2)
    long_ago = timezone.now() - timedelta(hours=1)
    EmailLog.objects.filter(pk__in=[went_out.pk, did_not.pk]).update(status="sending", claimed_at=long_ago)
    fake_zoho._store(
        "4845214000000008014", "sales@x", went_out.to_email, "Hello", f"<p>Ref {went_out.send_key}</p>", {}
    )

    report = brand_send_due(brand=zoho_brand)

    assert EmailLog.objects.get(pk=went_out.pk).status == EmailStatus.SENT
    assert EmailLog.objects.get(pk=did_not.pk).status == EmailStatus.NEEDS_RECONCILE
    assert (report.reconciled, report.needs_reconcile, report.sent) == (1, 1, 0)
    assert len(fake_zoho.sent()) == 1  # nothing was sent again


def test_the_scheduled_job_covers_every_brand_with_work(brand):
    other = BrandFactory(send_window_start=None, send_window_end=None, send_weekdays=[])
    queued(brand)
    queued(other)

    reports = emails_send_scheduled()

    assert {slug: r.sent for slug, r in reports.items()} == {brand.slug: 1, other.slug: 1}


def test_the_outbox_keeps_the_sender_s_name_and_reply_to(brand):
    # given
    brand.from_name, brand.reply_to_email = "The Codeteki Team", "replies@codeteki.example"
    brand.save()
    queued(brand)
    # when
    brand_send_due(brand=brand)
    # then
    headers = OutboxMessage.objects.get().headers
    assert headers["From"] == f'"The Codeteki Team" <{brand.from_email}>'
    assert headers["Reply-To"] == "replies@codeteki.example"


def test_zoho_shows_the_brand_s_sender_name(brand, fake_zoho):
    # given
    give_zoho_credentials(brand)
    brand.from_name = "The Codeteki Team"
    brand.save()
    queued(brand)
    # when
    brand_send_due(brand=brand)
    # then
    [request] = fake_zoho.received("POST", r"/api/accounts/\d+/messages")
    assert request.json()["fromAddress"] == f'"The Codeteki Team" <{brand.from_email}>'


# --- no silent fallback in production ------------------------------------------------------------------


def test_in_production_a_brand_without_credentials_holds_its_emails_and_says_why(brand, settings):
    # given production's mail backend and a brand with no Zoho credentials
    settings.MAIL_BACKEND = "zoho"
    (email,) = queued(brand)
    # when the sender runs
    report = brand_send_due(brand=brand)
    # then nothing went anywhere, nothing is marked sent, and the reason is on the email and the mailbox
    email.refresh_from_db()
    assert (report.sent, report.held) == (0, 1)
    assert email.status == EmailStatus.PENDING and email.error.startswith("Held: no Zoho Mail credentials")
    assert not OutboxMessage.objects.exists()
    assert MailboxState.objects.get(brand=brand).last_error.startswith("Not sending:")
    assert brands_not_sending([brand]) == [(brand, email.error.removeprefix("Held: "))]


def test_held_emails_go_once_the_brand_has_credentials(brand, settings, fake_zoho):
    settings.MAIL_BACKEND = "zoho"
    (email,) = queued(brand)
    brand_send_due(brand=brand)

    give_zoho_credentials(brand)
    report = brand_send_due(brand=brand)

    email.refresh_from_db()
    assert (report.sent, email.status, email.error) == (1, EmailStatus.SENT, "")


def test_credentials_without_an_account_id_are_named(brand, settings):
    settings.MAIL_BACKEND = "zoho"
    give_zoho_credentials(brand)
    brand.zoho_account_id = ""
    brand.save()

    assert "no account id" in mail_problem(brand)
    assert get_email_service(brand).enabled is False


# --- markup from contact data ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template", ["Hi {first_name},\n\nA note for {company}.", "<p>Hi {first_name},</p><p>For {company}.</p>"]
)
def test_markup_in_contact_data_stays_text_in_the_email(brand, template):
    # given a contact whose name and company carry markup, and a step written as text or as HTML
    from crm.ai import CRMAIAgent
    from crm.models import EmailSequence, SequenceStep
    from crm.services.autopilot import deal_email_queue

    sales = PipelineFactory(brand=brand)
    sequence = EmailSequence.objects.create(pipeline=sales, name="Outreach")
    SequenceStep.objects.create(
        sequence=sequence, subject_template="Hello", body_template=template, ai_personalize=False
    )
    contact = ContactFactory(
        brand=brand, name='<a href="https://evil.example/">Click here</a>', company="<img src=x onerror=alert(1)>"
    )
    deal = DealFactory(pipeline=sales, current_stage=sales.first_stage(), contact=contact)
    # when its email is composed, queued and sent through the outbox
    deal_email_queue(deal=deal, agent=CRMAIAgent(use_ai=False))
    brand_send_due(brand=brand)
    # then the markup arrives as text, not as a live link or image
    html = OutboxMessage.objects.get().html
    assert "<img src=x" not in html and 'href="https://evil.example' not in html
    assert "Hi &lt;a," in html and "&lt;img src=x onerror=alert(1)&gt;" in html  # the first name is its first word
