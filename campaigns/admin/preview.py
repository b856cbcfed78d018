"""The live preview of the admin's template and campaign forms: what a contact would receive,
rendered as it is typed, with each field's problems named."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from campaigns.models import CampaignSegment
from campaigns.services import message_preview, sample_contact
from campaigns.templating import template_problems
from crm.models import Brand, Contact


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
    subject, message = message_preview(
        brand=brand,
        subject=fields["subject"],
        html=fields["content_html"],
        text=fields["content_text"],
        contact=contact,
    )
    return JsonResponse(
        {"subject": subject, "html": message.html, "text": message.text, "contact": str(contact), "problems": {}}
    )


def _contact(request: HttpRequest, brand: Brand) -> Contact:
    if request.POST.get("contact"):
        try:
            found = Contact.objects.filter(brand=brand, pk=uuid.UUID(request.POST["contact"])).first()
        except ValueError:
            found = None
        if found is not None:
            return found
    segment = CampaignSegment.objects.filter(brand=brand, pk=_id(request.POST.get("segment"))).first()
    return sample_contact(brand, segment)


def _id(value: str | None) -> int:
    return int(value) if value and value.isascii() and value.isdecimal() and len(value) < 10 else 0
