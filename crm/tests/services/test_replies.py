"""Reading the inbox: matching, bounces, automatic replies, human replies; each handled once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from crm.models import (
    ActivityType,
    AIDecisionLog,
    DealStatus,
    EmailLog,
    EmailStatus,
    InboundEmail,
    MailboxState,
    OutboxMessage,
)
from crm.services.outbox import outbox_simulate_inbound
from crm.services.replies import brand_check_replies
from crm.services.sending import brand_send_due, email_queue
from crm.tests.factories import ContactFactory, DealFactory
from tests.fixtures.fakes import give_zoho_credentials

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand(codeteki):
    codeteki.send_window_start = codeteki.send_window_end = None
    codeteki.send_weekdays = []  # any day: these tests must not depend on today
    codeteki.save()
    return codeteki


def sent_deal(brand, stage="Contacted"):
    """A deal of the seeded sales pipeline with one email sent through the brand's mailbox."""
    sales = brand.pipelines.get(slug="sales")
    deal = DealFactory(pipeline=sales, contact=ContactFactory(brand=brand), current_stage=sales.stages.get(name=stage))
    email = email_queue(deal=deal, subject="A quick idea", body="Hi")
    email_queue(deal=deal, subject="Follow-up", body="Hi again", scheduled_for=timezone.now() + timedelta(days=3))
    brand_send_due(brand=brand)
    email.refresh_from_db()
    return deal, email


def answer(email, kind, text=""):
    return outbox_simulate_inbound(
        message=OutboxMessage.objects.get(rfc_message_id=email.rfc_message_id), kind=kind, text=text
    )


def test_an_interested_reply_stops_the_sequence_moves_the_deal_and_asks_a_person(brand):
    deal, email = sent_deal(brand)
    answer(email, "reply", "This sounds interesting, let's talk on Thursday.")

    report = brand_check_replies(brand=brand)

    deal.refresh_from_db()
    email.refresh_from_db()
    assert report.kinds == {"reply": 1}
    assert (deal.current_stage.name, deal.needs_review) == ("Engaged", True)
    assert email.replied and email.reply_content.startswith("This sounds interesting")
    assert not EmailLog.objects.filter(deal=deal, status=EmailStatus.PENDING).exists()
    assert deal.activities.filter(activity_type=ActivityType.REPLY_RECEIVED).exists()
    assert set(AIDecisionLog.objects.filter(deal=deal).values_list("decision_type", flat=True)) == {
        "classify_reply",
        "move_stage",
    }
    inbound = InboundEmail.objects.get()
    assert (inbound.kind, inbound.email_id, inbound.deal_id) == ("reply", email.pk, deal.pk)


def test_a_negative_reply_ends_the_deal(brand):
    deal, email = sent_deal(brand)
    answer(email, "reply", "Not interested, thanks.")

    brand_check_replies(brand=brand)

    deal.refresh_from_db()
    assert (deal.current_stage.name, deal.status) == ("Lost", DealStatus.LOST)


def test_an_unsubscribe_reply_suppresses_the_contact(brand):
    deal, email = sent_deal(brand)
    answer(email, "reply", "Please remove me from your list.")

    brand_check_replies(brand=brand)

    deal.contact.refresh_from_db()
    assert deal.contact.unsubscribed_at is not None
    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST


def test_a_question_is_flagged_without_moving(brand):
    deal, email = sent_deal(brand)
    answer(email, "reply", "How much does this cost?")

    brand_check_replies(brand=brand)

    deal.refresh_from_db()
    assert (deal.current_stage.name, deal.needs_review) == ("Contacted", True)


def test_a_referral_to_a_colleague_is_flagged_for_a_person_without_moving(brand):
    deal, email = sent_deal(brand)
    answer(
        email, "reply", "I'm not the right person for this - please write to my colleague Anna, anna@harbour.example."
    )

    brand_check_replies(brand=brand)

    deal.refresh_from_db()
    assert (deal.current_stage.name, deal.status, deal.needs_review) == ("Contacted", DealStatus.ACTIVE, True)
    assert deal.review_reason.startswith("They point to someone else")
    assert deal.contact.unsubscribed_at is None


def test_a_dead_mailbox_told_in_words_suppresses_the_address_and_asks_for_another_contact(brand):
    # given a plain reply (no delivery-status report) saying the person left
    deal, email = sent_deal(brand)
    answer(email, "reply", "Hi, Jenny has left the company and this mailbox is no longer monitored.")
    # when
    report = brand_check_replies(brand=brand)
    # then
    deal.refresh_from_db()
    deal.contact.refresh_from_db()
    assert report.kinds == {"bounce": 1}
    assert deal.contact.bounced_at is not None and deal.contact.unsubscribed_at is None
    assert (deal.needs_review, deal.status) == (True, DealStatus.PAUSED)
    assert not EmailLog.objects.filter(deal=deal, status=EmailStatus.PENDING).exists()
    assert not EmailLog.objects.get(pk=email.pk).replied


def test_a_reply_the_rules_cannot_read_is_flagged_as_unclear_and_ends_nothing(brand):
    deal, email = sent_deal(brand)
    answer(email, "reply", "Hmm.")

    brand_check_replies(brand=brand)

    deal.refresh_from_db()
    assert (deal.current_stage.name, deal.status, deal.needs_review) == ("Contacted", DealStatus.ACTIVE, True)
    assert deal.review_reason.startswith("Unclear")
    decision = AIDecisionLog.objects.get(deal=deal, decision_type="classify_reply")
    assert decision.action_taken == "unclear"
    assert decision.metadata["confidence"] < 0.3


def test_an_out_of_office_answer_waits_and_keeps_the_sequence(brand):
    deal, email = sent_deal(brand)
    answer(email, "out_of_office")

    report = brand_check_replies(brand=brand)

    deal.refresh_from_db()
    assert report.kinds == {"auto_reply": 1}
    assert deal.next_action_date > timezone.now() + timedelta(days=2)
    assert EmailLog.objects.filter(deal=deal, status=EmailStatus.PENDING).count() == 1
    assert not EmailLog.objects.get(pk=email.pk).replied


def test_a_bounce_suppresses_the_address(brand):
    deal, email = sent_deal(brand)
    answer(email, "bounce")

    report = brand_check_replies(brand=brand)

    deal.contact.refresh_from_db()
    assert report.kinds == {"bounce": 1}
    assert deal.contact.bounced_at is not None
    assert not EmailLog.objects.filter(deal=deal, status=EmailStatus.PENDING).exists()


def test_a_reply_is_processed_once_however_often_the_inbox_is_read(brand):
    deal, email = sent_deal(brand)
    answer(email, "reply", "Sounds good, call me.")

    brand_check_replies(brand=brand)
    brand_check_replies(brand=brand)
    MailboxState.objects.update(inbox_checked_at=None)  # forget the watermark: read everything again
    brand_check_replies(brand=brand)

    assert InboundEmail.objects.count() == 1
    assert AIDecisionLog.objects.filter(decision_type="classify_reply").count() == 1


def test_mail_that_answers_nothing_of_ours_is_kept_and_left_alone(brand):
    OutboxMessage.objects.create(
        brand=brand, folder="inbox", from_address="stranger@x.example", to_address=brand.from_email,
        subject="Hello?", text="Who are you?", rfc_message_id="<s1@x>",
    )  # fmt: skip

    report = brand_check_replies(brand=brand)

    assert report.kinds == {"unmatched": 1}


def test_a_reply_is_matched_by_sender_when_it_quotes_no_message_id(brand):
    deal, email = sent_deal(brand)
    OutboxMessage.objects.create(
        brand=brand, folder="inbox", from_address=deal.contact.email.upper(), to_address=brand.from_email,
        subject="Re: something", text="Interested, yes.", rfc_message_id="<s2@x>",
    )  # fmt: skip

    brand_check_replies(brand=brand)

    assert InboundEmail.objects.get().email_id == email.pk


def test_replies_from_zoho_are_read_with_their_headers(brand, fake_zoho):
    give_zoho_credentials(brand)
    deal, email = sent_deal(brand)
    fake_zoho.deliver(
        from_address=deal.contact.email,
        subject="Re: A quick idea",
        text="Yes, interested!",
        in_reply_to=email.rfc_message_id,
    )
    fake_zoho.deliver(
        from_address=deal.contact.email,
        subject="Automatic reply: A quick idea",
        text="Away",
        headers={"Auto-Submitted": "auto-replied"},
    )

    report = brand_check_replies(brand=brand)

    assert report.kinds == {"reply": 1, "auto_reply": 1}
    deal.refresh_from_db()
    assert deal.current_stage.name == "Engaged"


def test_a_failing_inbox_is_recorded_and_retried_next_time(brand, fake_zoho):
    give_zoho_credentials(brand)
    brand.zoho_refresh_token = "1000.revoked"
    brand.save()

    report = brand_check_replies(brand=brand)

    assert "invalid_code" in report.error
    assert "invalid_code" in MailboxState.objects.get(brand=brand).last_error


# --- forged or mistaken bounces ----------------------------------------------------------------------


def test_a_bounce_that_names_no_message_we_sent_suppresses_nobody(brand):
    # given a contact we mailed, and a message shaped like a bounce that quotes none of our messages
    deal, email = sent_deal(brand)
    OutboxMessage.objects.create(
        brand=brand, folder="inbox", from_address="mailer-daemon@elsewhere.example", to_address=brand.from_email,
        subject="Undelivered Mail Returned to Sender", rfc_message_id="<forged@elsewhere.example>",
        text=f"Final-Recipient: rfc822; {email.to_email}\nAction: failed\nStatus: 5.1.1\n",
    )  # fmt: skip
    # when
    report = brand_check_replies(brand=brand)
    # then it is read as a message, and the contact is not suppressed
    deal.contact.refresh_from_db()
    assert report.kinds == {"unmatched": 1}
    assert deal.contact.bounced_at is None


def test_a_report_on_our_message_suppresses_only_its_recipient(brand):
    # given two contacts we mailed, and a real report on the first that also lists the second
    deal, email = sent_deal(brand)
    other, other_email = sent_deal(brand)
    message = answer(email, "bounce")
    OutboxMessage.objects.filter(pk=message.pk).update(
        text=message.text + f"Final-Recipient: rfc822; {other_email.to_email}\nStatus: 5.1.1\n"
    )
    # when
    brand_check_replies(brand=brand)
    # then
    deal.contact.refresh_from_db()
    other.contact.refresh_from_db()
    assert deal.contact.bounced_at is not None and other.contact.bounced_at is None


def test_a_person_s_reply_with_a_bounce_like_subject_is_read_as_a_reply(brand):
    deal, email = sent_deal(brand)
    message = answer(email, "reply", "Yes please, call me on Monday.")
    OutboxMessage.objects.filter(pk=message.pk).update(subject="Re: Delivery Status Notification (Failure)")

    report = brand_check_replies(brand=brand)

    deal.contact.refresh_from_db()
    assert report.kinds == {"reply": 1}
    assert deal.contact.bounced_at is None
