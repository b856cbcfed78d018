"""The search vector of a document: its name and its current version's text, in English (so
"invoices" finds "invoice") and word for word (names, other languages), on PostgreSQL only."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Expression

from documents.models import Document


def document_vector() -> Expression:
    return SearchVector("name", "text", config="english") + SearchVector("name", "text", config="simple")


def search_vector_refresh(*, document_ids: Sequence[int] | None = None) -> int:
    """Recompute the vectors of `document_ids` (all documents when None); 0 off PostgreSQL."""
    if connection.vendor != "postgresql":
        return 0
    documents = Document.objects.all() if document_ids is None else Document.objects.filter(pk__in=document_ids)
    return documents.update(search_vector=document_vector())
