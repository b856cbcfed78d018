"""Copy the beat schedule dict (crm_site/celery.py) into django-celery-beat rows, leaving what
staff changed in the admin as they left it.

django-celery-beat's own sync (`ModelEntry.from_entry`, run by DatabaseScheduler at every beat
start) leaves `enabled` alone but writes the code's schedule over the row each time, so an
interval a person changed in the admin came back at the next restart. Here a row's schedule
is written when the row is created and when the code's default changes (BeatScheduleDefault
remembers the last one); otherwise it is the admin's.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django_celery_beat import schedulers
from django_celery_beat.models import PeriodicTask

from crm_site.celery import app
from crm_site.models import BeatScheduleDefault

logger = logging.getLogger(__name__)

SCHEDULE_FIELDS = frozenset(field for _, _, field in schedulers.ModelEntry.model_schedules)


def beat_schedule_sync(mapping: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
    """Create or update one PeriodicTask per entry (BEAT_SCHEDULE by default); return their names."""
    mapping = app.conf.beat_schedule if mapping is None else mapping
    for name, entry in mapping.items():
        _entry_sync(name, dict(entry))
    return sorted(mapping)


def _entry_sync(name: str, entry: dict[str, Any]) -> PeriodicTask:
    default = str(entry["schedule"])
    with transaction.atomic():
        row = PeriodicTask.objects.select_for_update().filter(name=name).first()
        known = BeatScheduleDefault.objects.filter(name=name).values_list("schedule", flat=True).first()
        fields = schedulers.ModelEntry._unpack_fields(**entry)
        if row is not None and known == default:
            fields = {key: value for key, value in fields.items() if key not in SCHEDULE_FIELDS}
        elif row is not None and known is not None:
            logger.info("periodic task %s: the schedule in code changed to %s; applied", name, default)
        row, _ = PeriodicTask.objects.update_or_create(name=name, defaults=fields)
        BeatScheduleDefault.objects.update_or_create(name=name, defaults={"schedule": default})
    return row


class DatabaseScheduler(schedulers.DatabaseScheduler):
    """django-celery-beat's scheduler, syncing the code's schedule the way `beat_schedule_sync` does."""

    def update_from_dict(self, mapping: Mapping[str, Mapping[str, Any]]) -> None:
        entries = {}
        for name, entry in mapping.items():
            try:
                row = _entry_sync(name, dict(entry))
            except Exception:
                logger.exception("periodic task %s could not be synced", name)
                continue
            if row.enabled:
                entries[name] = self.Entry(row, app=self.app)
        self.schedule.update(entries)
