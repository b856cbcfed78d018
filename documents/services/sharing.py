"""Share links: an unguessable token shown once and kept as its SHA-256, an expiry, an optional
password and download limit, revocation. Every refusal is the same ShareNotFound."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from documents.errors import DocumentError, NotAllowed, ShareNotFound
from documents.models import Document, DocumentShare, DocumentVersion
from documents.selectors import document_manageable_by, document_shareable_by


@dataclass(frozen=True)
class NewShare:
    share: DocumentShare
    token: str  # shown once: only its hash is kept


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def share_create(
    *, document: Document, user: User, expires_in_hours: float, password: str = "", max_downloads: int | None = None
) -> NewShare:
    if not document_shareable_by(user, document):
        raise NotAllowed("only the owner or a manager of the brand may share a confidential or restricted document")
    if not 0 < expires_in_hours <= settings.DOCUMENT_SHARE_MAX_HOURS:
        limit = settings.DOCUMENT_SHARE_MAX_HOURS
        raise DocumentError(f"give a number of hours above 0 and at most {limit}", field="expires_in_hours")
    if max_downloads is not None and max_downloads < 1:
        raise DocumentError("at least 1, or leave it out for no limit", field="max_downloads")
    token = secrets.token_urlsafe(32)
    share = DocumentShare.objects.create(
        document=document, token_hash=token_hash(token), token_hint=token[:6],
        password_hash=make_password(password) if password else "",
        expires_at=timezone.now() + timedelta(hours=expires_in_hours), max_downloads=max_downloads, created_by=user,
    )  # fmt: skip
    return NewShare(share, token)


def share_revoke(*, share: DocumentShare, user: User) -> DocumentShare:
    if share.created_by_id != user.pk and not document_manageable_by(user, share.document):
        raise NotAllowed("only who made the link, the document's owner or a manager of the brand may revoke it")
    DocumentShare.objects.filter(pk=share.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    share.refresh_from_db()
    return share


def share_open(*, token: str, password: str = "") -> tuple[DocumentShare, DocumentVersion]:
    """Count one download on the link and give the current version; ShareNotFound whatever the
    reason (unknown, expired, revoked, used up, wrong password), so a caller learns nothing."""
    now = timezone.now()
    share = (
        DocumentShare.objects.select_related("document__current_version")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if share is None or share.revoked_at or share.expires_at <= now or share.document.current_version is None:
        raise ShareNotFound("not found")
    if share.password_hash and not check_password(password, share.password_hash):
        raise ShareNotFound("not found")
    under_limit = Q(max_downloads__isnull=True) | Q(download_count__lt=F("max_downloads"))
    with transaction.atomic():  # the count and the limit in one conditional UPDATE: no race past it
        counted = DocumentShare.objects.filter(under_limit, pk=share.pk, revoked_at__isnull=True).update(
            download_count=F("download_count") + 1, last_accessed_at=now
        )
    if not counted:
        raise ShareNotFound("not found")
    share.refresh_from_db(fields=["download_count", "last_accessed_at"])
    return share, share.document.current_version
