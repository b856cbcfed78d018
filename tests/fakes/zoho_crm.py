"""A fake Zoho accounts server and Zoho CRM API (v8) on one port (../shared/INTEGRATIONS.md §1, §3).

Accounts: the token endpoint of tests/fakes/zoho_accounts.py. CRM, under /crm/v8/:
`GET /{Module}/{id}` -> {"data": [record]}; `GET /{Module}?fields=..` with page,
per_page or page_token and If-Modified-Since; `GET /{Module}/{id}/Attachments?fields=..`
and `GET /{Module}/{id}/Attachments/{att_id}` (the raw bytes). Records look like
recorded ones: 19-digit string ids, lookups {"name", "id"}, null for unset fields,
ISO times with the org's offset (+05:30 here). Errors are {"code", "details",
"message", "status": "error"}; an unknown or expired token gets 401 INVALID_TOKEN.

Where the docs are silent (⚠ in INTEGRATIONS.md §8) the fake picks one answer:
an unknown record id gets 204 (the documented "no content"; set
`missing_record = "invalid_data"` for the 400 INVALID_DATA variant), `Size` is a
string of digits, and a download carries `Content-Disposition: attachment;
filename="..."` (plus filename*=UTF-8'' for a non-ASCII name).

Test controls: `add_contact`, `add_record`, `add_attachment`, `remove_attachment`;
`expire_tokens()`; `fail_next_crm(429 | 500 | ..., times=N)` (FakeServer's
failure injection); `delay` for a slow CRM; `discrete_limit` for the page/per_page
ceiling; `downloads[attachment_id]` counts the files served.
"""

from __future__ import annotations

import itertools
import secrets
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Literal
from urllib.parse import quote

from tests.fakes.server import Handler, Request, Response
from tests.fakes.zoho_accounts import FakeZohoAccounts

CLIENT_ID = "1000.FAKECRMCLIENT"
CLIENT_SECRET = "fake-crm-client-secret"
REFRESH_TOKEN = "1000.fake.crm-refresh"
API_DOMAIN = "zoho.in"  # the data centre the settings name; the fake's URL overrides its hosts
BASE = "/crm/v8"
ORG_TZ = timezone(timedelta(hours=5, minutes=30))
MAX_PER_PAGE = 200
OWNER = {"name": "Priya Raman", "id": "5725767000000411001", "email": "priya@agency.example"}
LAYOUT = {"display_label": "Standard", "name": "Standard", "id": "5725767000000091033"}
CONTACT_FIELDS = (
    "Owner", "Salutation", "First_Name", "Last_Name", "Full_Name", "Email", "Secondary_Email", "Phone", "Mobile",
    "Home_Phone", "Title", "Department", "Account_Name", "Reporting_To", "Lead_Source", "Date_of_Birth",
    "Mailing_Street", "Mailing_City", "Mailing_State", "Mailing_Zip", "Mailing_Country", "Description",
    "Record_Image", "Email_Opt_Out", "Tag", "Created_By", "Modified_By", "Created_Time", "Modified_Time",
    "Last_Activity_Time", "Locked__s",
    # custom fields of the agency's layout
    "Role_Success_Stage", "Industry_1_Areas", "Industry_2_Areas", "Industry_Choice_1", "Industry_Choice_2",
    "Industry_Choice_3", "Work_Policy",
)  # fmt: skip
LOOKUP_FIELDS = {"Owner", "Account_Name", "Reporting_To", "Contact_Name", "Created_By", "Modified_By"}
MESSAGES = {
    "INVALID_TOKEN": "invalid oauth token",
    "INVALID_MODULE": "the module name given seems to be invalid",
    "INVALID_URL_PATTERN": "Please check if the URL trying to access is a correct one",
    "INVALID_DATA": "the id given seems to be invalid",
    "REQUIRED_PARAM_MISSING": "One of the expected parameter is missing",
    "DOWNLOAD_NOT_ALLOWED": "Link type attachments cannot be downloaded",
    "DISCRETE_PAGINATION_LIMIT_EXCEEDED": "you can fetch only the first 2000 records with page and per_page",
    "AMBIGUITY_DURING_PROCESSING": "page and page_token cannot be given together",
    "TOKEN_BOUND_DATA_MISMATCH": "the page_token does not belong to these parameters",
    "TOO_MANY_REQUESTS": "The number of requests exceeded the limit",
    "INTERNAL_ERROR": "Internal Server Error",
}


def error(
    status: int, code: str, details: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> Response:
    body = {"code": code, "details": details or {}, "message": MESSAGES.get(code, code.lower()), "status": "error"}
    return Response(status, body, headers={"Content-Type": "application/json;charset=UTF-8", **(headers or {})})


def ok(body: dict[str, Any]) -> Response:
    return Response(200, body, headers={"Content-Type": "application/json;charset=UTF-8"})


def wire_time(moment: datetime) -> str:
    return moment.astimezone(ORG_TZ).isoformat(timespec="seconds")


@dataclass
class Attachment:
    id: str
    module: str
    record_id: str
    file_name: str
    content: bytes
    content_type: str
    created_time: datetime
    link_url: str
    parent_name: str

    def as_json(self, fields: list[str]) -> dict[str, Any]:
        full = {
            "id": self.id,
            "File_Name": self.file_name,
            "Size": str(len(self.content)) if not self.link_url else None,
            "Created_Time": wire_time(self.created_time),
            "Modified_Time": wire_time(self.created_time),
            "Owner": dict(OWNER),
            "Created_By": dict(OWNER),
            "Parent_Id": {"name": self.parent_name, "id": self.record_id},
            "$se_module": self.module,
            "$link_url": self.link_url or None,
            "$type": "Link URL" if self.link_url else "Attachment",  # ⚠ the values are not documented
            "$editable": True,
            "$state": "save",
        }
        return {name: full.get(name) for name in ["id", *fields]}


class FakeZohoCRM(FakeZohoAccounts):
    def __init__(self) -> None:
        super().__init__(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, refresh_token=REFRESH_TOKEN)
        self.records: dict[str, dict[str, dict[str, Any]]] = {"Contacts": {}}
        self.attachments: dict[str, Attachment] = {}
        self.downloads: Counter[str] = Counter()  # attachment id -> files served
        self.delay = 0.0  # seconds before every CRM answer
        self.discrete_limit = 2000  # records reachable with page/per_page; beyond them page_token only
        self.missing_record: Literal["no_content", "invalid_data"] = "no_content"
        self._page_tokens: dict[str, tuple[tuple[Any, ...], int]] = {}
        self._ids = itertools.count(5725767000000700001, 1001)
        module, record = rf"{BASE}/(?P<module>[A-Za-z]\w*)", r"/(?P<record>[^/]+)"
        self.route("GET", module + record + r"/Attachments/(?P<attachment>[^/]+)", self._guarded(self._download))
        self.route("GET", module + record + "/Attachments", self._guarded(self._attachments))
        self.route("GET", module + record, self._guarded(self._record))
        self.route("GET", module, self._guarded(self._list))

    # --- test helpers -----------------------------------------------------------------------

    def add_contact(self, **fields: Any) -> str:
        """A Contacts record with every standard and custom field (null unless given); returns its id."""
        defaults = dict.fromkeys(CONTACT_FIELDS) | {"Email_Opt_Out": False, "Tag": [], "Locked__s": False}
        names = (fields.get("First_Name"), fields.get("Last_Name"))
        fields.setdefault("Full_Name", " ".join(str(name) for name in names if name))
        return self._store("Contacts", defaults, fields)

    def add_record(self, module: str, **fields: Any) -> str:
        """A record of any module, e.g. a custom roles module "Job_Openings" (its main field is Name)."""
        return self._store(module, {"Name": None, "Tag": [], "Locked__s": False}, fields)

    def add_attachment(
        self,
        module: str,
        record_id: str,
        file_name: str,
        content: bytes,
        *,
        created_time: datetime | None = None,
        content_type: str = "application/pdf",
        link_url: str = "",
    ) -> str:
        with self._state:
            parent = self.records.get(module, {}).get(record_id, {})
        attachment = Attachment(
            id=self._next_id(), module=module, record_id=record_id, file_name=file_name, content=content,
            content_type=content_type, created_time=created_time or datetime.now(ORG_TZ), link_url=link_url,
            parent_name=str(parent.get("Full_Name") or parent.get("Name") or ""),
        )  # fmt: skip
        with self._state:
            self.attachments[attachment.id] = attachment
        return attachment.id

    def remove_attachment(self, attachment_id: str) -> None:
        with self._state:
            self.attachments.pop(attachment_id, None)

    def fail_next_crm(
        self, status: int, *, path: str = rf"{BASE}/.*", times: int = 1, retry_after: float | None = None
    ) -> None:
        """The next `times` CRM GETs matching `path` get `status` (429 TOO_MANY_REQUESTS, 5xx INTERNAL_ERROR...)."""
        code = {429: "TOO_MANY_REQUESTS", 401: "INVALID_TOKEN"}.get(
            status, "INTERNAL_ERROR" if status >= 500 else "INVALID_DATA"
        )
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else None
        self.fail_next("GET", path, error(status, code, headers=headers), times=times)

    def _next_id(self) -> str:
        with self._state:
            return str(next(self._ids))

    def _store(self, module: str, defaults: dict[str, Any], fields: dict[str, Any]) -> str:
        record_id = self._next_id()
        now = wire_time(datetime.now(ORG_TZ))
        system = {
            "id": record_id, "Owner": dict(OWNER), "Created_By": dict(OWNER), "Modified_By": dict(OWNER),
            "Created_Time": now, "Modified_Time": now, "$approved": True, "$editable": True, "$state": "save",
            "$currency_symbol": "₹", "$layout_id": dict(LAYOUT), "$process_flow": False,
        }  # fmt: skip
        with self._state:
            self.records.setdefault(module, {})[record_id] = defaults | system | _wire(fields) | {"id": record_id}
        return record_id

    # --- crm --------------------------------------------------------------------------------

    def _guarded(self, handler: Handler) -> Handler:
        def guarded(request: Request) -> Response:
            answer = handler(request) if self._authorised(request) else error(401, "INVALID_TOKEN")
            answer.delay = self.delay
            return answer

        return guarded

    def _module(self, request: Request) -> dict[str, dict[str, Any]] | None:
        with self._state:
            records = self.records.get(request.match["module"])
            return dict(records) if records is not None else None

    def _record(self, request: Request) -> Response:
        records = self._module(request)
        if records is None:
            return error(400, "INVALID_MODULE", {"resource_path_index": 0})
        record_id = request.match["record"]
        if not record_id.isdigit():
            return error(404, "INVALID_URL_PATTERN")
        if record_id not in records:
            if self.missing_record == "invalid_data":
                return error(400, "INVALID_DATA", {"id": record_id})
            return Response(204)
        return ok({"data": [records[record_id]]})

    def _list(self, request: Request) -> Response:
        records = self._module(request)
        if records is None:
            return error(400, "INVALID_MODULE", {"resource_path_index": 0})
        fields = _fields(request)
        if not fields:
            return error(400, "REQUIRED_PARAM_MISSING", {"param": "fields"})
        since = request.headers.get("if-modified-since")
        rows = sorted(records.values(), key=lambda r: int(r["id"]), reverse=True)  # sort_by id, desc by default
        if since:
            try:
                moment = datetime.fromisoformat(since)  # Zoho takes ISO-8601 here, not an HTTP date
            except ValueError:
                moment = None
            if moment is None or moment.tzinfo is None:
                return error(400, "INVALID_DATA", {"header_name": "If-Modified-Since"})
            rows = [r for r in rows if datetime.fromisoformat(r["Modified_Time"]) > moment]
            if not rows:
                return Response(304)
        items = [{name: row.get(name) for name in ["id", *fields]} for row in rows]
        return self._page(request, items, bound=(request.match["module"], tuple(fields), since))

    def _attachments(self, request: Request) -> Response:
        fields = _fields(request)
        if not fields:
            return error(400, "REQUIRED_PARAM_MISSING", {"param": "fields"})
        module, record_id = request.match["module"], request.match["record"]
        with self._state:
            if record_id not in self.records.get(module, {}):
                return error(400, "INVALID_DATA", {"id": record_id})
            found = [a for a in self.attachments.values() if (a.module, a.record_id) == (module, record_id)]
        items = [a.as_json(fields) for a in found]
        return self._page(request, items, bound=(module, record_id, tuple(fields)))

    def _page(self, request: Request, items: list[dict[str, Any]], *, bound: tuple[Any, ...]) -> Response:
        """One page of `items` by page/per_page (the first `discrete_limit` only) or by page_token."""
        per_page = min(int(request.arg("per_page", str(MAX_PER_PAGE)) or MAX_PER_PAGE), MAX_PER_PAGE)
        bound = (*bound, per_page)
        token, page = request.arg("page_token"), int(request.arg("page", "1") or 1)
        if token and request.arg("page"):
            return error(400, "AMBIGUITY_DURING_PROCESSING", {"param_name": "page_token"})
        if token:
            with self._state:
                token_bound, start = self._page_tokens.get(token, (None, 0))
            if token_bound != bound:
                return error(400, "TOKEN_BOUND_DATA_MISMATCH", {"param_name": "page_token"})
        elif page * per_page > self.discrete_limit:
            return error(400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED", {"limit": self.discrete_limit})
        else:
            start = (page - 1) * per_page
        chunk = items[start : start + per_page]
        if not chunk:
            return Response(204)
        more = start + per_page < len(items)
        next_token = self._issue_token(bound, start + per_page) if more else None
        info = {
            "per_page": per_page, "next_page_token": next_token, "count": len(chunk), "sort_by": "id",
            "page": start // per_page + 1, "previous_page_token": None,
            "page_token_expiry": wire_time(datetime.now(ORG_TZ) + timedelta(days=1)) if next_token else None,
            "sort_order": "desc", "more_records": more,
        }  # fmt: skip
        return ok({"data": chunk, "info": info})

    def _issue_token(self, bound: tuple[Any, ...], start: int) -> str:
        token = secrets.token_hex(16)
        with self._state:
            self._page_tokens[token] = (bound, start)
        return token

    def _download(self, request: Request) -> Response:
        with self._state:
            attachment = self.attachments.get(request.match["attachment"])
        if attachment is None or (attachment.module, attachment.record_id) != (
            request.match["module"],
            request.match["record"],
        ):
            return error(400, "INVALID_DATA", {"id": request.match["attachment"]})
        if attachment.link_url:
            return error(400, "DOWNLOAD_NOT_ALLOWED")
        with self._state:
            self.downloads[attachment.id] += 1
        headers = {"Content-Type": attachment.content_type, "Content-Disposition": _disposition(attachment.file_name)}
        return Response(200, attachment.content, headers=headers)


def _fields(request: Request) -> list[str]:
    return [name for name in (request.arg("fields", "") or "").split(",") if name]


def _wire(fields: dict[str, Any]) -> dict[str, Any]:
    """Test values as Zoho sends them: datetimes as ISO with the org's offset, lookups as {"name", "id"}."""
    wired: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, datetime):
            value = wire_time(value)
        elif name in LOOKUP_FIELDS and isinstance(value, str):
            value = {"name": value, "id": str(5725767000000000000 + zlib.crc32(value.encode()) % 10**9)}
        wired[name] = value
    return wired


def _disposition(file_name: str) -> str:
    if file_name.isascii():
        return 'attachment; filename="{}"'.format(file_name.replace("\\", "\\\\").replace('"', '\\"'))
    fallback = file_name.encode("ascii", "replace").decode().replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"
