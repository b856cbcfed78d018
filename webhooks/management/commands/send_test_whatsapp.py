"""The Chatwoot integration summary's end-to-end test as one command: a WhatsApp Cloud API
delivery signed with WHATSAPP_APP_SECRET, posted to the running server's webhook."""

from typing import Any

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from integrations.http import OutgoingSession
from messaging.phones import whatsapp_phone_e164
from webhooks.auth import signature
from webhooks.whatsapp.samples import cloud_text_delivery


def phone_digits(value: str) -> str:
    """ "+31 6 12345678", "31612345678" or "0031612345678" -> "31612345678" (Meta's `from`)."""
    text = "".join(char for char in value if char not in " -().")
    text = "+" + text[2:] if text.startswith("00") else text
    e164 = whatsapp_phone_e164(text)
    if not e164:
        raise CommandError(f"--phone {value!r} is not a phone number in international form, e.g. +31612345678")
    return e164.removeprefix("+")


class Command(BaseCommand):
    help = (
        "Post a signed WhatsApp Cloud API text message to the running server's /webhook/whatsapp/, "
        "as Meta would: the message is stored, tagged and mirrored into Chatwoot by the worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--phone", required=True, help="the sender, international: +31612345678")
        parser.add_argument("--text", required=True, help="the message text")
        parser.add_argument("--name", default="", help="the sender's WhatsApp profile name")
        parser.add_argument("--url", default="", help="the webhook URL (default: SITE_URL + /webhook/whatsapp/)")

    def handle(self, *args: Any, **options: Any) -> None:
        secret = settings.WHATSAPP_APP_SECRET
        if not secret:
            raise CommandError(
                "WHATSAPP_APP_SECRET is not set: the server refuses unsigned deliveries. Set it (the "
                "app secret of the Meta app, or any value for a local test) in .env and restart the server."
            )
        url = options["url"] or settings.SITE_URL.rstrip("/") + "/webhook/whatsapp/"
        body = cloud_text_delivery(phone_digits(options["phone"]), options["text"], name=options["name"])
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature(body, secret)}
        try:
            with OutgoingSession(role="send-test-whatsapp", timeout=10) as session:
                response = session.post(url, data=body, headers=headers)
        except requests.RequestException as exc:
            raise CommandError(f"could not reach {url}: {exc} (is the server running?)") from exc
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}: {response.text[:300]}")
        self.stdout.write(self.style.SUCCESS(f"{url} answered 200: {response.text.strip()}"))
