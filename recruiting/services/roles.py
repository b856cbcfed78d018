"""Open roles: upsert by title and company (or Zoho id), from the admin, a CSV file or Zoho CRM."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from integrations.zoho.crm import ZohoCRM, crm_credentials
from recruiting.errors import RoleImportError
from recruiting.matching.places import place_parse
from recruiting.models import Role, WorkPolicy
from recruiting.services.candidates import work_policy_parse
from recruiting.skills.taxonomy import load_taxonomy
from recruiting.zoho_fields import ROLE_FIELDS, split_values, text_value

CSV_COLUMNS = (
    "title",
    "company",
    "industries",
    "location",
    "work_policy",
    "required_skills",
    "nice_to_have_skills",
    "description",
    "is_open",
)
REQUIRED_COLUMNS = ("title", "company")
TRUE = {"1", "true", "yes", "y", "open", "t"}
FALSE = {"0", "false", "no", "n", "closed", "f"}


@dataclass
class RolesReport:
    created: int = 0
    updated: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)

    @property
    def summary(self) -> str:
        return f"{self.created} created, {self.updated} updated, {len(self.failed)} failed"


def skills_normalise(values: Iterable[str]) -> list[str]:
    taxonomy = load_taxonomy()
    return list(dict.fromkeys(name for name in (taxonomy.normalise(v) for v in values) if name))


def role_values(data: dict[str, Any]) -> dict[str, Any]:
    """Model values from loose input (lists as lists or comma-separated text)."""
    values: dict[str, Any] = {}
    if "industries" in data:
        values["industries"] = split_values(data["industries"])
    for key in ("required_skills", "nice_to_have_skills"):
        if key in data:
            values[key] = skills_normalise(split_values(data[key]))
    if "location" in data:
        place = place_parse(str(data["location"] or ""))
        values |= {
            "location": str(data["location"] or "")[:255],
            "city": place.city[:120],
            "region": place.region[:120],
            "country": place.country,
        }
    if data.get("work_policy") not in (None, ""):
        policy = work_policy_parse(str(data["work_policy"]))
        if not policy:
            raise ValidationError(f"work_policy {data['work_policy']!r} is not remote, hybrid or office")
        values["work_policy"] = policy
    if data.get("is_open") not in (None, ""):
        values["is_open"] = _boolean(data["is_open"])
    if "description" in data:
        values["description"] = str(data["description"] or "")
    return values


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE or text in FALSE:
        return text in TRUE
    raise ValidationError(f"is_open {value!r} is not yes or no")


def role_upsert(*, title: str, company: str, data: dict[str, Any], zoho_id: str | None = None) -> tuple[Role, bool]:
    title, company = title.strip()[:200], company.strip()[:200]
    if not title or not company:
        raise ValidationError("title and company are required")
    values = role_values(data)
    lookup: dict[str, Any] = {"zoho_id": zoho_id} if zoho_id else {"title": title, "company": company}
    if zoho_id:
        values |= {"title": title, "company": company}
    role, created = Role.objects.update_or_create(**lookup, defaults=values)
    return role, created


def roles_import_csv(*, data: bytes, dry_run: bool = False) -> RolesReport:
    """Import roles from CSV bytes; a bad row is reported with its line number, the others import."""
    reader = _reader(data)
    report = RolesReport()
    with transaction.atomic():
        for row in reader:
            _import_row(row, reader.line_num, report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _reader(data: bytes) -> csv.DictReader[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise RoleImportError(f"the header lacks {', '.join(missing)} (expected columns: {', '.join(CSV_COLUMNS)})")
    reader.fieldnames = header
    return reader


def _import_row(row: dict[str, Any], line: int, report: RolesReport) -> None:
    data = {key: (value or "").strip() for key, value in row.items() if key in CSV_COLUMNS}
    try:
        with transaction.atomic():
            _, created = role_upsert(title=data.get("title", ""), company=data.get("company", ""), data=data)
    except ValidationError as exc:
        report.failed.append((line, "; ".join(exc.messages)))
        return
    if created:
        report.created += 1
    else:
        report.updated += 1


def roles_sync_from_zoho(*, client: ZohoCRM | None = None) -> RolesReport:
    """Upsert every record of ZOHO_CRM_ROLES_MODULE by its Zoho id (ROLE_FIELDS maps the names)."""
    module = settings.ZOHO_CRM_ROLES_MODULE
    credentials = crm_credentials()
    if not module or (client is None and credentials is None):
        raise RoleImportError("set ZOHO_CRM_ROLES_MODULE and the ZOHO_CRM_* credentials to sync roles")
    client = client or ZohoCRM(credentials)  # type: ignore[arg-type]
    report = RolesReport()
    api_names = sorted({name for names in ROLE_FIELDS.values() for name in names})
    for number, record in enumerate(client.list_records(module, fields=api_names), start=1):
        _sync_record(record, number, report)
    return report


def _sync_record(record: dict[str, Any], number: int, report: RolesReport) -> None:
    data = {key: _first(record, names) for key, names in ROLE_FIELDS.items()}
    data = {key: value for key, value in data.items() if value not in (None, "", [])}
    if "work_policy" in data and isinstance(data["work_policy"], bool):  # a "Remote job" checkbox
        data["work_policy"] = WorkPolicy.REMOTE if data["work_policy"] else ""
    if "is_open" in data and not isinstance(data["is_open"], bool):
        data["is_open"] = str(data["is_open"]).strip().lower() not in {"closed", "filled", "cancelled", "inactive"}
    try:
        with transaction.atomic():
            _, created = role_upsert(
                title=text_value(data.pop("title", "")),
                company=text_value(data.pop("company", "")),
                data=data,
                zoho_id=str(record["id"]),
            )
    except ValidationError as exc:
        report.failed.append((number, f"record {record.get('id')}: {'; '.join(exc.messages)}"))
        return
    report.created += created
    report.updated += not created


def _first(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, "", []):
            return value if isinstance(value, (bool, list)) else text_value(value)
    return None
