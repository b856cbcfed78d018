"""Events from the other apps' domain signals, written in their transaction (hub.services.events)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from crm.models import Deal
from crm.signals import deal_changed
from hub.serializers import deal_data
from hub.services.events import event_record


@receiver(deal_changed, dispatch_uid="hub-deal-changed")
def deal_event(sender: Any, deal: Deal, change: str, **_: Any) -> None:
    event_record(type=f"opportunity.{change}", brand=deal.pipeline.brand, data=deal_data(deal))
