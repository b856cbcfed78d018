"""CRMAIAgent: the four operations of the implementation plan and a backlink's pitch angle, each
logged as an AIDecisionLog.

With OPENAI_API_KEY set, each operation fills the active AIPromptTemplate of its type with
named variables and asks the model for JSON of a fixed shape; without a key, or when the
provider keeps failing or answers nonsense twice, the rules decide (logged with model
"rules"). Rules that keep people safe (no email to a suppressed contact, none while another
is in flight, none for a closed deal) apply before any model is asked.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from crm.ai import rules
from crm.ai.facts import DealFacts, contact_summary, deal_facts, deal_variables, email_variables, fill
from crm.ai.schemas import ComposedEmail, DealDecision, LeadScore, PitchAngle, ReplyClassification
from crm.mail.parsing import reply_text
from crm.models import (
    AIDecisionLog,
    AIPromptTemplate,
    BacklinkOpportunity,
    Contact,
    Deal,
    DecisionType,
    PromptType,
    SequenceStep,
)
from integrations.openai import OpenAIError, complete_json, is_configured

logger = logging.getLogger(__name__)

RULES = "rules"
SYSTEM: dict[str, str] = {
    PromptType.DEAL_ANALYZE: "You are the careful sales-operations assistant of a small agency. Answer with JSON only.",
    PromptType.EMAIL_COMPOSE: "You write short, warm, specific B2B outreach emails. Answer with JSON only.",
    PromptType.REPLY_CLASSIFY: "You classify replies to sales emails. Answer with JSON only.",
    PromptType.LEAD_SCORE: "You score B2B leads for a small digital agency. Answer with JSON only.",
    PromptType.BACKLINK_PITCH: "You plan link-building outreach that gives a site real value. Answer with JSON only.",
}


@dataclass(frozen=True)
class Usage:
    model: str = RULES
    prompt_tokens: int = 0
    completion_tokens: int = 0
    note: str = ""


def _prompt(prompt_type: str) -> AIPromptTemplate | None:
    return AIPromptTemplate.objects.filter(prompt_type=prompt_type, is_active=True).first()


class CRMAIAgent:
    def __init__(self, *, use_ai: bool | None = None) -> None:
        self.use_ai = is_configured() if use_ai is None else use_ai

    # --- the four operations ---------------------------------------------------------------

    def analyze_deal(self, deal: Deal) -> dict[str, Any]:
        """{action: send_email | move_stage | wait | flag_for_review, reasoning, metadata}."""
        facts = deal_facts(deal)
        decision, usage = self._analyze(facts)
        self._log(DecisionType.ANALYZE_DEAL, usage, deal=facts.deal, action=decision.action,
                  reasoning=decision.reasoning, metadata=decision.metadata)  # fmt: skip
        return {"action": decision.action, "reasoning": decision.reasoning, "metadata": decision.metadata}

    def compose_email(
        self, deal: Deal, template: SequenceStep | None = None, context: dict[str, Any] | None = None
    ) -> dict[str, str]:
        """{subject, body} for the deal's next email, personalised from `template` (a sequence step)."""
        facts = deal_facts(deal)
        template = template or facts.step_for_next_email()
        variables = {**email_variables(facts.deal, template), **(context or {})}
        subject, body, usage = self._compose(facts, template, variables)
        reasoning = f"{variables['email_type']} ({variables['tone']})"
        self._log(
            DecisionType.COMPOSE_EMAIL, usage, deal=facts.deal, action=variables["email_type"], reasoning=reasoning,
            metadata={"subject": subject},
        )  # fmt: skip
        return {"subject": subject, "body": body}

    def classify_reply(self, email_content: str, *, deal: Deal | None = None) -> dict[str, Any]:
        """{sentiment, intent, suggested_action, confidence} for the new part of a reply."""
        text = reply_text(email_content)[:4000]
        result, usage = self._ask(PromptType.REPLY_CLASSIFY, {"reply": text}, ReplyClassification)
        classification = result.model_dump() if isinstance(result, ReplyClassification) else rules.classify_reply(text)
        self._log(
            DecisionType.CLASSIFY_REPLY, usage, deal=deal, action=classification["intent"],
            reasoning=classification["suggested_action"], metadata={**classification, "reply": text[:500]},
        )  # fmt: skip
        return classification

    def score_lead(self, contact: Contact) -> int:
        """0..100, from company, website, domain authority and engagement."""
        score, reasoning = rules.score_lead(contact)
        usage = Usage()
        if score > 0:  # a suppressed contact scores 0 whatever a model thinks
            variables = {"contact": contact_summary(contact), "engagement": reasoning}
            result, usage = self._ask(PromptType.LEAD_SCORE, variables, LeadScore)
            if isinstance(result, LeadScore):
                score, reasoning = result.score, result.reasoning or reasoning
        self._log(DecisionType.SCORE_LEAD, usage, contact=contact, action=str(score), reasoning=reasoning, metadata={})
        return score

    def pitch_angle(self, opportunity: BacklinkOpportunity) -> dict[str, str]:
        """{angle, anchor_text}: why the site would link to our page, and the words to link."""
        facts = rules.pitch_facts(opportunity)
        result, usage = self._ask(PromptType.BACKLINK_PITCH, facts, PitchAngle)
        if isinstance(result, PitchAngle):
            angle, anchor = result.angle, result.anchor_text
        else:
            angle, anchor = rules.pitch_angle(facts)
        self._log(
            DecisionType.PITCH_ANGLE, usage, deal=opportunity.deal, contact=opportunity.contact, action="pitch_angle",
            reasoning=angle, metadata={"opportunity": opportunity.pk, "anchor_text": anchor},
        )  # fmt: skip
        return {"angle": angle, "anchor_text": anchor}

    # --- with and without a model --------------------------------------------------------------

    def _analyze(self, facts: DealFacts) -> tuple[rules.Decision, Usage]:
        guarded = rules.guard(facts)
        if guarded is not None:
            return guarded, Usage()
        result, usage = self._ask(PromptType.DEAL_ANALYZE, deal_variables(facts), DealDecision)
        if isinstance(result, DealDecision):
            decision = _checked(result, facts)
            if decision is not None:
                return decision, usage
            note = f"the model's {result.action} could not be carried out"
            usage = Usage(RULES, usage.prompt_tokens, usage.completion_tokens, note)
        return rules.analyze_deal(facts), usage

    def _compose(
        self, facts: DealFacts, template: SequenceStep | None, variables: dict[str, Any]
    ) -> tuple[str, str, Usage]:
        personalise = template is None or template.ai_personalize
        if personalise:
            result, usage = self._ask(PromptType.EMAIL_COMPOSE, variables, ComposedEmail, max_tokens=600)
            if isinstance(result, ComposedEmail):
                return result.subject, result.body, usage
        else:
            usage = Usage(note="the step is not personalised")
        subject, body = rules.compose_email(facts, template, variables)
        return subject, body, usage

    def _ask(
        self, prompt_type: str, variables: dict[str, Any], schema: type[BaseModel], max_tokens: int = 400
    ) -> tuple[BaseModel | None, Usage]:
        """The model's answer, or (None, why the rules decide)."""
        if not self.use_ai:
            return None, Usage()
        template = _prompt(prompt_type)
        if template is None:
            return None, Usage(note=f"no active {prompt_type} prompt")
        try:
            result = complete_json(
                system=SYSTEM[prompt_type],
                user=fill(template.prompt_text, variables),
                schema=schema,
                max_tokens=max_tokens,
            )
        except OpenAIError as exc:
            logger.warning("%s fell back to rules: %s", prompt_type, exc)
            return None, Usage(note=f"OpenAI failed: {exc}"[:300])
        return result.data, Usage(result.model, result.prompt_tokens, result.completion_tokens)

    def _log(
        self,
        decision_type: str,
        usage: Usage,
        *,
        action: str,
        reasoning: str,
        metadata: dict[str, Any],
        deal: Deal | None = None,
        contact: Contact | None = None,
    ) -> AIDecisionLog:
        if usage.note:
            metadata = {**metadata, "fallback": usage.note}
        digest = hashlib.sha256(f"{decision_type}:{deal and deal.pk}:{contact and contact.pk}:{metadata}".encode())
        return AIDecisionLog.objects.create(
            deal=deal,
            contact=contact or (deal.contact if deal else None),
            decision_type=decision_type,
            reasoning=reasoning[:4000],
            action_taken=action[:100],
            metadata=metadata,
            model=usage.model,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            input_hash=digest.hexdigest(),
        )


def _checked(answer: DealDecision, facts: DealFacts) -> rules.Decision | None:
    """The model's decision, if it can be carried out: a move names a stage of the pipeline."""
    metadata = answer.metadata.model_dump(exclude_none=True)
    if answer.action == "move_stage":
        stage = facts.stage_named(answer.metadata.target_stage or "")
        if stage is None or stage.pk == facts.stage.pk:
            return None
        metadata["target_stage"] = stage.name
    if answer.action == "wait":
        metadata.setdefault("wait_days", facts.stage.days_until_followup or 1)
    return rules.Decision(answer.action, answer.reasoning, metadata)
