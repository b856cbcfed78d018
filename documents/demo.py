"""Demo documents for `make run`: each brand gets a proposal template and, on one of its open
deals, a contract made from it (version 1) and amended (version 2), with a comment; a worker reads
their text, so search, versions, thumbnails and share links have something to show."""

from __future__ import annotations

from django.db import transaction

from crm.models import Brand, Deal
from documents.models import AccessLevel, Category, DocumentComment, DocumentTemplate
from documents.services.documents import document_version_create
from documents.services.files import file_check
from documents.services.generation import document_generate, pdf_bytes

TEMPLATE = "Proposal (demo)"
BODY = """Dear {{ contact.first_name }},

Thank you for your time. {{ brand.name }} proposes a website care plan for {{ contact.company }}: \
monthly maintenance, hosting and a quarterly report, for {{ deal.value }} a year.

The plan runs for twelve months from {{ today }} and renews unless either side gives thirty days' notice.

Kind regards,
{{ brand.from_name }}"""


def seed_documents_demo() -> int:
    """The template and the contract of each brand that has none; the number of brands seeded."""
    seeded = 0
    for brand in Brand.objects.order_by("pk"):
        if DocumentTemplate.objects.filter(brand=brand, name=TEMPLATE).exists():
            continue
        with transaction.atomic():
            template = DocumentTemplate.objects.create(
                brand=brand, name=TEMPLATE, category=Category.PROPOSAL, title="Website care for {{ contact.company }}",
                body=BODY, access_level=AccessLevel.INTERNAL,
            )  # fmt: skip
            deal = (
                Deal.objects.filter(pipeline__brand=brand)
                .open()
                .select_related("contact")
                .order_by("created_at")
                .first()
            )
            if deal is not None:
                document = document_generate(template=template, user=None, deal=deal)
                amended = pdf_bytes(title=document.name, body=f"Amended: invoiced quarterly.\n\n{BODY}")
                document_version_create(
                    document=document, checked=file_check([amended], "contract.pdf"), author=None,
                    note="invoiced quarterly instead of yearly",
                )  # fmt: skip
                DocumentComment.objects.create(document=document, body="Client asked for quarterly invoices (demo).")
        seeded += 1
    return seeded
