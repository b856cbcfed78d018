"""What a file is, from its first bytes (a name is never trusted alone), and whether an Office
file's zip is safe to open."""

from __future__ import annotations

import zipfile
from pathlib import Path

ALL_KINDS = ("pdf", "docx", "doc", "xlsx", "xls", "png", "jpeg", "tiff")
LEGACY_OFFICE = frozenset({"doc", "xls"})
IMAGES = frozenset({"png", "jpeg", "tiff"})
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "tiff": "image/tiff",
}
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "doc": ".doc", "xlsx": ".xlsx", "xls": ".xls", "png": ".png"}
EXTENSIONS |= {"jpeg": ".jpg", "tiff": ".tif"}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # DOC and XLS (Compound File Binary)
ZIP_MAGIC = b"PK\x03\x04"
MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
]
# An OOXML file unpacks to a few MB; these stop a zip bomb before any parser sees it.
ZIP_MAX_ENTRIES = 5_000
ZIP_MAX_UNPACKED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 200


def kind_of(path: Path, file_name: str = "") -> str:
    """ "pdf", "docx", "doc", "xlsx", "xls", "png", "jpeg", "tiff", or "" for anything else."""
    with path.open("rb") as handle:
        head = handle.read(1024)
    name = (file_name or path.name).lower()
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return "xls" if name.endswith((".xls", ".xlt")) else "doc"
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(path, name)
    return next((kind for magic, kind in MAGIC if head.startswith(magic)), "")


def _zip_kind(path: Path, name: str) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):  # broken: say what it claims to be, the parser check says why
        return "xlsx" if name.endswith(".xlsx") else "docx" if name.endswith(".docx") else ""
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return ""


def zip_problem(path: Path, kind: str) -> str:
    """Why this DOCX/XLSX must not be opened ("" when it may): broken, or a zip bomb."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return f"unreadable {kind.upper()} (not a valid zip archive)"
    if len(entries) > ZIP_MAX_ENTRIES:
        return f"the {kind.upper()} holds {len(entries):,} files: refused as a zip bomb"
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > ZIP_MAX_UNPACKED:
        return f"the {kind.upper()} unpacks to {unpacked:,} bytes: refused as a zip bomb"
    for entry in entries:
        if entry.file_size > 1024 * 1024 and entry.file_size > ZIP_MAX_RATIO * max(entry.compress_size, 1):
            ratio = entry.file_size // max(entry.compress_size, 1)
            return f"the {kind.upper()} is compressed {ratio:,} to 1: refused as a zip bomb"
    return ""


def kinds_named(kinds: tuple[str, ...]) -> str:
    """ "PDF or DOCX"; "PDF, DOCX, ... or TIFF"."""
    names = [kind.upper() for kind in kinds]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
