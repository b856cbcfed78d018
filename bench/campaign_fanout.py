"""Campaign fan-out: recipients written, mail sent, segments counted.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/campaign_fanout.py
    .venv/bin/python bench/campaign_fanout.py --recipients 5000 --send 2000 --contacts 50000   # quick, SQLite

1. Materialising --recipients recipients of a segment (campaigns.services.recipients_materialise:
   one INSERT ... SELECT over the segment's query), against a COPY of the same rows (the contact
   ids already in memory). Three rounds each, alternated; medians. Target: >= 0.5 of COPY.
2. Sending --send campaign emails to the fake Zoho (its own process): the campaign run queues
   them (rendered per contact, in chunks) and the sender claims, sends and records them, the
   recipients read back, exactly as in production; against a plain loop of requests.post with
   the same content to the same endpoint. Four rounds, alternated; medians. Target: >= 0.5.
3. Counting segments over --contacts contacts of one brand (varied types, tags, sources, domain
   authority, dates), after ANALYZE, against a bare count of the brand's contacts. Target: < 1 s each.
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from datetime import timedelta
from statistics import median
from typing import Any

from _db import bench_django, write_rows
from send_pipeline import ceiling, fake_process

TAGS = ["saas", "retail", "health", "finance", "agency", "au", "nz", "uk", "us", "enterprise", "smb", "startup"]
SOURCES = ["website", "linkedin", "referral", "event", "import", "ads"]
SEGMENTS: dict[str, dict[str, Any]] = {
    "leads tagged saas or retail, DA >= 30": {
        "contact_type": "lead", "tags_any": ["saas", "retail"], "domain_authority_min": 30,
    },
    "tags au AND enterprise": {"tags_all": ["au", "enterprise"]},
    "source website, added in the last 90 days": {"source": "website", "created_after": "-90"},
    "partners or backlink targets, DA 40-70": {
        "contact_type": ["partner", "backlink_target"], "domain_authority_min": 40, "domain_authority_max": 70,
    },
    "engaged within 30 days": {"engaged_within_days": 30},
}  # fmt: skip


def make_brand(slug: str, zoho_url: str = "") -> Any:
    from crm.models import Brand
    from tests.fakes import zoho

    credentials = (
        {"zoho_client_id": zoho.CLIENT_ID, "zoho_client_secret": zoho.CLIENT_SECRET,
         "zoho_refresh_token": zoho.REFRESH_TOKEN, "zoho_account_id": zoho.ACCOUNT_ID}
        if zoho_url else {}
    )  # fmt: skip
    return Brand.objects.create(
        slug=slug, name=slug.title(), from_email=f"news@{slug}.example", send_weekdays=[],
        hourly_send_cap=10**7, daily_send_cap=10**7, **credentials,
    )  # fmt: skip


def add_contacts(brand: Any, count: int, *, varied: bool = False, seed: int = 7) -> None:
    """`count` contacts of `brand`: COPY on PostgreSQL, executemany on SQLite."""
    import json

    from django.db import transaction
    from django.utils import timezone

    from crm.models import Contact

    rng = random.Random(seed)
    now = timezone.now()
    columns = ["id", "brand_id", "email", "name", "first_name", "company", "website", "domain_authority", "notes",
               "tags", "contact_type", "source", "timezone", "created_at", "updated_at"]  # fmt: skip
    kinds = ["lead"] * 7 + ["partner", "backlink_target", "backlink_target"]

    def rows() -> Any:
        for n in range(count):
            created = now - timedelta(days=rng.randrange(720)) if varied else now
            yield (
                uuid.uuid4(), brand.pk, f"person{n}@company{n}.example", f"Person {n}", "Person", f"Company {n}",
                f"https://company{n}.example", rng.randrange(101) if varied else 30, "",
                json.dumps(rng.sample(TAGS, rng.randrange(4)) if varied else []),
                rng.choice(kinds) if varied else "lead", rng.choice(SOURCES) if varied else "bench", "",
                created, created,
            )  # fmt: skip

    with transaction.atomic():
        write_rows(Contact._meta.db_table, columns, rows())
    analyze()


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def campaign_for(brand: Any, name: str, filters: dict[str, Any] | None = None) -> Any:
    from django.utils import timezone

    from campaigns.models import Campaign, CampaignSegment, CampaignStatus

    segment = CampaignSegment.objects.create(brand=brand, name=name, filters=filters or {"contact_type": "lead"})
    return Campaign.objects.create(
        brand=brand, segment=segment, name=name, status=CampaignStatus.SCHEDULED, scheduled_at=timezone.now(),
        subject='A quick idea for {{ company|default:"you" }}',
        content_html='<p>Hi {{ first_name|default:"there" }},</p><p>We built <a href="https://bench.example/work">'
        "this</a> for teams like {{ company }}.</p><p>Best,<br>{{ brand.from_name }}</p>",
    )  # fmt: skip


# --- 1. materialising -------------------------------------------------------------------------


def materialising(count: int, rounds: int = 3) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from campaigns.models import CampaignRecipient
    from campaigns.services import recipients_materialise
    from crm.models import Contact

    brand = make_brand("fanout")
    add_contacts(brand, count)
    campaign = campaign_for(brand, "Fan-out")
    ids = list(Contact.objects.filter(brand=brand).values_list("pk", flat=True))
    ours, copied = [], []
    columns = "campaign_id, contact_id, in_test, state, skip_reason, open_count, click_count, created_at"
    for _ in range(rounds):
        started = time.perf_counter()
        with transaction.atomic():
            written = recipients_materialise(campaign)
        ours.append(time.perf_counter() - started)
        CampaignRecipient.objects.filter(campaign=campaign).delete()
        analyze()
        now = timezone.now()
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {CampaignRecipient._meta.db_table} ({columns}) FROM STDIN") as copy:
                    for pk in ids:
                        copy.write_row((campaign.pk, pk, False, "pending", "", 0, 0, now))
            else:
                insert = f"INSERT INTO {CampaignRecipient._meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * 8)})"  # noqa: S608 - our table
                cursor.executemany(insert, [(campaign.pk, pk.hex, False, "pending", "", 0, 0, now) for pk in ids])
        copied.append(time.perf_counter() - started)
        CampaignRecipient.objects.filter(campaign=campaign).delete()
        analyze()
    method = "COPY" if connection.vendor == "postgresql" else "executemany (SQLite has no COPY)"
    print(f"\n1. materialising {written:,} recipients of a segment")
    print(f"   INSERT ... SELECT (ours): median {median(ours):.3f} s  ({written / median(ours):,.0f} rows/s)")
    print(f"   {method} of the same rows: median {median(copied):.3f} s  ({len(ids) / median(copied):,.0f} rows/s)")
    print(f"   ratio ours / baseline (speed): {median(copied) / median(ours):.2f}  (target >= 0.5)")


# --- 2. sending --------------------------------------------------------------------------------


def sending(count: int, rounds: int = 4) -> None:
    from django.conf import settings
    from django.core.cache import cache

    from campaigns.models import Campaign, CampaignStatus
    from campaigns.services import campaign_run
    from crm.mail.content import render
    from crm.models import EmailLog, EmailStatus
    from crm.services.sending import emails_send_scheduled

    per_round = count // rounds
    ours, plain = [], []
    queueing: list[float] = []
    delivering: list[float] = []
    with fake_process("zoho") as url:
        settings.ZOHO_ACCOUNTS_BASE_URL = settings.ZOHO_MAIL_BASE_URL = url
        cache.clear()
        for number in range(rounds):
            brand = make_brand(f"send{number}", url)
            add_contacts(brand, per_round)
            campaign = campaign_for(brand, f"Send {number}")
            started = time.perf_counter()
            while Campaign.objects.get(pk=campaign.pk).status != CampaignStatus.SENT:
                step = time.perf_counter()
                campaign_run(campaign_id=campaign.pk, deadline=time.monotonic() + 3600)
                queueing.append(time.perf_counter() - step)
                step = time.perf_counter()
                emails_send_scheduled(budget_seconds=3600)
                delivering.append(time.perf_counter() - step)
            ours.append(per_round / (time.perf_counter() - started))
            email = EmailLog.objects.filter(brand=brand).first()
            assert email is not None
            content = render(
                body=email.body, tracking_token=email.tracking_token, send_key=email.send_key, sender=brand.name
            ).html
            plain.append(per_round / ceiling(url, per_round, content))
    sent = EmailLog.objects.filter(status=EmailStatus.SENT).count()
    print(f"\n2. sending {sent:,} campaign emails to the fake Zoho ({rounds} rounds of {per_round:,})")
    print(f"   campaign run + sender (ours): median {median(ours):,.0f} emails/s")
    each = 1000 / (rounds * per_round)
    queue_ms, send_ms = sum(queueing) * each, sum(delivering) * each
    print(f"     of which queueing and reading back {queue_ms:.2f} ms, sending {send_ms:.2f} ms per email")
    print(f"   plain requests.post loop:     median {median(plain):,.0f} posts/s")
    print(f"   ratio: {median(ours) / median(plain):.2f}  (target >= 0.5)")


# --- 3. counting ---------------------------------------------------------------------------------


def counting(count: int) -> None:
    from django.utils import timezone

    from campaigns.segments import segment_contacts
    from crm.models import Contact

    brand = make_brand("million")
    started = time.perf_counter()
    add_contacts(brand, count, varied=True)
    print(
        f"\n3. segment counts over {count:,} contacts of one brand (written in {time.perf_counter() - started:.0f} s)"
    )

    def timed(run: Any) -> tuple[float, int]:
        best, result = float("inf"), 0
        for _ in range(3):
            started = time.perf_counter()
            result = run()
            best = min(best, time.perf_counter() - started)
        return best, result

    base, total = timed(lambda: Contact.objects.filter(brand=brand).count())
    print(f"   baseline: count of the brand's contacts        {base * 1000:7.0f} ms  ({total:,})")
    for label, filters in SEGMENTS.items():
        if filters.get("created_after") == "-90":
            filters = {**filters, "created_after": (timezone.now() - timedelta(days=90)).date().isoformat()}
        seconds, found = timed(lambda f=filters: segment_contacts(f, brand).count())
        verdict = "ok" if seconds < 1 else "OVER 1 s"
        print(
            f"   {label:<45} {seconds * 1000:7.0f} ms  ({found:,})  ratio to baseline {seconds / base:5.1f}  {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--send", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--only", choices=["materialise", "send", "count"])
    args = parser.parse_args()
    print(f"database: {bench_django()}")
    if args.only in (None, "materialise"):
        materialising(args.recipients)
    if args.only in (None, "send"):
        sending(args.send)
    if args.only in (None, "count"):
        counting(args.contacts)


if __name__ == "__main__":
    main()
