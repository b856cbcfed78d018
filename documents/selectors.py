"""Who sees which documents (the one rule, used by the API, the admin and the downloads), and search.

- public and internal: staff of the document's brand (every staff member when it has no brand);
- confidential: the owner and the brand's managers (Brand.managers);
- restricted: the owner and the users named on it (Document.allowed_users);
- superusers see everything; the owner always sees their own.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q, QuerySet

from crm.models import Brand
from documents.models import AccessLevel, Document, DocumentApproval, DocumentShare

OPEN_LEVELS = (AccessLevel.PUBLIC, AccessLevel.INTERNAL)


def documents_visible_to(user: User | AnonymousUser, queryset: QuerySet[Document] | None = None) -> QuerySet[Document]:
    documents = Document.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return documents.none()
    if user.is_superuser:
        return documents
    member_of = Brand.objects.filter(members=user).values("pk")
    manager_of = Brand.objects.filter(managers=user).values("pk")
    named_on = Document.allowed_users.through.objects.filter(user=user).values("document_id")
    open_to_staff = Q(brand__isnull=True) if user.is_staff else Q(pk__in=[])
    return documents.filter(
        Q(owner=user)
        | (Q(access_level__in=OPEN_LEVELS) & (Q(brand_id__in=member_of) | open_to_staff))
        | Q(access_level=AccessLevel.CONFIDENTIAL, brand_id__in=manager_of)
        | Q(access_level=AccessLevel.RESTRICTED, pk__in=named_on)
    )


def document_manageable_by(user: User | AnonymousUser, document: Document) -> bool:
    """May change who sees it, rename it, delete it, and share a confidential or restricted one:
    its owner, a manager of its brand, a superuser."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or document.owner_id == user.pk:
        return True
    return bool(document.brand_id and Brand.objects.filter(pk=document.brand_id, managers=user).exists())


def document_shareable_by(user: User | AnonymousUser, document: Document) -> bool:
    """Anyone who sees a public or internal document may share it; the rest only its managers."""
    return document.access_level in OPEN_LEVELS or document_manageable_by(user, document)


def documents_search(documents: QuerySet[Document], words: str) -> QuerySet[Document]:
    """Documents whose name or text holds the words: PostgreSQL's full-text search over the GIN
    index (English stems and the words as typed); elsewhere every word in the name or the text."""
    words = words.strip()
    if not words:
        return documents
    if connection.vendor == "postgresql":
        query = SearchQuery(words, config="english", search_type="websearch") | SearchQuery(
            words, config="simple", search_type="websearch"
        )
        return documents.filter(search_vector=query)
    for word in words.split():
        documents = documents.filter(Q(name__icontains=word) | Q(text__icontains=word))
    return documents


def shares_visible_to(user: User | AnonymousUser) -> QuerySet[DocumentShare]:
    return DocumentShare.objects.filter(document__in=documents_visible_to(user)).select_related("document")


def approvals_visible_to(user: User | AnonymousUser) -> QuerySet[DocumentApproval]:
    """Approvals asked of the user, and those on documents they see."""
    if not user.is_authenticated:
        return DocumentApproval.objects.none()
    return DocumentApproval.objects.filter(
        Q(approver=user) | Q(document__in=documents_visible_to(user))
    ).select_related("document", "approver", "requested_by", "version")
