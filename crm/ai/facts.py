"""What is known about a deal (or a contact), gathered once for both the rules and the prompts."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from crm.mail.content import is_html
from crm.models import Contact, Deal, EmailLog, EmailStatus, PipelineStage, SequenceStep

EMAIL_TYPES = ["initial outreach", "first follow-up", "second follow-up", "final follow-up"]
TONES = [
    "introduction and value proposition",
    "a gentle reminder",
    "a different angle",
    "shorter and softer",
]
BACKLINK_TONE = "collaboration and mutual benefit, never a hard sell"
SEND_ACTIONS = ("send_initial_email", "send_pitch", "send_followup", "send_followup_1", "send_followup_2")
OPENING_ACTIONS = ("send_initial_email", "send_pitch")


def email_type(emails_sent: int) -> str:
    return EMAIL_TYPES[min(emails_sent, len(EMAIL_TYPES) - 1)]


def tone(emails_sent: int, pipeline_type: str) -> str:
    base = TONES[min(emails_sent, len(TONES) - 1)]
    return f"{base}; {BACKLINK_TONE}" if pipeline_type == "backlink" else base


@dataclass
class DealFacts:
    deal: Deal
    stages: list[PipelineStage]
    steps: list[SequenceStep]
    emails_in_stage: int
    last_sent_at: datetime | None
    in_flight: bool  # an email is pending or sending
    replied_in_stage: bool
    now: datetime = field(default_factory=timezone.now)

    @property
    def stage(self) -> PipelineStage:
        return self.deal.current_stage

    @property
    def days_in_stage(self) -> float:
        return (self.now - self.deal.stage_entered_at).total_seconds() / 86400

    @property
    def days_since_last_email(self) -> float | None:
        return None if self.last_sent_at is None else (self.now - self.last_sent_at).total_seconds() / 86400

    def stage_after(self, stage: PipelineStage) -> PipelineStage | None:
        later = [s for s in self.stages if s.order > stage.order and not s.is_terminal]
        return later[0] if later else None

    def lost_stage(self) -> PipelineStage | None:
        return next((s for s in self.stages if s.is_terminal and s.outcome == "lost"), None)

    def stage_named(self, name: str) -> PipelineStage | None:
        wanted = name.strip().lower()
        return next((s for s in self.stages if s.name.lower() == wanted), None)

    def step_for_next_email(self) -> SequenceStep | None:
        if not self.steps:
            return None
        return self.steps[min(self.deal.emails_sent, len(self.steps) - 1)]


def deal_facts(deal: Deal) -> DealFacts:
    deal = Deal.objects.select_related("contact__brand", "pipeline", "current_stage").get(pk=deal.pk)
    emails = EmailLog.objects.filter(deal=deal)
    in_stage = emails.filter(created_at__gte=deal.stage_entered_at)
    sequence = deal.pipeline.sequences.filter(is_active=True).order_by("pk").first()
    last_sent = emails.filter(status=EmailStatus.SENT).order_by("-sent_at").values_list("sent_at", flat=True).first()
    return DealFacts(
        deal=deal,
        stages=list(deal.pipeline.stages.order_by("order", "id")),
        steps=list(sequence.steps.order_by("order", "id")) if sequence else [],
        emails_in_stage=in_stage.exclude(status=EmailStatus.CANCELLED).count(),
        last_sent_at=last_sent,
        in_flight=emails.filter(status__in=[EmailStatus.PENDING, EmailStatus.SENDING]).exists(),
        replied_in_stage=emails.filter(replied=True, replied_at__gte=deal.stage_entered_at).exists(),
    )


def contact_summary(contact: Contact) -> str:
    parts = [contact.name or contact.email, f"at {contact.company}" if contact.company else ""]
    if contact.website:
        parts.append(f"({contact.website})")
    if contact.domain_authority is not None:
        parts.append(f"domain authority {contact.domain_authority}")
    if contact.tags:
        parts.append("tags: " + ", ".join(contact.tags))
    return " ".join(p for p in parts if p)


def deal_variables(facts: DealFacts) -> dict[str, Any]:
    """Variables of the deal_analyze prompt."""
    deal = facts.deal
    recent = deal.activities.order_by("-created_at")[:5]
    since = facts.days_since_last_email
    return {
        "pipeline": deal.pipeline.name,
        "pipeline_type": deal.pipeline.pipeline_type,
        "stage": facts.stage.name,
        "stage_actions": ", ".join(facts.stage.auto_actions or []) or "none",
        "days_in_stage": round(facts.days_in_stage, 1),
        "days_until_followup": facts.stage.days_until_followup if facts.stage.days_until_followup is not None else "-",
        "emails_sent": deal.emails_sent,
        "last_email": "never" if since is None else f"{since:.1f} days ago",
        "replies": "yes" if facts.replied_in_stage else "none",
        "contact": contact_summary(deal.contact),
        "recent_activity": "\n".join(f"- {a.get_activity_type_display()}: {a.description[:80]}" for a in recent)
        or "- none",
        "stages": ", ".join(s.name for s in facts.stages),
    }


def email_variables(deal: Deal, step: SequenceStep | None) -> dict[str, Any]:
    """Variables of the sequence templates and of the email_compose prompt (the workflow guide's context)."""
    contact, brand = deal.contact, deal.pipeline.brand
    sender = brand.from_name or f"The {brand.name} Team"
    variables = {
        # the sequence templates' names
        "first_name": contact.first_name or "there",
        "name": contact.name or contact.first_name or "there",
        "company": contact.company or "your team",
        "website": contact.website or "your website",
        "sender_name": sender,
        "brand_name": brand.name,
        "value_proposition": brand.ai_value_proposition or brand.ai_company_description or "helping businesses grow",
        # the compose prompt's names
        "company_name": brand.name,
        "about_us": brand.ai_company_description.rstrip("."),
        "recipient_name": contact.name or contact.email,
        "recipient_company": contact.company or "unknown",
        "recipient_website": contact.website or "unknown",
        "domain_authority": contact.domain_authority if contact.domain_authority is not None else "unknown",
        "pipeline": deal.pipeline.name,
        "stage": deal.current_stage.name,
        "emails_sent": deal.emails_sent,
        "email_type": email_type(deal.emails_sent),
        "tone": tone(deal.emails_sent, deal.pipeline.pipeline_type),
    }
    # The model sees the step's templates already filled in.
    variables["template_subject"] = fill(step.subject_template, variables) if step else ""
    variables["template_body"] = fill(step.body_template, variables) if step else ""
    return variables


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def fill_email(template: str, variables: dict[str, Any]) -> str:
    """`fill` for an email template: in an HTML template every value is HTML-escaped, so a contact
    named '<a href=...>' stays text; a plain-text template stays plain text (escaped when it is
    turned into HTML for sending)."""
    if is_html(template):
        variables = {name: html.escape(str(value)) for name, value in variables.items()}
    return fill(template, variables)


def fill(template: str, variables: dict[str, Any]) -> str:
    """str.format_map that leaves unknown {names} empty instead of failing on a staff-edited template."""
    try:
        return template.format_map(_Blank(variables))
    except (ValueError, IndexError, AttributeError):  # stray braces in hand-written text
        return template
