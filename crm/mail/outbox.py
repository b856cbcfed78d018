"""The local outbox: a mailbox in the database, so the embedded run is complete without Zoho."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime

from crm.mail.base import InboundMessage, SendResult, sender_name
from crm.models import Brand, OutboxFolder, OutboxMessage
from integrations.zoho.mail import display_address


def new_message_id(brand: Brand) -> str:
    return f"<{secrets.token_hex(12)}@outbox.{brand.slug}.local>"


class OutboxMailbox:
    provider = "outbox"

    def __init__(self, brand: Brand) -> None:
        self.brand = brand

    @property
    def enabled(self) -> bool:
        return True

    def _get_access_token(self) -> str:
        return ""  # the outbox is a table: there is no token to have

    def send(
        self, to: str, subject: str, html: str, text: str = "", headers: dict[str, str] | None = None
    ) -> SendResult:
        message = OutboxMessage.objects.create(
            brand=self.brand,
            folder=OutboxFolder.SENT,
            from_address=self.brand.from_email,
            to_address=to,
            subject=subject,
            html=html,
            text=text,
            rfc_message_id=new_message_id(self.brand),
            headers={**(headers or {}), **self._sender_headers()},
        )
        return SendResult(provider=self.provider, message_id=str(message.pk), rfc_message_id=message.rfc_message_id)

    def _sender_headers(self) -> dict[str, str]:
        """The From line with the sender's name, and Reply-To when the brand has one: the outbox
        keeps every header, as an SMTP provider would send them."""
        sender = {"From": display_address(sender_name(self.brand), self.brand.from_email)}
        if self.brand.reply_to_email:
            sender["Reply-To"] = self.brand.reply_to_email
        return sender

    def inbox_since(self, since: datetime | None) -> Iterator[InboundMessage]:
        messages = OutboxMessage.objects.filter(brand=self.brand, folder=OutboxFolder.INBOX)
        if since is not None:
            messages = messages.filter(created_at__gt=since)
        for message in messages.order_by("created_at"):
            headers = {name.lower(): str(value) for name, value in message.headers.items()}
            headers.setdefault("message-id", message.rfc_message_id)
            if message.in_reply_to:
                headers.setdefault("in-reply-to", message.in_reply_to)
            yield InboundMessage(
                provider_message_id=str(message.pk),
                from_address=message.from_address,
                subject=message.subject,
                text=message.text,
                received_at=message.created_at,
                headers=headers,
            )

    def find_sent(self, send_key: str) -> SendResult | None:
        message = OutboxMessage.objects.filter(
            brand=self.brand, folder=OutboxFolder.SENT, text__contains=send_key
        ).first()
        if message is None:
            return None
        return SendResult(provider=self.provider, message_id=str(message.pk), rfc_message_id=message.rfc_message_id)
