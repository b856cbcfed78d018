"""The body of a Zoho CRM workflow webhook, as JSON or form data, read into our contract keys."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, QueryDict

from recruiting.zoho_fields import (
    CONTACT_ID_ALIASES,
    LIST_FIELDS,
    WEBHOOK_KEYS,
    contact_id_problem,
    split_values,
    text_value,
)


class PayloadError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _key(name: str) -> str:
    """ "Role_Success_Stage", "role-success-stage" and "role_success_stage" are one key."""
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def request_fields(request: HttpRequest) -> dict[str, Any]:
    """The contract's fields present in the body (JSON object or form), normalised; raises PayloadError."""
    raw = _body(request)
    fields: dict[str, Any] = {}
    for name, value in raw.items():
        key = _key(str(name))
        if key in CONTACT_ID_ALIASES:
            key = "contact_id"
        if key not in WEBHOOK_KEYS or value in (None, ""):
            continue
        fields[key] = split_values(value) if key in LIST_FIELDS else text_value(value)
    contact_id = str(fields.get("contact_id", "")).strip()
    problem = contact_id_problem(contact_id)
    if problem:
        raise PayloadError("contact_id", problem)
    fields["contact_id"] = contact_id
    return fields


def _body(request: HttpRequest) -> dict[str, Any]:
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form: QueryDict = request.POST
        return {key: form.get(key) for key in form}
    if not request.body.strip():
        return {key: request.GET.get(key) for key in request.GET if key != "token"}
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadError("body", f"the body is not valid JSON: {exc}") from exc
    if isinstance(body, dict) and isinstance(body.get("data"), list) and body["data"]:
        body = body["data"][0]  # a workflow that forwards the record envelope
    if not isinstance(body, dict):
        raise PayloadError("body", "the body must be a JSON object")
    return body
