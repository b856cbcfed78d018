"""Campaign templates: Django's template language, cut down to what an email needs.

The rules are lib.templating's. A template may use the variables in VARIABLES (`{{ first_name }}`,
`{{ brand.name }}`), the filters in FILTERS (`{{ first_name|default:"there" }}`) and `{% if %}` blocks; anything else
(another variable, an attribute of one, `{% include %}`, `{% load %}`, `{% url %}`...) is refused
when the template is saved, with its name. Rendering gets a context of plain strings only, so
nothing outside it is reachable. The HTML body is autoescaped; the subject and text body are not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template import Context

from crm.models import Brand, Contact
from lib.templating import ENGINE, FILTERS, TemplateProblem, TemplateRules

__all__ = ["ENGINE", "FILTERS", "TemplateProblem", "render", "template_check", "template_problems"]

# name -> what it is (shown in the admin and the API docs); `brand` has attributes of its own.
VARIABLES: dict[str, str] = {
    "first_name": "the contact's first name",
    "name": "the contact's full name",
    "company": "the contact's company",
    "email": "the contact's email address",
    "website": "the contact's website",
}
BRAND_ATTRIBUTES: dict[str, str] = {"name": "the brand's name", "from_name": "the sender's name"}
RULES = TemplateRules({**VARIABLES, "brand": BRAND_ATTRIBUTES})
TEXT_ENGINE = ENGINE  # the subject and text body render with a context that does not escape


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


def template_problems(source: str) -> list[str]:
    """Why `source` cannot be a campaign template ([] when it can)."""
    return RULES.problems(source)


def template_check(**sources: str) -> None:
    """Raise TemplateProblem naming the first field whose source is not a campaign template."""
    RULES.check(**sources)


def context_for(contact: Contact, brand: Brand) -> dict[str, Any]:
    """Plain strings only: a template reaches nothing else."""
    return {
        "first_name": contact.greeting_name,
        "name": contact.name,
        "company": contact.company,
        "email": contact.email,
        "website": contact.website,
        "brand": {"name": brand.name, "from_name": brand.from_name or brand.name},
    }


def render(*, subject: str, content_html: str, content_text: str, contact: Contact, brand: Brand) -> Rendered:
    context = context_for(contact, brand)
    html = ENGINE.from_string(content_html).render(Context(context)) if content_html else ""
    text = TEXT_ENGINE.from_string(content_text).render(Context(context, autoescape=False)) if content_text else ""
    subject_out = TEXT_ENGINE.from_string(subject).render(Context(context, autoescape=False))
    return Rendered(" ".join(subject_out.split()), html, text)
