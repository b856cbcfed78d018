from typing import Any

from django.core.management.base import BaseCommand

from crm.services.seed import seed_crm_pipelines


class Command(BaseCommand):
    help = "Create the default brands, pipelines, email sequences and AI prompts. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_crm_pipelines()
        self.stdout.write(f"Seeded CRM defaults: {report.created} created, {report.existing} already there.")
