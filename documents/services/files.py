"""An uploaded file, checked by its bytes before anything is kept, then stored under MEDIA_ROOT."""

from __future__ import annotations

import hashlib
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

from documents.errors import UploadRefused
from lib.extraction.kinds import ALL_KINDS, CONTENT_TYPES, EXTENSIONS, kind_of, kinds_named, zip_problem

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    path: Path  # a temporary copy; `file_store` moves it into storage
    file_name: str
    kind: str
    content_type: str
    size: int
    sha256: str


def file_name_safe(name: str, kind: str) -> str:
    """The base name without folders, control or odd characters, with the extension its bytes
    call for: `../../etc/passwd.pdf` -> `passwd.pdf`, `Angebot März.docx` stays readable."""
    base = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name)
    stem = Path(base).stem if Path(base).suffix.lower() in (*EXTENSIONS.values(), ".jpeg", ".tiff") else base
    stem = re.sub(r"[^\w\s.()-]+", "_", stem).strip(" ._")[:150] or "document"
    return f"{stem}{EXTENSIONS[kind]}"


def file_check(chunks: Iterable[bytes], file_name: str) -> CheckedFile:
    """Copy the upload to a temporary file within the size limit and say what it is; raise
    UploadRefused naming the problem (nothing is kept then)."""
    limit = settings.DOCUMENT_MAX_BYTES
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=settings.MEDIA_ROOT, prefix=".upload-", delete=False)  # noqa: SIM115
    path = Path(handle.name)
    try:
        digest, size = hashlib.sha256(), 0
        with handle:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise UploadRefused(f"the file is larger than the limit of {limit:,} bytes", field="file")
                digest.update(chunk)
                handle.write(chunk)
        if size == 0:
            raise UploadRefused("the file is empty", field="file")
        kind = kind_of(path, file_name)
        if kind not in ALL_KINDS:
            raise UploadRefused(
                f"the file is not a {kinds_named(ALL_KINDS)} file (checked by its content)", field="file"
            )
        problem = zip_problem(path, kind) if kind in ("docx", "xlsx") else ""
        if problem:
            raise UploadRefused(problem, field="file")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    safe = file_name_safe(file_name, kind)
    return CheckedFile(path, safe, kind, CONTENT_TYPES[kind], size, digest.hexdigest())


def file_store(checked: CheckedFile, *, document_id: int, number: int) -> str:
    """Move the checked file into storage; returns its name there (relative to MEDIA_ROOT)."""
    target = f"documents/{document_id}/v{number}-{checked.sha256[:12]}{EXTENSIONS[checked.kind]}"
    try:
        with checked.path.open("rb") as handle:
            return default_storage.save(target, File(handle))
    finally:
        checked.path.unlink(missing_ok=True)


def file_discard(checked: CheckedFile) -> None:
    checked.path.unlink(missing_ok=True)
