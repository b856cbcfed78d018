"""Pipeline analytics over a large stage history.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/analytics.py
    .venv/bin/python bench/analytics.py --deals 20000      # quick, SQLite

A brand with a sales pipeline (six open stages, won, lost) and --deals deals created over three
years, each with a journey like the demo's (a few days per stage, longer in one slow stage, lost
now and then, won at the end, open if not over): about five stage changes per deal, written with
COPY on PostgreSQL. A second pipeline holds a hundredth of the deals, to show that the number of
queries does not depend on the number of deals.

Then, warm (each endpoint called once first), each endpoint through the API: median of five
calls and its query count; and the same figures computed in Python from every row (a "naive"
implementation: load the deals and the history, loop), once. Target: every endpoint < 1 s,
the same query count for both pipelines. Also prints the forecast's back-test beside the baseline.
"""

from __future__ import annotations

import argparse
import os
import random
import time
import uuid
from collections import defaultdict
from datetime import timedelta
from statistics import mean, median
from typing import Any

from _db import bench_django, write_rows
from campaign_fanout import add_contacts

os.environ.setdefault("ALLOWED_HOSTS", "testserver")

STAGES = [("New Lead", 2), ("Contacted", 3), ("Engaged", 2), ("Qualified", 3), ("Proposal Sent", 8), ("Negotiation", 4)]
DAYS = 3 * 365


def make_pipeline(brand: Any, slug: str) -> Any:
    from crm.models import Pipeline, PipelineStage

    pipeline = Pipeline.objects.create(brand=brand, name=slug.title(), slug=slug)
    for order, (name, days) in enumerate(STAGES, start=1):
        PipelineStage.objects.create(pipeline=pipeline, name=name, order=order, days_until_followup=days)
    PipelineStage.objects.create(pipeline=pipeline, name="Won", order=7, is_terminal=True, outcome="won")
    PipelineStage.objects.create(pipeline=pipeline, name="Lost", order=8, is_terminal=True, outcome="lost")
    return pipeline


def journeys(count: int, rng: random.Random, now: Any) -> Any:
    """(created, [(stage index or 'won' / 'lost', entered)], value) per deal; more deals lately."""
    for _ in range(count):
        created = now - timedelta(days=DAYS * (1 - rng.random() ** 0.6), seconds=rng.randrange(86400))
        steps, at = [(0, created)], created
        for index, (name, days) in enumerate(STAGES):
            at += timedelta(days=1 + rng.expovariate(1 / (days * (3 if name == "Proposal Sent" else 1.5))))
            if at > now:
                break
            if index and rng.random() < 0.17:
                steps.append(("lost", at))
                break
            steps.append((index + 1 if index + 1 < len(STAGES) else "won", at))
        yield created, steps, rng.randrange(1000, 50000, 500)


def add_deals(pipeline: Any, contact_ids: list[Any], rng: random.Random) -> int:
    from django.db import transaction
    from django.utils import timezone

    from crm.models import Deal, DealStageChange

    now = timezone.now()
    stages = list(pipeline.stages.order_by("order"))
    by_key: dict[Any, Any] = dict(enumerate(stages[: len(STAGES)]))
    by_key.update({"won": stages[-2], "lost": stages[-1]})
    deals, changes = [], []
    for contact_id, (created, steps, value) in zip(contact_ids, journeys(len(contact_ids), rng, now), strict=True):
        deal_id = uuid.uuid4()
        last, entered = by_key[steps[-1][0]], steps[-1][1]
        status = {"won": "won", "lost": "lost"}.get(last.outcome, "active")
        closed = entered if last.is_terminal else None
        deals.append((deal_id, contact_id, pipeline.pk, last.pk, status, value, "", None, 0, False, "", entered, closed,
                      created, now, "", None, 0, None, ""))  # fmt: skip
        for index, (key, when) in enumerate(steps):
            left = steps[index + 1][1] if index + 1 < len(steps) else None
            source = "created" if index == 0 else "autopilot"
            previous = by_key[steps[index - 1][0]].pk if index else None
            reason = rng.choice(["No budget", "Competitor", "No reply", ""]) if key == "lost" else ""
            changes.append((deal_id, pipeline.pk, previous, by_key[key].pk, when, left, source, reason, None))
    deal_columns = [
        "id", "contact_id", "pipeline_id", "current_stage_id", "status", "value", "ai_notes", "next_action_date",
        "emails_sent", "needs_review", "review_reason", "stage_entered_at", "closed_at", "created_at", "updated_at",
        "claim_owner", "claim_until", "attempts", "retry_at", "last_error",
    ]  # fmt: skip
    change_columns = [
        "deal_id", "pipeline_id", "from_stage_id", "to_stage_id", "changed_at", "left_at", "source", "reason",
        "actor_id",
    ]  # fmt: skip
    with transaction.atomic():
        write_rows(Deal._meta.db_table, deal_columns, deals)
        write_rows(DealStageChange._meta.db_table, change_columns, changes)
    return len(changes)


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def timed(client: Any, url: str, rounds: int = 5) -> tuple[float, int, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        answer = client.get(url)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert answer.status_code == 200, answer.content[:500]
    return median(times), len(queries), answer.json()


def naive(pipeline: Any) -> float:
    """The same figures in Python from every row: win rate, funnel, stage medians, velocity, probabilities."""
    from crm.models import Deal, DealStageChange

    started = time.perf_counter()
    fields = ["id", "status", "value", "created_at", "closed_at", "current_stage_id", "stage_entered_at"]
    deals = {d["id"]: d for d in Deal.objects.filter(pipeline=pipeline).values(*fields, "contact__source")}
    history: dict[Any, list[Any]] = defaultdict(list)
    for row in DealStageChange.objects.filter(pipeline=pipeline).values_list(
        "deal_id", "to_stage_id", "changed_at", "left_at"
    ):
        history[row[0]].append(row)
    order = {s.pk: s.order for s in pipeline.stages.all()}
    won = [d for d in deals.values() if d["status"] == "won"]
    lost = [d for d in deals.values() if d["status"] == "lost"]
    _ = 100 * len(won) / max(1, len(won) + len(lost))
    furthest = [max(order[r[1]] for r in rows) for rows in history.values()]
    _ = [sum(1 for f in furthest if f >= o) for o in sorted(order.values())]
    stays: dict[int, list[float]] = defaultdict(list)
    for rows in history.values():
        for _deal, stage, entered, left in rows:
            if left is not None:
                stays[stage].append((left - entered).total_seconds() / 86400)
    _ = {stage: median(values) for stage, values in stays.items()}
    cycles = [(d["closed_at"] - d["created_at"]).total_seconds() / 86400 for d in won]
    _ = (mean(cycles), median(cycles), min(cycles), max(cycles))
    outcome: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for deal_id, rows in history.items():
        status = deals[deal_id]["status"]
        if status in ("won", "lost"):
            for row in rows:
                outcome[row[1]][status == "lost"] += 1
    _ = sum(float(d["value"]) for d in deals.values() if d["status"] in ("active", "paused"))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deals", type=int, default=1_000_000)
    args = parser.parse_args()
    vendor = bench_django()
    print(f"database: {vendor}")
    from django.contrib.auth.models import User
    from django.test import Client

    from crm.models import Brand, Contact
    from crm.services.stage_durations import stage_durations_rebuild

    brand = Brand.objects.create(slug="bench", name="Bench", from_email="sales@bench.example")
    small_count = max(100, args.deals // 100)
    add_contacts(brand, args.deals + small_count, varied=True)
    contact_ids = list(Contact.objects.filter(brand=brand).order_by("pk").values_list("pk", flat=True))
    big, small = make_pipeline(brand, "big"), make_pipeline(brand, "small")
    rng = random.Random(16)
    started = time.perf_counter()
    changes = add_deals(big, contact_ids[: args.deals], rng)
    changes += add_deals(small, contact_ids[args.deals :], rng)
    took = time.perf_counter() - started
    print(f"\n{args.deals:,} + {small_count:,} deals, {changes:,} stage changes written in {took:.0f} s")
    started = time.perf_counter()
    stage_durations_rebuild()
    analyze()
    print(f"   the stage history summed up (stage_durations_rebuild) in {time.perf_counter() - started:.0f} s")

    client = Client()
    client.force_login(User.objects.create_superuser("bench", "bench@bench.example", "x"))
    endpoints = {
        "pipeline_analytics": "/api/core/analytics/pipeline_analytics/?pipeline={}",
        "sales_forecast?months=3": "/api/core/analytics/sales_forecast/?months=3&pipeline={}",
        "sales_forecast?months=12": "/api/core/analytics/sales_forecast/?months=12&pipeline={}",
    }
    print("\nwarm, median of 5 calls through the API (target < 1 s each)")
    slowest = 0.0
    for name, url in endpoints.items():
        seconds, queries, body = timed(client, url.format(big.pk))
        _, small_queries, _ = timed(client, url.format(small.pk), rounds=1)
        slowest = max(slowest, seconds)
        print(f"   {name:26} {seconds * 1000:8.0f} ms   {queries} queries ({small_queries} for {small_count:,} deals)")
        if "method" in body and "backtest_error" in body["method"]:
            print(f"      back-test error {body['method']['backtest_error']} against the baseline's "
                  f"{body['method']['baseline_error']} ({body['method']['error_measure'].split(':')[0]})")  # fmt: skip
    python = naive(big)
    print(f"\n   naive Python over every row (some of the figures): {python:.1f} s")
    print(f"   ratio: the slowest endpoint takes {slowest / python:.3f} of the naive computation")


if __name__ == "__main__":
    main()
