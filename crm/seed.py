"""The default brands, pipelines, email sequences and AI prompts (`manage.py seed_crm_pipelines`).

Stages, actions and follow-up days follow the implementation plan and the
workflow guide; sequence steps follow the guide's email-type table
(introduction, gentle reminder, different angle, shorter and softer).
Templates use {variables}: first_name, name, company, website, sender_name,
brand_name, value_proposition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class StageSpec:
    name: str
    actions: tuple[str, ...] = ()
    days: int | None = None
    outcome: str = ""  # "won" or "lost" makes the stage terminal


@dataclass(frozen=True)
class StepSpec:
    delay_days: int
    subject: str
    body: str


@dataclass(frozen=True)
class PipelineSpec:
    slug: str
    name: str
    pipeline_type: str
    description: str
    stages: tuple[StageSpec, ...]
    sequence_name: str
    steps: tuple[StepSpec, ...] = field(default=())


BRANDS: list[dict[str, Any]] = [
    {
        "slug": "codeteki",
        "name": "Codeteki",
        "from_email": "sales@codeteki.au",
        "from_name": "The Codeteki Team",
        "zoho_api_domain": "zoho.com.au",
        "timezone": "Australia/Sydney",
        "ai_company_description": (
            "Codeteki is a Sydney digital agency that builds AI assistants, websites and web "
            "applications for small and medium businesses."
        ),
        "ai_value_proposition": (
            "helping businesses win more customers with fast websites and AI that answers enquiries around the clock"
        ),
    },
    {
        "slug": "desi-firms",
        "name": "Desi Firms",
        "from_email": "sales@desifirms.com.au",
        "from_name": "The Desi Firms Team",
        "zoho_api_domain": "zoho.com",
        "timezone": "America/New_York",
        "ai_company_description": (
            "Desi Firms is a business directory and marketplace connecting South Asian businesses "
            "with their communities."
        ),
        "ai_value_proposition": "putting your business in front of thousands of customers who are looking for it",
    },
]

SALES_STEPS = (
    StepSpec(
        0,
        "A quick idea for {company}",
        "Hi {first_name},\n\nI'm reaching out from {brand_name}. We specialise in {value_proposition}, "
        "and I had a look at {website}; I think there is a quick win for {company}.\n\n"
        "Would a 15-minute call next week be useful?\n\nBest regards,\n{sender_name}",
    ),
    StepSpec(
        3,
        "Re: A quick idea for {company}",
        "Hi {first_name},\n\nJust bringing my note back to the top of your inbox in case it got buried. "
        "Happy to share a couple of examples of what we have done for businesses like {company}.\n\n"
        "Best,\n{sender_name}",
    ),
    StepSpec(
        4,
        "What other businesses like {company} are doing",
        "Hi {first_name},\n\nA different angle: most of our clients came to us because enquiries were "
        "slipping through outside office hours. If that sounds familiar, I can show you how others fixed "
        "it in a week.\n\nBest,\n{sender_name}",
    ),
    StepSpec(
        7,
        "Should I close the file?",
        "Hi {first_name},\n\nI won't keep writing. If now is not the right time, no problem at all; "
        "just reply and I will check back later in the year.\n\nAll the best,\n{sender_name}",
    ),
)

BACKLINK_STEPS = (
    StepSpec(
        0,
        "Collaboration idea for {company}",
        "Hi {first_name},\n\nI'm reaching out from {brand_name}. We admire the work you're doing at "
        "{company} and believe there's a great opportunity for us to collaborate.\n\n"
        "We'd love to explore contributing a guest post that could benefit both our audiences.\n\n"
        "Best regards,\n{sender_name}",
    ),
    StepSpec(
        5,
        "Re: Collaboration idea for {company}",
        "Hi {first_name},\n\nFollowing up on my note about a guest post for {website}. I'm happy to "
        "suggest three topics that fit your readers.\n\nBest,\n{sender_name}",
    ),
    StepSpec(
        7,
        "A resource your readers might like",
        "Hi {first_name},\n\nAnother idea: we have a practical guide your audience may find useful, "
        "and we would gladly share our readers with yours in return.\n\nBest,\n{sender_name}",
    ),
    StepSpec(
        7,
        "Last note from {brand_name}",
        "Hi {first_name},\n\nI'll leave it here. If a collaboration ever makes sense, just reply.\n\n"
        "Thanks,\n{sender_name}",
    ),
)

PIPELINES = (
    PipelineSpec(
        slug="sales",
        name="Sales Pipeline",
        pipeline_type="sales",
        description="New leads to won customers, worked by the autopilot.",
        stages=(
            StageSpec("New Lead", ("send_initial_email",), 0),
            StageSpec("Contacted", ("wait_for_reply",), 3),
            StageSpec("Engaged", ("schedule_call",), 2),
            StageSpec("Qualified", ("prepare_proposal",), 3),
            StageSpec("Proposal Sent", ("send_followup",), 3),
            StageSpec("Negotiation", ("ai_monitor",), 5),
            StageSpec("Won", ("send_welcome",), None, "won"),
            StageSpec("Lost", ("archive",), None, "lost"),
        ),
        sequence_name="Sales outreach",
        steps=SALES_STEPS,
    ),
    PipelineSpec(
        slug="backlink",
        name="Backlink Outreach",
        pipeline_type="backlink",
        description="Sites that could link to our content, from prospect to verified link.",
        stages=(
            StageSpec("Prospect", ("research_contact",), 0),
            StageSpec("Researching", ("send_pitch",), 0),
            StageSpec("Initial Outreach", ("wait_for_reply",), 5),
            StageSpec("Follow Up 1", ("send_followup_1",), 5),
            StageSpec("Follow Up 2", ("send_followup_2",), 7),
            StageSpec("Interested", ("classify_response",), 0),
            StageSpec("Link Placed", ("verify_link",), 7),
            StageSpec("Verified", (), None, "won"),
            StageSpec("Rejected", ("archive",), None, "lost"),
        ),
        sequence_name="Backlink outreach",
        steps=BACKLINK_STEPS,
    ),
)

PROMPTS: list[dict[str, Any]] = [
    {
        "name": "Default deal analysis",
        "prompt_type": "deal_analyze",
        "variables": [
            "pipeline",
            "pipeline_type",
            "stage",
            "stage_actions",
            "days_in_stage",
            "days_until_followup",
            "emails_sent",
            "last_email",
            "replies",
            "contact",
            "recent_activity",
        ],
        "prompt_text": (
            "You run the sales autopilot of a small agency. Decide the next action for one deal.\n\n"
            "Pipeline: {pipeline} ({pipeline_type}). Stage: {stage}; the stage's actions: {stage_actions}.\n"
            "Days in stage: {days_in_stage}; follow-up after {days_until_followup} days.\n"
            "Emails sent: {emails_sent}. Last email: {last_email}. Replies: {replies}.\n"
            "Contact: {contact}\nRecent activity:\n{recent_activity}\n\n"
            'Answer with JSON: {{"action": "send_email" | "move_stage" | "wait" | "flag_for_review", '
            '"reasoning": "<one or two sentences>", "metadata": {{"target_stage": "<stage name, for '
            'move_stage>", "email_type": "<initial|followup>", "wait_days": <int>}}}}.'
        ),
    },
    {
        "name": "Default email composer",
        "prompt_type": "email_compose",
        "variables": [
            "sender_name",
            "company_name",
            "about_us",
            "value_proposition",
            "recipient_name",
            "recipient_company",
            "recipient_website",
            "domain_authority",
            "pipeline",
            "stage",
            "emails_sent",
            "email_type",
            "tone",
            "template_subject",
            "template_body",
        ],
        "prompt_text": (
            "Write one short, personal outreach email. Plain words, no hype, under 130 words.\n\n"
            "SENDER: {sender_name} at {company_name}. About us: {about_us}. Value: {value_proposition}.\n"
            "RECIPIENT: {recipient_name} at {recipient_company} ({recipient_website}); domain authority "
            "{domain_authority}.\nCAMPAIGN: pipeline {pipeline}, stage {stage}, emails already sent "
            "{emails_sent}. This is the {email_type}; tone: {tone}.\n"
            "Start from this template and keep its intent:\nSubject: {template_subject}\n{template_body}\n\n"
            'Answer with JSON: {{"subject": "...", "body": "..."}} (body in plain text, paragraphs '
            "separated by blank lines, signed by the sender)."
        ),
    },
    {
        "name": "Default reply classifier",
        "prompt_type": "reply_classify",
        "variables": ["reply"],
        "prompt_text": (
            "Classify this reply to a sales or outreach email.\n\nReply:\n{reply}\n\n"
            'Answer with JSON: {{"sentiment": "positive" | "negative" | "neutral", "intent": "interested" | '
            '"not_interested" | "question" | "out_of_office" | "unsubscribe" | "referral" | "bounce" | "unclear", '
            '"suggested_action": "<what a salesperson should do next>", "confidence": <0 to 1>}}.\n'
            "referral: they point to someone else; bounce: the address is dead or the message was not "
            "delivered; unclear: you cannot tell (a person will read it)."
        ),
    },
    {
        "name": "Default backlink pitch angle",
        "prompt_type": "backlink_pitch",
        "variables": [
            "brand",
            "value_proposition",
            "site",
            "target_url",
            "domain_authority",
            "our_content_url",
            "our_content_title",
            "contact",
        ],
        "prompt_text": (
            "{brand} ({value_proposition}) wants a link from {site} (domain authority {domain_authority}; "
            "page {target_url}) to its page {our_content_url} ({our_content_title}). Contact: {contact}.\n\n"
            "Write the pitch angle: two or three sentences on why {site}'s readers gain from the link and what "
            "{brand} offers in return, and the anchor text to suggest (a few words, not keyword-stuffed).\n"
            'Answer with JSON: {{"angle": "...", "anchor_text": "..."}}.'
        ),
    },
    {
        "name": "Default lead scoring",
        "prompt_type": "lead_score",
        "variables": ["contact", "engagement"],
        "prompt_text": (
            "Score this lead from 0 (no fit) to 100 (ideal) for a small digital agency.\n\n"
            "Contact: {contact}\nEngagement so far: {engagement}\n\n"
            'Answer with JSON: {{"score": <0-100>, "reasoning": "<one sentence>"}}.'
        ),
    },
]
