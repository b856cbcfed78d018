from typing import Any

from django.core.management.base import BaseCommand

from recruiting.demo import seed_recruiting_demo


class Command(BaseCommand):
    help = "Load a small recruiting demo data set (open roles, candidates with skills, their matches). Runs once."

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_recruiting_demo()
        if report.skipped:
            self.stdout.write("Recruiting demo data is already loaded.")
        else:
            self.stdout.write(
                f"Recruiting demo: {report.roles} roles, {report.candidates} candidates with {report.cvs} CVs, "
                f"{report.matches} matches."
            )
