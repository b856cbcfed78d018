"""The agent with OpenAI (a fake on 127.0.0.1 speaking Chat Completions) and without it."""

import json

import pytest

from crm.ai import CRMAIAgent
from crm.models import AIDecisionLog
from crm.tests.ai.test_rules import deal_in
from tests.fakes.openai import rate_limited, server_error

pytestmark = pytest.mark.django_db


def last_log():
    return AIDecisionLog.objects.order_by("-created_at").first()


def test_without_a_key_the_rules_decide_and_say_so(sales):
    decision = CRMAIAgent().analyze_deal(deal_in(sales, "New Lead"))

    assert decision["action"] == "send_email"
    log = last_log()
    assert (log.decision_type, log.model, log.prompt_tokens) == ("analyze_deal", "rules", 0)


def test_with_a_key_the_model_decides_from_the_active_prompt(sales, fake_openai):
    deal = deal_in(sales, "Contacted", days_in_stage=1, emails=[1])

    decision = CRMAIAgent().analyze_deal(deal)

    assert decision == {
        "action": "wait",
        "reasoning": "The fake model thinks waiting is wise.",
        "metadata": {"wait_days": 2},
    }
    request = fake_openai.chat_requests()[0].json()
    assert request["response_format"]["type"] == "json_schema"
    assert "Stage: Contacted" in request["messages"][1]["content"]
    log = last_log()
    assert log.model == "gpt-4o-mini"
    assert log.prompt_tokens > 50 and log.completion_tokens > 5


def test_a_malformed_answer_is_asked_again_once(sales, fake_openai):
    fake_openai.contents.append("this is not json")

    decision = CRMAIAgent().analyze_deal(deal_in(sales, "Contacted", days_in_stage=1, emails=[1]))

    assert decision["reasoning"] == "The fake model thinks waiting is wise."
    assert len(fake_openai.chat_requests()) == 2


def test_two_malformed_answers_fall_back_to_the_rules(sales, fake_openai):
    fake_openai.contents.extend(["{}", json.dumps({"action": "dance", "reasoning": "x"})])

    decision = CRMAIAgent().analyze_deal(deal_in(sales, "New Lead"))

    assert decision["action"] == "send_email"  # what the rules say
    log = last_log()
    assert log.model == "rules"
    assert "malformed answer" in log.metadata["fallback"]


def test_a_rate_limit_is_retried_by_the_client(sales, fake_openai):
    fake_openai.fail_next("POST", "/v1/chat/completions", rate_limited(after_ms=10))

    decision = CRMAIAgent().analyze_deal(deal_in(sales, "Contacted", days_in_stage=1, emails=[1]))

    assert decision["action"] == "wait"
    assert last_log().model == "gpt-4o-mini"
    assert len(fake_openai.chat_requests()) == 2


def test_a_provider_that_keeps_failing_leaves_the_rules_in_charge(sales, fake_openai, settings):
    settings.OPENAI_MAX_RETRIES = 1
    fake_openai.fail_next("POST", "/v1/chat/completions", server_error(), times=5)

    decision = CRMAIAgent().analyze_deal(deal_in(sales, "New Lead"))

    assert decision["action"] == "send_email"
    assert "OpenAI failed: OpenAI answered 500" in last_log().metadata["fallback"]


def test_a_slow_provider_times_out_to_the_rules(sales, fake_openai, settings):
    settings.OPENAI_TIMEOUT_SECONDS = 0.3
    settings.OPENAI_MAX_RETRIES = 0
    fake_openai.delay = 1.0

    decision = CRMAIAgent().analyze_deal(deal_in(sales, "New Lead"))

    assert decision["action"] == "send_email"
    assert "unreachable" in last_log().metadata["fallback"]


def test_a_move_to_a_stage_that_does_not_exist_is_not_carried_out(sales, fake_openai):
    fake_openai.contents.append(
        json.dumps({"action": "move_stage", "reasoning": "r", "metadata": {"target_stage": "Mars"}})
    )

    decision = CRMAIAgent().analyze_deal(deal_in(sales, "Contacted", days_in_stage=1, emails=[1]))

    assert decision["action"] == "wait"  # the rules again
    assert "could not be carried out" in last_log().metadata["fallback"]


def test_the_model_is_not_asked_when_a_guard_decides(sales, fake_openai):
    deal = deal_in(sales, "New Lead")
    deal.contact.bounced_at = deal.created_at
    deal.contact.save()

    assert CRMAIAgent().analyze_deal(deal)["action"] == "flag_for_review"
    assert fake_openai.chat_requests() == []


def test_compose_personalises_the_sequence_step_with_the_guide_s_context(sales, fake_openai):
    deal = deal_in(sales, "New Lead")

    email = CRMAIAgent().compose_email(deal)

    assert email == {
        "subject": "An idea for your team",
        "body": f"Hi {deal.contact.name.split()[0]},\n\nA personal note from the fake model.\n\nBest",
    }
    prompt = fake_openai.chat_requests()[0].json()["messages"][1]["content"]
    for expected in (
        "The Codeteki Team at Codeteki",
        f"RECIPIENT: {deal.contact.name}",
        "emails already sent 0",
        "initial outreach",
    ):
        assert expected in prompt


def test_compose_without_a_key_fills_the_step_templates(sales):
    deal = deal_in(sales, "New Lead")

    email = CRMAIAgent().compose_email(deal)

    assert email["subject"] == f"A quick idea for {deal.contact.company}"
    assert email["body"].startswith(f"Hi {deal.contact.first_name},")
    assert "{" not in email["body"]


def test_backlink_emails_pitch_collaboration(codeteki, fake_openai):
    deal = deal_in(codeteki.pipelines.get(slug="backlink"), "Researching")

    CRMAIAgent().compose_email(deal)

    assert "collaboration and mutual benefit" in fake_openai.chat_requests()[0].json()["messages"][1]["content"]


def test_classify_and_score_use_the_model_and_log_it(sales, fake_openai):
    deal = deal_in(sales, "Contacted")

    assert CRMAIAgent().classify_reply("Sounds great, call me", deal=deal)["intent"] == "interested"
    assert CRMAIAgent().score_lead(deal.contact) == 72
    assert set(AIDecisionLog.objects.values_list("decision_type", flat=True)) == {"classify_reply", "score_lead"}
