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
from datetime import timedelta
from typing import Any

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm_site.settings")

app = Celery("crm_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # The autopilot (crm/tasks.py), as in the implementation plan.
    "crm-process-pending-deals": {
        "task": "crm.tasks.process_pending_deals",
        "schedule": crontab(minute=0),
        "description": "Hourly: decide the next action of every deal that is due, and act.",
    },
    "crm-send-scheduled-emails": {
        "task": "crm.tasks.send_scheduled_emails",
        "schedule": crontab(minute="*/15"),
        "description": "Every 15 minutes: send queued emails within each brand's window and caps.",
    },
    "crm-check-email-replies": {
        "task": "crm.tasks.check_email_replies",
        "schedule": crontab(minute="*/30"),
        "description": "Every 30 minutes: read each brand's inbox, classify replies, move deals.",
    },
    "crm-daily-ai-review": {
        "task": "crm.tasks.daily_ai_review",
        "schedule": crontab(minute=5),
        "description": "Hourly check; each brand is reviewed once a day from 09:00 in its own time zone.",
    },
    "crm-verify-backlinks": {
        "task": "crm.tasks.verify_backlinks",
        "schedule": crontab(minute=40),
        "description": "Hourly: fetch the pages of placed backlinks that are due a check; a lost link flags its deal.",
    },
    # Campaigns (campaigns/tasks.py).
    "campaigns-run": {
        "task": "campaigns.tasks.run_campaigns",
        "schedule": crontab(minute="*"),
        "description": "Every minute: start scheduled campaigns, queue their mail, choose A/B winners, finish them.",
    },
    # Documents (documents/tasks.py).
    "documents-extract-pending": {
        "task": "documents.tasks.documents_extract_pending_task",
        "schedule": crontab(minute="*/5"),
        "description": "Every 5 minutes: read the text of document versions whose task was missed or worker died.",
    },
    # The integration hub (hub/tasks.py): each event is also sent as soon as it commits.
    "hub-dispatch": {
        "task": "hub.tasks.hub_dispatch_task",
        "schedule": timedelta(seconds=10),
        "description": "Every 10 seconds: fan out waiting events and send outgoing webhooks that are due (retries).",
    },
    "hub-events-prune": {
        "task": "hub.tasks.hub_events_prune_task",
        "schedule": crontab(minute=40, hour=3),
        "description": "Daily at 03:40: delete events (messages, attempts) older than HUB_EVENT_RETENTION_DAYS.",
    },
    # The inbound edge (webhooks/tasks.py) and recruiting (recruiting/tasks.py).
    "webhooks-inbound-events-retry": {
        "task": "webhooks.tasks.inbound_events_retry",
        "schedule": crontab(minute="*"),
        "description": "Every minute: process stored webhook events that were never enqueued or are due a retry.",
    },
    "messaging-sync-chatwoot": {
        "task": "messaging.tasks.sync_chatwoot",
        "schedule": crontab(minute="*/2"),
        "description": "Every 2 minutes: mirror WhatsApp messages into Chatwoot that are due a (re)try.",
    },
    "recruiting-sync-roles": {
        "task": "recruiting.tasks.sync_roles",
        "schedule": crontab(minute=20),
        "description": "Hourly: open roles from the Zoho CRM module ZOHO_CRM_ROLES_MODULE (when set), then rematch.",
    },
    # django-celery-results keeps task results for a day; this deletes older ones.
    "celery.backend_cleanup": {
        "task": "celery.backend_cleanup",
        "schedule": crontab(hour=4, minute=0),
        "options": {"expire_seconds": 12 * 3600},
        "description": "Daily: delete task results older than a day.",
    },
}

app.conf.beat_schedule = BEAT_SCHEDULE
