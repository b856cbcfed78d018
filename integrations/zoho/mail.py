"""Zoho Mail API client: send, list a folder, read headers and content, search.

Docs: https://www.zoho.com/mail/help/api/ (wire format in ../shared/INTEGRATIONS.md §2).
Every answer is {"status": {"code", "description"}, "data": ...}. Ids are
64-bit integers, sometimes JSON strings and sometimes numbers: they are kept
as strings here. An expired token (401 or INVALID_OAUTHTOKEN) is refreshed
once and the call repeated.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests
from django.conf import settings

from integrations.http import OutgoingSession
from integrations.zoho.errors import ZohoError
from integrations.zoho.oauth import ZohoCredentials, ZohoOAuth
from integrations.zoho.urls import mail_base_url

logger = logging.getLogger(__name__)

# https://www.zoho.com/mail/help/api/post-send-an-email.html
SEND = "/api/accounts/{account}/messages"
# https://www.zoho.com/mail/help/api/get-all-folder-details.html
FOLDERS = "/api/accounts/{account}/folders"
# https://www.zoho.com/mail/help/api/get-emails-list.html
LIST = "/api/accounts/{account}/messages/view"
# https://www.zoho.com/mail/help/api/get-email-header.html
HEADER = "/api/accounts/{account}/folders/{folder}/messages/{message}/header"
# https://www.zoho.com/mail/help/api/get-email-content.html
CONTENT = "/api/accounts/{account}/folders/{folder}/messages/{message}/content"
# https://www.zoho.com/mail/help/api/get-search-emails.html
SEARCH = "/api/accounts/{account}/messages/search"

EXPIRED_TOKEN_CODES = {"INVALID_OAUTHTOKEN", "OAUTH_TOKEN_EXPIRED"}


@dataclass(frozen=True)
class MailAccount:
    credentials: ZohoCredentials
    account_id: str
    from_address: str


@dataclass(frozen=True)
class SentMail:
    message_id: str  # Zoho's id
    rfc_message_id: str  # the Message-ID header, which replies quote in In-Reply-To


@dataclass(frozen=True)
class MessageSummary:
    message_id: str
    folder_id: str
    thread_id: str
    from_address: str
    subject: str
    received_at: datetime
    summary: str


def _epoch_ms(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value) / 1000, tz=UTC)


def _summary(item: dict[str, Any]) -> MessageSummary:
    return MessageSummary(
        message_id=str(item.get("messageId", "")),
        folder_id=str(item.get("folderId", "")),
        thread_id=str(item.get("threadId", "") or ""),
        from_address=str(item.get("fromAddress") or item.get("sender") or ""),
        subject=str(item.get("subject", "")),
        received_at=_epoch_ms(item.get("receivedTime") or item.get("sentDateInGMT") or 0),
        summary=str(item.get("summary", "")),
    )


class ZohoMail:
    def __init__(self, account: MailAccount, *, session: requests.Session | None = None) -> None:
        self.account = account
        self.session = session or OutgoingSession(
            role="zoho-mail", timeout=settings.HTTP_TIMEOUT_SECONDS, max_retries=2
        )
        self.oauth = ZohoOAuth(account.credentials, session=self.session)
        self.base_url = mail_base_url(account.credentials.api_domain)
        self._folders: dict[str, str] | None = None

    # --- calls ----------------------------------------------------------------------

    def send(self, *, to: str, subject: str, html: str, from_name: str = "") -> SentMail:
        """Send from the account's address, shown as `from_name` when given.

        The send API has no display-name key (an unknown key is refused); a name goes into
        `fromAddress` as `"Name" <address>`. Should Zoho refuse that form (a 400: nothing was
        sent), the message goes out once more from the bare address and the refusal is logged.
        The API has no Reply-To key either, so a reply address cannot be set through it.
        """
        address = self.account.from_address
        if from_name.strip():
            try:
                return self._send_from(display_address(from_name, address), to, subject, html)
            except ZohoError as exc:
                if exc.status != 400:
                    raise
                logger.warning("Zoho Mail refused a display name in fromAddress (%s); sending without it", exc)
        return self._send_from(address, to, subject, html)

    def _send_from(self, from_address: str, to: str, subject: str, html: str) -> SentMail:
        body = {"fromAddress": from_address, "toAddress": to, "subject": subject, "content": html, "mailFormat": "html"}
        data = self._call("POST", SEND, json=body)
        return SentMail(message_id=str(data.get("messageId", "")), rfc_message_id=str(data.get("mailId", "")))

    def folder_id(self, folder_type: str) -> str:
        """The id of the first folder of a type (Inbox, Sent, Spam, ...)."""
        if self._folders is None:
            folders = self._call("GET", FOLDERS)
            self._folders = {}
            for folder in folders:
                self._folders.setdefault(str(folder.get("folderType")), str(folder.get("folderId")))
        try:
            return self._folders[folder_type]
        except KeyError:
            raise ZohoError(f"the mailbox has no {folder_type} folder", retryable=False) from None

    def list_messages(self, *, folder_id: str, start: int = 1, limit: int = 50) -> list[MessageSummary]:
        """Newest first."""
        params = {"folderId": folder_id, "start": start, "limit": limit, "sortorder": "false", "sortBy": "date"}
        return [_summary(item) for item in self._call("GET", LIST, params=params)]

    def headers(self, *, folder_id: str, message_id: str) -> str:
        data = self._call("GET", HEADER, folder=folder_id, message=message_id)
        return str(data.get("headerContent", ""))

    def content(self, *, folder_id: str, message_id: str) -> str:
        data = self._call("GET", CONTENT, folder=folder_id, message=message_id)
        return str(data.get("content", ""))

    def search(self, search_key: str, *, limit: int = 10) -> list[MessageSummary]:
        params = {"searchKey": search_key, "limit": limit, "includeto": "true"}
        return [_summary(item) for item in self._call("GET", SEARCH, params=params)]

    # --- plumbing -------------------------------------------------------------------

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        url = self.base_url + path.format(account=self.account.account_id, **_path_args(kwargs))
        for attempt in (1, 2):
            token = self.oauth.access_token(force_refresh=attempt == 2)
            response = self._send(method, url, token, kwargs)
            body = _envelope(response)
            if _token_expired(response, body) and attempt == 1:
                continue
            return _data(response, body)
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, method: str, url: str, token: str, kwargs: dict[str, Any]) -> requests.Response:
        headers = {"Authorization": f"Zoho-oauthtoken {token}", "Accept": "application/json"}
        try:
            return self.session.request(method, url, headers=headers, **kwargs)
        except requests.ConnectTimeout as exc:
            raise ZohoError("Zoho Mail unreachable (connect timeout)", retryable=True) from exc
        except (requests.ReadTimeout, requests.ConnectionError) as exc:
            # The request may have reached Zoho: for a send, only the Sent folder can tell.
            unknown = method == "POST" and not _refused(exc)
            raise ZohoError(
                f"Zoho Mail did not answer ({type(exc).__name__})", retryable=True, outcome_unknown=unknown
            ) from exc


def _path_args(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {name: kwargs.pop(name) for name in ("folder", "message") if name in kwargs}


def _refused(exc: Exception) -> bool:
    """A connection that was never made: nothing was sent."""
    text = repr(exc)
    return "NewConnectionError" in text or "Connection refused" in text


def _envelope(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def display_address(name: str, address: str) -> str:
    """`"Name" <address>`, the name on one line with its quotes and backslashes escaped."""
    clean = " ".join(name.split()).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{clean}" <{address}>'


def _token_expired(response: requests.Response, body: dict[str, Any]) -> bool:
    if response.status_code == 401:
        return True
    data = body.get("data")
    return isinstance(data, dict) and data.get("errorCode") in EXPIRED_TOKEN_CODES


def _data(response: requests.Response, body: dict[str, Any]) -> Any:
    code = (body.get("status") or {}).get("code", response.status_code)
    if response.ok and code in (200, 201) and "data" in body:
        return body["data"]
    data = body.get("data")
    error_code = str(data.get("errorCode", "")) if isinstance(data, dict) else ""
    status = response.status_code if not response.ok else int(code)
    retryable = status == 429 or status >= 500
    retry_after = response.headers.get("Retry-After")
    raise ZohoError(
        f"Zoho Mail answered {status} {error_code or _description(body)}".strip(),
        retryable=retryable,
        status=status,
        code=error_code,
        retry_after=float(retry_after) if retry_after and retry_after.isascii() and retry_after.isdecimal() else None,
    )


def _description(body: dict[str, Any]) -> str:
    status = body.get("status")
    return str(status.get("description", "")) if isinstance(status, dict) else ""
