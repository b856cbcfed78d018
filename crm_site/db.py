"""Database helpers shared by the apps."""

from __future__ import annotations

from django.db import connection


def relaxed_commit() -> None:
    """Let the current transaction's commit return before it reaches the disk (PostgreSQL only).

    Only for writes that can be recovered after a crash: a re-run import, or a "sent"
    record that reconciliation rebuilds from the mailbox. Must run inside transaction.atomic().
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
