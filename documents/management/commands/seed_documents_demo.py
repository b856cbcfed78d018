from typing import Any

from django.core.management.base import BaseCommand

from documents.demo import seed_documents_demo


class Command(BaseCommand):
    help = "Give each brand a demo proposal template and a contract on one of its deals (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        seeded = seed_documents_demo()
        self.stdout.write(
            f"Demo documents: {seeded} brand(s) seeded." if seeded else "Demo documents are already there."
        )
