from typing import Any

from django.core.management.base import BaseCommand, CommandError

from integrations.chatwoot.client import chatwoot_from_settings
from integrations.chatwoot.errors import ChatwootError
from messaging.tagging.catalogue import LABELS


class Command(BaseCommand):
    help = "Create the label catalogue (journey, intent, language, status labels) in Chatwoot; existing ones are kept."

    def handle(self, *args: Any, **options: Any) -> None:
        client = chatwoot_from_settings()
        if client is None:
            raise CommandError("Set CHATWOOT_BASE_URL, CHATWOOT_API_TOKEN and CHATWOOT_ACCOUNT_ID first.")
        created = 0
        try:
            for label in LABELS:
                created += client.create_label(label.title, description=label.description, color=label.color)
        except ChatwootError as exc:
            raise CommandError(f"Chatwoot refused: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"{created} labels created, {len(LABELS) - created} already there."))
