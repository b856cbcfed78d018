"""Small pieces of SQL that differ between PostgreSQL and SQLite, for the analytics' raw queries.

The analytics group and rank in the database (GROUP BY, window functions); only how days between
two times, a day and a month are written differs between the two databases.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection


def days_between(later: str, earlier: str) -> str:
    """SQL for the days (fractional) from `earlier` to `later`, two timestamp expressions."""
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"
    return f"(julianday({later}) - julianday({earlier}))"


def whole_days(later: str, earlier: str) -> str:
    """SQL for the whole days from `earlier` to `later` (rounded down)."""
    return f"CAST(FLOOR({days_between(later, earlier)}) AS INTEGER)"


def month_of(column: str) -> str:
    """SQL for the first day (a date) of the calendar month (UTC) of a timestamp."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column} AT TIME ZONE 'UTC') AS date)"
    return f"date({column}, 'start of month')"


def day_of(column: str) -> str:
    """SQL for the calendar day (UTC, a date) of a timestamp."""
    if connection.vendor == "postgresql":
        return f"CAST({column} AT TIME ZONE 'UTC' AS date)"
    return f"date({column})"


def at(moment: datetime) -> Any:
    """A datetime as the database compares it in raw SQL (SQLite keeps text)."""
    return connection.ops.adapt_datetimefield_value(moment)


def in_list(name: str, values: Iterable[Any], params: dict[str, Any]) -> str:
    """`(%(name_0)s, %(name_1)s, ...)`, the values added to `params`; `(NULL)` when empty."""
    keys = []
    for index, value in enumerate(values):
        params[f"{name}_{index}"] = value
        keys.append(f"%({name}_{index})s")
    return f"({', '.join(keys) or 'NULL'})"


def case_map(column: str, mapping: dict[Any, Any], params: dict[str, Any], name: str, default: str = "NULL") -> str:
    """`CASE column WHEN k THEN v ... END`: a small lookup (stage -> rank) handed to the database."""
    if not mapping:
        return default
    whens = []
    for index, (key, value) in enumerate(mapping.items()):
        params[f"{name}_k{index}"], params[f"{name}_v{index}"] = key, value
        whens.append(f"WHEN %({name}_k{index})s THEN %({name}_v{index})s")
    return f"CASE {column} {' '.join(whens)} ELSE {default} END"


def fetch(sql: str, params: dict[str, Any]) -> list[Sequence[Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def median_sql(rows: str) -> str:
    """Per key: count, mean and median of `rows` (a SELECT of `key, value`), with window functions.

    The median is the middle value, or the mean of the two middle values: rows numbered within
    their key, and those at (n + 1) / 2 and (n + 2) / 2 kept (integer division on both databases).
    """
    return f"""
        WITH v AS ({rows}),
        ranked AS (
            SELECT key, value,
                   ROW_NUMBER() OVER (PARTITION BY key ORDER BY value) AS rn,
                   COUNT(*) OVER (PARTITION BY key) AS n,
                   AVG(value) OVER (PARTITION BY key) AS mean
            FROM v
        )
        SELECT key, MAX(n), MAX(mean), AVG(value) FROM ranked
        WHERE rn = (n + 1) / 2 OR rn = (n + 2) / 2
        GROUP BY key
    """
