"""Write batches of imported contacts: insert new ones, fill blanks and merge tags of known ones.

Merge rules (the same in both writers): a known contact keeps every value it
has; blank text fields, a missing domain authority and a blank source are
filled from the file; new tags are appended. A row that changes nothing is
"skipped". With a pipeline, every contact of the batch that is reachable and
has never had a deal in that pipeline gets one in its first stage, due now.

PostgresWriter COPYs each batch into a temporary table and merges it with one
INSERT ... ON CONFLICT DO UPDATE (then one INSERT ... SELECT for deals); OrmWriter does
the same with bulk operations and serves SQLite and the read-only preview.
Batches must hold each email once (the service splits repeats off).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from crm.importing.reader import ContactRow
from crm.models import ActivityType, Contact, Deal, DealActivity, DealStageChange, DealStatus, StageChangeSource
from crm_site.db import relaxed_commit

TEXT_FIELDS = ("name", "first_name", "company", "website", "notes")


@dataclass(frozen=True)
class ImportTarget:
    brand_id: int
    contact_type: str
    source: str = ""
    pipeline_id: int | None = None  # set: create deals there
    first_stage_id: int | None = None
    actor_id: int | None = None


@dataclass
class BatchOutcome:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    deals_created: int = 0
    # What this write made, for listeners (crm.signals.contacts_imported); not added up.
    contact_ids: list[uuid.UUID] = field(default_factory=list)
    deal_ids: list[uuid.UUID] = field(default_factory=list)

    def add(self, other: BatchOutcome) -> None:
        self.created += other.created
        self.updated += other.updated
        self.skipped += other.skipped
        self.deals_created += other.deals_created


class ContactWriter(Protocol):
    def write(self, rows: list[ContactRow]) -> BatchOutcome: ...


def writer_for(target: ImportTarget, *, dry_run: bool = False, told: bool = False) -> ContactWriter:
    """`told`: each outcome names the contacts and deals it made (for listeners; costs an id a row)."""
    if connection.vendor == "postgresql" and not dry_run:
        return PostgresWriter(target, told=told)
    return OrmWriter(target, dry_run=dry_run)


DEAL_CREATED_NOTE = "Created by contact import"


# --- portable -----------------------------------------------------------------------


def merge_row(contact: Contact, row: ContactRow, source: str) -> bool:
    """Fill `contact`'s blanks from `row` and append new tags; return whether anything changed."""
    changed = False
    for name in TEXT_FIELDS:
        value = getattr(row, name)
        if value and not getattr(contact, name):
            setattr(contact, name, value)
            changed = True
    if contact.domain_authority is None and row.domain_authority is not None:
        contact.domain_authority = row.domain_authority
        changed = True
    if source and not contact.source:
        contact.source = source
        changed = True
    new_tags = [tag for tag in row.tags if tag not in contact.tags]
    if new_tags:
        contact.tags = [*contact.tags, *new_tags]
        changed = True
    return changed


class OrmWriter:
    def __init__(self, target: ImportTarget, *, dry_run: bool = False) -> None:
        self.target = target
        self.dry_run = dry_run
        # A dry run writes nothing, so it remembers what it would have created
        # (the preview alone holds every address of the file in memory).
        self._would_create: set[str] = set()

    def write(self, rows: list[ContactRow]) -> BatchOutcome:
        emails = [row.email for row in rows]
        known = {c.email: c for c in Contact.objects.filter(brand_id=self.target.brand_id, email__in=emails)}
        new, changed = [], []
        for row in rows:
            contact = known.get(row.email)
            if contact is None and row.email in self._would_create:
                changed.append(self._new_contact(row))
            elif contact is None:
                new.append(self._new_contact(row))
            elif merge_row(contact, row, self.target.source):
                changed.append(contact)
        outcome = BatchOutcome(created=len(new), updated=len(changed), skipped=len(rows) - len(new) - len(changed))
        if self.dry_run:
            self._would_create.update(contact.email for contact in new)
            return outcome
        now = timezone.now()
        for contact in changed:
            contact.updated_at = now
        Contact.objects.bulk_create(new, batch_size=500)
        Contact.objects.bulk_update(changed, [*TEXT_FIELDS, "domain_authority", "source", "tags", "updated_at"], 500)
        outcome.contact_ids = [contact.pk for contact in new]
        if self.target.pipeline_id:
            outcome.deal_ids = self._create_deals(emails, now)
            outcome.deals_created = len(outcome.deal_ids)
        return outcome

    def _new_contact(self, row: ContactRow) -> Contact:
        return Contact(
            brand_id=self.target.brand_id,
            email=row.email,
            contact_type=self.target.contact_type,
            source=self.target.source,
            domain_authority=row.domain_authority,
            tags=row.tags,
            **{name: getattr(row, name) for name in TEXT_FIELDS},
        )

    def _create_deals(self, emails: list[str], now: datetime) -> list[uuid.UUID]:
        pipeline_id, stage_id = self.target.pipeline_id, self.target.first_stage_id
        if pipeline_id is None or stage_id is None:
            raise ValueError("creating deals needs a pipeline and its first stage")
        contact_ids = (
            Contact.objects.reachable()
            .filter(brand_id=self.target.brand_id, email__in=emails)
            .exclude(deals__pipeline_id=pipeline_id)
            .values_list("id", flat=True)
        )
        deals = [
            Deal(
                contact_id=contact_id,
                pipeline_id=pipeline_id,
                current_stage_id=stage_id,
                furthest_stage_id=stage_id,
                status=DealStatus.ACTIVE,
                next_action_date=now,
                stage_entered_at=now,
            )
            for contact_id in contact_ids
        ]
        Deal.objects.bulk_create(deals, batch_size=500)
        DealActivity.objects.bulk_create(
            [
                DealActivity(
                    deal=deal,
                    activity_type=ActivityType.CREATED,
                    description=DEAL_CREATED_NOTE,
                    actor_id=self.target.actor_id,
                    created_at=now,
                )
                for deal in deals
            ],
            batch_size=500,
        )
        DealStageChange.objects.bulk_create(
            [
                DealStageChange(
                    deal=deal,
                    pipeline_id=pipeline_id,
                    to_stage_id=stage_id,
                    changed_at=now,
                    source=StageChangeSource.IMPORT,
                    actor_id=self.target.actor_id,
                )
                for deal in deals
            ],
            batch_size=500,
        )
        return [deal.pk for deal in deals]


# --- PostgreSQL --------------------------------------------------------------------

# Rows are COPYed into a temporary table, then merged in one statement: COPY
# is formatted in C, where binding sixteen thousand parameters is Python work.
_STAGING = """
CREATE TEMPORARY TABLE IF NOT EXISTS crm_import_rows (
    email text, name text, first_name text, company text, website text,
    domain_authority int, notes text, tags jsonb
) ON COMMIT DELETE ROWS
"""
_STAGING_COLUMNS = ("email", "name", "first_name", "company", "website", "domain_authority", "notes", "tags")

_UPSERT = """
INSERT INTO {contact} AS c (
    id, brand_id, email, name, first_name, company, website, domain_authority, notes, tags,
    contact_type, source, timezone, created_at, updated_at)
SELECT gen_random_uuid(), %(brand)s, i.email, i.name, i.first_name, i.company, i.website,
       i.domain_authority, i.notes, i.tags, %(contact_type)s, %(source)s, '', now(), now()
FROM crm_import_rows AS i
ON CONFLICT (brand_id, email) DO UPDATE SET
    name = CASE WHEN c.name = '' THEN EXCLUDED.name ELSE c.name END,
    first_name = CASE WHEN c.first_name = '' THEN EXCLUDED.first_name ELSE c.first_name END,
    company = CASE WHEN c.company = '' THEN EXCLUDED.company ELSE c.company END,
    website = CASE WHEN c.website = '' THEN EXCLUDED.website ELSE c.website END,
    notes = CASE WHEN c.notes = '' THEN EXCLUDED.notes ELSE c.notes END,
    source = CASE WHEN c.source = '' THEN EXCLUDED.source ELSE c.source END,
    domain_authority = COALESCE(c.domain_authority, EXCLUDED.domain_authority),
    tags = c.tags || COALESCE(
        (SELECT jsonb_agg(t) FROM jsonb_array_elements(EXCLUDED.tags) AS t WHERE NOT c.tags @> jsonb_build_array(t)),
        '[]'::jsonb),
    updated_at = now()
WHERE (c.name = '' AND EXCLUDED.name <> '') OR (c.first_name = '' AND EXCLUDED.first_name <> '')
   OR (c.company = '' AND EXCLUDED.company <> '') OR (c.website = '' AND EXCLUDED.website <> '')
   OR (c.notes = '' AND EXCLUDED.notes <> '') OR (c.source = '' AND EXCLUDED.source <> '')
   OR (c.domain_authority IS NULL AND EXCLUDED.domain_authority IS NOT NULL)
   OR NOT (c.tags @> EXCLUDED.tags)
RETURNING {returning}
"""

_DEALS = """
WITH targets AS (
    SELECT c.id FROM {contact} c
    WHERE c.brand_id = %(brand)s AND c.email IN (SELECT email FROM crm_import_rows)
      AND c.unsubscribed_at IS NULL AND c.bounced_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM {deal} d WHERE d.contact_id = c.id AND d.pipeline_id = %(pipeline)s)
), created AS (
    INSERT INTO {deal} (id, contact_id, pipeline_id, current_stage_id, furthest_stage_id, status, value, ai_notes,
                        next_action_date, emails_sent, needs_review, review_reason,
                        stage_entered_at, created_at, updated_at)
    SELECT gen_random_uuid(), id, %(pipeline)s, %(stage)s, %(stage)s, 'active', 0, '', now(), 0, false, '',
           now(), now(), now()
    FROM targets
    ON CONFLICT DO NOTHING
    RETURNING id
), entered AS (
    INSERT INTO {history} (deal_id, pipeline_id, to_stage_id, changed_at, source, reason, actor_id)
    SELECT id, %(pipeline)s, %(stage)s, now(), %(history_source)s, '', %(actor)s FROM created
)
INSERT INTO {activity} (deal_id, activity_type, description, metadata, actor_id, created_at)
SELECT id, %(activity_type)s, %(note)s, '{{}}'::jsonb, %(actor)s, now() FROM created
{returning}
"""


class PostgresWriter:
    def __init__(self, target: ImportTarget, *, told: bool = False) -> None:
        self.target, self.told = target, told
        tables = {
            "contact": Contact._meta.db_table,
            "deal": Deal._meta.db_table,
            "activity": DealActivity._meta.db_table,
            "history": DealStageChange._meta.db_table,
        }
        # Ids only when someone is told of them: parsing 100,000 UUIDs is a tenth of an import.
        self.upsert_sql = _UPSERT.format(**tables, returning="id, (xmax = 0)" if told else "NULL, (xmax = 0)")
        self.deals_sql = _DEALS.format(**tables, returning="RETURNING deal_id" if told else "")
        self.statistics = TableStatistics([tables["contact"], tables["deal"]])

    def write(self, rows: list[ContactRow]) -> BatchOutcome:
        # A batch need not wait for its commit to reach the disk: after a crash the
        # import is simply run again (it is idempotent).
        relaxed_commit()
        with connection.cursor() as cursor:
            cursor.execute(_STAGING)
            cursor.execute("TRUNCATE crm_import_rows")  # inside an outer transaction, rows would pile up
            with cursor.cursor.copy(f"COPY crm_import_rows ({', '.join(_STAGING_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        (row.email, row.name, row.first_name, row.company, row.website, row.domain_authority,
                         row.notes, json.dumps(row.tags) if row.tags else "[]")
                    )  # fmt: skip
            params: dict[str, int | str] = {
                "brand": self.target.brand_id,
                "contact_type": self.target.contact_type,
                "source": self.target.source,
            }
            cursor.execute(self.upsert_sql, params)
            written = cursor.fetchall()
            inserted = [contact_id for contact_id, new in written if new]
            outcome = BatchOutcome(created=len(inserted), updated=len(written) - len(inserted))
            outcome.contact_ids = inserted if self.told else []
            outcome.skipped = len(rows) - len(written)
            if self.target.pipeline_id:
                self.statistics.grown(cursor, Contact._meta.db_table, outcome.created)
                outcome.deals_created, outcome.deal_ids = self._create_deals(cursor)
                self.statistics.grown(cursor, Deal._meta.db_table, outcome.deals_created)
        return outcome

    def _create_deals(self, cursor: CursorWrapper) -> tuple[int, list[uuid.UUID]]:
        cursor.execute(
            self.deals_sql,
            {
                "brand": self.target.brand_id,
                "pipeline": self.target.pipeline_id,
                "stage": self.target.first_stage_id,
                "activity_type": ActivityType.CREATED.value,
                "history_source": StageChangeSource.IMPORT.value,
                "note": DEAL_CREATED_NOTE,
                "actor": self.target.actor_id,
            },
        )
        if not self.told:
            return int(cursor.rowcount), []
        made = [deal_id for (deal_id,) in cursor.fetchall()]
        return len(made), made


class TableStatistics:
    """ANALYZE a table each time this import has doubled it, so the deal step's plan fits its size.

    Autovacuum analyses a table some time after it grows, and never a new database's tables while
    an import is filling them: with no statistics, the planner takes a 100,000-row contact table
    for a one-page table, and the deal step of each batch compared every contact with every deal
    (a 100,000-row import with deals took minutes instead of seconds). Doubling keeps it to a
    handful of ANALYZEs, each at statistics target 10 (a sample of 3,000 rows, a few milliseconds):
    enough for the planner to know the table's size and its brands; the next ANALYZE (autovacuum's,
    once the table has changed again) refines it.
    """

    def __init__(self, tables: list[str]) -> None:
        self.known: dict[str, float | None] = dict.fromkeys(tables)  # rows at our last look; None: not read yet
        self.added: dict[str, int] = dict.fromkeys(tables, 0)

    def grown(self, cursor: CursorWrapper, table: str, rows: int) -> None:
        self.added[table] += rows
        known = self.known[table]
        if known is None:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
            known = self.known[table] = max(float(cursor.fetchone()[0]), 0.0)  # -1: never analysed
        if self.added[table] >= max(known, 1000):
            cursor.execute("SET LOCAL default_statistics_target = 10")
            cursor.execute(f'ANALYZE "{table}"')
            cursor.execute("RESET default_statistics_target")
            self.known[table] = known + self.added[table]
            self.added[table] = 0
