from datetime import timedelta

import pytest
from django.utils import timezone

from crm.models import AIDecisionLog, Deal, EmailLog, EmailStatus
from crm.services.autopilot import deal_autopilot_run, deal_mark_reviewed, deals_due
from crm.services.sending import email_queue
from crm.tests.factories import ContactFactory, DealFactory
from crm_site import claims

pytestmark = pytest.mark.django_db


def deal(sales, stage="New Lead", **fields):
    return DealFactory(
        pipeline=sales, contact=ContactFactory(brand=sales.brand), current_stage=sales.stages.get(name=stage), **fields
    )


def test_only_due_deals_nobody_holds_are_handed_out(sales):
    due = deal(sales, next_action_date=timezone.now() - timedelta(minutes=1))
    held = deal(sales, next_action_date=timezone.now() - timedelta(minutes=1))
    deal(sales, next_action_date=timezone.now() + timedelta(days=1))
    deal(sales, next_action_date=None)
    claims.claim_row(Deal, held.pk, lease=timedelta(minutes=5))

    assert deals_due() == [due.pk]


def test_a_deal_handed_out_twice_is_worked_on_once(sales):
    # given a due lead handed to two runs (the hourly job ran again before the first task did)
    lead = deal(sales, next_action_date=timezone.now() - timedelta(minutes=1))
    # when both run, one after the other
    first = deal_autopilot_run(deal_id=lead.pk, only_if_due=True)
    second = deal_autopilot_run(deal_id=lead.pk, only_if_due=True)
    # then the second finds it no longer due
    assert (first["action"], second) == ("send_email", None)
    assert EmailLog.objects.filter(deal=lead).count() == 1


def test_a_deal_another_run_holds_is_left_alone(sales):
    lead = deal(sales)
    claims.claim_row(Deal, lead.pk, lease=timedelta(minutes=5), owner="someone-else")

    assert deal_autopilot_run(deal_id=lead.pk) is None
    assert not EmailLog.objects.filter(deal=lead).exists()


def test_the_same_step_is_never_queued_twice(sales):
    # given a lead whose first step is queued
    lead = deal(sales)
    step = sales.sequences.get().steps.order_by("order").first()
    first = email_queue(deal=lead, subject="One", body="x", step=step)
    # when another run composes the same step
    second = email_queue(deal=lead, subject="Two", body="y", step=step)
    # then it is not queued; once the first failed, the step may go again
    assert (first is not None, second) == (True, None)
    EmailLog.objects.filter(pk=first.pk).update(status=EmailStatus.FAILED)
    assert email_queue(deal=lead, subject="Three", body="z", step=step) is not None


def test_a_new_lead_gets_its_email_queued_and_moves_on(sales):
    lead = deal(sales)

    decision = deal_autopilot_run(deal_id=lead.pk)

    lead.refresh_from_db()
    assert decision["action"] == "send_email"
    assert lead.current_stage.name == "Contacted"
    email = EmailLog.objects.get(deal=lead)
    assert (email.status, email.subject) == (EmailStatus.PENDING, f"A quick idea for {lead.contact.company}")
    assert lead.next_action_date > timezone.now() + timedelta(hours=20)
    assert set(AIDecisionLog.objects.filter(deal=lead).values_list("decision_type", flat=True)) == {
        "analyze_deal", "compose_email",
    }  # fmt: skip


def test_running_twice_queues_nothing_more(sales):
    lead = deal(sales)

    deal_autopilot_run(deal_id=lead.pk)
    second = deal_autopilot_run(deal_id=lead.pk)

    assert second["action"] == "wait"
    assert EmailLog.objects.filter(deal=lead).count() == 1


def test_a_flagged_deal_waits_for_a_person_and_is_handed_back(sales):
    engaged = deal(sales, "Engaged")

    deal_autopilot_run(deal_id=engaged.pk)
    engaged.refresh_from_db()
    assert (engaged.needs_review, engaged.next_action_date) == (True, None)
    assert "needs a person" in engaged.review_reason

    deal_mark_reviewed(deal=engaged)
    engaged.refresh_from_db()
    assert not engaged.needs_review and engaged.next_action_date is not None


def test_a_deal_that_is_gone_is_skipped(sales):
    lead = deal(sales)
    pk = lead.pk
    lead.delete()

    assert deal_autopilot_run(deal_id=pk) is None
    assert not Deal.objects.filter(pk=pk).exists()
