"""A throwaway database for a benchmark, so the figures never touch real data.

`bench_django()` creates an empty database next to the one DATABASE_URL names
(PostgreSQL: a new database on the same server; otherwise a temporary SQLite
file), points DATABASE_URL at it, sets Django up, migrates, and drops the
database at exit. Child processes started with `child_env()` use the same one.
"""

from __future__ import annotations

import atexit
import os
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm_site.settings")
os.environ.setdefault("ENV_FILE", "")
os.environ.setdefault("SECRET_KEY", "bench-only-" + secrets.token_hex(20))
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "YmVuY2gtb25seS1maWVsZC1lbmNyeXB0aW9uLWtleSE=")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("AI_PROVIDER", "rules")  # the benches measure our code, offline
os.environ.setdefault("MAIL_BACKEND", "outbox")
_BENCH_DB = "BENCH_DATABASE_URL"


def _create_postgres(url: str) -> str:
    import psycopg

    parts = urlsplit(url)
    name = f"bench_{os.getpid()}_{secrets.token_hex(3)}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    atexit.register(drop)
    return urlunsplit(parts._replace(path=f"/{name}"))


def bench_django(*, migrate: bool = True) -> str:
    """Set Django up on a fresh database; return its vendor ("postgresql" or "sqlite")."""
    if _BENCH_DB not in os.environ:
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            os.environ[_BENCH_DB] = _create_postgres(url)
        else:
            path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
            os.environ[_BENCH_DB] = f"sqlite:///{path}"
        os.environ["DATABASE_URL"] = os.environ[_BENCH_DB]
        fresh = True
    else:
        os.environ["DATABASE_URL"] = os.environ[_BENCH_DB]
        fresh = False
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    if migrate and fresh:
        call_command("migrate", verbosity=0)
    return connection.vendor


def child_env() -> dict[str, str]:
    return dict(os.environ)


def write_rows(table: str, columns: list[str], rows: Any) -> None:
    """Insert `rows` into `table`: COPY on PostgreSQL, executemany in batches elsewhere."""
    import uuid

    from django.db import connection

    from crm.selectors.sql import at

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 - table and columns are ours
        batch = []
        for row in rows:
            batch.append([v.hex if isinstance(v, uuid.UUID) else at(v) if hasattr(v, "tzinfo") else v for v in row])
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
