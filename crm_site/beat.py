"""Copy the beat schedule dict (crm_site/celery.py) into django-celery-beat rows."""

from __future__ import annotations

from django_celery_beat.schedulers import ModelEntry

from crm_site.celery import app


def beat_schedule_sync() -> list[str]:
    """Create or update one PeriodicTask per BEAT_SCHEDULE entry; return their names.

    Uses the same code path as DatabaseScheduler at beat start-up, which leaves
    `enabled` alone: a job a person paused in the admin stays paused.
    """
    for name, entry in app.conf.beat_schedule.items():
        ModelEntry.from_entry(name, app=app, **entry)
    return sorted(app.conf.beat_schedule)
