from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


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
