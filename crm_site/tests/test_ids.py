"""Ids typed by people: only plain ASCII digits within a bigint are ids (str.isdigit() takes "³")."""

import pytest

from lib.ids import MAX_ID, as_id


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("42", 42), (" 7 ", 7), ("³", None), ("٤٢", None), ("0", None), ("-3", None), ("9" * 30, None),
     (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("sales", None), (12, 12)],
)  # fmt: skip
def test_only_plain_digits_within_a_bigint_are_ids(typed, expected):
    assert as_id(typed) == expected
