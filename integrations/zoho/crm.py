"""Zoho CRM API client (reads only): one record, a module's records, a record's attachments.

Docs: https://www.zoho.com/crm/developer/docs/api/v8/ (wire format in ../shared/INTEGRATIONS.md §3).
Answers are {"data": [...], "info": {...}}; a request-level error is
{"code", "details", "message", "status": "error"}. Ids are 19-digit strings,
lookups {"name", "id"}, unset fields null, times ISO-8601 with the org's offset.
"Nothing" is 204 (304 with If-Modified-Since) and has no body. An expired token
(401 or INVALID_TOKEN) is refreshed once and the call repeated. Every call is a
GET, so the session may repeat it on connection errors and 429/502/503/504.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, unquote

import requests
from django.conf import settings

from integrations.http import OutgoingSession
from integrations.zoho.errors import ZohoError
from integrations.zoho.oauth import ZohoCredentials, ZohoOAuth
from integrations.zoho.urls import crm_base_url

CRM_VERSION = "v8"

# https://www.zoho.com/crm/developer/docs/api/v8/get-records.html (a specific record)
RECORD = "/{module}/{record_id}"
# https://www.zoho.com/crm/developer/docs/api/v8/get-records.html (fields mandatory; If-Modified-Since)
RECORDS = "/{module}"
# https://www.zoho.com/crm/developer/docs/api/v8/get-attachments.html (fields mandatory from v3)
ATTACHMENTS = "/{module}/{record_id}/Attachments"
# https://www.zoho.com/crm/developer/docs/api/v8/download-attachments.html
ATTACHMENT = "/{module}/{record_id}/Attachments/{attachment_id}"

ATTACHMENT_FIELDS = ("id", "File_Name", "Size", "Created_Time", "$link_url", "$type")
MAX_PER_PAGE = 200
MAX_FIELDS = 50
# page/per_page reach only the first 2000 records; beyond them only info.next_page_token does.
DISCRETE_PAGINATION_LIMIT = 2000
EXPIRED_TOKEN_CODES = {"INVALID_TOKEN", "AUTHENTICATION_FAILURE", "AUTHENTICATION_FAILED"}
# A 401 that a new token cannot cure; refreshing would spend one of ~10 tokens per 10 minutes.
NOT_TOKEN_CODES = {"OAUTH_SCOPE_MISMATCH"}
# The shapes of "there is no such record" for GET /{Module}/{id}: 204 with no body (the
# documented "no content"), 400 INVALID_DATA (the id is well formed but unknown; answered
# instead of 204 by some versions, ⚠ INTEGRATIONS.md §8), and 404 INVALID_URL_PATTERN (the
# id is not an id at all, so the path matches no endpoint).
NO_RECORD = {(400, "INVALID_DATA"), (404, "INVALID_URL_PATTERN")}
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class CRMAttachment:
    id: str
    file_name: str
    size: int | None
    created_time: datetime | None
    link_url: str  # non-empty for a link-type attachment, which cannot be downloaded


@dataclass(frozen=True)
class DownloadedFile:
    file_name: str
    content_type: str
    content: bytes


def crm_credentials() -> ZohoCredentials | None:
    """The CRM account from settings (ZOHO_CRM_*), or None when it is not configured."""
    client_id = settings.ZOHO_CRM_CLIENT_ID
    client_secret = settings.ZOHO_CRM_CLIENT_SECRET
    refresh_token = settings.ZOHO_CRM_REFRESH_TOKEN
    if not (client_id and client_secret and refresh_token):
        return None
    return ZohoCredentials(client_id, client_secret, refresh_token, settings.ZOHO_CRM_API_DOMAIN or "zoho.com")


class ZohoCRM:
    def __init__(self, credentials: ZohoCredentials, *, session: requests.Session | None = None) -> None:
        self.credentials = credentials
        self.session = session or OutgoingSession(role="zoho-crm", timeout=settings.HTTP_TIMEOUT_SECONDS, max_retries=2)
        self.oauth = ZohoOAuth(credentials, session=self.session)
        self.base_url = f"{crm_base_url(credentials.api_domain)}/crm/{CRM_VERSION}"

    def __repr__(self) -> str:
        return f"ZohoCRM({self.base_url!r}, {self.credentials!r})"

    # --- calls ----------------------------------------------------------------------

    def get_record(self, module: str, record_id: str) -> dict[str, Any] | None:
        """The whole record, or None when Zoho has no such record (see NO_RECORD)."""
        try:
            body = self._json(_path(RECORD, module=module, record_id=record_id))
        except ZohoError as exc:
            if (exc.status, exc.code) in NO_RECORD:
                return None
            raise
        records = _items(body)
        return records[0] if records else None

    def list_records(
        self,
        module: str,
        *,
        fields: Sequence[str],
        modified_since: datetime | None = None,
        per_page: int = MAX_PER_PAGE,
    ) -> Iterator[dict[str, Any]]:
        """Every record (only `fields` and id), page by page; none when nothing changed since `modified_since`."""
        if not 0 < len(fields) <= MAX_FIELDS:
            raise ValueError(f"Zoho CRM lists 1 to {MAX_FIELDS} fields, not {len(fields)}")
        if not 0 < per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be 1 to {MAX_PER_PAGE}")
        headers = {"If-Modified-Since": _iso(modified_since)} if modified_since else {}
        params = {"fields": ",".join(fields)}
        return self._pages(_path(RECORDS, module=module), params, per_page=per_page, headers=headers)

    def list_attachments(self, module: str, record_id: str) -> list[CRMAttachment]:
        path = _path(ATTACHMENTS, module=module, record_id=record_id)
        params = {"fields": ",".join(ATTACHMENT_FIELDS)}
        return [_attachment(item) for item in self._pages(path, params, per_page=MAX_PER_PAGE)]

    def download_attachment(
        self, module: str, record_id: str, attachment_id: str, *, max_bytes: int, file_name: str = ""
    ) -> DownloadedFile:
        """The file, named by Content-Disposition or else `file_name`; FILE_TOO_LARGE past `max_bytes`."""
        path = _path(ATTACHMENT, module=module, record_id=record_id, attachment_id=attachment_id)
        with self._get(path, stream=True) as response:
            if response.status_code != 200:  # a 204, or a redirect this session does not follow
                raise ZohoError(
                    f"Zoho CRM answered {response.status_code} instead of the file",
                    retryable=False,
                    status=response.status_code,
                )
            content = _read_capped(response, max_bytes)
            disposition = _disposition_filename(response.headers.get("Content-Disposition", ""))
            return DownloadedFile(
                file_name=_safe_name(disposition or file_name),
                content_type=response.headers.get("Content-Type") or "application/octet-stream",
                content=content,
            )

    # --- plumbing -------------------------------------------------------------------

    def _pages(
        self, path: str, params: dict[str, str], *, per_page: int, headers: Mapping[str, str] | None = None
    ) -> Iterator[dict[str, Any]]:
        page, token, offered = 1, "", ""
        while True:
            cursor = {"page_token": token} if token else {"page": str(page)}
            try:
                body = self._json(path, params={**params, "per_page": str(per_page), **cursor}, headers=headers)
            except ZohoError as exc:
                # Should Zoho draw the page/per_page line lower than documented, the token still goes on.
                if exc.code != "DISCRETE_PAGINATION_LIMIT_EXCEEDED" or token or not offered:
                    raise
                token = offered
                continue
            yield from _items(body)
            info = body.get("info") if body else None
            if not isinstance(info, dict) or not info.get("more_records"):
                return
            page, offered = page + 1, str(info.get("next_page_token") or "")
            if token or page * per_page > DISCRETE_PAGINATION_LIMIT:
                token = _next_page_token(info)

    def _json(
        self, path: str, *, params: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None
    ) -> dict[str, Any] | None:
        """The JSON object answered, or None for 204/304 (which have no body to parse)."""
        response = self._get(path, params=params, headers=headers)
        if response.status_code in (204, 304):
            return None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            # A cut or garbled answer (a proxy, an outage page): asking again usually works.
            raise ZohoError(f"Zoho CRM answered {response.status_code} without a JSON object", retryable=True)
        return body

    def _get(
        self,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
    ) -> requests.Response:
        url = self.base_url + path
        for attempt in (1, 2):
            token = self.oauth.access_token(force_refresh=attempt == 2)
            response = self._send(url, token, params, headers, stream=stream)
            if response.ok:
                return response
            body = _error_body(response)
            response.close()
            if attempt == 1 and _token_expired(response, body):
                continue
            raise _error(response, body)
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(
        self,
        url: str,
        token: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        *,
        stream: bool,
    ) -> requests.Response:
        all_headers = {**(headers or {}), "Authorization": f"Zoho-oauthtoken {token}"}
        try:
            return self.session.get(url, params=params, headers=all_headers, stream=stream)
        except requests.RequestException as exc:
            # Only reads here: whatever reached Zoho changed nothing, so a retry is always safe.
            raise ZohoError(f"Zoho CRM unreachable or silent ({type(exc).__name__})", retryable=True) from exc


def _path(template: str, **parts: str) -> str:
    # Ids come from webhooks and files: quoting keeps a "/" or "?" in one from changing the endpoint.
    return template.format(**{name: quote(str(value), safe="") for name, value in parts.items()})


def _iso(moment: datetime) -> str:
    # Zoho wants ISO-8601 with an offset here (2019-07-25T15:26:49+05:30), not an HTTP date.
    if moment.tzinfo is None:
        raise ValueError("modified_since must be timezone-aware")
    return moment.isoformat(timespec="seconds")


def _items(body: dict[str, Any] | None) -> list[dict[str, Any]]:
    data = body.get("data") if body else None
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def _next_page_token(info: dict[str, Any]) -> str:
    token = info.get("next_page_token")
    if not token:
        raise ZohoError(
            "Zoho CRM has more records but gave no next_page_token to reach them",
            retryable=False,
            code="PAGINATION_LIMIT_EXCEEDED",
        )
    return str(token)


def _attachment(item: dict[str, Any]) -> CRMAttachment:
    return CRMAttachment(
        id=str(item.get("id", "")),
        file_name=str(item.get("File_Name") or ""),
        size=_int_or_none(item.get("Size")),  # documented as a number, often a string of digits
        created_time=_datetime_or_none(item.get("Created_Time")),
        link_url=str(item.get("$link_url") or ""),
    )


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _datetime_or_none(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _read_capped(response: requests.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isascii() and declared.isdecimal() and int(declared) > max_bytes:
        raise _too_large(int(declared), max_bytes)
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_content(CHUNK_BYTES):
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(size, max_bytes)
            chunks.append(chunk)
    except requests.RequestException as exc:
        raise ZohoError(f"Zoho CRM broke off the download ({type(exc).__name__})", retryable=True) from exc
    return b"".join(chunks)


def _too_large(size: int, max_bytes: int) -> ZohoError:
    return ZohoError(
        f"the attachment is larger than {max_bytes} bytes ({size} or more)", retryable=False, code="FILE_TOO_LARGE"
    )


_DISPOSITION_PARAM = re.compile(r';\s*(filename\*?)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)', re.IGNORECASE)


def _disposition_filename(header: str) -> str:
    """The file name of a Content-Disposition header (RFC 6266): filename* wins over filename."""
    params = {str(name).lower(): str(value).strip() for name, value in _DISPOSITION_PARAM.findall(header)}
    extended = params.get("filename*", "").strip('"')  # quoting it is wrong, and seen
    charset, _, rest = extended.partition("'")
    _language, _, encoded = rest.partition("'")
    if encoded:
        try:
            return unquote(encoded, encoding=charset or "utf-8", errors="strict")
        except (LookupError, UnicodeDecodeError):
            pass  # a broken extended value: fall back to the plain one
    plain = params.get("filename", "")
    if plain.startswith('"') and plain.endswith('"') and len(plain) >= 2:
        return re.sub(r"\\(.)", r"\1", plain[1:-1])
    return plain


def _safe_name(name: str) -> str:
    # The name may end up on a disk: keep its last path part only.
    return PurePosixPath(name.replace("\\", "/")).name


def _error_body(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return data[0]  # record-level errors sit inside data[] with the same keys
    return body if isinstance(body, dict) else {}


def _token_expired(response: requests.Response, body: dict[str, Any]) -> bool:
    code = str(body.get("code", ""))
    return code in EXPIRED_TOKEN_CODES or (response.status_code == 401 and code not in NOT_TOKEN_CODES)


def _error(response: requests.Response, body: dict[str, Any]) -> ZohoError:
    status = response.status_code
    code = str(body.get("code", ""))
    message = str(body.get("message", ""))
    return ZohoError(
        f"Zoho CRM answered {status} {code}{': ' + message if message else ''}".strip(),
        retryable=status == 429 or status >= 500,
        status=status,
        code=code,
        retry_after=_retry_after(response.headers.get("Retry-After", "")),
    )


def _retry_after(value: str) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); Zoho does not document one."""
    value = value.strip()
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)
