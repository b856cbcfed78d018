"""A candidate's current CV: pick the latest from Zoho CRM, download it, replace the old one, read it.

One current CV per candidate. The new file is downloaded before the old ones are removed,
so a failed download never leaves the candidate with nothing; a CV we already have (same
Zoho attachment) is not downloaded again, which makes a repeated webhook cheap.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrations.zoho.crm import CRMAttachment, ZohoCRM
from integrations.zoho.errors import ZohoError
from lib.extraction.extract import Extraction, Limits, cv_text_extract
from recruiting.errors import RecruitingError
from recruiting.models import Candidate, Document, ExtractionStatus
from recruiting.services.matching import candidate_match
from recruiting.services.skills import candidate_skills_extract
from recruiting.signals import cv_stored
from recruiting.zoho_fields import CONTACTS_MODULE

logger = logging.getLogger(__name__)

CV_EXTENSIONS = (".pdf", ".docx")
_CV_WORDS = re.compile(r"\b(cv|resume|résumé|curriculum)\b", re.IGNORECASE)


def cv_attachment_latest(attachments: list[CRMAttachment]) -> CRMAttachment | None:
    """The newest downloadable PDF or DOCX; among equally new ones, a file named like a CV."""
    files = [a for a in attachments if not a.link_url and a.file_name.lower().endswith(CV_EXTENSIONS)]
    if not files:
        return None
    oldest = datetime.min.replace(tzinfo=UTC)
    return max(files, key=lambda a: (a.created_time or oldest, bool(_CV_WORDS.search(a.file_name)), a.id))


def cv_limits() -> Limits:
    return Limits(
        max_bytes=settings.CV_MAX_BYTES,
        max_pages=settings.CV_MAX_PAGES,
        timeout_seconds=settings.CV_PARSE_TIMEOUT_SECONDS,
        memory_bytes=settings.CV_PARSE_MEMORY_MB * 1024 * 1024,
    )


def candidate_cv_refresh(*, candidate: Candidate, client: ZohoCRM) -> tuple[Document | None, str]:
    """Make the candidate's latest Zoho CV their current document; returns it and what happened."""
    latest = cv_attachment_latest(client.list_attachments(CONTACTS_MODULE, candidate.zoho_contact_id))
    if latest is None:
        return None, "no PDF or DOCX attachment in Zoho CRM"
    current = candidate.documents.filter(zoho_attachment_id=latest.id).first()
    if current is not None and current.extraction_status != ExtractionStatus.PENDING:
        documents_remove(candidate=candidate, keep=current)
        return current, f"{latest.file_name} is already the current CV"
    try:
        downloaded = client.download_attachment(
            CONTACTS_MODULE,
            candidate.zoho_contact_id,
            latest.id,
            max_bytes=settings.CV_MAX_BYTES,
            file_name=latest.file_name,
        )
    except ZohoError as exc:
        if exc.retryable:
            raise
        document = _failed_document(candidate, latest, f"download refused: {exc}")
        return document, document.extraction_error
    document = document_store(
        candidate=candidate, attachment=latest, content=downloaded.content, content_type=downloaded.content_type
    )
    documents_remove(candidate=candidate, keep=document)
    document_extract(document=document)
    cv_stored.send(sender=Document, document=document)
    return document, f"downloaded {latest.file_name} ({len(downloaded.content):,} bytes)"


def _failed_document(candidate: Candidate, attachment: CRMAttachment, error: str) -> Document:
    document, _ = Document.objects.update_or_create(
        candidate=candidate,
        zoho_attachment_id=attachment.id,
        defaults={
            "file_name": attachment.file_name[:255],
            "size": attachment.size or 0,
            "zoho_created_at": attachment.created_time,
            "extraction_status": ExtractionStatus.FAILED,
            "extraction_error": error[:2000],
        },
    )
    return document


def _relative_path(candidate: Candidate, file_name: str, digest: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(file_name).name).strip("._")[:100] or "cv"
    return f"{candidate.zoho_contact_id}/{digest[:16]}-{safe}"


def document_store(*, candidate: Candidate, attachment: CRMAttachment, content: bytes, content_type: str) -> Document:
    digest = hashlib.sha256(content).hexdigest()
    relative = _relative_path(candidate, attachment.file_name, digest)
    target = Path(settings.CV_DOWNLOAD_DIR) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(target.suffix + ".part")
    temporary.write_bytes(content)
    temporary.replace(target)  # never a half-written CV under the real name
    document, _ = Document.objects.update_or_create(
        candidate=candidate,
        zoho_attachment_id=attachment.id,
        defaults={
            "file_name": attachment.file_name[:255],
            "path": relative,
            "size": len(content),
            "sha256": digest,
            "content_type": content_type[:120],
            "zoho_created_at": attachment.created_time,
            "extraction_status": ExtractionStatus.PENDING,
            "extraction_error": "",
            "text": "",
            "skills_source": "",
        },
    )
    return document


def candidate_cv_upload(*, candidate: Candidate, file_name: str, content: bytes, content_type: str = "") -> Document:
    """A CV given by hand (the admin, the demo): stored as the candidate's current CV (the others
    removed), its text read, the skills read from it and the candidate matched again. A file that
    cannot be read is kept, marked failed, with why; the skills on file stay then."""
    if Path(file_name).suffix.lower() not in CV_EXTENSIONS:
        raise RecruitingError(f"A CV is a PDF or a Word (.docx) file; {file_name!r} is neither.")
    attachment = CRMAttachment(
        id=f"upload-{hashlib.sha256(content).hexdigest()[:16]}", file_name=file_name, size=len(content),
        created_time=timezone.now(), link_url="",
    )  # fmt: skip
    document = document_store(candidate=candidate, attachment=attachment, content=content, content_type=content_type)
    documents_remove(candidate=candidate, keep=document)
    document_extract(document=document)
    if document.extraction_status == ExtractionStatus.EXTRACTED:
        candidate_skills_extract(candidate=candidate, document=document)
        candidate_match(candidate=candidate)
    return document


def documents_remove(*, candidate: Candidate, keep: Document) -> int:
    """Delete the candidate's other documents, rows and files."""
    old = list(candidate.documents.exclude(pk=keep.pk))
    with transaction.atomic():
        Document.objects.filter(pk__in=[d.pk for d in old]).delete()
    for document in old:
        if document.path and document.path != keep.path:
            (Path(settings.CV_DOWNLOAD_DIR) / document.path).unlink(missing_ok=True)
    return len(old)


def document_extract(*, document: Document) -> Extraction:
    """Read the document's text in the sandbox and record the outcome on it."""
    path = Path(settings.CV_DOWNLOAD_DIR) / document.path
    if not document.path or not path.exists():
        extraction = Extraction("failed", error="the file is missing from CV_DOWNLOAD_DIR")
    else:
        extraction = cv_text_extract(path, file_name=document.file_name, limits=cv_limits())
    document.text = extraction.text
    document.pages = extraction.pages
    document.extraction_status = extraction.status
    document.extraction_error = extraction.error
    document.extraction_seconds = extraction.seconds
    document.extracted_at = timezone.now()
    document.save(
        update_fields=["text", "pages", "extraction_status", "extraction_error", "extraction_seconds", "extracted_at"]
    )
    if extraction.status == "failed":
        logger.warning("CV %s of candidate %s: %s", document.pk, document.candidate_id, extraction.error)
    return extraction
