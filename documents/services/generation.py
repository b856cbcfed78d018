"""A document template filled for a contact or a deal and written as a PDF, kept as a new document.

The template language is lib.templating's (as campaign emails): the variables below, a few
filters and `{% if %}`, checked when the template is saved; the context holds plain strings only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from fpdf import FPDF

from crm.models import Contact, Deal
from documents.errors import DocumentError
from documents.models import Document, DocumentTemplate
from documents.services.documents import document_create
from documents.services.files import file_check
from lib.templating import TemplateRules, render_text

CONTACT = {"name": "full name", "first_name": "first name", "company": "company", "email": "email address"}
CONTACT |= {"website": "website"}
DEAL = {"value": "value", "stage": "current stage", "pipeline": "pipeline", "status": "status"}
BRAND = {"name": "the brand's name", "from_name": "the sender's name"}
RULES = TemplateRules({"contact": CONTACT, "deal": DEAL, "brand": BRAND, "today": "today's date"})
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # fonts-dejavu-core; else Helvetica


def template_check(*, title: str, body: str) -> None:
    """Raise lib.templating.TemplateProblem naming the field that breaks the rules."""
    RULES.check(title=title, body=body)


def context_for(*, contact: Contact, deal: Deal | None) -> dict[str, Any]:
    brand = contact.brand
    return {
        "contact": {
            "name": contact.name, "first_name": contact.greeting_name,
            "company": contact.company, "email": contact.email, "website": contact.website,
        },
        "deal": {
            "value": f"{deal.value:,.2f}", "stage": deal.current_stage.name, "pipeline": deal.pipeline.name,
            "status": deal.get_status_display(),
        } if deal else dict.fromkeys(DEAL, ""),
        "brand": {"name": brand.name, "from_name": brand.from_name or brand.name},
        "today": timezone.localdate().strftime("%d %B %Y"),
    }  # fmt: skip


def pdf_bytes(*, title: str, body: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    if FONT.exists():
        pdf.add_font("Body", fname=str(FONT))
        family = "Body"
    else:
        family = "Helvetica"
        title, body = (part.encode("latin-1", "replace").decode("latin-1") for part in (title, body))
    pdf.set_font(family, size=18)
    pdf.multi_cell(0, 10, title)
    pdf.ln(4)
    pdf.set_font(family, size=11)
    for paragraph in body.split("\n\n"):
        pdf.multi_cell(0, 6, paragraph.strip())
        pdf.ln(3)
    return bytes(pdf.output())


def document_generate(
    *,
    template: DocumentTemplate,
    user: User | None,
    contact: Contact | None = None,
    deal: Deal | None = None,
    name: str = "",
) -> Document:
    """The template filled for the deal (and its contact) or the contact, as a new PDF document."""
    if deal is not None:
        contact = deal.contact
    if contact is None:
        raise DocumentError("give a contact or a deal", field="contact")
    if contact.brand_id != template.brand_id:
        raise DocumentError("the contact belongs to another brand than the template", field="contact")
    context = context_for(contact=contact, deal=deal)
    title = " ".join(render_text(template.title, context).split())
    content = pdf_bytes(title=title, body=render_text(template.body, context))
    checked = file_check([content], f"{name or title}.pdf")
    return document_create(
        checked=checked, name=name or title, owner=user, brand=template.brand, category=template.category,
        access_level=template.access_level, contact=contact, deal=deal, note=f"generated from {template.name}",
    )  # fmt: skip
