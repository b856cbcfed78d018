"""Contact import speed and memory, against a raw bulk_create of the same clean rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/import_contacts.py
    .venv/bin/python bench/import_contacts.py --rows 20000 --memory-rows 0     # quick, on SQLite

Writes a CSV with realistic mess (header variants, 2% repeated addresses in
another case, 1% malformed addresses, missing DA, quoted notes with commas and
newlines, tags as "a;b", 10% mixed-case and 0.6% non-ASCII addresses), then in one run measures:
  import   crm.services.imports.contact_import_run on the file (rows/s of the file)
  reimport the same file again (everything already there)
  ceiling  Contact.objects.bulk_create of the file's clean, unique rows, prebuilt
and, in child processes, the peak memory of importing --rows and --memory-rows.
Targets on PostgreSQL: import >= 20,000 rows/s and >= 0.3 of the ceiling; peak
memory flat between 100,000 and 1,000,000 rows.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from _db import ROOT, bench_django, child_env

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


def ceiling(rows: list[object]) -> float:
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


def peak_memory_mib(rows: int, workdir: Path) -> float:
    path = workdir / f"memory-{rows}.csv"
    write_csv(path, rows, seed=rows)
    command = [sys.executable, __file__, "--child-import", str(path)]
    output = subprocess.run(command, env=child_env(), capture_output=True, text=True, check=True, cwd=ROOT)
    return float(output.stdout.strip().splitlines()[-1])


def child_import(path: Path) -> None:
    bench_django()
    run_import(path, f"memory-{path.stem}")
    # VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec.
    status = Path("/proc/self/status").read_text()
    print(int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--memory-rows", type=int, default=1_000_000, help="0 skips the memory comparison")
    parser.add_argument("--child-import", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_import:
        child_import(args.child_import)
        return
    vendor = bench_django()
    workdir = Path(tempfile.mkdtemp())
    path = workdir / "contacts.csv"
    write_csv(path, args.rows)
    size_mib = path.stat().st_size / 2**20

    seconds, report = run_import(path, "bench")
    again, _ = run_import(path, "bench")
    clean = clean_rows(path)
    bulk = ceiling(clean)

    print(f"database: {vendor}; file: {args.rows:,} rows, {size_mib:.1f} MiB")
    print(f"import:   {seconds:6.2f} s  {args.rows / seconds:9,.0f} rows/s   ({report.summary()})")  # type: ignore[attr-defined]
    print(f"reimport: {again:6.2f} s  {args.rows / again:9,.0f} rows/s   (all rows already there)")
    print(f"ceiling:  {bulk:6.2f} s  {len(clean) / bulk:9,.0f} rows/s   (bulk_create of {len(clean):,} clean rows)")
    print(f"ratio import / ceiling: {(args.rows / seconds) / (len(clean) / bulk):.2f}  (target >= 0.3)")
    if args.memory_rows:
        small = peak_memory_mib(args.rows, workdir)
        large = peak_memory_mib(args.memory_rows, workdir)
        print(f"peak RSS: {small:.0f} MiB at {args.rows:,} rows, {large:.0f} MiB at {args.memory_rows:,} rows")
        print(f"ratio {args.memory_rows:,} / {args.rows:,} rows: {large / small:.2f}  (flat is ~1.0)")


if __name__ == "__main__":
    main()
