"""A small, realistic demo data set (`manage.py seed_demo`), loaded once by `make run`.

For each brand: leads and backlink targets with companies and websites, and
a little over a year of deals in both pipelines (their stage history: wins,
losses, a slow stage, deals still open; at least one deal in every stage), the
emails those deals have had (some opened, some replied), their timelines and
the autopilot's decisions. Fixed random seed, so every newcomer sees the same
admin and the same analytics.
"""

from __future__ import annotations

import random
import unicodedata
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
    DealStageChange,
    DealStatus,
    DecisionType,
    EmailLog,
    EmailStatus,
    PipelineStage,
    StageChangeSource,
)
from crm.services.seed import seed_crm_pipelines
from crm.services.stage_durations import stage_durations_rebuild

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
        stage_durations_rebuild()  # the history was written directly: sum it up as moves would have
    return report


HISTORY_DAYS = 730  # two years of deals: every chart and the forecast's back-test (up to 12 months ahead) has data
HISTORY_DEALS = {"sales": 240, "backlink": 80}
SLOW_STAGE = "Proposal Sent"  # the demo's bottleneck
LOSS_REASONS = [
    "No budget this quarter", "Went with a competitor", "No reply after the follow-ups", "Timing is not right",
    "Chose to build it in-house",
]  # fmt: skip


@dataclass
class Journey:
    """Where a demo deal went: each stage entered and when, the last one being where it is now."""

    created: datetime
    steps: list[tuple[PipelineStage, datetime]]
    reason: str = ""


def _seed_brand(brand: Brand, rng: random.Random, report: DemoReport) -> None:
    domain = brand.from_email.split("@")[-1]
    now = timezone.now()
    for pipeline in brand.pipelines.prefetch_related("stages").order_by("pk"):
        contact_type = ContactType.LEAD if pipeline.pipeline_type == "sales" else ContactType.BACKLINK_TARGET
        stages = list(pipeline.stages.all())
        journeys = [_journey(stages, rng, now) for _ in range(HISTORY_DEALS.get(pipeline.pipeline_type, 50))]
        for stage in stages:  # every stage shows at least one deal
            if not any(j.steps[-1][0] == stage for j in journeys):
                journeys.append(_journey(stages, rng, now, ending_in=stage))
        for journey in journeys:
            contact = _contact(brand, contact_type, rng, report, domain, journey.created)
            _deal(contact, journey, rng, report)


def _journey(
    stages: list[PipelineStage], rng: random.Random, now: datetime, ending_in: PipelineStage | None = None
) -> Journey:
    """A deal's way through the pipeline: more deals lately (the agency grows), a few days in
    each stage (longer in the slow one), lost now and then, won at the end; open if it is not over."""
    opened = [s for s in stages if not s.is_terminal]
    won = next(s for s in stages if s.outcome == "won")
    lost = next(s for s in stages if s.outcome == "lost")
    if ending_in is not None:
        created = now - timedelta(days=rng.uniform(8, 30))
        path = opened[: opened.index(ending_in) + 1] if ending_in in opened else [*opened, ending_in]
        step = (now - created) / (len(path) + 1)
        return Journey(created, [(stage, created + step * i) for i, stage in enumerate(path)], "Timing is not right")
    created = now - timedelta(days=HISTORY_DAYS * (1 - rng.random() ** 0.5))
    steps, at = [(opened[0], created)], created
    for index, stage in enumerate(opened):
        mean = max(2, stage.days_until_followup or 2) * (4 if stage.name == SLOW_STAGE else 1.5)
        at += timedelta(days=1 + rng.expovariate(1 / mean))
        if at > now:
            break
        if index and rng.random() < 0.18:
            return Journey(created, [*steps, (lost, at)], rng.choice(LOSS_REASONS))
        steps.append((opened[index + 1] if index + 1 < len(opened) else won, at))
    return Journey(created, steps)


def ascii_local_part(name: str) -> str:
    """ "Zoë" -> "zoe": the part before the @ stays ASCII, as every entry point (the import, the API,
    the admin: Django's EmailValidator) requires; the domain may be internationalised ("müller")."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def _contact(
    brand: Brand, contact_type: str, rng: random.Random, report: DemoReport, domain: str, created: datetime
) -> Contact:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    if contact_type == ContactType.LEAD:
        a, b = rng.choice(COMPANY_WORDS)
        company = f"{a} {b}"
    else:
        company = rng.choice(BLOG_NAMES)
    slug = company.lower().replace(" ", "").replace("'", "")
    report.contacts += 1
    contact = Contact.objects.create(
        brand=brand,
        email=f"{ascii_local_part(first)}.{report.contacts}@{slug}.example",
        name=f"{first} {last}",
        company=company,
        website=f"https://{slug}.example",
        domain_authority=rng.randint(10, 70),
        contact_type=contact_type,
        source=DEMO_SOURCE,
        tags=rng.sample(["local", "retail", "health", "hospitality", "tech", "finance", "media"], 2),
        notes=f"Demo contact for {brand.name}; {domain} is the sender's domain.",
    )
    Contact.objects.filter(pk=contact.pk).update(created_at=created)
    return contact


def _deal(contact: Contact, journey: Journey, rng: random.Random, report: DemoReport) -> None:
    stage, entered = journey.steps[-1]
    status = {"won": DealStatus.WON, "lost": DealStatus.LOST}.get(stage.outcome, DealStatus.ACTIVE)
    value = Decimal(rng.randrange(1500, 25000, 500)) if stage.pipeline.pipeline_type == "sales" else Decimal(0)
    emails_sent = min(len(journey.steps) - 1, 3)
    deal = Deal.objects.create(
        contact=contact,
        pipeline=stage.pipeline,
        current_stage=stage,
        status=status,
        value=value,
        emails_sent=emails_sent,
        stage_entered_at=entered,
        closed_at=entered if stage.is_terminal else None,
        next_action_date=None if stage.is_terminal else entered + timedelta(days=stage.days_until_followup or 0),
    )
    Deal.objects.filter(pk=deal.pk).update(created_at=journey.created)
    report.deals += 1
    _stage_history(deal, journey)
    _history(deal, stage, emails_sent, journey.created, rng, report)


def _stage_history(deal: Deal, journey: Journey) -> None:
    rows, activities = [], []
    for index, (stage, entered) in enumerate(journey.steps):
        previous = journey.steps[index - 1][0] if index else None
        following = journey.steps[index + 1][1] if index + 1 < len(journey.steps) else None
        reason = journey.reason if stage.outcome == "lost" else ""
        rows.append(
            DealStageChange(
                deal=deal, pipeline_id=deal.pipeline_id, from_stage=previous, to_stage=stage, changed_at=entered,
                left_at=following, source=StageChangeSource.DEMO if previous else StageChangeSource.CREATED,
                reason=reason,
            )
        )  # fmt: skip
        if previous is not None:
            activities.append(
                DealActivity(
                    deal=deal, activity_type=ActivityType.STAGE_CHANGED, created_at=entered,
                    description=f"{previous.name} → {stage.name}" + (f": {reason}" if reason else ""),
                    metadata={"from_stage": previous.pk, "to_stage": stage.pk, "source": "demo", "reason": reason},
                )
            )  # fmt: skip
    DealStageChange.objects.bulk_create(rows)
    DealActivity.objects.bulk_create(activities)


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
