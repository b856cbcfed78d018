"""Leads from a brand's website: a chat's lead or a contact form's inquiry becomes (or updates)
the brand's contact, deduplicated by email, and an inquiry opens a deal in the brand's sales
pipeline's first stage, which the autopilot then works. Posting the same inquiry twice at once
still gives one contact and one deal (the database's unique rows decide, not a prior read)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from crm.errors import DealError
from crm.models import Brand, Contact, ContactType, Deal, Pipeline, PipelineType, normalize_email
from crm.models.brands import origin_of
from crm.services.deals import deal_create
from hub.errors import HubError
from hub.models import ChatLead, ContactInquiry

SOURCE_CHAT = "chatbot"
SOURCE_FORM = "website"


def brand_by_key(key: str) -> Brand | None:
    if not key or len(key) > 60:
        return None
    return Brand.objects.filter(publishable_key=key, is_active=True).first()


def origin_allowed(brand: Brand, origin: str) -> bool:
    """A browser's post comes from one of the brand's site origins (no Origin header: not a
    browser, e.g. the site's own server)."""
    if not origin:
        return True
    return origin_of(origin) in {origin_of(allowed) for allowed in brand.site_origins}


def any_brand_allows(origin: str) -> bool:
    """For a CORS preflight, which carries no key: is this origin any brand's site?"""
    wanted = origin_of(origin)
    if not wanted:
        return False
    return any(
        wanted in {origin_of(allowed) for allowed in origins}
        for origins in Brand.objects.filter(is_active=True).values_list("site_origins", flat=True)
    )


@dataclass(frozen=True)
class Lead:
    name: str
    email: str
    company: str = ""


def _contact(brand: Brand, lead: Lead, source: str) -> Contact:
    """The brand's contact for this email: made as a lead from `source`, or given what it lacked."""
    email = normalize_email(lead.email)
    new = {"name": lead.name[:200], "company": lead.company[:200], "source": source, "contact_type": ContactType.LEAD}
    contact, created = Contact.objects.get_or_create(brand=brand, email=email, defaults=new)
    if not created:
        changed = {}
        if lead.name and not contact.name:
            changed["name"] = lead.name[:200]
        if lead.company and not contact.company:
            changed["company"] = lead.company[:200]
        if changed:
            for field, value in changed.items():
                setattr(contact, field, value)
            contact.save()  # update_fields would skip first_name, which save derives from the name
    return contact


def sales_pipeline(brand: Brand) -> Pipeline:
    pipelines = Pipeline.objects.filter(brand=brand, pipeline_type=PipelineType.SALES, is_active=True)
    pipeline = pipelines.order_by("pk").first()
    if pipeline is None or pipeline.first_stage() is None:
        raise HubError(f"{brand.name} has no sales pipeline with stages to put inquiries in.", field="brand")
    return pipeline


def chat_lead_capture(*, brand: Brand, lead: Lead, transcript: str, origin: str, ip: str | None) -> ChatLead:
    with transaction.atomic():
        contact = _contact(brand, lead, SOURCE_CHAT)
        return ChatLead.objects.create(
            brand=brand, name=lead.name[:200], email=contact.email, company=lead.company[:200], contact=contact,
            transcript=transcript, origin=origin[:200], ip_address=ip,
        )  # fmt: skip


def inquiry_capture(
    *, brand: Brand, lead: Lead, phone: str, message: str, service: str, origin: str, ip: str | None
) -> ContactInquiry:
    """The inquiry kept, its contact made or updated, and a deal opened in the sales pipeline's
    first stage unless the contact already has one open there."""
    pipeline = sales_pipeline(brand)
    with transaction.atomic():
        contact = _contact(brand, lead, SOURCE_FORM)
        deal = _open_deal(contact, pipeline)
        return ContactInquiry.objects.create(
            brand=brand, name=lead.name[:200], email=contact.email, company=lead.company[:200], contact=contact,
            phone=phone, message=message, service=service[:120], deal=deal, origin=origin[:200], ip_address=ip,
        )  # fmt: skip


def _open_deal(contact: Contact, pipeline: Pipeline) -> Deal:
    existing = Deal.objects.open().filter(contact=contact, pipeline=pipeline).first()
    if existing is not None:
        return existing
    try:
        return deal_create(contact=contact, pipeline=pipeline)
    except DealError:  # a twin post opened it a moment ago (one open deal per contact and pipeline)
        return Deal.objects.open().get(contact=contact, pipeline=pipeline)


def lead_fields(data: dict[str, Any]) -> Lead:
    return Lead(name=data.get("name", ""), email=data["email"], company=data.get("company", ""))
