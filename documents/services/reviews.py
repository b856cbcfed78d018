"""Comments, and approvals that only the named approver decides; every step is kept."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from documents.errors import DocumentError, NotAllowed
from documents.models import ApprovalStatus, Document, DocumentApproval, DocumentComment
from documents.selectors import documents_visible_to


def comment_add(*, document: Document, author: User, body: str) -> DocumentComment:
    if not body.strip():
        raise DocumentError("write something", field="body")
    return DocumentComment.objects.create(document=document, author=author, body=body.strip())


def approval_request(*, document: Document, requested_by: User, approver: User, note: str = "") -> DocumentApproval:
    """Ask `approver` to approve the document's current version; they must be able to see it."""
    if not approver.is_active or not documents_visible_to(approver).filter(pk=document.pk).exists():
        raise DocumentError(f"{approver.get_username()} cannot see this document", field="approver")
    return DocumentApproval.objects.create(
        document=document, version=document.current_version, requested_by=requested_by, approver=approver,
        request_note=note.strip(),
    )  # fmt: skip


def approval_decide(*, approval: DocumentApproval, user: User, approve: bool, comment: str = "") -> DocumentApproval:
    """Approve or reject, once, by the approver named on the request."""
    if approval.approver_id != user.pk:
        raise NotAllowed("only the approver named on the request may decide it")
    status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    with transaction.atomic():
        decided = DocumentApproval.objects.filter(pk=approval.pk, status=ApprovalStatus.PENDING).update(
            status=status, comment=comment.strip(), decided_at=timezone.now()
        )
    if not decided:
        raise DocumentError(f"this request was already {approval.get_status_display().lower()}", field="status")
    approval.refresh_from_db()
    return approval
