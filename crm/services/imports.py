"""Contact import: the one service behind `manage.py import_contacts` and admin uploads."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from itertools import islice
from typing import BinaryIO

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from crm.errors import ImportFileError
from crm.importing.reader import ContactRow, RowError, read_contacts
from crm.importing.writers import BatchOutcome, ContactWriter, ImportTarget, writer_for
from crm.models import MAX_STORED_ERRORS, Brand, Contact, ContactImport, ContactType, ImportStatus, Pipeline
from crm.signals import contacts_import_wanted, contacts_imported
from crm_site import claims
from lib.collector import collector_paused

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
# A ContactImport left "processing" this long (its worker died) may be claimed again.
# Longer than the task's time limit (30 min): a worker that died leaves the import free again.
IMPORT_LEASE = timedelta(minutes=35)


@dataclass
class ImportReport:
    rows: int = 0
    failed: int = 0
    outcome: BatchOutcome = field(default_factory=BatchOutcome)
    errors: list[RowError] = field(default_factory=list)

    @property
    def created(self) -> int:
        return self.outcome.created

    @property
    def updated(self) -> int:
        return self.outcome.updated

    @property
    def skipped(self) -> int:
        return self.outcome.skipped

    @property
    def deals_created(self) -> int:
        return self.outcome.deals_created

    def add_error(self, error: RowError) -> None:
        self.failed += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(error)

    def summary(self) -> str:
        text = (
            f"{self.rows} rows: {self.created} created, {self.updated} updated, "
            f"{self.skipped} unchanged, {self.failed} failed"
        )
        return text + (f"; {self.deals_created} deals created" if self.deals_created else "")


def import_target(
    *,
    brand: Brand,
    contact_type: str = ContactType.LEAD,
    source: str = "",
    pipeline: Pipeline | None = None,
    actor: User | None = None,
) -> ImportTarget:
    """Check the options of an import and resolve them to ids."""
    if contact_type not in ContactType.values:
        raise ImportFileError(f"Unknown contact type {contact_type!r}; use one of {', '.join(ContactType.values)}.")
    stage_id = None
    if pipeline is not None:
        if pipeline.brand_id != brand.pk:
            raise ImportFileError(f"Pipeline {pipeline.slug!r} belongs to another brand than {brand.slug!r}.")
        stage = pipeline.first_stage()
        if stage is None:
            raise ImportFileError(f"Pipeline {pipeline.slug!r} has no open stage to put deals in.")
        stage_id = stage.pk
    return ImportTarget(
        brand_id=brand.pk,
        contact_type=contact_type,
        source=source.strip()[:100],
        pipeline_id=pipeline.pk if pipeline else None,
        first_stage_id=stage_id,
        actor_id=actor.pk if actor else None,
    )


def contact_import_run(
    *,
    stream: BinaryIO,
    target: ImportTarget,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    on_progress: Callable[[ImportReport], None] | None = None,
    on_error: Callable[[RowError], None] | None = None,
    columns: dict[str, int] | None = None,
    limit: int | None = None,
) -> ImportReport:
    """Import the CSV in `stream`, a batch per transaction; bad rows are reported, the rest go in.

    Re-running the same file changes nothing more: contacts are keyed on
    (brand, email) and deals are created only where none exists. `columns` replaces the header's
    detected mapping; `limit` stops after that many rows (a preview).
    """
    told = not dry_run and any(
        wants for _, wants in contacts_import_wanted.send(sender=Contact, brand_id=target.brand_id)
    )
    writer = writer_for(target, dry_run=dry_run, told=told)
    report = ImportReport()
    # Rows make no reference cycles; left on, the collector rescans each batch as it fills (~7 %).
    with collector_paused():
        rows = read_contacts(stream, columns)
        for batch in _batches(islice(rows, limit) if limit else rows, report, batch_size, on_error):
            _write_batch(writer, batch, report, target=target if told else None)
            if on_progress:
                on_progress(report)
    return report


def _batches(
    items: Iterator[ContactRow | RowError],
    report: ImportReport,
    size: int,
    on_error: Callable[[RowError], None] | None,
) -> Iterator[list[ContactRow]]:
    batch: list[ContactRow] = []
    for item in items:
        report.rows += 1
        if isinstance(item, RowError):
            report.add_error(item)
            if on_error:
                on_error(item)
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_batch(
    writer: ContactWriter, rows: list[ContactRow], report: ImportReport, *, target: ImportTarget | None = None
) -> None:
    # An email repeated in the batch is written in a second pass, as an update
    # of the row the first pass created: one upsert may not touch a row twice.
    made = ImportedBatch(target.brand_id if target else 0, [], [])
    with transaction.atomic():
        while rows:
            unique, rows = split_repeats(rows)
            outcome = writer.write(unique)
            report.outcome.add(outcome)
            made.contact_ids.extend(outcome.contact_ids)
            made.deal_ids.extend(outcome.deal_ids)
        if target is not None and (made.contact_ids or made.deal_ids):
            contacts_imported.send(sender=Contact, batch=made)  # listeners write in this transaction


@dataclass(frozen=True)
class ImportedBatch:
    """What one batch of an import made: its new contacts and the deals it opened (ids)."""

    brand_id: int
    contact_ids: list[uuid.UUID]
    deal_ids: list[uuid.UUID]


def split_repeats(rows: list[ContactRow]) -> tuple[list[ContactRow], list[ContactRow]]:
    seen: set[str] = set()
    first: list[ContactRow] = []
    repeats: list[ContactRow] = []
    for row in rows:
        (repeats if row.email in seen else first).append(row)
        seen.add(row.email)
    return first, repeats


# --- admin uploads, processed by crm.tasks.process_contact_import ------------------


def contact_import_process(*, import_id: uuid.UUID | str) -> ContactImport | None:
    """Run an uploaded import, keeping its progress and report on the row; None when it is done
    or another worker holds it (crm_site.claims: an owner, a lease past the task's time limit)."""
    where = Q(status__in=[ImportStatus.PENDING, ImportStatus.PROCESSING])
    claim = claims.claim_row(ContactImport, import_id, lease=IMPORT_LEASE, where=where)
    if claim is None:
        return None
    ContactImport.objects.filter(pk=import_id).update(status=ImportStatus.PROCESSING, started_at=timezone.now())
    contact_import = ContactImport.objects.select_related("brand", "pipeline").get(pk=import_id)
    try:
        _process(contact_import, claim)
    except ImportFileError as exc:
        _finish(contact_import, claim, ImportStatus.FAILED, error_message=str(exc))
    except Exception as exc:
        # Not retried by itself: a person looks, then uploads again (a re-import changes nothing
        # that went in). The claim is let go with the error kept.
        logger.exception("contact import %s failed", contact_import.pk)
        claim.fail(
            f"{type(exc).__name__}: {exc}", status=ImportStatus.FAILED, finished_at=timezone.now(),
            error_message="Unexpected error; the log has the details.",
        )  # fmt: skip
        raise
    return contact_import


def _process(contact_import: ContactImport, claim: claims.Claim) -> None:
    target = import_target(
        brand=contact_import.brand,
        contact_type=contact_import.contact_type,
        source=contact_import.source,
        pipeline=contact_import.pipeline if contact_import.create_deals else None,
        actor=contact_import.created_by,
    )
    with contact_import.file.open("rb") as stream:
        contact_import.total_rows = estimate_rows(stream)
        contact_import.save(update_fields=["total_rows"])
        report = contact_import_run(
            stream=stream, target=target, columns=contact_import.column_map or None,
            on_progress=lambda r: _save_counts(contact_import, claim, r),
        )  # fmt: skip
    _save_counts(contact_import, claim, report)
    _finish(contact_import, claim, ImportStatus.COMPLETED, errors=[asdict(error) for error in report.errors])


def estimate_rows(stream: BinaryIO) -> int:
    """Data rows, counted as line breaks less the header; used for the progress bar."""
    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
    stream.seek(0)
    return max(lines - 1, 0)


class ImportClaimLost(Exception):
    """The lease ran out and another worker took the import over: this one stops."""


def _save_counts(contact_import: ContactImport, claim: claims.Claim, report: ImportReport) -> None:
    """The progress, written only while the claim is ours."""
    contact_import.processed_rows = report.rows
    contact_import.created_count = report.created
    contact_import.updated_count = report.updated
    contact_import.skipped_count = report.skipped
    contact_import.failed_count = report.failed
    contact_import.deals_created = report.deals_created
    counts = {
        "processed_rows": report.rows, "created_count": report.created, "updated_count": report.updated,
        "skipped_count": report.skipped, "failed_count": report.failed, "deals_created": report.deals_created,
    }  # fmt: skip
    if not ContactImport.objects.filter(pk=contact_import.pk, claim_owner=claim.owner).update(**counts):
        raise ImportClaimLost(f"import {contact_import.pk} was taken over by another worker")


def _finish(
    contact_import: ContactImport,
    claim: claims.Claim,
    status: str,
    *,
    errors: list[dict[str, object]] | None = None,
    error_message: str = "",
) -> None:
    contact_import.status = status
    contact_import.finished_at = timezone.now()
    contact_import.error_message = error_message
    fields: dict[str, object] = {
        "status": status,
        "finished_at": contact_import.finished_at,
        "error_message": error_message,
    }
    if errors is not None:
        contact_import.errors = errors
        contact_import.total_rows = contact_import.processed_rows
        fields |= {"errors": errors, "total_rows": contact_import.total_rows}
    claim.release(**fields)
