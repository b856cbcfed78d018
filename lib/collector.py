"""Pausing Python's cyclic garbage collector around loops that allocate many acyclic objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold off the cyclic collector until the block ends: it would rescan a heap that only grows,
    for cycles the block never makes. Restores the collector's state before the block."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
