from datetime import timedelta

import pytest
from django.utils import timezone

from crm.models import AIDecisionLog, Deal, EmailLog, EmailStatus
from crm.services.autopilot import deal_autopilot_run, deal_mark_reviewed, deals_claim_due
from crm.tests.factories import ContactFactory, DealFactory

pytestmark = pytest.mark.django_db


def deal(sales, stage="New Lead", **fields):
    return DealFactory(
        pipeline=sales, contact=ContactFactory(brand=sales.brand), current_stage=sales.stages.get(name=stage), **fields
    )


def test_due_deals_are_claimed_once(sales):
    due = deal(sales, next_action_date=timezone.now() - timedelta(minutes=1))
    deal(sales, next_action_date=timezone.now() + timedelta(days=1))
    deal(sales, next_action_date=None)

    assert deals_claim_due() == [due.pk]
    assert deals_claim_due() == []
    due.refresh_from_db()
    assert due.next_action_date > timezone.now() + timedelta(minutes=20)  # the lease


def test_a_lease_that_runs_out_makes_the_deal_due_again(sales):
    due = deal(sales, next_action_date=timezone.now() - timedelta(minutes=1))
    deals_claim_due()

    assert deals_claim_due(now=timezone.now() + timedelta(hours=1)) == [due.pk]


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
