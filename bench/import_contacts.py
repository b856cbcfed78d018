"""Contact import speed and memory, against a COPY and a bulk_create of the same clean rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/import_contacts.py
    .venv/bin/python bench/import_contacts.py --rows 20000 --memory-rows 0     # quick, on SQLite

Writes a CSV with realistic mess (header variants, 2% repeated addresses in
another case, 1% malformed addresses, missing DA, quoted notes with commas and
newlines, tags as "a;b", 10% mixed-case and 0.6% non-ASCII addresses), then measures, each in
a fresh database of its own (never analysed, as after `migrate` on a new server):
  service       crm.services.imports.contact_import_run on the file, in process (rows/s of the file)
  reimport      the same file again into the same database (everything already there)
  command       `manage.py import_contacts FILE --brand ...` as a user runs it: a new process,
                its start-up included
  command+deals the same with --create-deals (a deal for each contact)
  COPY          the file read into clean rows by the import's reader (repeats dropped) and COPYed
                straight into the contact table: no merge, no staging (PostgreSQL)
  bulk_create   Contact.objects.bulk_create of the same rows, prebuilt
and, in child processes, the peak memory of importing --rows and --memory-rows.
Targets on PostgreSQL: the command >= 0.6 of COPY; with deals >= 0.5 of the command without;
peak memory flat between 100,000 and 1,000,000 rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from _db import ROOT, bench_django, child_env

# The server's own URL, before bench_django() points DATABASE_URL at a database of its own.
SERVER_URL = os.environ.get("DATABASE_URL", "")

FIRST = ["Olivia", "Liam", "Amelia", "Noah", "Isla", "Priya", "Arjun", "Zoë", "Chloé", "Mateo", "Aisha", "Jack"]
LAST = ["Smith", "Nguyen", "Patel", "Sharma", "O'Brien", "García", "Kaur", "Walker", "Lee", "Khan"]
FREE_MAIL = ["gmail.com", "outlook.com", "yahoo.com"]
HEADER = ["E-mail Address", "First Name", "Last_Name", "Organisation", "Website URL", "DR", "Comments", "Labels"]


def ascii_name(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def write_csv(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)  # noqa: S311 - test data
    seen: list[str] = []
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n in range(rows):
            roll = rng.random()
            if roll < 0.02 and seen:
                email = rng.choice(seen).upper()  # a repeat, in another case
            elif roll < 0.03:
                email = f"broken-{n}.example.com"
            else:
                first = ascii_name(rng.choice(FIRST)) if rng.random() > 0.006 else rng.choice(FIRST)  # a few "zoë."
                domain = rng.choice(FREE_MAIL) if rng.random() < 0.3 else f"company{n % 12500}.example"
                email = f"{first.lower()}.{n}@{domain}"
                email = email.title() if rng.random() < 0.1 else email  # mixed case
                seen.append(email) if len(seen) < 5000 else None
            writer.writerow(
                [
                    email,
                    rng.choice(FIRST),
                    rng.choice(LAST),
                    f"Company {n % 12500}",
                    f"company{n % 12500}.example",
                    "" if rng.random() < 0.2 else str(rng.randint(1, 90)),
                    'Met at "Expo", Sydney\nfollow up' if rng.random() < 0.1 else "",
                    ";".join(rng.sample(["tech", "retail", "health", "saas", "local"], rng.randint(0, 3))),
                ]
            )


def run_import(path: Path, brand_slug: str) -> tuple[float, object]:
    from crm.models import Brand
    from crm.services.imports import contact_import_run, import_target

    brand, _ = Brand.objects.get_or_create(slug=brand_slug, defaults={"name": brand_slug, "from_email": "b@x.example"})
    target = import_target(brand=brand, source="bench")
    with path.open("rb") as stream:
        started = time.perf_counter()
        report = contact_import_run(stream=stream, target=target)
        return time.perf_counter() - started, report


def clean_rows(path: Path) -> list[object]:
    from crm.importing.reader import ContactRow, read_contacts

    unique: dict[str, ContactRow] = {}
    with path.open("rb") as stream:
        for item in read_contacts(stream):
            if isinstance(item, ContactRow):
                unique.setdefault(item.email, item)
    return list(unique.values())


def bulk_create_seconds(rows: list[object]) -> float:
    from django.db import transaction

    from crm.models import Brand, Contact

    brand = Brand.objects.create(slug="ceiling", name="ceiling", from_email="c@x.example")
    contacts = [
        Contact(
            brand=brand, email=r.email, name=r.name, first_name=r.first_name, company=r.company,  # type: ignore[attr-defined]
            website=r.website, domain_authority=r.domain_authority, notes=r.notes, tags=r.tags,  # type: ignore[attr-defined]
            source="bench",
        )
        for r in rows
    ]  # fmt: skip
    started = time.perf_counter()
    for start in range(0, len(contacts), 2000):
        with transaction.atomic():
            Contact.objects.bulk_create(contacts[start : start + 2000])
    return time.perf_counter() - started


def copy_seconds(path: Path) -> tuple[float, int]:
    """The file's rows read into clean rows (the import's own reader, repeats dropped) and COPYed
    straight into the contact table: the least an import of this file can do, nothing merged."""
    import json
    import uuid

    from django.db import connection, transaction

    from crm.models import Brand, Contact

    brand = Brand.objects.create(slug="copy", name="copy", from_email="c@x.example")
    columns = "id, brand_id, email, name, first_name, company, website, domain_authority, notes, tags, contact_type, "
    columns += "source, timezone, created_at, updated_at"
    started = time.perf_counter()
    rows = clean_rows(path)
    sql = f"COPY {Contact._meta.db_table} ({columns}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for r in rows:
            copy.write_row(
                (uuid.uuid4(), brand.pk, r.email, r.name, r.first_name, r.company, r.website,  # type: ignore[attr-defined]
                 r.domain_authority, r.notes, json.dumps(r.tags), "lead", "bench", "",  # type: ignore[attr-defined]
                 "now", "now")
            )  # fmt: skip
    return time.perf_counter() - started, len(rows)


def command_seconds(path: Path, create_deals: bool) -> tuple[float, str]:
    """`manage.py import_contacts` in a process of its own, timed from its start to its exit."""
    from django.core.management import call_command

    call_command("seed_crm_pipelines", verbosity=0)
    command = [sys.executable, "manage.py", "import_contacts", str(path), "--brand", "codeteki"]
    started = time.perf_counter()
    done = subprocess.run(command + (["--create-deals"] if create_deals else []), env=child_env(), cwd=ROOT,
                          capture_output=True, text=True, check=True)  # fmt: skip
    return time.perf_counter() - started, done.stdout.strip().splitlines()[-1]


def in_fresh_database(*arguments: str) -> dict[str, object]:
    """Run this script with `arguments` in a child process that creates and drops its own database."""
    env = {name: value for name, value in child_env().items() if name != "BENCH_DATABASE_URL"}
    env["DATABASE_URL"] = SERVER_URL
    done = subprocess.run([sys.executable, __file__, *arguments], env=env, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"child {arguments} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def child(kind: str, path: Path) -> None:
    vendor = bench_django()
    result: dict[str, object] = {}
    if kind == "service":
        seconds, report = run_import(path, "bench")
        again, _ = run_import(path, "bench")
        result = {"seconds": seconds, "again": again, "summary": report.summary()}  # type: ignore[attr-defined]
    elif kind in ("command", "command+deals"):
        seconds, summary = command_seconds(path, create_deals=kind == "command+deals")
        result = {"seconds": seconds, "summary": summary}
    elif kind == "copy" and vendor == "postgresql":
        seconds, rows = copy_seconds(path)
        result = {"seconds": seconds, "copied": rows}
    elif kind in ("copy", "bulk_create"):
        rows = clean_rows(path)
        result = {"seconds": bulk_create_seconds(rows), "rows": len(rows)}
    elif kind == "memory":
        run_import(path, f"memory-{path.stem}")
        # VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec.
        status = Path("/proc/self/status").read_text()
        result = {"mib": int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024}
    print(json.dumps(result))


def peak_memory_mib(rows: int, workdir: Path) -> float:
    path = workdir / f"memory-{rows}.csv"
    write_csv(path, rows, seed=rows)
    return float(in_fresh_database("--child", "memory", str(path))["mib"])  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--memory-rows", type=int, default=1_000_000, help="0 skips the memory comparison")
    parser.add_argument("--rounds", type=int, default=3, help="each measurement this many times; medians")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    workdir = Path(tempfile.mkdtemp())
    path = workdir / "contacts.csv"
    write_csv(path, args.rows)
    size_mib = path.stat().st_size / 2**20
    vendor = "postgresql" if SERVER_URL.startswith("postgres") else "sqlite"
    print(f"database: {vendor}, a fresh one for each measurement; file: {args.rows:,} rows, {size_mib:.1f} MiB")

    kinds = ("service", "command", "command+deals", "copy", "bulk_create")
    rounds = [{kind: in_fresh_database("--child", kind, str(path)) for kind in kinds} for _ in range(args.rounds)]

    def rate(result: dict[str, object], key: str = "seconds") -> float:
        return float(result.get("rows", args.rows)) / float(result[key])  # type: ignore[arg-type]

    def median(kind: str, key: str = "seconds") -> dict[str, object]:
        """The round whose `key` is the median for `kind` (its summary goes with it)."""
        ordered = sorted((r[kind] for r in rounds), key=lambda result: float(result[key]))  # type: ignore[arg-type]
        return ordered[len(ordered) // 2]

    service, command, deals, copy, bulk = (median(kind) for kind in kinds)
    again = median("service", "again")
    print(f"medians of {args.rounds} rounds:")
    print(f"service:       {service['seconds']:6.2f} s  {rate(service):9,.0f} rows/s   ({service['summary']})")
    print(f"reimport:      {again['again']:6.2f} s  {rate(again, 'again'):9,.0f} rows/s   (all rows already there)")
    print(f"command:       {command['seconds']:6.2f} s  {rate(command):9,.0f} rows/s   ({command['summary']})")
    print(f"command+deals: {deals['seconds']:6.2f} s  {rate(deals):9,.0f} rows/s   ({deals['summary']})")
    what = f"the file read, {copy['copied']:,} clean rows COPYed" if "copied" in copy else "SQLite: bulk_create"
    print(f"COPY:          {copy['seconds']:6.2f} s  {rate(copy):9,.0f} rows/s   ({what})")
    print(f"bulk_create:   {bulk['seconds']:6.2f} s  {rate(bulk):9,.0f} rows/s   ({bulk['rows']:,} clean rows)")

    def ratios(top: str, bottom: str) -> str:
        each = sorted(rate(r[top]) / rate(r[bottom]) for r in rounds)
        return f"{rate(median(top)) / rate(median(bottom)):.2f} (rounds {', '.join(f'{x:.2f}' for x in each)})"

    print(f"ratio service / COPY: {ratios('service', 'copy')}")
    print(f"ratio command / COPY: {ratios('command', 'copy')}  target >= 0.6")
    print(f"ratio command+deals / command: {ratios('command+deals', 'command')}  target >= 0.5")
    print(f"ratio service / bulk_create: {ratios('service', 'bulk_create')}")
    if args.memory_rows:
        small = peak_memory_mib(args.rows, workdir)
        large = peak_memory_mib(args.memory_rows, workdir)
        print(f"peak RSS: {small:.0f} MiB at {args.rows:,} rows, {large:.0f} MiB at {args.memory_rows:,} rows")
        print(f"ratio {args.memory_rows:,} / {args.rows:,} rows: {large / small:.2f}  (flat is ~1.0)")


if __name__ == "__main__":
    main()
