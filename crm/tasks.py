"""Celery tasks of the CRM: thin, ids in, one service call each, safe to run twice.

Each task re-fetches what it works on and claims it before acting, so a
redelivered or concurrent run finds nothing left to do.
"""

from __future__ import annotations

from celery import shared_task

from crm.services.imports import contact_import_process


@shared_task(name="crm.tasks.process_contact_import", soft_time_limit=1740, time_limit=1800)
def process_contact_import(import_id: str) -> str | None:
    """Import an uploaded ContactImport file (claims it; a second delivery does nothing)."""
    contact_import = contact_import_process(import_id=import_id)
    return contact_import.status if contact_import else None
