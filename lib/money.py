"""Amounts as people read them: the currency's sign and thousands separators ("A$12,500")."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pycountry
from babel.numbers import format_currency

LOCALE = "en"


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def money(value: Decimal | float | int | None, currency: str = "USD", *, cents: bool = False) -> str:
    """12500 AUD -> "A$12,500" (whole units unless `cents`); an unknown code is written out."""
    amount = Decimal(value or 0)
    pattern = "¤#,##0.00" if cents else "¤#,##0"
    if currency not in currency_codes():
        return f"{amount:,.2f} {currency}" if cents else f"{amount:,.0f} {currency}"
    return format_currency(amount, currency, format=pattern, locale=LOCALE, currency_digits=False)
