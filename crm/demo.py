"""A small, realistic demo data set (`manage.py seed_demo`), loaded once by `make run`.

For each brand: leads and backlink targets with companies and websites, a
deal in every stage of both pipelines, the emails those deals have had (some
opened, some replied), their timelines and the autopilot's decisions. Fixed
random seed, so every newcomer sees the same admin.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from crm.models import (
    ActivityType,
    AIDecisionLog,
    Brand,
    Contact,
    ContactType,
    Deal,
    DealActivity,
    DealStatus,
    DecisionType,
    EmailLog,
    EmailStatus,
    PipelineStage,
)
from crm.services.seed import seed_crm_pipelines

DEMO_SOURCE = "demo"

FIRST_NAMES = [
    "Olivia", "Liam", "Amelia", "Noah", "Isla", "Oliver", "Mia", "Jack", "Charlotte", "William", "Ava",
    "Lucas", "Priya", "Arjun", "Ananya", "Rohan", "Aisha", "Vikram", "Sofia", "Mateo", "Chloé", "Zoë",
]  # fmt: skip
LAST_NAMES = [
    "Smith", "Nguyen", "Williams", "Brown", "Patel", "Sharma", "Wilson", "Taylor", "Kaur", "Singh",
    "Martin", "Anderson", "Thompson", "Walker", "Lee", "García", "Khan", "O'Brien",
]  # fmt: skip
COMPANY_WORDS = [
    ("Harbour", "Dental"), ("Bondi", "Physio"), ("Southern", "Plumbing"), ("Little", "Bakehouse"),
    ("Metro", "Accounting"), ("Coastal", "Realty"), ("Urban", "Fitness"), ("Green", "Landscaping"),
    ("Bright", "Tutoring"), ("Spice", "Kitchen"), ("Saffron", "Sweets"), ("Golden", "Travel"),
    ("Northside", "Legal"), ("Peak", "Electrical"), ("Bluegum", "Vets"), ("Riverside", "Cafe"),
]  # fmt: skip
BLOG_NAMES = [
    "Australian Tech Blog", "Small Business Hub", "Startup Daily Notes", "Marketing Minds", "The SME Journal",
    "Web Dev Weekly", "Local SEO Guide", "Growth Stories", "Desi Business Times", "Founder Playbook",
]  # fmt: skip
REPLIES = [
    "Thanks for reaching out - this sounds interesting. Could we talk on Thursday?",
    "Happy to hear more. What would this cost for a business our size?",
    "Not for us at the moment, thanks.",
    "Sure, send over a topic list and we'll take a look.",
]


@dataclass
class DemoReport:
    contacts: int = 0
    deals: int = 0
    emails: int = 0
    skipped: bool = False


def seed_demo() -> DemoReport:
    """Create the demo data unless it is there already (it is recognised by its source)."""
    if Contact.objects.filter(source=DEMO_SOURCE).exists():
        return DemoReport(skipped=True)
    seed_crm_pipelines()
    rng = random.Random(2026)  # noqa: S311 - demo data, not secrets
    report = DemoReport()
    with transaction.atomic():
        for brand in Brand.objects.order_by("pk"):
            _seed_brand(brand, rng, report)
    return report


def _seed_brand(brand: Brand, rng: random.Random, report: DemoReport) -> None:
    domain = brand.from_email.split("@")[-1]
    for pipeline in brand.pipelines.prefetch_related("stages").order_by("pk"):
        contact_type = ContactType.LEAD if pipeline.pipeline_type == "sales" else ContactType.BACKLINK_TARGET
        for stage in pipeline.stages.all():
            for _ in range(_deals_in(stage, rng)):
                contact = _contact(brand, contact_type, rng, report, domain)
                _deal(contact, stage, rng, report)


def _deals_in(stage: PipelineStage, rng: random.Random) -> int:
    # A funnel: more deals early, fewer late; a few closed either way.
    if stage.is_terminal:
        return rng.randint(1, 3)
    return max(1, 7 - stage.order + rng.randint(0, 2))


def _contact(brand: Brand, contact_type: str, rng: random.Random, report: DemoReport, domain: str) -> Contact:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    if contact_type == ContactType.LEAD:
        a, b = rng.choice(COMPANY_WORDS)
        company = f"{a} {b}"
    else:
        company = rng.choice(BLOG_NAMES)
    slug = company.lower().replace(" ", "").replace("'", "")
    report.contacts += 1
    return Contact.objects.create(
        brand=brand,
        email=f"{first.lower()}.{report.contacts}@{slug}.example",
        name=f"{first} {last}",
        company=company,
        website=f"https://{slug}.example",
        domain_authority=rng.randint(10, 70),
        contact_type=contact_type,
        source=DEMO_SOURCE,
        tags=rng.sample(["local", "retail", "health", "hospitality", "tech", "finance", "media"], 2),
        notes=f"Demo contact for {brand.name}; {domain} is the sender's domain.",
    )


def _deal(contact: Contact, stage: PipelineStage, rng: random.Random, report: DemoReport) -> None:
    now = timezone.now()
    entered = now - timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 23))
    created = entered - timedelta(days=rng.randint(1, 10))
    status = {"won": DealStatus.WON, "lost": DealStatus.LOST}.get(stage.outcome, DealStatus.ACTIVE)
    value = Decimal(rng.randrange(1500, 25000, 500)) if stage.pipeline.pipeline_type == "sales" else Decimal(0)
    emails_sent = min(stage.order - 1, 3)
    deal = Deal.objects.create(
        contact=contact,
        pipeline=stage.pipeline,
        current_stage=stage,
        status=status,
        value=value,
        emails_sent=emails_sent,
        stage_entered_at=entered,
        next_action_date=None if stage.is_terminal else entered + timedelta(days=stage.days_until_followup or 0),
    )
    Deal.objects.filter(pk=deal.pk).update(created_at=created)
    report.deals += 1
    _history(deal, stage, emails_sent, created, rng, report)


def _history(
    deal: Deal,
    stage: PipelineStage,
    emails_sent: int,
    created: datetime,
    rng: random.Random,
    report: DemoReport,
) -> None:
    DealActivity.objects.create(deal=deal, activity_type=ActivityType.CREATED, description="Demo", created_at=created)
    replied_stage = stage.order >= 3
    for number in range(emails_sent):
        sent_at = created + timedelta(days=number * 3 + 1)
        replied = replied_stage and number == emails_sent - 1
        EmailLog.objects.create(
            deal=deal,
            to_email=deal.contact.email,
            subject=f"{'Re: ' if number else ''}A quick idea for {deal.contact.company}",
            body=f"<p>Hi {deal.contact.first_name},</p><p>Demo email {number + 1}.</p>",
            status=EmailStatus.SENT,
            provider="outbox",
            sent_at=sent_at,
            opened=(opened := replied or rng.random() < 0.5),
            opened_at=sent_at + timedelta(hours=3) if opened else None,
            open_count=1 if opened else 0,
            replied=replied,
            replied_at=sent_at + timedelta(hours=20) if replied else None,
            reply_content=rng.choice(REPLIES) if replied else "",
            ai_generated=number > 0,
        )
        DealActivity.objects.create(
            deal=deal,
            activity_type=ActivityType.EMAIL_SENT,
            description=f"Email {number + 1} sent",
            created_at=sent_at,
        )
        report.emails += 1
    if stage.is_terminal:
        return
    AIDecisionLog.objects.create(
        deal=deal,
        decision_type=DecisionType.ANALYZE_DEAL,
        action_taken="wait" if emails_sent else "send_email",
        reasoning=f"In {stage.name} with {emails_sent} email(s) sent; next step: {', '.join(stage.auto_actions)}.",
        model="rules",
    )
