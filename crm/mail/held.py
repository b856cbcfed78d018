"""A brand that cannot send: no Zoho Mail credentials and no choice of the local outbox
(MAIL_BACKEND=zoho, production's default). Nothing goes out and nothing is reported sent: the
sender holds the brand's emails with this mailbox's reason, and /healthz and the dashboard name
the brand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from crm.mail.base import InboundMessage, MailboxError, SendResult
from crm.models import Brand


class HeldMailbox:
    provider = "none"

    def __init__(self, brand: Brand, reason: str) -> None:
        self.brand = brand
        self.reason = reason

    @property
    def enabled(self) -> bool:
        return False

    def _get_access_token(self) -> str:
        return ""

    def send(
        self, to: str, subject: str, html: str, text: str = "", headers: dict[str, str] | None = None
    ) -> SendResult:
        raise MailboxError(f"{self.brand.slug} cannot send: {self.reason}", retryable=True)

    def inbox_since(self, since: datetime | None) -> Iterator[InboundMessage]:
        raise MailboxError(f"{self.brand.slug} has no mailbox to read: {self.reason}", retryable=True)

    def find_sent(self, send_key: str) -> SendResult | None:
        return None
