"""Template filters for business figures: `{{ deal.value|money:brand.currency }}`."""

from __future__ import annotations

from decimal import Decimal

from django import template

from lib.money import money as format_money

register = template.Library()


@register.filter
def money(value: Decimal | float | int | None, currency: str = "USD") -> str:
    return format_money(value, currency or "USD")


@register.filter
def amount(value: Decimal | float | int | None, currency: str = "") -> str:
    """Money in `currency`, or a plain figure with thousands separators when the amounts on the
    page are in several currencies (`currency` empty)."""
    return format_money(value, currency) if currency else f"{Decimal(value or 0):,.0f}"
