"""Custom read-only endpoints: a brand's contacts, deals or tasks chosen by a filter in the
campaign segments' filter language (campaigns.segments: checked key by key, turned into ORM
lookups; nothing in a definition is ever evaluated), each row cut to the chosen fields of the
model's REST serializer."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from campaigns.segments import FilterError, deal_lookups, filters_check, segment_contacts
from crm.api.serializers import ContactSerializer, DealSerializer, TaskSerializer
from crm.models import Brand, Contact, Deal, Task
from hub.errors import HubError
from hub.models import APIEndpoint, EndpointModel

SERIALIZERS: dict[str, Any] = {
    EndpointModel.CONTACTS: ContactSerializer,
    EndpointModel.DEALS: DealSerializer,
    EndpointModel.TASKS: TaskSerializer,
}
PERMISSIONS = {
    EndpointModel.CONTACTS: "crm.view_contact",
    EndpointModel.DEALS: "crm.view_deal",
    EndpointModel.TASKS: "crm.view_task",
}


def fields_allowed(model: str) -> list[str]:
    return list(SERIALIZERS[model].Meta.fields)


def endpoint_check(*, model: str, filters: Any, fields: Any, brand: Brand) -> None:
    """HubError naming the bad input: an unknown model, filter or field."""
    if model not in SERIALIZERS:
        raise HubError(f"One of {', '.join(SERIALIZERS)}.", field="model")
    try:
        filters_check(filters, brand)
    except FilterError as exc:
        raise HubError(str(exc), field="filters") from exc
    allowed = fields_allowed(model)
    if not isinstance(fields, list) or not fields or not all(isinstance(name, str) for name in fields):
        raise HubError(f"A list of field names, from: {', '.join(allowed)}.", field="fields")
    unknown = [name for name in fields if name not in allowed]
    if unknown:
        raise HubError(f"{unknown[0]!r} is not a field of {model} (known: {', '.join(allowed)}).", field="fields")


def endpoint_rows(endpoint: APIEndpoint) -> QuerySet[Any]:
    """The rows the endpoint serves, newest first."""
    brand, filters = endpoint.brand, endpoint.filters or {}
    contacts = segment_contacts(filters, brand)
    if endpoint.model == EndpointModel.CONTACTS:
        return contacts.order_by("-created_at", "pk")
    if endpoint.model == EndpointModel.DEALS:
        deals = Deal.objects.filter(pipeline__brand=brand).select_related("contact", "current_stage", "pipeline")
        if filters:  # the contacts' filters choose whose deals; a deal filter also narrows the deals themselves
            deals = deals.filter(contact__in=contacts, **deal_lookups(filters_check(filters, brand)))
        return deals.order_by("-created_at", "pk")
    tasks = Task.objects.filter(brand=brand)
    if filters:
        tasks = tasks.filter(Q(contact__in=contacts) | Q(deal__contact__in=contacts))
    return tasks.order_by("-created_at", "pk")


def endpoint_data(
    endpoint: APIEndpoint, rows: list[Contact | Deal | Task], context: dict[str, Any]
) -> list[dict[str, Any]]:
    """Each row as the REST API serialises it, cut to the endpoint's fields."""
    serialized = SERIALIZERS[endpoint.model](rows, many=True, context=context).data
    return [{name: row.get(name) for name in endpoint.fields} for row in serialized]
