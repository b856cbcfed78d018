"""List fields (tags, industries, skills, labels) edited as chips in the admin, not as raw JSON.

`ListFieldsMixin` on a ModelAdmin turns the JSON list fields named in `list_fields` into a
`ListField`: a line of comma-separated values that crm_site/chips.js shows as chips with an
editor (type and press Enter or a comma to add, × or Backspace to remove). Without scripts it
stays a comma-separated line, and saves the same list.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.db.models import Field
from django.http import HttpRequest
from django.utils.text import capfirst
from unfold.widgets import UnfoldAdminTextInputWidget

_SEPARATORS = re.compile(r"[,\n]")


def list_items(value: Any) -> list[str]:
    """The items of a list, a JSON list or a comma-separated line: trimmed, unique, in order."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        value = parsed if isinstance(parsed, list) else _SEPARATORS.split(value)
    return list(dict.fromkeys(text for item in value if (text := str(item).strip())))


class ChipsInput(UnfoldAdminTextInputWidget):
    class Media:
        js = ["crm_site/chips.js"]
        css = {"all": ["crm_site/chips.css"]}

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"data-chips": "", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        return ", ".join(list_items(value))


class ListField(forms.Field):
    widget = ChipsInput
    default_error_messages = {"too_long": "At most %(limit)d items."}

    def __init__(self, *, max_items: int = 200, lowercase: bool = False, **kwargs: Any) -> None:
        self.max_items, self.lowercase = max_items, lowercase
        kwargs.setdefault("help_text", "")
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        items = list_items(value)
        return list(dict.fromkeys(item.lower() for item in items)) if self.lowercase else items

    def validate(self, value: Any) -> None:
        super().validate(value)
        if len(value) > self.max_items:
            raise forms.ValidationError(self.error_messages["too_long"], params={"limit": self.max_items})

    def has_changed(self, initial: Any, data: Any) -> bool:
        return list_items(initial) != list_items(data)


class ListFieldsMixin:
    """For ModelAdmins: `list_fields` names the JSON list fields edited as chips; those also in
    `lowercase_list_fields` are stored lower-case (tags, which filters compare lower-case)."""

    list_fields: tuple[str, ...] = ()
    lowercase_list_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name in self.list_fields:
            return ListField(
                required=not db_field.blank,
                lowercase=db_field.name in self.lowercase_list_fields,
                label=capfirst(str(db_field.verbose_name)),
                help_text=db_field.help_text or "Type a value and press Enter or a comma; × removes one.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
