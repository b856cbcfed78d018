"""Campaign templates: Django's template language, cut down to what an email needs.

A template may use the variables in VARIABLES (`{{ first_name }}`, `{{ brand.name }}`), the
filters in FILTERS (`{{ first_name|default:"there" }}`) and `{% if %}` blocks; anything else
(another variable, an attribute of one, `{% include %}`, `{% load %}`, `{% url %}`...) is refused
when the template is saved, with its name. Rendering gets a context of plain strings only, so
nothing outside it is reachable. The HTML body is autoescaped; the subject and text body are not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, Node, VariableNode
from django.template.defaulttags import IfNode

from crm.models import Brand, Contact

# name -> what it is (shown in the admin and the API docs); `brand` has attributes of its own.
VARIABLES: dict[str, str] = {
    "first_name": "the contact's first name",
    "name": "the contact's full name",
    "company": "the contact's company",
    "email": "the contact's email address",
    "website": "the contact's website",
}
BRAND_ATTRIBUTES: dict[str, str] = {"name": "the brand's name", "from_name": "the sender's name"}
FILTERS = frozenset({"default", "upper", "lower", "title", "capfirst"})

ENGINE = Engine(builtins=["django.template.defaultfilters", "django.template.defaulttags"], autoescape=True)
TEXT_ENGINE = ENGINE  # the subject and text body render with a context that does not escape


class TemplateProblem(ValueError):
    """What is wrong with a template, naming the variable, filter or tag."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


def template_problems(source: str) -> list[str]:
    """Why `source` cannot be a campaign template ([] when it can)."""
    try:
        template = ENGINE.from_string(source)
    except TemplateSyntaxError as exc:
        return [f"the template does not parse: {exc}"]
    problems: list[str] = []
    for node in _nodes(template.nodelist):
        if isinstance(node, VariableNode):
            problems.extend(_expression_problems(node.filter_expression))
        elif isinstance(node, IfNode):
            for condition, _ in node.conditions_nodelists:
                problems.extend(_condition_problems(condition))
        elif type(node).__name__ not in ("TextNode", "IfNode"):
            problems.append(f"the tag {node.token.contents.split()[0]!r} is not allowed" if node.token else "a tag")
    return list(dict.fromkeys(problems))


def _nodes(nodelist: Any) -> Iterator[Node]:
    for node in nodelist:
        yield node
        for attr in getattr(node, "child_nodelists", ()):
            yield from _nodes(getattr(node, attr, None) or [])
        if isinstance(node, IfNode):
            for _, inner in node.conditions_nodelists:
                yield from _nodes(inner)


def _expression_problems(expression: FilterExpression) -> list[str]:
    problems = []
    variable = expression.var
    lookups = getattr(variable, "lookups", None)
    if lookups is not None:
        problems.extend(_lookup_problems(lookups))
    for function, _ in expression.filters:
        name = getattr(function, "_filter_name", function.__name__)
        if name not in FILTERS:
            problems.append(f"the filter {name!r} is not allowed (use {', '.join(sorted(FILTERS))})")
    return problems


def _lookup_problems(lookups: tuple[str, ...]) -> list[str]:
    name = ".".join(lookups)
    if lookups[0] == "brand":
        if len(lookups) == 2 and lookups[1] in BRAND_ATTRIBUTES:
            return []
        return [f"unknown variable {name!r} (brand has {', '.join(sorted(BRAND_ATTRIBUTES))})"]
    if len(lookups) == 1 and lookups[0] in VARIABLES:
        return []
    known = [*VARIABLES, *(f"brand.{attribute}" for attribute in BRAND_ATTRIBUTES)]
    return [f"unknown variable {name!r} (known: {', '.join(known)})"]


def _condition_problems(condition: Any) -> list[str]:
    if condition is None:
        return []
    if hasattr(condition, "value") and isinstance(condition.value, FilterExpression):
        return _expression_problems(condition.value)
    problems = []
    for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
        if part is not None:
            problems.extend(_condition_problems(part))
    return problems


def template_check(**sources: str) -> None:
    """Raise TemplateProblem naming the first field whose source is not a campaign template."""
    for field, source in sources.items():
        problems = template_problems(source or "")
        if problems:
            raise TemplateProblem(f"{field}: {'; '.join(problems)}")


def context_for(contact: Contact, brand: Brand) -> dict[str, Any]:
    """Plain strings only: a template reaches nothing else."""
    first = (contact.first_name or (contact.name.split()[0] if contact.name.strip() else "")).strip()
    return {
        "first_name": first,
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
