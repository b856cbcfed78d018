"""Read a version's text (and draw its thumbnail) in the limited child process, in a worker.

A version is claimed (crm_site.claims) for as long as the child may run plus a margin; a worker
killed mid-way leaves a lease that runs out and the sweep takes the version again. The outcome,
the release and, for the current version, the document's text and search vector are written in
one transaction. After MAX_ATTEMPTS failed tries (the child never answered) the version is failed.
"""

from __future__ import annotations

import logging
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from crm_site.claims import Claim, claim_next, claim_row, working
from documents.models import Document, DocumentVersion, ExtractionState
from documents.services.search import search_vector_refresh
from lib.extraction.extract import Extraction, Limits, text_extract

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
STATES = {"extracted": ExtractionState.DONE, "no_text": ExtractionState.NO_TEXT, "failed": ExtractionState.FAILED}


class LeaseLost(Exception):
    """Another worker took the version over; this one writes nothing."""


def extraction_limits() -> Limits:
    return Limits(
        max_bytes=settings.DOCUMENT_MAX_BYTES,
        max_pages=settings.DOCUMENT_MAX_PAGES,
        timeout_seconds=settings.DOCUMENT_PARSE_TIMEOUT_SECONDS,
        memory_bytes=settings.DOCUMENT_PARSE_MEMORY_MB * 1024 * 1024,
        ocr=True,
        ocr_language=settings.DOCUMENT_OCR_LANGUAGES,
        ocr_max_pages=settings.DOCUMENT_OCR_MAX_PAGES,
    )


def _lease() -> timedelta:
    return timedelta(seconds=settings.DOCUMENT_PARSE_TIMEOUT_SECONDS + 60)


def _waiting() -> Q:
    return Q(extraction_state=ExtractionState.PENDING, attempts__lt=MAX_ATTEMPTS)


def document_version_extract(*, version_id: int) -> str | None:
    """Read one waiting version; its new state, or None when it was not ours to read."""
    claim = claim_row(DocumentVersion, version_id, lease=_lease(), where=_waiting())
    return _extract_claimed(claim) if claim else None


def documents_extract_pending(*, budget_seconds: float = 200.0) -> int:
    """The sweep: read waiting versions (missed tasks, killed workers) until none or the budget
    is spent; versions that failed MAX_ATTEMPTS times are marked failed. Returns how many were read."""
    _give_up_stuck()
    started, done = time.monotonic(), 0
    waiting = DocumentVersion.objects.filter(_waiting()).order_by("created_at", "pk")
    while time.monotonic() - started < budget_seconds:
        claim = claim_next(waiting, lease=_lease())
        if claim is None:
            break
        _extract_claimed(claim)
        done += 1
    return done


def _give_up_stuck() -> None:
    stuck = DocumentVersion.objects.filter(
        extraction_state=ExtractionState.PENDING, attempts__gte=MAX_ATTEMPTS, claim_until__isnull=True
    )
    for version in stuck.only("pk", "last_error"):
        DocumentVersion.objects.filter(pk=version.pk, extraction_state=ExtractionState.PENDING).update(
            extraction_state=ExtractionState.FAILED,
            extraction_error=f"gave up after {MAX_ATTEMPTS} attempts: {version.last_error}"[:2000],
            extracted_at=timezone.now(),
        )


def _extract_claimed(claim: Claim) -> str | None:
    try:
        with working(claim):
            version = DocumentVersion.objects.get(pk=claim.pk)
            extraction, thumbnail = _read(version)
            with transaction.atomic():
                _record(claim, version, extraction, thumbnail)
    except LeaseLost:
        logger.info("document version %s was taken over by another worker", claim.pk)
        return None
    if extraction.status == "failed":
        logger.warning("document version %s: %s", version.pk, extraction.error)
    return STATES[extraction.status]


def _read(version: DocumentVersion) -> tuple[Extraction, str]:
    path = Path(version.file.path)
    if not path.exists():
        return Extraction("failed", error="the file is missing from MEDIA_ROOT"), ""
    with tempfile.TemporaryDirectory(dir=settings.MEDIA_ROOT, prefix=".thumb-") as folder:
        picture = Path(folder) / "thumbnail.png"
        extraction = text_extract(path, file_name=version.file_name, limits=extraction_limits(), thumbnail=picture)
        if not picture.exists() or picture.stat().st_size == 0:
            return extraction, ""
        with picture.open("rb") as handle:
            name = default_storage.save(
                f"documents/{version.document_id}/v{version.number}-thumbnail.png", File(handle)
            )
    return extraction, name


def _record(claim: Claim, version: DocumentVersion, extraction: Extraction, thumbnail: str) -> None:
    released = claim.release(
        extraction_state=STATES[extraction.status], extraction_error=extraction.error[:2000], text=extraction.text,
        pages=extraction.pages, ocr_pages=extraction.ocr_pages, extraction_seconds=extraction.seconds,
        extracted_at=timezone.now(), thumbnail=thumbnail,
    )  # fmt: skip
    if not released:
        raise LeaseLost
    if Document.objects.filter(pk=version.document_id, current_version_id=version.pk).update(text=extraction.text):
        search_vector_refresh(document_ids=[version.document_id])
