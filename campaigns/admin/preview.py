"""The live preview of the admin's template and campaign forms: what a contact would receive,
rendered as it is typed, with each field's problems named."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from campaigns.models import CampaignSegment
from campaigns.segments import FilterError, segment_contacts
from campaigns.services import TEST_TOKEN
from campaigns.templating import render, template_problems
from crm.mail.base import sender_name
from crm.mail.content import render as render_message
from crm.models import Brand, Contact

SAMPLE = Contact(email="sam@example.com", name="Sam Sample", first_name="Sam", company="Example Co")


@require_POST
def preview(request: HttpRequest) -> JsonResponse:
    """POST brand, subject, content_html, content_text and optionally segment or contact ->
    {subject, html, text, contact, problems}; an unknown brand is a 400."""
    if not request.user.has_perm("campaigns.view_emailtemplate"):
        return JsonResponse({"error": "You may not preview campaign emails."}, status=403)
    brand = Brand.objects.visible_to(request.user).filter(pk=_id(request.POST.get("brand"))).first()
    if brand is None:
        return JsonResponse({"error": "Choose the brand first."}, status=400)
    fields = {name: request.POST.get(name, "") for name in ("subject", "content_html", "content_text")}
    problems = {name: found for name, source in fields.items() if (found := template_problems(source))}
    contact = _contact(request, brand)
    if problems:
        return JsonResponse({"problems": problems, "contact": str(contact)})
    rendered = render(**fields, contact=contact, brand=brand)
    message = render_message(
        body=rendered.html or rendered.text, tracking_token=TEST_TOKEN, send_key=TEST_TOKEN,
        sender=sender_name(brand), text=rendered.text, track_links=False,
    )  # fmt: skip
    return JsonResponse(
        {
            "subject": rendered.subject,
            "html": message.html,
            "text": message.text,
            "contact": str(contact),
            "problems": {},
        }
    )


def _contact(request: HttpRequest, brand: Brand) -> Contact:
    contacts: Any = Contact.objects.filter(brand=brand)
    if request.POST.get("contact"):
        try:
            found = contacts.filter(pk=uuid.UUID(request.POST["contact"])).first()
        except ValueError:
            found = None
        if found is not None:
            return found
    segment = CampaignSegment.objects.filter(brand=brand, pk=_id(request.POST.get("segment"))).first()
    if segment is not None:
        with contextlib.suppress(FilterError):
            contacts = segment_contacts(segment.filters, brand)
    sample: Any = contacts.order_by("-created_at").first()
    return sample or Contact(brand=brand, **{f: getattr(SAMPLE, f) for f in ("email", "name", "first_name", "company")})


def _id(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0
