"""Checking a brand's mailbox: does the Zoho token refresh, does one message go out."""

from __future__ import annotations

from dataclasses import dataclass

from crm.mail.base import MailboxError
from crm.mail.content import sanitise
from crm.mail.zoho import ZohoMailbox
from crm.models import Brand
from crm.services.email_service import get_email_service
from integrations.zoho import ZohoError


@dataclass
class EmailCheck:
    provider: str
    ok: bool
    detail: str


def brand_email_check(*, brand: Brand, send_to: str = "") -> EmailCheck:
    """Refresh the Zoho token (when the brand sends through Zoho), then send a test message if asked."""
    mailbox = get_email_service(brand)
    try:
        if isinstance(mailbox, ZohoMailbox):
            mailbox.access_token()
        if not send_to:
            detail = (
                "the Zoho token refreshes"
                if mailbox.provider == "zoho"
                else "no Zoho credentials: the local outbox is used"
            )
            return EmailCheck(mailbox.provider, True, detail)
        html = sanitise(f"<p>A test message from {brand.name}'s back office: sending works.</p>")
        result = mailbox.send(send_to, f"Test email from {brand.name}", html, f"A test message from {brand.name}.")
    except (ZohoError, MailboxError) as exc:
        return EmailCheck(mailbox.provider, False, str(exc))
    return EmailCheck(mailbox.provider, True, f"sent to {send_to} (message id {result.message_id})")
