import pytest
from django.core.management import call_command

from crm.importing.reader import is_valid_email
from crm.models import (
    AIPromptTemplate,
    Brand,
    Contact,
    Deal,
    EmailLog,
    EmailSequence,
    Pipeline,
    PipelineStage,
)

pytestmark = pytest.mark.django_db

MODELS = [Brand, Pipeline, PipelineStage, EmailSequence, AIPromptTemplate]


def snapshot():
    return {model.__name__: sorted(map(str, model.objects.values_list())) for model in MODELS}


def test_seed_creates_both_brands_with_their_pipelines(capsys):
    call_command("seed_crm_pipelines")

    codeteki = Brand.objects.get(slug="codeteki")
    assert (codeteki.timezone, codeteki.from_email, codeteki.zoho_api_domain) == (
        "Australia/Sydney", "sales@codeteki.au", "zoho.com.au",
    )  # fmt: skip
    desi = Brand.objects.get(slug="desi-firms")
    assert (desi.from_email, desi.zoho_api_domain) == ("sales@desifirms.com.au", "zoho.com")
    sales = codeteki.pipelines.get(slug="sales")
    assert list(sales.stages.values_list("name", flat=True)) == [
        "New Lead", "Contacted", "Engaged", "Qualified", "Proposal Sent", "Negotiation", "Won", "Lost",
    ]  # fmt: skip
    new_lead = sales.stages.get(name="New Lead")
    assert (new_lead.auto_actions, new_lead.days_until_followup) == (["send_initial_email"], 0)
    assert sales.stages.get(name="Negotiation").days_until_followup == 5
    assert sales.stages.get(name="Won").outcome == "won"
    backlink = codeteki.pipelines.get(slug="backlink")
    follow_up_2 = backlink.stages.get(name="Follow Up 2")
    assert (follow_up_2.auto_actions, follow_up_2.days_until_followup) == (["send_followup_2"], 7)
    assert backlink.stages.get(name="Rejected").outcome == "lost"
    assert sales.sequences.get().steps.count() == 4
    assert AIPromptTemplate.objects.filter(is_active=True).count() == 5  # the four operations and the pitch angle


def test_a_second_run_changes_nothing_and_keeps_staff_edits():
    call_command("seed_crm_pipelines")
    PipelineStage.objects.filter(name="Contacted").update(days_until_followup=9)
    before = snapshot()

    call_command("seed_crm_pipelines")

    assert snapshot() == before


def test_demo_data_fills_every_stage_once(capsys):
    call_command("seed_demo")
    counts = (Contact.objects.count(), Deal.objects.count(), EmailLog.objects.count())

    call_command("seed_demo")

    assert (Contact.objects.count(), Deal.objects.count(), EmailLog.objects.count()) == counts
    for stage in PipelineStage.objects.all():
        assert stage.deals.exists(), stage
    assert EmailLog.objects.filter(replied=True).exists()
    assert "already loaded" in capsys.readouterr().out
    # one address rule everywhere: every demo address is one the import would take
    assert [e for e in Contact.objects.values_list("email", flat=True) if not is_valid_email(e)] == []
