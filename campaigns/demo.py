"""Demo campaigns for `make run`: each brand gets a segment of its leads, an introduction template
and a draft campaign built from both, ready to preview, test and send from the admin."""

from __future__ import annotations

from django.db import transaction

from campaigns.models import Campaign, CampaignSegment, CampaignVariant, EmailTemplate
from crm.models import Brand

DEMO_SEGMENT = "All leads (demo)"
SUBJECT = 'A quick idea for {{ company|default:"your team" }}'
HTML = (
    '<p>Hi {{ first_name|default:"there" }},</p>'
    "<p>We help teams like {% if company %}{{ company }}{% else %}yours{% endif %} get more from their website. "
    '<a href="https://example.com/case-studies">Here are three short case studies</a>.</p>'
    "<p>Worth a chat?</p><p>{{ brand.from_name }}</p>"
)


def seed_campaigns_demo() -> int:
    """Create the demo segment, template and draft campaign of each brand that has none; the
    number of brands seeded."""
    seeded = 0
    with transaction.atomic():
        for brand in Brand.objects.order_by("pk"):
            if CampaignSegment.objects.filter(brand=brand, name=DEMO_SEGMENT).exists():
                continue
            segment = CampaignSegment.objects.create(
                brand=brand, name=DEMO_SEGMENT, filters={"contact_type": "lead"},
                description="Every lead of the brand; made by seed_campaigns_demo.",
            )  # fmt: skip
            template = EmailTemplate.objects.create(
                brand=brand, name="Introduction (demo)", subject=SUBJECT, content_html=HTML
            )
            campaign = Campaign.objects.create(
                brand=brand, name="Introduction (demo)", segment=segment, template=template, subject=SUBJECT,
                content_html=HTML, ab_test_percentage=50, ab_wait_hours=1,
            )  # fmt: skip
            CampaignVariant.objects.create(campaign=campaign, label="A", subject=SUBJECT)
            CampaignVariant.objects.create(
                campaign=campaign, label="B", subject='{{ first_name|default:"Hi" }}, a question'
            )
            seeded += 1
    return seeded
