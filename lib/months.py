"""Calendar months of aware datetimes: the start of one, and moving by whole months."""

from __future__ import annotations

from datetime import datetime


def month_start(moment: datetime) -> datetime:
    """Midnight on the first day of `moment`'s month, in `moment`'s time zone."""
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def add_months(moment: datetime, months: int) -> datetime:
    """The first day of the month `months` after (or before) `moment`'s, at `moment`'s time."""
    index = moment.year * 12 + moment.month - 1 + months
    return moment.replace(year=index // 12, month=index % 12 + 1, day=1)
