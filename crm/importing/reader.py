"""Read a contacts CSV into normalised rows and per-row errors, streaming.

Accepts UTF-8 (with or without BOM), UTF-16 (with BOM) and Windows-1252, line
by line, so one stray byte does not spoil the file; commas, semicolons or tabs;
headers matched without regard to case, spaces, dashes or underscores. Bad rows
become RowError with their line number; the rest go on.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from crm.errors import ImportFileError
from crm.models import normalize_email

MAX_FIELD_CHARS = 100_000
DELIMITERS = ",;\t"

# Canonical column -> accepted header spellings, compared after header_key().
ALIASES: dict[str, tuple[str, ...]] = {
    "email": ("email", "emailaddress", "contactemail"),
    "name": ("name", "fullname", "contactname"),
    "first_name": ("firstname", "givenname"),
    "last_name": ("lastname", "surname", "familyname"),
    "company": ("company", "companyname", "organization", "organisation", "business"),
    "website": ("website", "websiteurl", "url", "domain"),
    "domain_authority": ("domainauthority", "da", "dr", "authority", "domainrating"),
    "notes": ("notes", "note", "comments", "comment", "description"),
    "tags": ("tags", "tag", "labels", "label", "categories", "category"),
}
_HEADER_KEY = {alias: column for column, aliases in ALIASES.items() for alias in aliases}
MAX_EMAIL_CHARS = 254  # the column's size (RFC 5321's path limit)

# Django's own email rules, compiled once: its validator reaches them through
# lazy objects, which costs more than the match itself on a million rows.
_email_validator = EmailValidator()
_USER = re.compile(EmailValidator.user_regex.pattern, EmailValidator.user_regex.flags)
_DOMAIN = re.compile(EmailValidator.domain_regex.pattern, EmailValidator.domain_regex.flags)


def is_valid_email(value: str) -> bool:
    """Exactly Django's EmailValidator, with the common case on a fast path."""
    if not value or "@" not in value or len(value) > MAX_EMAIL_CHARS:
        return False
    user, domain = value.rsplit("@", 1)
    if _USER.match(user) and _DOMAIN.match(domain):
        return True
    try:
        _email_validator(value)  # address literals and the allowlist
    except ValidationError:
        return False
    return True


def header_key(text: str) -> str:
    return re.sub(r"[\s\-_]+", "", text.strip().lower())


@dataclass(slots=True)
class ContactRow:
    line: int
    email: str
    name: str = ""
    first_name: str = ""
    company: str = ""
    website: str = ""
    domain_authority: int | None = None
    notes: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RowError:
    line: int
    email: str
    reason: str


# --- bytes -> text lines -------------------------------------------------------


def _utf16_lines(stream: BinaryIO) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-16")()
    pending = ""
    for chunk in iter(lambda: stream.read(1 << 16), b""):
        pending += decoder.decode(chunk)
        *lines, pending = pending.splitlines(keepends=True) or [""]
        yield from lines
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def _byte_lines(stream: BinaryIO) -> Iterator[str]:
    """UTF-8 where a line decodes as UTF-8, else Windows-1252 (which decodes anything)."""
    if stream.read(3) != codecs.BOM_UTF8:
        stream.seek(0)
    for raw in stream:
        if b"\x00" in raw:
            raw = raw.replace(b"\x00", b"")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield raw.decode("cp1252", errors="replace")


def text_lines(stream: BinaryIO) -> Iterator[str]:
    """The file's lines as text, NUL characters dropped."""
    head = stream.read(2)
    stream.seek(0)
    if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return (line.replace("\x00", "") for line in _utf16_lines(stream))
    return _byte_lines(stream)


# --- header ---------------------------------------------------------------------


def sniff_delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def detect_columns(cells: list[str]) -> dict[str, int]:
    """Canonical column -> index, from the header's spellings; the first column of each kind wins."""
    mapping: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = _HEADER_KEY.get(header_key(cell))
        if column and column not in mapping:
            mapping[column] = index
    return mapping


def map_header(cells: list[str], chosen: dict[str, int] | None = None) -> dict[str, int]:
    """The columns to read: `chosen` (a person's mapping) or those detected; one must be the email."""
    mapping = dict(chosen) if chosen else detect_columns(cells)
    if any(column not in ALIASES or not 0 <= index < len(cells) for column, index in mapping.items()):
        raise ImportFileError("The column mapping names a column the file does not have.")
    if "email" not in mapping:
        found = ", ".join(repr(cell) for cell in cells if cell.strip()) or "none"
        raise ImportFileError(
            f"No email column (accepted: email, email_address, e-mail, contact_email). Found: {found}."
        )
    return mapping


# --- rows -----------------------------------------------------------------------


def _domain_authority(raw: str) -> int | None:
    text = raw.strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"domain_authority must be a number from 0 to 100, not {text!r}") from None
    if not number.is_integer() or not 0 <= number <= 100:
        raise ValueError(f"domain_authority must be a whole number from 0 to 100, not {text!r}")
    return int(number)


def _website(raw: str) -> str:
    text = raw.strip()
    if text and "://" not in text:
        text = "https://" + text
    return text[:500]


COLUMNS = tuple(ALIASES)


def cell_getter(columns: dict[str, int]) -> Callable[[list[str]], tuple[str, ...]]:
    """Pick the cells of COLUMNS from a row; a column the file lacks reads as ""."""
    pick = itemgetter(*(columns.get(column, -1) for column in COLUMNS))
    width = max(columns.values()) + 1

    def get(cells: list[str]) -> tuple[str, ...]:
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        cells.append("")  # what index -1, a missing column, reads
        return tuple(map(str.strip, pick(cells)))

    return get


def parse_row(values: tuple[str, ...], line: int) -> ContactRow | RowError:
    email, name, first, last, company, website, authority, notes, tags = values
    email = normalize_email(email)
    if not email:
        return RowError(line, "", "missing email")
    if not is_valid_email(email):
        return RowError(line, email, f"invalid email {email[:300]!r}")
    try:
        domain_authority = _domain_authority(authority)
    except ValueError as exc:
        return RowError(line, email, str(exc))
    name = name or f"{first} {last}".strip()
    return ContactRow(
        line,
        email,
        name[:200],
        (first or (name.split()[0] if name else ""))[:100],
        company[:200],
        _website(website) if website else "",
        domain_authority,
        notes,
        _tags(tags) if tags else [],
    )


def _tags(text: str) -> list[str]:
    """normalize_tags for the one string a CSV cell holds, without its generality."""
    parts = text.lower().replace(";", ",").split(",")
    return list(dict.fromkeys(tag for part in parts if (tag := part.strip())))


def csv_rows(stream: BinaryIO) -> Iterator[list[str]]:
    """The CSV's rows as lists of cells, the header first; `line_num` on the returned reader."""
    lines = text_lines(stream)
    first = next(lines, None)
    if first is None or not first.strip():
        raise ImportFileError("The file is empty: it needs a header row and at least one contact.")
    csv.field_size_limit(MAX_FIELD_CHARS)
    return csv.reader(_chain(first, lines), delimiter=sniff_delimiter(first))


def read_contacts(stream: BinaryIO, columns: dict[str, int] | None = None) -> Iterator[ContactRow | RowError]:
    """Yield one ContactRow or RowError per non-blank data row of the CSV in `stream`; `columns`
    (canonical column -> index) replaces the header's detected mapping."""
    reader = csv_rows(stream)
    get = cell_getter(map_header(next(reader), columns))
    yield from data_rows(reader, get)


def data_rows(
    reader: Iterator[list[str]], get: Callable[[list[str]], tuple[str, ...]]
) -> Iterator[ContactRow | RowError]:
    while True:
        line = reader.line_num + 1  # type: ignore[attr-defined]  # where this row starts
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RowError(line, "", f"unreadable row: {exc}")
            continue
        if any(cell.strip() for cell in cells):
            yield parse_row(get(cells), line)


def _chain(first: str, rest: Iterable[str]) -> Iterator[str]:
    yield first
    yield from rest
