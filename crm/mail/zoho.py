"""A brand's Zoho Mail mailbox."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime

from django.conf import settings

from crm.mail.base import InboundMessage, SendResult, sender_name
from crm.mail.parsing import html_to_text, parse_headers
from crm.models import Brand
from integrations.zoho import MailAccount, ZohoCredentials, ZohoError, ZohoMail

logger = logging.getLogger(__name__)

PAGE = 50
MAX_PAGES = 10  # at most 500 new messages a poll; the rest wait for the next one


def zoho_account(brand: Brand) -> MailAccount | None:
    """The brand's own credentials, else the ZOHO_* settings, else None (use the outbox)."""
    if brand.has_own_zoho_credentials and brand.zoho_account_id:
        credentials = ZohoCredentials(
            brand.zoho_client_id, brand.zoho_client_secret, brand.zoho_refresh_token, brand.zoho_api_domain
        )
        return MailAccount(credentials, brand.zoho_account_id, brand.from_email)
    if (
        settings.ZOHO_CLIENT_ID
        and settings.ZOHO_CLIENT_SECRET
        and settings.ZOHO_REFRESH_TOKEN
        and settings.ZOHO_ACCOUNT_ID
    ):
        credentials = ZohoCredentials(
            settings.ZOHO_CLIENT_ID, settings.ZOHO_CLIENT_SECRET, settings.ZOHO_REFRESH_TOKEN, settings.ZOHO_API_DOMAIN
        )
        return MailAccount(credentials, settings.ZOHO_ACCOUNT_ID, brand.from_email or settings.ZOHO_FROM_EMAIL)
    return None


class ZohoMailbox:
    provider = "zoho"

    def __init__(self, brand: Brand, account: MailAccount) -> None:
        self.brand = brand
        self.client = ZohoMail(account)

    @property
    def enabled(self) -> bool:
        return True

    def access_token(self) -> str:
        """A valid access token (cached, else refreshed); raises ZohoError saying why not."""
        return self.client.oauth.access_token()

    def _get_access_token(self) -> str:
        """The workflow guide's troubleshooting snippet: the token, or "" when the refresh fails
        (the reason is logged, never the token)."""
        try:
            return self.access_token()
        except ZohoError as exc:
            logger.warning("brand %s: the Zoho access token could not be refreshed: %s", self.brand.slug, exc)
            return ""

    def send(
        self, to: str, subject: str, html: str, text: str = "", headers: dict[str, str] | None = None
    ) -> SendResult:
        # Zoho's send API takes one HTML body and no custom headers (no Reply-To either); `text`
        # and `headers` are for providers that can use them. The sender's name rides in fromAddress.
        sent = self.client.send(to=to, subject=subject, html=html, from_name=sender_name(self.brand))
        return SendResult(provider=self.provider, message_id=sent.message_id, rfc_message_id=sent.rfc_message_id)

    def inbox_since(self, since: datetime | None) -> Iterator[InboundMessage]:
        inbox = self.client.folder_id("Inbox")
        summaries = []
        for page in range(MAX_PAGES):
            batch = self.client.list_messages(folder_id=inbox, start=1 + page * PAGE, limit=PAGE)
            fresh = [m for m in batch if since is None or m.received_at > since]
            summaries.extend(fresh)
            if len(batch) < PAGE or len(fresh) < len(batch):
                break
        for summary in sorted(summaries, key=lambda m: m.received_at):
            headers = parse_headers(self.client.headers(folder_id=summary.folder_id, message_id=summary.message_id))
            content = self.client.content(folder_id=summary.folder_id, message_id=summary.message_id)
            yield InboundMessage(
                provider_message_id=summary.message_id,
                from_address=summary.from_address,
                subject=summary.subject,
                text=html_to_text(content),
                received_at=summary.received_at,
                folder_id=summary.folder_id,
                thread_id=summary.thread_id,
                headers=headers,
            )

    def find_sent(self, send_key: str) -> SendResult | None:
        for message in self.client.search(f"entire:{send_key}", limit=5):
            if message.folder_id == self.client.folder_id("Sent"):
                return SendResult(provider=self.provider, message_id=message.message_id)
        return None
