"""An uploaded contact import, looked at before it runs: the columns found (and a person's
corrections), sample rows with what each would do, and what the first rows would create, update
or skip and why. Nothing is written until contact_import_start."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction

from crm.errors import ImportFileError
from crm.importing.reader import (
    ALIASES,
    ContactRow,
    RowError,
    cell_getter,
    csv_rows,
    data_rows,
    detect_columns,
    map_header,
)
from crm.importing.writers import merge_row
from crm.models import Contact, ContactImport, ImportStatus
from crm.services.imports import ImportReport, contact_import_run, import_target

PREVIEW_ROWS = 1000  # the rows a preview's counts cover
SAMPLE_ROWS = 10
COLUMN_LABELS = {
    "email": "Email", "name": "Name", "first_name": "First name", "last_name": "Last name", "company": "Company",
    "website": "Website", "domain_authority": "Domain authority", "notes": "Notes", "tags": "Tags",
}  # fmt: skip


@dataclass
class Sample:
    line: int
    email: str
    name: str
    company: str
    verdict: str  # what importing the row would do, or why it cannot


@dataclass
class ImportPreview:
    header: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)  # the first row's cell under each header cell
    columns: dict[str, int] = field(default_factory=dict)  # the mapping shown (chosen, else detected)
    samples: list[Sample] = field(default_factory=list)
    report: ImportReport | None = None
    error: str = ""  # why the file cannot be imported as mapped

    def column_of(self, index: int) -> str:
        return next((column for column, at in self.columns.items() if at == index), "")


def contact_import_preview(*, contact_import: ContactImport, columns: dict[str, int] | None = None) -> ImportPreview:
    """The file's header, the mapping (`columns`, else the import's, else detected), ten sample rows
    with their verdicts, and the counts of a dry run over the first PREVIEW_ROWS rows."""
    preview = ImportPreview()
    try:
        with contact_import.file.open("rb") as stream:
            reader = csv_rows(stream)
            preview.header = next(reader)
            first = next(reader, [])
            preview.examples = [first[i] if i < len(first) else "" for i in range(len(preview.header))]
        preview.columns = columns or contact_import.column_map or detect_columns(preview.header)
        map_header(preview.header, preview.columns)  # refuses a mapping without the email
        preview.samples = _samples(contact_import, preview.columns)
        preview.report = _dry_run(contact_import, preview.columns)
    except ImportFileError as exc:
        preview.error = str(exc)
    return preview


def _samples(contact_import: ContactImport, columns: dict[str, int]) -> list[Sample]:
    with contact_import.file.open("rb") as stream:
        reader = csv_rows(stream)
        next(reader)
        rows = list(islice(data_rows(reader, cell_getter(columns)), SAMPLE_ROWS))
    emails = [row.email for row in rows if isinstance(row, ContactRow)]
    known = {c.email: c for c in Contact.objects.filter(brand_id=contact_import.brand_id, email__in=emails)}
    seen: set[str] = set()
    return [_sample(row, known, seen, contact_import.source) for row in rows]


def _sample(row: ContactRow | RowError, known: dict[str, Contact], seen: set[str], source: str) -> Sample:
    if isinstance(row, RowError):
        return Sample(row.line, row.email, "", "", f"Skipped: {row.reason}")
    contact = known.get(row.email)
    if contact is not None:
        verdict = (
            "Updates the contact: fills its blanks, adds tags"
            if merge_row(contact, row, source)
            else "Already there with nothing new: unchanged"
        )
    elif row.email in seen:
        verdict = "Repeats an address above: merged into it"
    else:
        verdict = "Creates a new contact"
    seen.add(row.email)
    return Sample(row.line, row.email, row.name, row.company, verdict)


def _dry_run(contact_import: ContactImport, columns: dict[str, int]) -> ImportReport:
    target = import_target(
        brand=contact_import.brand, contact_type=contact_import.contact_type, source=contact_import.source
    )
    with contact_import.file.open("rb") as stream:
        return contact_import_run(stream=stream, target=target, dry_run=True, columns=columns, limit=PREVIEW_ROWS)


def columns_from(choices: dict[str, str], width: int) -> dict[str, int]:
    """A person's mapping ({"col_3": "email", ...}) as column -> index; a column chosen twice is an error."""
    columns: dict[str, int] = {}
    for index in range(width):
        column = choices.get(f"col_{index}", "")
        if not column:
            continue
        if column not in ALIASES:
            raise ImportFileError(f"Unknown column {column!r}.")
        if column in columns:
            raise ImportFileError(f"{COLUMN_LABELS[column]} is chosen for two columns; choose it once.")
        columns[column] = index
    return columns


def contact_import_start(*, contact_import: ContactImport, columns: dict[str, int]) -> ContactImport:
    """Confirm a previewed import with its mapping: it is queued for a worker."""
    from crm.tasks import process_contact_import

    with contact_import.file.open("rb") as stream:
        map_header(next(csv_rows(stream)), columns)  # an email column, and columns the file has
    started = ContactImport.objects.filter(pk=contact_import.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.PENDING, column_map=columns
    )
    if not started:
        raise ImportFileError("This import has already been started.")
    transaction.on_commit(lambda: process_contact_import.delay(import_id=str(contact_import.pk)))
    contact_import.refresh_from_db()
    return contact_import
