"""The agent's operations without a model: what `make run` uses, and the fallback when OpenAI fails.

analyze_deal follows the stage's auto_actions and days_until_followup:
  send actions (send_initial_email, send_pitch, send_followup*) send once per stage; the
    opening ones then move the deal on (New Lead -> Contacted); after the follow-up days
    without a reply the deal moves to the next follow-up stage, or to the lost stage
  wait_for_reply sends the sequence's next follow-up after the follow-up days, or moves to the
    next follow-up stage, and ends the deal once the sequence is used up
  research_contact moves on; a person's actions (schedule_call, prepare_proposal, ai_monitor,
    classify_response, verify_link) are flagged for review
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from crm.ai.facts import (
    OPENING_ACTIONS,
    SEND_ACTIONS,
    DealFacts,
    contact_summary,
    email_type,
    email_variables,
    fill,
    fill_email,
)
from crm.mail.intent.model import load_model
from crm.models import BacklinkOpportunity, Contact, DealStatus, EmailLog, PipelineStage, SequenceStep

PERSON_ACTIONS = ("schedule_call", "prepare_proposal", "ai_monitor", "classify_response", "verify_link")


@dataclass
class Decision:
    action: str
    reasoning: str
    metadata: dict[str, Any] = field(default_factory=dict)


def _wait(days: float, reason: str) -> Decision:
    return Decision("wait", reason, {"wait_days": max(round(days, 2), 0.04)})


def _move(stage: PipelineStage | None, reason: str) -> Decision:
    if stage is None:
        return Decision("flag_for_review", reason + " There is no stage to move to; a person should decide.")
    return Decision("move_stage", reason, {"target_stage": stage.name})


def guard(facts: DealFacts) -> Decision | None:
    """What holds whatever a model would say: nothing is sent to a suppressed contact, twice at once,
    or for a closed deal."""
    deal, contact = facts.deal, facts.deal.contact
    if deal.status != DealStatus.ACTIVE:
        return _wait(1, f"The deal is {deal.status}; the autopilot leaves it alone.")
    if contact.unsubscribed_at or contact.bounced_at:
        why = "unsubscribed" if contact.unsubscribed_at else "an address that bounced"
        return Decision("flag_for_review", f"The contact has {why}; no more emails.")
    if facts.stage.is_terminal:
        return _wait(30, f"{facts.stage.name} is a closed stage.")
    if facts.in_flight:
        return _wait(1, "An email to this contact is queued or being sent.")
    if facts.replied_in_stage:
        return Decision("flag_for_review", "The contact replied in this stage; a person should answer.")
    return None


def analyze_deal(facts: DealFacts) -> Decision:
    guarded = guard(facts)
    if guarded:
        return guarded
    actions = facts.stage.auto_actions or []
    days = facts.stage.days_until_followup or 0
    if any(action in SEND_ACTIONS for action in actions):
        return _send_stage(facts, actions, days)
    if "wait_for_reply" in actions:
        return _waiting_stage(facts, days)
    if "research_contact" in actions:
        return _move(facts.stage_after(facts.stage), "The contact's address is known; ready for the pitch.")
    if any(action in PERSON_ACTIONS for action in actions):
        return Decision("flag_for_review", f"{facts.stage.name} needs a person: {', '.join(actions)}.")
    return _wait(days or 7, f"{facts.stage.name} has no automatic action.")


def _send_stage(facts: DealFacts, actions: list[str], days: int) -> Decision:
    kind = email_type(facts.deal.emails_sent)
    if facts.emails_in_stage == 0:
        opening = any(action in OPENING_ACTIONS for action in actions)
        metadata: dict[str, Any] = {"email_type": kind}
        if opening:
            metadata["then_stage"] = getattr(facts.stage_after(facts.stage), "name", None)
        return Decision("send_email", f"{facts.stage.name}: time for the {kind}.", metadata)
    since = facts.days_since_last_email
    if since is not None and since < days:
        return _wait(days - since, f"Waiting {days} days for a reply to the last email.")
    return _no_reply(facts, f"No reply {days} days after the last email.")


def _waiting_stage(facts: DealFacts, days: int) -> Decision:
    waited = facts.days_since_last_email if facts.last_sent_at else facts.days_in_stage
    if waited is not None and waited < days:
        return _wait(days - waited, f"Waiting {days} days for a reply.")
    following = facts.stage_after(facts.stage)
    if following is not None and any(a in SEND_ACTIONS for a in following.auto_actions or []):
        return _move(following, f"No reply after {days} days; on to {following.name}.")
    if facts.deal.emails_sent < len(facts.steps):
        return Decision("send_email", f"No reply after {days} days: the {email_type(facts.deal.emails_sent)}.", {
            "email_type": email_type(facts.deal.emails_sent)
        })  # fmt: skip
    return _move(facts.lost_stage(), f"No reply to {facts.deal.emails_sent} emails; closing the deal.")


def _no_reply(facts: DealFacts, reason: str) -> Decision:
    following = facts.stage_after(facts.stage)
    if following is not None and any(a in SEND_ACTIONS + ("wait_for_reply",) for a in following.auto_actions or []):
        return _move(following, reason)
    return _move(facts.lost_stage(), reason + " The sequence is over.")


# --- compose ---------------------------------------------------------------------------------------


def compose_email(
    deal_facts: DealFacts, step: SequenceStep | None, variables: dict[str, Any] | None = None
) -> tuple[str, str]:
    """(subject, body) from the sequence step's templates, filled with the deal's variables (the
    subject is text; the body's values are escaped if the template is HTML)."""
    deal = deal_facts.deal
    variables = variables if variables is not None else email_variables(deal, step)
    if step is None:
        subject = "A quick idea for {company}" if deal.emails_sent == 0 else "Following up"
        body = (
            "Hi {first_name},\n\nI'm writing from {brand_name}: we work on {value_proposition}.\n\n"
            "Best regards,\n{sender_name}"
        )
        return fill(subject, variables), fill_email(body, variables)
    return fill(step.subject_template, variables), fill_email(step.body_template, variables)


# --- classify --------------------------------------------------------------------------------------

SENTIMENTS = {"interested": "positive", "not_interested": "negative", "unsubscribe": "negative"}
ACTIONS = {
    "interested": "Reply personally and propose a time to talk.",
    "question": "Answer the question personally.",
    "not_interested": "Close the deal politely.",
    "unsubscribe": "Suppress the contact and close the deal.",
    "out_of_office": "Wait until they are back; keep the sequence going.",
    "referral": "Write to the person they named, mentioning who sent you.",
    "bounce": "The address is dead: find another contact at the company.",
}
# Labels that end a live deal or stop all mail need more certainty than the others: a wrong
# "not interested" loses a deal, a wrong "question" only asks a person to read the reply.
ENDING_INTENTS = frozenset({"not_interested", "unsubscribe", "bounce"})


def classify_reply(text: str) -> dict[str, Any]:
    """{sentiment, intent, suggested_action, confidence} from the offline reply model.

    When the model is not sure enough the intent is "unclear" and a person reads the reply.
    """
    model = load_model()
    prediction = model.predict(text)
    needed = model.thresholds["ending" if prediction.intent in ENDING_INTENTS else "other"]
    if prediction.confidence < needed:
        guess = prediction.intent.replace("_", " ")
        action = f"Read the reply: the rules are unsure what it means (perhaps {guess}, {prediction.confidence:.0%})."
        return _classified("neutral", "unclear", action, prediction.confidence)
    intent = prediction.intent
    return _classified(SENTIMENTS.get(intent, "neutral"), intent, ACTIONS[intent], prediction.confidence)


def _classified(sentiment: str, intent: str, action: str, confidence: float) -> dict[str, Any]:
    return {"sentiment": sentiment, "intent": intent, "suggested_action": action, "confidence": round(confidence, 3)}


# --- score -----------------------------------------------------------------------------------------


def score_lead(contact: Contact) -> tuple[int, str]:
    """0..100 from what the contact is (company, website, domain authority) and did (opened, replied)."""
    if contact.unsubscribed_at or contact.bounced_at:
        return 0, "Suppressed: unsubscribed or bounced."
    emails = EmailLog.objects.filter(contact=contact)
    replied = emails.filter(replied=True).exists()
    authority = round((contact.domain_authority or 0) * 0.3)
    parts = [
        (True, 20, "base"),
        (bool(contact.company), 15, "company"),
        (bool(contact.website), 15, "website"),
        (authority > 0, authority, "domain authority"),
        (replied, 20, "replied"),
        (not replied and emails.filter(opened=True, likely_machine_open=False).exists(), 10, "opened"),
    ]
    earned = [(points, label) for applies, points, label in parts if applies]
    return min(sum(points for points, _ in earned), 100), ", ".join(f"{label} +{points}" for points, label in earned)


# --- backlink pitch angle -----------------------------------------------------------------------


def pitch_facts(opportunity: BacklinkOpportunity) -> dict[str, Any]:
    """What the pitch is written from: the same variables for the prompt and for the rules."""
    brand, contact = opportunity.brand, opportunity.contact
    return {
        "brand": brand.name,
        "value_proposition": brand.ai_value_proposition.strip(),
        "site": opportunity.target_domain or urlsplit(opportunity.target_url).hostname or opportunity.target_url,
        "target_url": opportunity.target_url,
        "domain_authority": opportunity.domain_authority if opportunity.domain_authority is not None else "unknown",
        "our_content_url": opportunity.our_content_url,
        "our_content_title": content_title(opportunity.our_content_url),
        "contact": contact_summary(contact) if contact else "not found yet",
    }


def content_title(url: str) -> str:
    """'https://x.au/blog/seo-checklist-for-cafes/' -> 'SEO checklist for cafes' (the last path segment)."""
    segment = next((part for part in reversed(urlsplit(url).path.split("/")) if part), "")
    words = re.sub(r"\.(html?|php|aspx?)$", "", segment).replace("-", " ").replace("_", " ").split()
    if not words:
        return ""
    title = " ".join(word.upper() if word.lower() in ACRONYMS else word for word in words)
    return title[0].upper() + title[1:]


ACRONYMS = frozenset({"seo", "ai", "crm", "api", "ux", "ui", "b2b", "saas", "ppc", "roi", "diy", "faq", "hr", "it"})


def pitch_angle(facts: dict[str, Any]) -> tuple[str, str]:
    """The angle and anchor text, from the content we offer and what the brand is good at."""
    site, brand, title = facts["site"], facts["brand"], facts["our_content_title"]
    offer = f"our guide \u201c{title}\u201d ({facts['our_content_url']})" if title else "a guest post written for them"
    angle = f"Offer {site}'s readers {offer}, a useful resource from {brand} for the topics {site} already covers."
    if facts["value_proposition"]:
        angle += f" Keep it about them: {brand} is {facts['value_proposition'].rstrip('.')}."
    angle += " Suggest the page where it fits, and offer something back (a mention, a guest post or a quote)."
    return angle, title or brand
