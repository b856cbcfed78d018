"""Candidates from Zoho: upsert by the Zoho record id, with phone, place and work policy normalised."""

from __future__ import annotations

import re
from typing import Any

import phonenumbers
from django.utils import timezone

from recruiting.matching.places import place_parse
from recruiting.models import Candidate, WorkPolicy

DEFAULT_PHONE_REGION = "AU"  # the agency's home: a national number without +61 is Australian
_POLICY_WORDS = {
    WorkPolicy.REMOTE: ("remote", "wfh", "work from home", "anywhere", "telecommute"),
    WorkPolicy.HYBRID: ("hybrid", "flexible", "mixed"),
    WorkPolicy.OFFICE: ("office", "on-site", "onsite", "on site", "in person", "in-person"),
}


def phone_e164(raw: str, *, region: str = "") -> str:
    """ "+61 412 345 678", "0412 345 678" (AU), "61412345678@c.us" -> "+61412345678"; "" when not a number."""
    text = re.sub(r"@.*$", "", raw or "").strip()  # whatsapp-web style ids: 61412345678@c.us
    if not text:
        return ""
    if text.isdigit() and len(text) > 10 and not text.startswith("0"):
        text = "+" + text  # international digits without the plus
    try:
        number = phonenumbers.parse(text, region or DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def work_policy_parse(raw: str) -> str:
    text = (raw or "").strip().lower()
    for policy, words in _POLICY_WORDS.items():
        if any(word in text for word in words):
            return str(policy)
    return ""


def candidate_upsert(*, contact_id: str, fields: dict[str, Any], record: dict[str, Any] | None = None) -> Candidate:
    """Create or update the candidate from our contract keys (see recruiting.zoho_fields)."""
    defaults = _defaults(fields)
    if record is not None:
        defaults |= {"zoho_record": record, "last_synced_at": timezone.now()}
    candidate, _ = Candidate.objects.update_or_create(zoho_contact_id=contact_id, defaults=defaults)
    return candidate


def _defaults(fields: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {
        key: str(fields[key])[:255]
        for key in (
            "first_name",
            "last_name",
            "email",
            "role_success_stage",
            "industry_choice_1",
            "industry_choice_2",
            "industry_choice_3",
        )
        if key in fields
    }
    for key in ("industry_1_areas", "industry_2_areas"):
        if key in fields:
            values[key] = list(fields[key])
    if "work_policy" in fields:
        values["work_policy"] = work_policy_parse(str(fields["work_policy"]))
    if "location" in fields or "location_parts" in fields:
        values |= _place(fields)
    if "phone" in fields:
        values["phone"] = phone_e164(str(fields["phone"]), region=values.get("country", ""))
    return values


def _place(fields: dict[str, Any]) -> dict[str, str]:
    parts = fields.get("location_parts") or {}
    place = place_parse(str(fields.get("location", "")), **{k: str(v) for k, v in parts.items()})
    return {
        "location": str(fields.get("location", ""))[:255],
        "city": place.city[:120],
        "region": place.region[:120],
        "country": place.country,
    }
