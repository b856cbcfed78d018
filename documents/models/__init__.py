"""Documents and what hangs off them. Direction: documents -> crm, recruiting (never back)."""

from documents.models.documents import (
    AccessLevel,
    Category,
    Document,
    DocumentAccess,
    DocumentVersion,
    ExtractionState,
)
from documents.models.reviews import ApprovalStatus, DocumentApproval, DocumentComment
from documents.models.sharing import DocumentShare
from documents.models.templates import DocumentTemplate

__all__ = [
    "AccessLevel",
    "ApprovalStatus",
    "Category",
    "Document",
    "DocumentAccess",
    "DocumentApproval",
    "DocumentComment",
    "DocumentShare",
    "DocumentTemplate",
    "DocumentVersion",
    "ExtractionState",
]
