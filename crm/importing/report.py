"""The error report of an import as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

# A cell starting with one of these is run as a formula by spreadsheets (OWASP ASVS 1.2.10).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def error_report_lines(errors: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """CSV lines (with header) for rows of {line, email, reason}."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["line", "email", "reason"])
    for error in errors:
        writer.writerow([error.get("line", ""), safe_cell(error.get("email")), safe_cell(error.get("reason"))])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()
