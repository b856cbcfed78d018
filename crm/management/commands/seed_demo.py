from typing import Any

from django.core.management.base import BaseCommand

from crm.demo import seed_demo


class Command(BaseCommand):
    help = "Load a realistic demo data set (contacts, two years of deals and their history, emails). Runs once."

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_demo()
        if report.skipped:
            self.stdout.write("Demo data is already loaded.")
        else:
            self.stdout.write(f"Demo data: {report.contacts} contacts, {report.deals} deals, {report.emails} emails.")
