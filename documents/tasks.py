"""Thin tasks: ids in, one service each, safe to run twice (the version is claimed)."""

from __future__ import annotations

from celery import shared_task

from documents.services.extraction import document_version_extract, documents_extract_pending


@shared_task(acks_late=True)
def document_version_extract_task(version_id: int) -> str | None:
    return document_version_extract(version_id=version_id)


@shared_task
def documents_extract_pending_task() -> int:
    return documents_extract_pending()
