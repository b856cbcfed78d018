"""Event data: the object as the REST API serialises it (crm.api.serializers), read-only."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import AnonymousUser
from rest_framework.renderers import JSONRenderer

from crm.api.serializers import DealSerializer
from crm.models import Deal

_NOBODY = {"request": SimpleNamespace(user=AnonymousUser())}  # the serializer limits choices by user; none are made


def deal_data(deal: Deal) -> dict[str, Any]:
    deal = Deal.objects.select_related("contact", "current_stage", "pipeline").get(pk=deal.pk)
    return as_json(DealSerializer(deal, context=_NOBODY).data)


def as_json(data: Any) -> dict[str, Any]:
    """What the API would send: ids and dates as strings, money as "900.00"."""
    return dict(json.loads(JSONRenderer().render(data)))
