"""What a task run from the admin did, in a sentence: "codeteki: sent 1, deferred 2".

Tasks return plain dicts and lists (the reports of their services); this turns one into words,
leaving out what is zero or empty, so *Run selected tasks* can say what happened, not only
that something was queued.
"""

from __future__ import annotations

import time
from typing import Any

from celery.exceptions import TimeoutError as ResultTimeout
from celery.result import AsyncResult
from django.contrib import messages

RUN_WAIT_SECONDS = 10.0
LIST_ITEMS = 10
MAX_CHARS = 600
EMPTY: tuple[Any, ...] = (None, "", [], {})


def _label(key: object) -> str:
    return str(key).replace("_", " ")


def _item(key: object, value: Any) -> str:
    if isinstance(value, dict | list):
        return f"{_label(key)}: {describe(value)}"
    return f"{_label(key)} {value}"


def describe(value: Any) -> str:
    """A task's return value in words; zeros, empties and False are left out."""
    if isinstance(value, dict):
        shown = [
            _item(key, item) for key, item in value.items() if item not in EMPTY and item is not False and item != 0
        ]
        return "; ".join(shown) if shown else "nothing to do"
    if isinstance(value, list):
        if not value:
            return "nothing to do"
        more = f" and {len(value) - LIST_ITEMS} more" if len(value) > LIST_ITEMS else ""
        return ", ".join(describe(item) for item in value[:LIST_ITEMS]) + more
    return "done" if value is None else str(value)


def task_outcome(name: str, result: AsyncResult, deadline: float) -> tuple[str, int]:
    """(message, level) for a task sent from the admin, waiting for it until `deadline` (monotonic)."""
    try:
        value = result.get(timeout=max(0.1, deadline - time.monotonic()), interval=0.2, propagate=False)
    except ResultTimeout:
        return f"{name} is still running; Task results will show what it did.", messages.INFO
    if result.failed():
        return f"{name} failed: {type(value).__name__}: {value}"[:MAX_CHARS], messages.ERROR
    return f"{name}: {describe(value)}"[:MAX_CHARS], messages.SUCCESS
