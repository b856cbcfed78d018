"""Sending throughput against a plain HTTP loop, and prompt sizes per AI decision.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/send_pipeline.py
    .venv/bin/python bench/send_pipeline.py --emails 300          # quick, on SQLite

1. Queues --emails pending emails (in four rounds) for a brand whose Zoho Mail is the fake
   Zoho (its own process, on loopback) and runs send_scheduled_emails' service until all are
   sent: every email is claimed, rendered, sent and recorded as in production. Each round
   is followed by a plain loop of requests.post to the same fake's send endpoint with the same
   rendered content (the ceiling); medians are compared. Target: at least 0.5 of the ceiling.
2. With the fake OpenAI (its own process), runs the agent's four operations over --deals
   deals and prints the mean prompt tokens per decision type (characters / 4, the fake's
   count). Target: compose at most 1,200.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from contextlib import contextmanager
from typing import Any

from _db import ROOT, bench_django


@contextmanager
def fake_process(name: str) -> Any:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.serve", name], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(10)


def queue_emails(count: int, start: int = 0) -> Any:
    from django.db import transaction

    from crm.models import Brand, Contact, Deal, EmailLog, Pipeline, PipelineStage
    from tests.fakes import zoho

    brand, _ = Brand.objects.get_or_create(
        slug="bench",
        defaults={
            "name": "Bench", "from_email": "sales@bench.example", "send_weekdays": [], "hourly_send_cap": 10**6,
            "daily_send_cap": 10**6, "zoho_client_id": zoho.CLIENT_ID, "zoho_client_secret": zoho.CLIENT_SECRET,
            "zoho_refresh_token": zoho.REFRESH_TOKEN, "zoho_account_id": zoho.ACCOUNT_ID,
        },
    )  # fmt: skip
    pipeline, _ = Pipeline.objects.get_or_create(brand=brand, slug="sales", defaults={"name": "Sales"})
    stage, _ = PipelineStage.objects.get_or_create(
        pipeline=pipeline, name="New Lead", defaults={"order": 1, "days_until_followup": 3}
    )
    with transaction.atomic():
        contacts = Contact.objects.bulk_create(
            Contact(brand=brand, email=f"lead{n}@shop{n}.example", name=f"Lead {n}")
            for n in range(start, start + count)
        )
        deals = Deal.objects.bulk_create(Deal(contact=c, pipeline=pipeline, current_stage=stage) for c in contacts)
        EmailLog.objects.bulk_create(
            EmailLog(
                deal=d,
                brand=brand,
                contact=d.contact,
                to_email=d.contact.email,
                subject="A quick idea",
                body="Hi,\n\nA short note.\n\nBest",
            )  # fmt: skip
            for d in deals
        )
    return brand


def sample_content() -> str:
    """The HTML one of the queued emails goes out with (pixel, footer and send key included)."""
    from crm.mail.content import render
    from crm.models import EmailLog

    email = EmailLog.objects.order_by("created_at").first()
    assert email is not None
    return render(body=email.body, tracking_token=email.tracking_token, send_key=email.send_key, sender="Bench").html


def ceiling(url: str, count: int, content: str | None = None) -> float:
    """Seconds for `count` plain requests.post sends of `content` (default: one of our queued
    emails as it goes out) to the fake Zoho at `url`."""
    import requests

    from tests.fakes import zoho

    session = requests.Session()
    token = session.post(
        f"{url}/oauth/v2/token",
        data={"grant_type": "refresh_token", "client_id": zoho.CLIENT_ID, "client_secret": zoho.CLIENT_SECRET,
              "refresh_token": zoho.REFRESH_TOKEN},
        timeout=10,
    ).json()["access_token"]  # fmt: skip
    headers = {"Authorization": f"Zoho-oauthtoken {token}"}
    body = {
        "fromAddress": "sales@bench.example",
        "subject": "A quick idea",
        "content": content or sample_content(),  # the same bytes on the wire as one of ours
        "mailFormat": "html",
    }
    started = time.perf_counter()
    for n in range(count):
        session.post(f"{url}/api/accounts/{zoho.ACCOUNT_ID}/messages", json={**body, "toAddress": f"l{n}@x.example"},
                     headers=headers, timeout=10).raise_for_status()  # fmt: skip
    return time.perf_counter() - started


def sending(count: int, rounds: int = 4) -> None:
    """Alternate rounds of ours and the ceiling, so that drift in the machine's speed hits both."""
    from statistics import median

    from django.conf import settings

    from crm.models import EmailLog, EmailStatus
    from crm.services.sending import emails_send_scheduled

    per_round = count // rounds
    ours, plain = [], []
    with fake_process("zoho") as url:
        settings.ZOHO_ACCOUNTS_BASE_URL = settings.ZOHO_MAIL_BASE_URL = url
        for number in range(rounds):
            queue_emails(per_round, start=number * per_round)
            started = time.perf_counter()
            emails_send_scheduled(budget_seconds=3600)
            ours.append(per_round / (time.perf_counter() - started))
            plain.append(per_round / ceiling(url, per_round))
    sent = EmailLog.objects.filter(status=EmailStatus.SENT).count()
    print(f"send_scheduled_emails: {sent:,} emails sent; median {median(ours):,.0f} emails/s over {rounds} rounds")
    print(f"plain requests.post:   median {median(plain):,.0f} posts/s (ceiling)")
    print(f"ratio: {median(ours) / median(plain):.2f}  (target >= 0.5)")


def prompt_tokens(deals: int) -> None:
    from django.conf import settings
    from django.db.models import Avg, Count, Max

    from crm.ai import CRMAIAgent
    from crm.demo import seed_demo
    from crm.models import AIDecisionLog, Deal
    from tests.fakes.openai import API_KEY

    seed_demo()
    with fake_process("openai") as url:
        settings.OPENAI_API_KEY, settings.OPENAI_BASE_URL, settings.AI_PROVIDER = API_KEY, url + "/v1", "openai"
        agent = CRMAIAgent(use_ai=True)
        AIDecisionLog.objects.all().delete()
        demo = Deal.objects.filter(status="active", pipeline__brand__slug__in=["codeteki", "desi-firms"])
        for deal in demo.select_related("contact")[:deals]:
            agent.analyze_deal(deal)
            agent.compose_email(deal)
            agent.classify_reply("Thanks, this sounds interesting. What would it cost for a team of five?", deal=deal)
            agent.score_lead(deal.contact)
    rows = (
        AIDecisionLog.objects.exclude(model="rules")
        .values("decision_type")
        .annotate(n=Count("id"), mean=Avg("prompt_tokens"), most=Max("prompt_tokens"))
    )
    for row in rows.order_by("decision_type"):
        kind, mean, most, calls = row["decision_type"], row["mean"], row["most"], row["n"]
        print(f"prompt tokens, {kind:<15} mean {mean:6.0f}  max {most:5d}  ({calls} calls)")
    print("target: compose_email mean <= 1,200")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--emails", type=int, default=2000)
    parser.add_argument("--deals", type=int, default=40)
    args = parser.parse_args()
    vendor = bench_django()
    print(f"database: {vendor}")
    sending(args.emails)
    prompt_tokens(args.deals)


if __name__ == "__main__":
    main()
