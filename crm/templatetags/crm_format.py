"""Template filters for business figures: `{{ deal.value|money:brand.currency }}`."""

from __future__ import annotations

from decimal import Decimal

from django import template

from lib.money import money as format_money

register = template.Library()


@register.filter
def money(value: Decimal | float | int | None, currency: str = "USD") -> str:
    return format_money(value, currency or "USD")
