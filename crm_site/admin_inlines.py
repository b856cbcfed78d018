"""Inlines one app adds to another app's admin page, so the page's app need not import it.

The documents app shows a contact's, a deal's and a candidate's documents on their pages, while
crm and recruiting never import documents (DESIGN.md's direction): it calls
`inline_add(Contact, ContactDocumentsInline)`, and admins that mix in `ExtraInlines` show it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest

EXTRA_INLINES: dict[type[Model], list[type[Any]]] = {}


def inline_add(model: type[Model], inline: type[Any]) -> None:
    inlines = EXTRA_INLINES.setdefault(model, [])
    if inline not in inlines:
        inlines.append(inline)


class ExtraInlines:
    """A ModelAdmin mixin: the model's own inlines, then those other apps added."""

    model: type[Model]

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[type[Any]]:
        own = super().get_inlines(request, obj)  # type: ignore[misc]
        return [*own, *EXTRA_INLINES.get(self.model, [])]
