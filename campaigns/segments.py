"""A segment's filters: one JSON object, checked key by key, turned into a query over contacts.

    {"contact_type": "lead", "tags_any": ["saas"], "domain_authority_min": 30,
     "pipeline": "sales", "deal_status": "active", "engaged_within_days": 30}

Every key narrows the set (AND); a list under contact_type, source or deal_status means any of
them. pipeline, stage and deal_status describe one deal the contact has. Engagement is a person's:
an open a proxy or scanner made does not count. Dates are ISO 8601 (a date or a date and time).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from crm.models import Brand, Contact, ContactType, Deal, DealStatus, EmailLog, EmailStatus, Pipeline, PipelineStage
from crm.models.lookups import normalize_tags
from lib.ids import as_id


class FilterError(ValueError):
    """Bad filters: `problems` maps each bad key to why."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {why}" for key, why in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class Filter:
    help: str
    check: Callable[[Any, Brand], Any]  # the value as the query uses it, or raises ValueError


def _choices(allowed: list[str]) -> Callable[[Any, Brand], list[str]]:
    def check(value: Any, brand: Brand) -> list[str]:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            raise ValueError(f"one of {', '.join(allowed)}, or a list of them")
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not one of {', '.join(allowed)}")
        return values

    return check


def _strings(value: Any, brand: Brand) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise ValueError("a non-empty string or list of strings")
    return [v.strip() for v in values]


def _tags(value: Any, brand: Brand) -> list[str]:
    tags = normalize_tags(_strings(value, brand))
    if not tags:
        raise ValueError("a list of tags")
    return tags


def _whole(low: int, high: int) -> Callable[[Any, Brand], int]:
    def check(value: Any, brand: Brand) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"a whole number from {low} to {high}")
        return value

    return check


def _moment(value: Any, brand: Brand) -> datetime:
    if isinstance(value, str):
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)) is not None:
            moment = datetime.combine(day, time.min)
        if moment is not None:
            return moment if timezone.is_aware(moment) else timezone.make_aware(moment, brand.zone)
    raise ValueError("a date or date and time, such as 2026-01-31 or 2026-01-31T09:00:00Z")


def _pipeline(value: Any, brand: Brand) -> Pipeline:
    pipelines = Pipeline.objects.filter(brand=brand)
    found = None
    if isinstance(value, int) and not isinstance(value, bool):
        found = pipelines.filter(pk=value).first() if as_id(value) else None
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        found = pipelines.filter(Q(slug=text) | Q(name__iexact=text)).first()
        if found is None and (number := as_id(text)) is not None:
            found = pipelines.filter(pk=number).first()
    if found is None:
        raise ValueError(f"no pipeline {value!r} in {brand.name} (give its id or slug)")
    return found


def _stage(value: Any, brand: Brand) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise ValueError("a stage id or name")


FILTERS: dict[str, Filter] = {
    "contact_type": Filter("lead, backlink_target or partner (or a list)", _choices(list(ContactType.values))),
    "tags_any": Filter("contacts with at least one of these tags", _tags),
    "tags_all": Filter("contacts with every one of these tags", _tags),
    "source": Filter("where the contact came from (or a list); case does not matter", _strings),
    "domain_authority_min": Filter("domain authority at least this (0-100)", _whole(0, 100)),
    "domain_authority_max": Filter("domain authority at most this (0-100)", _whole(0, 100)),
    "pipeline": Filter("has a deal in this pipeline (id or slug)", _pipeline),
    "stage": Filter("has a deal in this stage (id, or name with pipeline)", _stage),
    "deal_status": Filter(
        "has a deal in this status: active, paused, won, lost (or a list)", _choices(list(DealStatus.values))
    ),
    "engaged_within_days": Filter("a person opened, clicked or replied within this many days", _whole(1, 3650)),
    "not_contacted_days": Filter("no email sent to them for this many days", _whole(1, 3650)),
    "created_after": Filter("added on or after this date", _moment),
    "created_before": Filter("added before this date", _moment),
}


def filters_check(filters: Any, brand: Brand) -> dict[str, Any]:
    """The filters as the query uses them; FilterError naming each bad key."""
    if not isinstance(filters, dict):
        raise FilterError({"filters": 'one JSON object, such as {"contact_type": "lead"}'})
    problems: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for key, value in filters.items():
        spec = FILTERS.get(key)
        if spec is None:
            problems[key] = f"unknown filter {key!r} (known: {', '.join(FILTERS)})"
            continue
        try:
            cleaned[key] = spec.check(value, brand)
        except ValueError as exc:
            problems[key] = str(exc)
    low, high = cleaned.get("domain_authority_min"), cleaned.get("domain_authority_max")
    if low is not None and high is not None and low > high:
        problems["domain_authority_min"] = "greater than domain_authority_max"
    after, before = cleaned.get("created_after"), cleaned.get("created_before")
    if after is not None and before is not None and after >= before:
        problems["created_after"] = "not before created_before"
    if "stage" in cleaned and not isinstance(cleaned["stage"], int) and "pipeline" not in cleaned:
        problems["stage"] = "a stage given by name needs the pipeline too"
    if "stage" in cleaned and not problems.get("stage"):
        stage = _find_stage(cleaned["stage"], cleaned.get("pipeline"), brand)
        if stage is None:
            problems["stage"] = f"no stage {filters['stage']!r} in the brand's pipeline"
        else:
            cleaned["stage"] = stage
    if problems:
        raise FilterError(problems)
    return cleaned


def _find_stage(value: Any, pipeline: Pipeline | None, brand: Brand) -> PipelineStage | None:
    stages = PipelineStage.objects.filter(pipeline__brand=brand)
    if pipeline is not None:
        stages = stages.filter(pipeline=pipeline)
    if isinstance(value, int):
        return stages.filter(pk=value).first()
    return stages.filter(name__iexact=value).first()


def deal_lookups(cleaned: dict[str, Any]) -> dict[str, Any]:
    """What checked filters ask of a deal (pipeline, stage, status), as Deal lookups."""
    deal: dict[str, Any] = {}
    if "pipeline" in cleaned:
        deal["pipeline"] = cleaned["pipeline"]
    if "stage" in cleaned:
        deal["current_stage"] = cleaned["stage"]
    if "deal_status" in cleaned:
        deal["status__in"] = cleaned["deal_status"]
    return deal


def segment_contacts(filters: dict[str, Any], brand: Brand, *, now: datetime | None = None) -> QuerySet[Contact]:
    """The brand's contacts the (raw) filters select; FilterError when they are bad."""
    f = filters_check(filters, brand)
    now = now or timezone.now()
    contacts = Contact.objects.filter(brand=brand)
    if "contact_type" in f:
        contacts = contacts.filter(contact_type__in=f["contact_type"])
    if "tags_any" in f:
        any_tag = Q()
        for tag in f["tags_any"]:
            any_tag |= Q(tags__has_tag=tag)
        contacts = contacts.filter(any_tag)
    for tag in f.get("tags_all", []):
        contacts = contacts.filter(tags__has_tag=tag)
    if "source" in f:
        any_source = Q()
        for source in f["source"]:
            any_source |= Q(source__iexact=source)
        contacts = contacts.filter(any_source)
    if "domain_authority_min" in f:
        contacts = contacts.filter(domain_authority__gte=f["domain_authority_min"])
    if "domain_authority_max" in f:
        contacts = contacts.filter(domain_authority__lte=f["domain_authority_max"])
    if "created_after" in f:
        contacts = contacts.filter(created_at__gte=f["created_after"])
    if "created_before" in f:
        contacts = contacts.filter(created_at__lt=f["created_before"])
    deal = deal_lookups(f)
    if deal:
        contacts = contacts.filter(Exists(Deal.objects.filter(contact=OuterRef("pk"), **deal)))
    if "engaged_within_days" in f:
        since = now - timedelta(days=f["engaged_within_days"])
        engaged = (
            Q(opened_at__gte=since, likely_machine_open=False) | Q(clicked_at__gte=since) | Q(replied_at__gte=since)
        )
        contacts = contacts.filter(Exists(EmailLog.objects.filter(engaged, contact=OuterRef("pk"))))
    if "not_contacted_days" in f:
        since = now - timedelta(days=f["not_contacted_days"])
        recent = EmailLog.objects.filter(contact=OuterRef("pk"), status=EmailStatus.SENT, sent_at__gte=since)
        contacts = contacts.filter(~Exists(recent))
    return contacts
