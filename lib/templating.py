"""Django's template language cut down to named variables, a few filters and `{% if %}`.

`TemplateRules(variables)` checks a source when it is saved: any other variable, an attribute of
one, `{% include %}`, `{% load %}`, `{% url %}`... is refused with its name. Rendering gets a
context of plain strings only (dicts of strings for `brand.name`-style variables), so nothing
outside it is reachable. Used by campaign emails and document templates.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, Node, VariableNode
from django.template.defaulttags import IfNode

FILTERS = frozenset({"default", "upper", "lower", "title", "capfirst"})
ENGINE = Engine(builtins=["django.template.defaultfilters", "django.template.defaulttags"], autoescape=True)

# name -> what it is, or name -> {attribute -> what it is} for an object such as `brand`.
Variables = Mapping[str, "str | Mapping[str, str]"]


class TemplateProblem(ValueError):
    """What is wrong with a template, naming the variable, filter or tag."""


@dataclass(frozen=True)
class TemplateRules:
    variables: Variables

    def known(self) -> list[str]:
        names: list[str] = []
        for name, what in self.variables.items():
            names.extend([name] if isinstance(what, str) else [f"{name}.{attribute}" for attribute in what])
        return names

    def problems(self, source: str) -> list[str]:
        """Why `source` cannot be a template under these rules ([] when it can)."""
        try:
            template = ENGINE.from_string(source)
        except TemplateSyntaxError as exc:
            return [f"the template does not parse: {exc}"]
        problems: list[str] = []
        for node in _nodes(template.nodelist):
            if isinstance(node, VariableNode):
                problems.extend(self._expression_problems(node.filter_expression))
            elif isinstance(node, IfNode):
                for condition, _ in node.conditions_nodelists:
                    problems.extend(self._condition_problems(condition))
            elif type(node).__name__ not in ("TextNode", "IfNode"):
                problems.append(f"the tag {node.token.contents.split()[0]!r} is not allowed" if node.token else "a tag")
        return list(dict.fromkeys(problems))

    def check(self, **sources: str) -> None:
        """Raise TemplateProblem naming the first field whose source breaks the rules."""
        for field, source in sources.items():
            problems = self.problems(source or "")
            if problems:
                raise TemplateProblem(f"{field}: {'; '.join(problems)}")

    def _expression_problems(self, expression: FilterExpression) -> list[str]:
        problems = []
        lookups = getattr(expression.var, "lookups", None)
        if lookups is not None:
            problems.extend(self._lookup_problems(lookups))
        for function, _ in expression.filters:
            name = getattr(function, "_filter_name", function.__name__)
            if name not in FILTERS:
                problems.append(f"the filter {name!r} is not allowed (use {', '.join(sorted(FILTERS))})")
        return problems

    def _lookup_problems(self, lookups: tuple[str, ...]) -> list[str]:
        name = ".".join(lookups)
        what = self.variables.get(lookups[0])
        if isinstance(what, str) and len(lookups) == 1:
            return []
        if what is not None and not isinstance(what, str):
            if len(lookups) == 2 and lookups[1] in what:
                return []
            return [f"unknown variable {name!r} ({lookups[0]} has {', '.join(sorted(what))})"]
        return [f"unknown variable {name!r} (known: {', '.join(self.known())})"]

    def _condition_problems(self, condition: Any) -> list[str]:
        if condition is None:
            return []
        if hasattr(condition, "value") and isinstance(condition.value, FilterExpression):
            return self._expression_problems(condition.value)
        problems = []
        for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
            if part is not None:
                problems.extend(self._condition_problems(part))
        return problems


def _nodes(nodelist: Any) -> Iterator[Node]:
    for node in nodelist:
        yield node
        for attr in getattr(node, "child_nodelists", ()):
            yield from _nodes(getattr(node, attr, None) or [])
        if isinstance(node, IfNode):
            for _, inner in node.conditions_nodelists:
                yield from _nodes(inner)


def render_text(source: str, context: dict[str, Any]) -> str:
    """A checked source filled with plain strings, not escaped (text, subjects, PDFs)."""
    return ENGINE.from_string(source).render(Context(context, autoescape=False))
