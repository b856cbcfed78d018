"""Documents and their versions: create, add a version, change who sees it, record a download."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from crm.models import Brand, Contact, Deal
from documents.errors import DocumentError
from documents.models import AccessLevel, Category, Document, DocumentAccess, DocumentVersion
from documents.services.files import CheckedFile, file_discard, file_store
from documents.signals import document_uploaded
from recruiting.models import Candidate


def links_check(*, brand: Brand | None, contact: Contact | None, deal: Deal | None) -> Brand | None:
    """The brand the linked contact and deal belong to (they must agree), else `brand`."""
    brands = {obj_brand for obj_brand in (contact and contact.brand_id, deal and deal.pipeline.brand_id) if obj_brand}
    if brand is not None:
        brands.add(brand.pk)
    if len(brands) > 1:
        raise DocumentError("the contact, the deal and the brand belong to different brands", field="deal")
    if not brands:
        return None
    return brand if brand is not None else Brand.objects.get(pk=brands.pop())


def document_create(
    *,
    checked: CheckedFile,
    name: str = "",
    owner: User | None,
    brand: Brand | None = None,
    category: str = Category.OTHER,
    access_level: str = AccessLevel.INTERNAL,
    tags: Sequence[str] = (),
    contact: Contact | None = None,
    deal: Deal | None = None,
    candidate: Candidate | None = None,
    allowed_users: Iterable[User] = (),
    note: str = "",
) -> Document:
    """A new document with `checked` as its version 1, waiting for its text to be read."""
    try:
        brand = links_check(brand=brand, contact=contact, deal=deal)
        with transaction.atomic():
            document = Document.objects.create(
                brand=brand, name=(name or checked.file_name)[:255], category=category, access_level=access_level,
                tags=list(tags), owner=owner, contact=contact, deal=deal, candidate=candidate,
            )  # fmt: skip
            document.allowed_users.set(allowed_users)
            _version_add(document, checked, author=owner, note=note or "first version")
    except BaseException:
        file_discard(checked)
        raise
    return document


def document_version_create(
    *, document: Document, checked: CheckedFile, author: User | None, note: str = ""
) -> DocumentVersion:
    """Version N+1 of `document`, now its current one; earlier versions stay downloadable."""
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()  # one new number at a time
        return _version_add(document, checked, author=author, note=note)


def _version_add(document: Document, checked: CheckedFile, *, author: User | None, note: str) -> DocumentVersion:
    from documents.tasks import document_version_extract_task

    number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    stored = file_store(checked, document_id=document.pk, number=number)
    version = DocumentVersion.objects.create(
        document=document, number=number, file=stored, file_name=checked.file_name, kind=checked.kind,
        content_type=checked.content_type, size=checked.size, sha256=checked.sha256, author=author, note=note[:500],
    )  # fmt: skip
    document.current_version = version
    document.save(update_fields=["current_version", "updated_at"])
    transaction.on_commit(lambda: document_version_extract_task.delay(version.pk))
    document_uploaded.send(sender=Document, document=document, version=version)
    return version


def document_update(*, document: Document, allowed_users: Iterable[User] | None = None, **fields: Any) -> Document:
    """Change the name, category, tags, access level or links; the links must share a brand."""
    for field, value in fields.items():
        setattr(document, field, value)
    document.brand = links_check(brand=document.brand, contact=document.contact, deal=document.deal)
    with transaction.atomic():
        document.save()
        if allowed_users is not None:
            document.allowed_users.set(allowed_users)
        if "name" in fields:
            from documents.services.search import search_vector_refresh

            search_vector_refresh(document_ids=[document.pk])
    return document


def document_delete(*, document: Document) -> None:
    """The document, its versions, shares, comments and approvals; its files once that is committed."""
    names = [
        name for version in document.versions.all() for name in (version.file.name, version.thumbnail.name) if name
    ]

    def files_delete() -> None:
        for name in names:
            default_storage.delete(name)

    with transaction.atomic():
        document.delete()
        transaction.on_commit(files_delete)


def document_access_record(
    *,
    version: DocumentVersion,
    channel: str,
    user: User | None = None,
    ip_address: str | None = None,
    share: Any = None,
) -> DocumentAccess:
    return DocumentAccess.objects.create(
        document_id=version.document_id, version=version, user=user if user and user.is_authenticated else None,
        share=share, channel=channel, ip_address=ip_address or None,
    )  # fmt: skip
