from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from crm.models import Brand


@dataclass(frozen=True)
class SendResult:
    provider: str
    message_id: str
    rfc_message_id: str = ""
    thread_id: str = ""


@dataclass(frozen=True)
class InboundMessage:
    provider_message_id: str
    from_address: str
    subject: str
    text: str
    received_at: datetime
    folder_id: str = ""
    thread_id: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


class Mailbox(Protocol):
    provider: str

    @property
    def enabled(self) -> bool: ...

    def _get_access_token(self) -> str:
        """The provider's current access token, "" when there is none or it cannot be had (the
        workflow guide's troubleshooting snippet prints "FAILED" then)."""

    def send(
        self, to: str, subject: str, html: str, text: str = "", headers: dict[str, str] | None = None
    ) -> SendResult:
        """Send one message; raises integrations.zoho.ZohoError (or MailboxError) on failure."""

    def inbox_since(self, since: datetime | None) -> Iterator[InboundMessage]:
        """Messages received after `since`, oldest first, with their headers."""

    def find_sent(self, send_key: str) -> SendResult | None:
        """The sent message carrying `send_key`, if the Sent folder has it."""


class MailboxError(Exception):
    def __init__(self, message: str, *, retryable: bool = False, outcome_unknown: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.outcome_unknown = outcome_unknown


def sender_name(brand: Brand) -> str:
    """The name recipients see beside the brand's address: its from name, else the brand's name."""
    return brand.from_name.strip() or brand.name
