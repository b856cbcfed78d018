from typing import Any

from django.core.management.base import BaseCommand

from crm_site.beat import beat_schedule_sync


class Command(BaseCommand):
    help = "Copy the beat schedule (crm_site/celery.py) into the periodic tasks shown in the admin."

    def handle(self, *args: Any, **options: Any) -> None:
        names = beat_schedule_sync()
        self.stdout.write(f"{len(names)} periodic task(s) in sync: {', '.join(names)}")
