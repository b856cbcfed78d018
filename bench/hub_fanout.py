"""The hub's outgoing webhooks: fan-out throughput, and the time from a change's commit to its
delivery.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/hub_fanout.py
    .venv/bin/python bench/hub_fanout.py --events 1000 --latency-events 200     # quick, SQLite

A receiver in its own process on 127.0.0.1 answers 204 to every POST and notes when each
`webhook-id` arrived.

1. Throughput: --events `opportunity.won` events (the payload a real deal makes) written to the
   outbox, three signed webhooks subscribed; the dispatcher (hub.tasks.hub_dispatch_task, the code
   the worker runs) fans them out and delivers each event to each endpoint: a claim, a signed POST
   through integrations.http.post_checked, a delivery row. Against a plain loop of requests.post
   sending the same bodies to the same three URLs. Target: ours >= 0.5 of the plain loop.
2. Latency: a real Celery worker process (-c 2, as `make run` starts it); --latency-events deals
   won one at a time, --rate a second, each in its own transaction; for each delivery, the time
   from the commit to its arrival at the receiver. Target: p99 < 2 s.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from statistics import median
from typing import Any

from _db import ROOT, bench_django, child_env

os.environ.setdefault("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true")  # the receiver is on loopback


def _serve(port_out: Any) -> None:
    arrivals: list[tuple[str, str, float]] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            self.rfile.read(int(self.headers.get("content-length") or 0))
            arrivals.append((self.path, self.headers.get("webhook-id") or "", time.time()))
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def do_GET(self) -> None:  # noqa: N802
            body = json.dumps(arrivals).encode()
            if self.path == "/reset":
                arrivals.clear()
                body = b"[]"
            self.send_response(200)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_out.put(server.server_address[1])
    server.serve_forever()


def receiver() -> tuple[multiprocessing.Process, str]:
    ports: Any = multiprocessing.Queue()
    process = multiprocessing.Process(target=_serve, args=(ports,), daemon=True)
    process.start()
    return process, f"http://127.0.0.1:{ports.get(timeout=10)}"


def arrivals(url: str, *, reset: bool = False) -> list[tuple[str, str, float]]:
    import requests

    return [tuple(row) for row in requests.get(f"{url}/{'reset' if reset else 'log'}", timeout=30).json()]


def setup(url: str) -> tuple[Any, Any, list[Any]]:
    from crm.models import Brand
    from crm.services.seed import seed_crm_pipelines
    from hub.services.webhooks import webhook_create

    seed_crm_pipelines()
    brand = Brand.objects.get(slug="codeteki")
    hooks = [
        webhook_create(name=f"Endpoint {n}", url=f"{url}/hook/{n}", events=["opportunity.won"], brand=brand, user=None)
        for n in range(3)
    ]
    return brand, brand.pipelines.get(slug="sales"), hooks


def won_deal(brand: Any, sales: Any, n: int) -> Any:
    from crm.models import Contact
    from crm.services.deals import deal_create, deal_move_to_stage

    contact = Contact.objects.create(brand=brand, email=f"lead{n}@bench.example", name=f"Lead {n}", company="Bench")
    return deal_move_to_stage(deal=deal_create(contact=contact, pipeline=sales), stage=sales.stages.get(outcome="won"))


def write_events(brand: Any, data: dict[str, Any], count: int) -> list[bytes]:
    """`count` opportunity.won events in the outbox (`data`, a real deal's payload, ids varied); their bodies."""
    import uuid

    from django.utils import timezone

    from hub.models import Event, WebhookMessage
    from hub.services.webhooks import body_of

    Event.objects.all().delete()
    WebhookMessage.objects.all().delete()
    now = timezone.now()
    events = [
        Event(
            id=uuid.uuid4(),
            type="opportunity.won",
            brand=brand,
            data={**data, "id": str(uuid.uuid4())},
            occurred_at=now,
        )
        for _ in range(count)
    ]
    Event.objects.bulk_create(events, batch_size=2000)
    return [body_of(event) for event in events]


def ours(count: int, url: str) -> float:
    from hub.models import MessageState, WebhookMessage
    from hub.tasks import hub_dispatch_task

    started = time.perf_counter()
    while hub_dispatch_task() or WebhookMessage.objects.filter(state=MessageState.PENDING).exists():
        pass
    seconds = time.perf_counter() - started
    delivered = WebhookMessage.objects.filter(state=MessageState.DELIVERED).count()
    assert delivered == count * 3, (delivered, count * 3)
    return seconds


def plain_loop(bodies: list[bytes], url: str, *, keep_alive: bool = False) -> float:
    """requests.post per body (a connection each, as a naive sender does), or one Session
    (keep-alive: the ceiling of any sender in Python)."""
    import requests

    post = requests.Session().post if keep_alive else requests.post
    started = time.perf_counter()
    for body in bodies:
        for n in range(3):
            post(
                f"{url}/hook/{n}", data=body, headers={"content-type": "application/json"}, timeout=10
            ).raise_for_status()
    return time.perf_counter() - started


def throughput(brand: Any, sales: Any, url: str, count: int, rounds: int) -> None:
    from hub.serializers import deal_data

    data = deal_data(won_deal(brand, sales, -1))
    ratios, ceiling_ratios, mine, theirs, ceilings = [], [], [], [], []
    for _ in range(rounds):  # alternated, so drift in the machine's speed hits all three
        bodies = write_events(brand, data, count)
        arrivals(url, reset=True)
        ours_s = ours(count, url)
        theirs_s = plain_loop(bodies, url)
        ceiling_s = plain_loop(bodies, url, keep_alive=True)
        mine.append(count * 3 / ours_s)
        theirs.append(count * 3 / theirs_s)
        ceilings.append(count * 3 / ceiling_s)
        ratios.append(theirs_s / ours_s)
        ceiling_ratios.append(ceiling_s / ours_s)
    print(f"\n1. Fan-out: {count:,} events x 3 endpoints = {count * 3:,} signed deliveries, {rounds} rounds (medians)")
    print(f"   ours (dispatcher, claims, delivery rows):   {median(mine):8.0f} deliveries/s")
    print(f"   plain requests.post loop, same bodies:      {median(theirs):8.0f} posts/s")
    print(f"   keep-alive requests.Session loop (ceiling): {median(ceilings):8.0f} posts/s")
    print(f"   ratio ours / plain loop: {median(ratios):.2f}  (target >= 0.5)")
    print(f"   ratio ours / ceiling:    {median(ceiling_ratios):.2f}")


def latency(brand: Any, sales: Any, url: str, count: int, rate: float) -> None:
    from django.db import transaction

    from hub.models import Event

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "crm_site", "worker", "-c", "2", "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"bench-hub-{os.getpid()}@%h"],
        cwd=ROOT, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        time.sleep(5)  # the worker connects to the broker
        won_deal(brand, sales, -2)  # a first one, to warm everything up
        time.sleep(2)
        arrivals(url, reset=True)
        committed: dict[str, float] = {}
        for n in range(count):
            with transaction.atomic():
                deal = won_deal(brand, sales, n)
                event = Event.objects.filter(type="opportunity.won", data__id=str(deal.pk)).get()
            committed[f"msg_{event.pk.hex}"] = time.time()
            time.sleep(max(0.0, 1 / rate))
        deadline = time.time() + 60
        while len(got := [row for row in arrivals(url) if row[1] in committed]) < count * 3 and time.time() < deadline:
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(30)
    delays = sorted(at - committed[webhook_id] for _, webhook_id, at in got)
    lost = count * 3 - len(delays)

    def pct(p: float) -> float:
        return delays[min(len(delays) - 1, int(p * len(delays)))] if delays else float("nan")

    print(f"\n2. Commit to delivery: {count} deals won at {rate:g}/s, 3 endpoints, a real worker (-c 2)")
    print(f"   p50 {pct(0.50) * 1000:6.0f} ms   p95 {pct(0.95) * 1000:6.0f} ms   p99 {pct(0.99) * 1000:6.0f} ms   "
          f"max {delays[-1] * 1000 if delays else float('nan'):6.0f} ms   (target p99 < 2000 ms)")  # fmt: skip
    print(f"   deliveries {len(delays)} of {count * 3}, not arrived within 60 s: {lost}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--latency-events", type=int, default=300)
    parser.add_argument("--rate", type=float, default=10.0, help="deals won a second in part 2")
    args = parser.parse_args()
    vendor = bench_django()
    from django.conf import settings

    process, url = receiver()
    try:
        brand, sales, _ = setup(url)
        print(f"database: {vendor}; broker: {settings.CELERY_BROKER_URL.split('://')[0]}")
        throughput(brand, sales, url, args.events, args.rounds)
        latency(brand, sales, url, args.latency_events, args.rate)
    finally:
        process.terminate()


if __name__ == "__main__":
    main()
