from typing import Any

from django.core.management.base import BaseCommand

from messaging.demo import seed_whatsapp_demo


class Command(BaseCommand):
    help = (
        "Load a few demo WhatsApp conversations (after seed_recruiting_demo, whose candidates they reach). Runs once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_whatsapp_demo()
        if report.skipped:
            self.stdout.write("WhatsApp demo data is already loaded.")
        else:
            self.stdout.write(f"WhatsApp demo: {report.conversations} conversations, {report.messages} messages.")
