"""The one place where the webhook contract meets Zoho CRM's API names.

A Zoho admin builds the webhook body in the workflow's webhook editor with our snake_case
keys; whatever the body leaves out is read from the Contacts record, whose API names are
below. Multi-value fields come as a list from the API and as "a, b; c" text from a webhook.
"""

from __future__ import annotations

import re
from typing import Any

CONTACTS_MODULE = "Contacts"

# webhook key -> Zoho CRM API name(s), first non-empty wins.
CONTACT_FIELDS: dict[str, tuple[str, ...]] = {
    "first_name": ("First_Name",),
    "last_name": ("Last_Name",),
    "email": ("Email", "Secondary_Email"),
    "phone": ("Mobile", "Phone"),
    "role_success_stage": ("Role_Success_Stage",),
    "work_policy": ("Work_Policy",),
    "industry_1_areas": ("Industry_1_Areas",),
    "industry_2_areas": ("Industry_2_Areas",),
    "industry_choice_1": ("Industry_Choice_1",),
    "industry_choice_2": ("Industry_Choice_2",),
    "industry_choice_3": ("Industry_Choice_3",),
}
LOCATION_FIELDS = ("Mailing_City", "Mailing_State", "Mailing_Country")
LIST_FIELDS = frozenset({"industry_1_areas", "industry_2_areas"})
WEBHOOK_KEYS = frozenset({"contact_id", "location", *CONTACT_FIELDS})
# Other spellings a webhook may use for the record id (the INTEGRATIONS.md sample uses record_id).
CONTACT_ID_ALIASES = ("contact_id", "record_id", "id", "contactid", "contact_id_")
# One rule for a contact id wherever one arrives (webhook body, URL, command): Zoho's record ids
# are digits, the demo candidates' are "demo-1".."demo-6", and nothing may reach a path or a query
# that is not a plain token.
CONTACT_ID_RULE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
CONTACT_ID_HELP = "a Zoho CRM record id: 1 to 64 letters, digits, '_' or '-'"


def contact_id_problem(value: object) -> str:
    """Why `value` is not a contact id, or "" when it is one."""
    text = str(value or "").strip()
    if not text:
        return "contact_id is required: the Zoho CRM record id of the contact"
    if not CONTACT_ID_RULE.fullmatch(text):
        return f"contact_id must be {CONTACT_ID_HELP}"
    return ""


# Open roles from a CRM module (ZOHO_CRM_ROLES_MODULE, e.g. Zoho Recruit's Job_Openings or a
# custom "Roles" module): our field -> API names to look for, first non-empty wins.
ROLE_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("Job_Opening_Name", "Posting_Title", "Name"),
    "company": ("Client_Name", "Account_Name", "Company"),
    "industries": ("Industry", "Industries"),
    "location": ("Location", "City"),
    "work_policy": ("Work_Policy", "Remote_Job"),
    "required_skills": ("Required_Skills", "Skills"),
    "nice_to_have_skills": ("Nice_To_Have_Skills",),
    "description": ("Job_Description", "Description"),
    "is_open": ("Job_Opening_Status", "Status"),
}

_SEPARATORS = re.compile(r"[;,\n]")


def split_values(value: Any) -> list[str]:
    """ "IT, Finance; Health" or ["IT", "Finance"] -> ["IT", "Finance", "Health"]."""
    items = value if isinstance(value, list) else _SEPARATORS.split(str(value or ""))
    return list(dict.fromkeys(str(item).strip() for item in items if str(item or "").strip()))


def text_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):  # a lookup: {"name": ..., "id": ...}
        return str(value.get("name") or "")
    if isinstance(value, list):
        return ", ".join(split_values(value))
    return str(value).strip()


def fields_from_record(record: dict[str, Any]) -> dict[str, Any]:
    """Our keys from a Contacts record, for every field the record has a value for."""
    fields: dict[str, Any] = {}
    for key, api_names in CONTACT_FIELDS.items():
        for api_name in api_names:
            value = record.get(api_name)
            if value not in (None, "", []):
                fields[key] = split_values(value) if key in LIST_FIELDS else text_value(value)
                break
    parts = [text_value(record.get(name)) for name in LOCATION_FIELDS]
    if any(parts):
        fields["location_parts"] = dict(zip(("city", "region", "country"), parts, strict=True))
        fields.setdefault("location", ", ".join(part for part in parts if part))
    return fields
