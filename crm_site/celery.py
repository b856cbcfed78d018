"""The Celery application and the whole beat schedule.

Every periodic job lives in BEAT_SCHEDULE below, so one file shows what runs
when. Beat uses django-celery-beat's DatabaseScheduler, which copies this dict
into PeriodicTask rows (also done by `manage.py sync_beat_schedule`), so staff
see every job in the admin and can pause it there; a pause survives restarts
because the sync never touches the `enabled` flag.

Long waits belong in the database (a due date a periodic job picks up), never
in countdowns or ETAs: with Redis a message held longer than the visibility
timeout is delivered again.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm_site.settings")

app = Celery("crm_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # django-celery-results keeps task results for a day; this deletes older ones.
    "celery.backend_cleanup": {
        "task": "celery.backend_cleanup",
        "schedule": crontab(hour=4, minute=0),
        "options": {"expire_seconds": 12 * 3600},
    },
}

app.conf.beat_schedule = BEAT_SCHEDULE
