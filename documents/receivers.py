"""Every CV recruiting stores becomes a version of the candidate's CV document (docs/adr/0017)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.dispatch import receiver

from documents.errors import UploadRefused
from documents.models import AccessLevel, Category, Document
from documents.services.documents import document_create, document_version_create
from documents.services.files import CHUNK, file_check
from recruiting.models import Document as CV
from recruiting.signals import cv_stored

logger = logging.getLogger(__name__)


@receiver(cv_stored, dispatch_uid="documents-cv-mirror")
def cv_mirror(sender: Any, document: CV, **_: Any) -> None:
    path = Path(settings.CV_DOWNLOAD_DIR) / document.path
    if not document.path or not path.exists():
        return
    existing = Document.objects.filter(candidate=document.candidate, category=Category.CV, brand__isnull=True).first()
    if existing and existing.current_version and existing.current_version.sha256 == document.sha256:
        return  # the same file again (a repeated webhook)
    try:
        with path.open("rb") as handle:
            checked = file_check(iter(lambda: handle.read(CHUNK), b""), document.file_name)
    except UploadRefused as exc:
        logger.info("CV %s of candidate %s not kept as a document: %s", document.pk, document.candidate_id, exc)
        return
    if existing is None:
        name = f"CV: {document.candidate}"
        document_create(
            checked=checked, name=name, owner=None, category=Category.CV, access_level=AccessLevel.INTERNAL,
            candidate=document.candidate, note=f"from Zoho CRM ({document.file_name})",
        )  # fmt: skip
    else:
        document_version_create(
            document=existing, checked=checked, author=None, note=f"from Zoho CRM ({document.file_name})"
        )
