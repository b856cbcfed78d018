"""The deal board with many deals: page time and queries as a pipeline grows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/board.py
    .venv/bin/python bench/board.py --sizes 50 2000          # quick, SQLite

The seeded sales pipeline is filled to each size in turn (deals spread over its open stages, a
tenth needing review, a third with an AI decision, a few won or lost), and `GET /admin/crm/board/`
is timed warm as a superuser: median of seven, with a column's "Show more" page deep in the
column. Beside it, in the same run: the board at the smallest size (the ratio says how the page
grows with the deals; past 50 a column, only the cards shown should cost more), and the deal list
of the admin (50 rows a page, the same pipeline) at the same size. Queries per page are counted
too: they must not grow with the deals.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import timedelta
from decimal import Decimal
from statistics import median
from typing import Any

from _db import bench_django

os.environ.setdefault("ALLOWED_HOSTS", "testserver")
RUNS = 7


def _fill(pipeline: Any, upto: int, have: int) -> None:
    """Add deals (and their contacts) until the pipeline has `upto`."""
    from django.utils import timezone

    from crm.models import AIDecisionLog, Contact, Deal, DealStatus

    stages = list(pipeline.stages.order_by("order"))
    open_stages = [s for s in stages if not s.is_terminal]
    won = next(s for s in stages if s.outcome == "won")
    now = timezone.now()
    contacts = Contact.objects.bulk_create(
        Contact(brand=pipeline.brand, email=f"board{i}@bench{i % 997}.example", name=f"Board {i}", company=f"Co {i}")
        for i in range(have, upto)
    )
    deals = []
    for n, contact in enumerate(contacts, start=have):
        closed = n % 20 == 0
        deals.append(
            Deal(
                pipeline=pipeline, contact=contact, current_stage=won if closed else open_stages[n % len(open_stages)],
                status=DealStatus.WON if closed else DealStatus.ACTIVE, value=Decimal(n % 50_000),
                needs_review=n % 10 == 0, stage_entered_at=now - timedelta(days=n % 40),
            )
        )  # fmt: skip
    Deal.objects.bulk_create(deals, batch_size=2000)
    AIDecisionLog.objects.bulk_create(
        (
            AIDecisionLog(deal=deal, decision_type="analyze_deal", action_taken="wait", metadata={"wait_days": 2})
            for deal in deals[::3]
        ),
        batch_size=2000,
    )


def _timed(client: Any, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code  # noqa: S101 - a bench's sanity check
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return median(times) * 1000, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 5_000, 50_000])
    args = parser.parse_args()
    print(f"database: {bench_django()}")
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from crm.models import Brand
    from crm.services.seed import seed_crm_pipelines

    seed_crm_pipelines()
    pipeline = Brand.objects.get(slug="codeteki").pipelines.get(slug="sales")
    client = Client()
    client.force_login(User.objects.create_superuser("bench", "bench@example.com", "x"))
    board, listing = f"/admin/crm/board/?pipeline={pipeline.pk}", f"/admin/crm/deal/?pipeline={pipeline.pk}"
    have, base = 0, None
    stage = pipeline.stages.get(name="Contacted")
    print(
        f"{'deals':>7} {'cards':>6} {'board ms':>9} {'queries':>8} {'vs smallest':>12} {'deal list ms':>13} "
        f"{'board/list':>11} {'more ms':>8}"
    )
    for size in sorted(args.sizes):
        _fill(pipeline, size, have)
        have = size
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        board_ms, queries = _timed(client, board)
        list_ms, _ = _timed(client, listing)
        more_ms, _ = _timed(client, f"/admin/crm/board/column/?stage={stage.pk}&offset={max(0, size // 16)}")
        cards = client.get(board).content.count(b"data-panel-url=")
        base = base or board_ms
        print(
            f"{size:>7} {cards:>6} {board_ms:>9.1f} {queries:>8} {board_ms / base:>12.2f} {list_ms:>13.1f} "
            f"{board_ms / list_ms:>11.2f} {more_ms:>8.1f}"
        )


if __name__ == "__main__":
    main()
