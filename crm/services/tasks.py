"""Tasks: staff to-dos on a contact or a deal; creating and completing one is told to listeners
(crm.signals.task_changed, in the transaction)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.errors import TaskError
from crm.models import Brand, Contact, Deal, Task, TaskOrigin
from crm.signals import task_changed


def task_brand(*, brand: Brand | None, contact: Contact | None, deal: Deal | None) -> Brand:
    """The one brand of the task's contact, deal and brand (they must agree)."""
    brands = {b for b in (brand and brand.pk, contact and contact.brand_id, deal and deal.pipeline.brand_id) if b}
    if len(brands) > 1:
        raise TaskError("The contact, the deal and the brand belong to different brands.", field="deal")
    if not brands:
        raise TaskError("A task belongs to a brand: give its contact, its deal or the brand.", field="brand")
    if deal is not None and contact is not None and deal.contact_id != contact.pk:
        raise TaskError("The deal is another contact's.", field="deal")
    return brand or (deal.pipeline.brand if deal is not None else contact.brand)  # type: ignore[union-attr]


def task_create(
    *,
    title: str,
    brand: Brand | None = None,
    contact: Contact | None = None,
    deal: Deal | None = None,
    due_at: datetime | None = None,
    assignee: User | None = None,
    notes: str = "",
    actor: User | None = None,
    origin: str = TaskOrigin.STAFF,
) -> Task:
    brand = task_brand(brand=brand, contact=contact, deal=deal)
    if deal is not None and contact is None:
        contact = deal.contact
    with transaction.atomic():
        task = Task.objects.create(
            brand=brand, title=title[:200], notes=notes, due_at=due_at, assignee=assignee, contact=contact,
            deal=deal, origin=origin, created_by=actor,
        )  # fmt: skip
        task_changed.send(sender=Task, task=task, change="created")
    return task


def task_update(*, task: Task, **fields: Any) -> Task:
    """Change the title, notes, due time, assignee or links (which must keep to one brand)."""
    for name, value in fields.items():
        setattr(task, name, value)
    task_brand(brand=task.brand, contact=task.contact, deal=task.deal)
    task.save()
    return task


def task_complete(*, task: Task, actor: User | None = None) -> Task:
    """Done now (once: completing a done task changes nothing and tells nobody)."""
    with transaction.atomic():
        now = timezone.now()
        if Task.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=now, done_by=actor, updated_at=now):
            task.refresh_from_db()
            task_changed.send(sender=Task, task=task, change="completed")
        else:
            task.refresh_from_db()
    return task


def task_for_review(*, deal: Deal, reason: str) -> Task | None:
    """The autopilot hands `deal` to a person: one open review task per deal, given to the brand's
    first manager (else unassigned), due now."""
    brand = deal.pipeline.brand
    title = f"Review {deal.contact.name or deal.contact.email}"
    try:
        with transaction.atomic():
            return task_create(
                title=title, deal=deal, contact=deal.contact, due_at=timezone.now(), notes=reason,
                assignee=brand.managers.order_by("pk").first(), origin=TaskOrigin.AUTOPILOT,
            )  # fmt: skip
    except IntegrityError:  # an open review task for this deal already waits
        return None
