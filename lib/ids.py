"""Ids typed by people or sent by scripts: "42" is an id, "³", "٤٢x" or a 30-digit number is not."""

from __future__ import annotations

MAX_ID = 2**63 - 1  # a database bigint


def as_id(value: object) -> int | None:
    """The positive id `value` spells, else None (never an error, never an id past a bigint)."""
    text = str(value).strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
