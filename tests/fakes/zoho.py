"""A fake Zoho accounts server and Zoho Mail API on one port (../shared/INTEGRATIONS.md §1-2).

Accounts: the token endpoint of tests/fakes/zoho_accounts.py. Mail: the
envelope {"status": {...}, "data": ...}, ids as strings of 64-bit numbers (a
bare number in /content), epoch-millisecond strings, HTML-escaped addresses in
lists, 401 + INVALID_OAUTHTOKEN for an expired token, EXTRA_KEY_FOUND_IN_JSON
for an undocumented send key. Every sent message is counted by the send key
("Ref <key>") in its content: the source of truth for "sent twice".
"""

from __future__ import annotations

import html
import itertools
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Any

from tests.fakes.server import Request, Response
from tests.fakes.zoho_accounts import FakeZohoAccounts

CLIENT_ID = "1000.FAKECLIENT"
CLIENT_SECRET = "fake-client-secret"
REFRESH_TOKEN = "1000.fake.refresh"
ACCOUNT_ID = "4845214000000008002"
INBOX_ID = "4845214000000008008"
SENT_ID = "4845214000000008014"
SEND_KEYS = {
    "fromAddress",
    "toAddress",
    "ccAddress",
    "bccAddress",
    "subject",
    "content",
    "mailFormat",
    "askReceipt",
    "encoding",
}
REF = re.compile(r"Ref ([0-9a-f]{32})")


@dataclass
class Message:
    message_id: str
    folder_id: str
    from_address: str
    to_address: str
    subject: str
    content: str
    received_ms: int
    mail_id: str
    headers: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "summary": html.escape(re.sub(r"<[^>]+>", " ", self.content)[:100]),
            "sentDateInGMT": str(self.received_ms),
            "receivedTime": str(self.received_ms),
            "subject": self.subject,
            "messageId": self.message_id,
            "folderId": self.folder_id,
            "flagid": "flag_not_set",
            "status": "0",
            "status2": "0",
            "priority": "3",
            "hasInline": "false",
            "hasAttachment": "0",
            "size": str(len(self.content)),
            "toAddress": html.escape(f"<{self.to_address}>"),
            "ccAddress": "Not Provided",
            "sender": self.from_address,
            "fromAddress": self.from_address,
        }

    def header_block(self) -> str:
        lines = {
            "Message-Id": self.mail_id,
            "From": self.from_address,
            "To": self.to_address,
            "Subject": self.subject,
            "Date": time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(self.received_ms / 1000)),
            **self.headers,
        }
        return "\r\n".join(f"{name}: {value}" for name, value in lines.items()) + "\r\n"


def envelope(data: Any, code: int = 200, description: str = "success") -> dict[str, Any]:
    return {"status": {"code": code, "description": description}, "data": data}


def error(status: int, code: str) -> Response:
    return Response(status, envelope({"errorCode": code}, status, "Invalid Input"))


class FakeZoho(FakeZohoAccounts):
    def __init__(self) -> None:
        super().__init__(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, refresh_token=REFRESH_TOKEN)
        self.messages: list[Message] = []
        self.send_delay = 0.0
        # The send API documents fromAddress as the account's address; the display-name form
        # `"Name" <address>` is accepted here. A test can make it refuse names (a 400, nothing sent)
        # to exercise the client's fallback.
        self.refuse_display_names = False
        self.sent_keys: Counter[str] = Counter()
        self._ids = itertools.count(1781131523246158500, 1000)
        base = rf"/api/accounts/{ACCOUNT_ID}"
        self.route("GET", base + "/folders", self._folders)
        self.route("POST", base + "/messages", self._send)
        self.route("GET", base + "/messages/view", self._list)
        self.route("GET", base + "/messages/search", self._search)
        self.route("GET", base + r"/folders/(?P<folder>\d+)/messages/(?P<message>\d+)/header", self._header)
        self.route("GET", base + r"/folders/(?P<folder>\d+)/messages/(?P<message>\d+)/content", self._content)

    # --- test helpers -----------------------------------------------------------------------

    def sent(self) -> list[Message]:
        with self._state:
            return [m for m in self.messages if m.folder_id == SENT_ID]

    def deliver(
        self,
        *,
        from_address: str,
        subject: str,
        text: str,
        in_reply_to: str = "",
        headers: dict[str, str] | None = None,
    ) -> Message:
        """Put a message in the inbox, as if someone wrote to the brand."""
        extra = dict(headers or {})
        if in_reply_to:
            extra.setdefault("In-Reply-To", in_reply_to)
            extra.setdefault("References", in_reply_to)
        return self._store(
            INBOX_ID, from_address, "sales@brand.example", subject, f"<div>{html.escape(text)}</div>", extra
        )

    def _store(self, folder: str, sender: str, to: str, subject: str, content: str, headers: dict[str, str]) -> Message:
        with self._state:
            message_id = str(next(self._ids))
            message = Message(
                message_id=message_id, folder_id=folder, from_address=sender, to_address=to, subject=subject,
                content=content, received_ms=int(time.time() * 1000), mail_id=f"<{message_id}.fake@zohomail.test>",
                headers=headers,
            )  # fmt: skip
            self.messages.append(message)
            return message

    # --- mail -------------------------------------------------------------------------------

    def _guarded(self, request: Request) -> Response | None:
        return None if self._authorised(request) else error(401, "INVALID_OAUTHTOKEN")

    def _folders(self, request: Request) -> Response:
        folders = [
            {"folderId": INBOX_ID, "folderName": "Inbox", "folderType": "Inbox", "path": "/Inbox"},
            {"folderId": SENT_ID, "folderName": "Sent", "folderType": "Sent", "path": "/Sent"},
        ]
        return self._guarded(request) or Response(200, envelope(folders))

    def _send(self, request: Request) -> Response:
        if denied := self._guarded(request):
            return denied
        body = request.json()
        if set(body) - SEND_KEYS:
            return error(400, "EXTRA_KEY_FOUND_IN_JSON")
        name, _address = parseaddr(body.get("fromAddress", ""))
        if name and self.refuse_display_names:
            return error(400, "INVALID_FROM_ADDRESS")
        message = self._store(
            SENT_ID, body["fromAddress"], body["toAddress"], body.get("subject", ""), body.get("content", ""), {}
        )
        for key in REF.findall(message.content):
            with self._state:
                self.sent_keys[key] += 1
        data = {
            "subject": message.subject, "messageId": message.message_id, "fromAddress": message.from_address,
            "toAddress": message.to_address, "mailFormat": body.get("mailFormat", "html"), "content": message.content,
            "mailId": message.mail_id,
        }  # fmt: skip
        return Response(200, envelope(data), delay=self.send_delay)

    def _list(self, request: Request) -> Response:
        if denied := self._guarded(request):
            return denied
        folder = request.arg("folderId", INBOX_ID)
        start, limit = int(request.arg("start", "1") or 1), int(request.arg("limit", "10") or 10)
        with self._state:
            items = sorted(
                (m for m in self.messages if m.folder_id == folder), key=lambda m: m.received_ms, reverse=True
            )
        return Response(200, envelope([m.summary() for m in items[start - 1 : start - 1 + limit]]))

    def _search(self, request: Request) -> Response:
        if denied := self._guarded(request):
            return denied
        key = (request.arg("searchKey", "") or "").partition(":")[2]
        with self._state:
            found = [m for m in self.messages if key and key in m.content]
        return Response(200, envelope([m.summary() for m in found]))

    def _find(self, request: Request) -> Message | None:
        with self._state:
            return next((m for m in self.messages if m.message_id == request.match["message"]), None)

    def _header(self, request: Request) -> Response:
        if denied := self._guarded(request):
            return denied
        message = self._find(request)
        if message is None:
            return error(404, "MESSAGE_NOT_FOUND")
        return Response(200, envelope({"headerContent": message.header_block()}))

    def _content(self, request: Request) -> Response:
        if denied := self._guarded(request):
            return denied
        message = self._find(request)
        if message is None:
            return error(404, "MESSAGE_NOT_FOUND")
        # Zoho gives messageId as a bare 64-bit number here.
        raw = f'{{"status":{{"code":200,"description":"success"}},"data":{{"messageId":{message.message_id},"content":{_json(message.content)}}}}}'
        return Response(200, raw.encode(), headers={"Content-Type": "application/json;charset=UTF-8"})


def _json(text: str) -> str:
    import json

    return json.dumps(text)
