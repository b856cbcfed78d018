"""A fake Chatwoot Application API for one account (../shared/INTEGRATIONS.md §4, Chatwoot 4.14.2).

Routes under /api/v1/accounts/{account_id}/, all behind the `api_access_token` header:
- `POST /contacts` -> {"payload": {"contact", "contact_inbox"}}; `GET /contacts/search?q=&page=`
  -> {"meta": {"count", "current_page", "has_more"}, "payload": [...]} (15 a page, q stripped,
  ILIKE %q% on name/email/phone_number, LIKE on identifier, or the id when q is all digits);
  `GET|PUT|PATCH /contacts/{id}` -> {"payload": contact} (custom_attributes merged on update);
  `GET /contacts/{id}/conversations` -> {"payload": [conversation]} (newest activity first, 20).
- `POST /conversations` (contact_id + inbox_id, or a known source_id) -> the conversation, whose
  `id` is the per-account display_id (1, 2, ...) every /conversations/{id} route takes.
- `GET|POST /conversations/{id}/labels` -> {"payload": [...]}; the POST REPLACES the set.
- `GET|POST /labels` -> {"payload": [label]} / the label; the title is downcased, must match
  \\A[\\p{L}\\p{N}]+[\\p{L}\\p{N}_-]+\\Z and be unique; the body may be {"label": {...}} or bare.
- `POST /conversations/{id}/messages` -> the message, with `message_type` as an integer;
  `GET /conversations/{id}/messages[?before=<id>]` -> {"meta", "payload": [the latest 20 (before
  that id), oldest first]} (app/finders/message_finder.rb).

Contacts are validated as Chatwoot does: phone_number /\\+[1-9]\\d{1,14}\\z/ (the start is not
anchored), and email (case-insensitively), identifier and phone_number unique per account; a
failure is 422 {"message": "<full messages joined by ', '>", "attributes": [...]}. An unknown token
is 401 {"error": "Invalid Access Token"}, an unknown account or record 404 {"error": "Resource
could not be found"}.

The one inbox, id 3 ("WhatsApp"), is an API-channel inbox: the product receives WhatsApp itself
and mirrors it in, and Chatwoot accepts `incoming` messages only in API inboxes (any other inbox:
422 {"error": "Incoming messages are only allowed in Api inboxes"}, see `add_inbox`).

Test controls: `contacts` (id -> contact), `conversations` (display id -> conversation), `labels`
(title -> account label), `conversation_labels(id)`, `messages(id)`, `contact_by_phone(e164)`,
`add_contact(...)`, `add_inbox(...)`, `delay` (seconds a contact creation waits before it is
handled, outside the lock, so that concurrent creations overlap), and FakeServer's `fail_next`.
State sits behind one lock: tests hit the fake from several threads and processes.
"""

from __future__ import annotations

import copy
import itertools
import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from tests.fakes.server import FakeServer, Request, Response

API_TOKEN = "fake-chatwoot-access-token"
ACCOUNT_ID = 7
WHATSAPP_INBOX_ID = 3
BASE = r"/api/v1/accounts/(?P<account>[^/]+)"
PER_PAGE = 15
MESSAGES_PER_PAGE = 20
CONTACT_CONVERSATIONS = 20
E164 = re.compile(r"\+[1-9]\d{1,14}\Z")  # Ruby's \z; like Chatwoot's, not anchored at the start
LABEL_TITLE = re.compile(r"[^\W_][\w-]+")  # \A[\p{L}\p{N}]+[\p{L}\p{N}_-]+\Z, used with fullmatch
MESSAGE_TYPES = {"incoming": 0, "outgoing": 1, "activity": 2, "template": 3}
STATUSES = ("open", "resolved", "pending", "snoozed")
CONTACT_KEYS = ("name", "email", "phone_number", "identifier", "blocked")
LABEL_KEYS = ("title", "description", "color", "show_on_sidebar")
NOT_FOUND = {"error": "Resource could not be found"}
AGENT = {"id": 1, "name": "Fake Agent", "available_name": "Fake Agent", "avatar_url": "", "type": "user"}


class _NotFound(Exception):
    pass


def _now() -> int:
    return int(time.time())


def _invalid(errors: list[tuple[str, str]]) -> Response:
    """A failed validation, as request_exception_handler.rb renders ActiveRecord::RecordInvalid."""
    attributes = list(dict.fromkeys(attribute for attribute, _ in errors))
    return Response(422, {"message": ", ".join(message for _, message in errors), "attributes": attributes})


def _like(term: str, value: Any, *, ignore_case: bool) -> bool:
    """SQL `value LIKE '%term%'` (ILIKE with ignore_case): % and _ in the term are wildcards too."""
    if not isinstance(value, str):
        return False
    pattern = "".join({"%": ".*", "_": "."}.get(char, re.escape(char)) for char in term)
    return re.search(pattern, value, re.DOTALL | (re.IGNORECASE if ignore_case else 0)) is not None


def _params(request: Request) -> dict[str, Any]:
    """Rails params: the query string, plus a JSON body (or a form body)."""
    params: dict[str, Any] = {name: values[0] for name, values in request.query.items()}
    if "json" in request.headers.get("content-type", ""):
        body = request.json() if request.body else {}
        if isinstance(body, dict):
            params.update(body)
    elif request.body:
        params.update({name: values[0] for name, values in request.form().items()})
    return params


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class FakeChatwoot(FakeServer):
    def __init__(self, *, api_token: str = API_TOKEN, account_id: int = ACCOUNT_ID, delay: float = 0.0) -> None:
        super().__init__()
        self.api_token = api_token
        self.account_id = account_id
        self.delay = delay
        self.contacts: dict[int, dict[str, Any]] = {}
        self.conversations: dict[int, dict[str, Any]] = {}
        self.labels: dict[str, dict[str, Any]] = {}
        self.inboxes: dict[int, dict[str, Any]] = {}
        self._contact_inboxes: list[dict[str, Any]] = []
        self._conversation_labels: dict[int, list[str]] = {}
        self._messages: dict[int, list[dict[str, Any]]] = {}
        self._state = threading.RLock()
        # Contact ids apart from display ids, so that a test notices when one is used for the other.
        self._contact_ids = itertools.count(101)
        self._display_ids = itertools.count(1)
        self._message_ids = itertools.count(901)
        self._label_ids = itertools.count(1)
        self._inbox_ids = itertools.count(WHATSAPP_INBOX_ID)
        self.add_inbox("WhatsApp", channel_type="Channel::Api")
        self._routes()

    def _routes(self) -> None:
        contact, conversation = BASE + r"/contacts/(?P<id>\d+)", BASE + r"/conversations/(?P<id>\d+)"
        self.route("POST", BASE + "/contacts", self._guarded(self._create_contact))
        self.route("GET", BASE + "/contacts/search", self._guarded(self._search_contacts))
        self.route("GET", contact, self._guarded(self._show_contact))
        self.route("PUT", contact, self._guarded(self._update_contact))
        self.route("PATCH", contact, self._guarded(self._update_contact))
        self.route("GET", contact + "/conversations", self._guarded(self._contact_conversations))
        self.route("POST", BASE + "/conversations", self._guarded(self._create_conversation))
        self.route("GET", conversation + "/labels", self._guarded(self._conversation_labels_index))
        self.route("POST", conversation + "/labels", self._guarded(self._conversation_labels_create))
        self.route("POST", conversation + "/messages", self._guarded(self._create_message))
        self.route("GET", conversation + "/messages", self._guarded(self._messages_index))
        self.route("GET", BASE + "/labels", self._guarded(self._labels_index))
        self.route("POST", BASE + "/labels", self._guarded(self._labels_create))

    # --- test helpers -----------------------------------------------------------------------

    def conversation_labels(self, display_id: int) -> list[str]:
        with self._state:
            return list(self._conversation_labels.get(display_id, []))

    def messages(self, display_id: int) -> list[dict[str, Any]]:
        """The conversation's messages as the API renders them (message_type an integer)."""
        with self._state:
            return copy.deepcopy(self._messages.get(display_id, []))

    def contact_by_phone(self, e164: str) -> dict[str, Any] | None:
        with self._state:
            found = [c for c in self.contacts.values() if c["phone_number"] == e164]
            return copy.deepcopy(found[0]) if found else None

    def add_contact(self, **fields: Any) -> dict[str, Any]:
        """A contact stored as if created through the API (same validation); returns it."""
        with self._state:
            contact, errors = self._new_contact(fields)
            if errors:
                raise ValueError(errors)
            self.contacts[contact["id"]] = contact
            return copy.deepcopy(contact)

    def add_inbox(self, name: str, *, channel_type: str = "Channel::Whatsapp") -> int:
        with self._state:
            inbox_id = next(self._inbox_ids)
            self.inboxes[inbox_id] = {
                "id": inbox_id, "avatar_url": "", "channel_id": inbox_id, "name": name,
                "channel_type": channel_type, "provider": "whatsapp_cloud" if "Whatsapp" in channel_type else None,
            }  # fmt: skip
            return inbox_id

    # --- plumbing ---------------------------------------------------------------------------

    def _guarded(self, handler: Callable[[Request, dict[str, Any]], Response]) -> Callable[[Request], Response]:
        def guarded(request: Request) -> Response:
            token = request.headers.get("api_access_token")
            if token is None:  # falls through to devise_token_auth
                return Response(401, {"errors": ["You need to sign in or sign up before continuing."]})
            if token != self.api_token:
                return Response(401, {"error": "Invalid Access Token"})
            if request.match["account"] != str(self.account_id):
                return Response(404, NOT_FOUND)
            try:
                params = _params(request)
            except ValueError:
                return Response(400, {"error": "the request body is not valid JSON"})
            try:
                return handler(request, params)
            except _NotFound:
                return Response(404, NOT_FOUND)

        return guarded

    def _find(self, table: dict[int, dict[str, Any]], key: Any) -> dict[str, Any]:
        try:
            return table[int(key)]
        except (KeyError, TypeError, ValueError):
            raise _NotFound from None

    # --- contacts ---------------------------------------------------------------------------

    def _new_contact(self, params: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        contact: dict[str, Any] = {
            "id": None, "name": "", "email": None, "phone_number": None, "identifier": None, "blocked": False,
            "thumbnail": "", "availability_status": "offline", "additional_attributes": {}, "custom_attributes": {},
            "created_at": _now(), "last_activity_at": None,
        }  # fmt: skip
        self._assign(contact, params)
        errors = self._validate(contact)
        if not errors:
            contact["id"] = next(self._contact_ids)
        return contact, errors

    def _assign(self, contact: dict[str, Any], params: dict[str, Any]) -> None:
        for key in CONTACT_KEYS:
            if key in params:
                contact[key] = params[key]
        for key in ("custom_attributes", "additional_attributes"):
            if isinstance(params.get(key), dict):
                contact[key] = {**contact[key], **params[key]}  # merged, as contacts_controller.rb does
        contact["name"] = str(contact["name"] or "")
        email = contact["email"]
        contact["email"] = email.strip().lower() if isinstance(email, str) and email.strip() else None
        for key in ("phone_number", "identifier"):
            contact[key] = None if _blank(contact[key]) else str(contact[key])

    def _validate(self, contact: dict[str, Any]) -> list[tuple[str, str]]:
        others = [c for c in self.contacts.values() if c["id"] != contact["id"]]
        errors = []
        if contact["email"] and any(contact["email"] == c["email"] for c in others):
            errors.append(("email", "Email has already been taken"))
        if contact["identifier"] and any(contact["identifier"] == c["identifier"] for c in others):
            errors.append(("identifier", "Identifier has already been taken"))
        phone = contact["phone_number"]
        if phone and any(phone == c["phone_number"] for c in others):
            errors.append(("phone_number", "Phone number has already been taken"))
        if phone and not E164.search(phone):
            errors.append(("phone_number", "Phone number should be in e164 format"))
        return errors

    def _contact_json(self, contact: dict[str, Any], *, inboxes: bool = True) -> dict[str, Any]:
        rendered = {k: v for k, v in contact.items() if not (k in ("created_at", "last_activity_at") and v is None)}
        if inboxes:
            rendered["contact_inboxes"] = [
                {"source_id": ci["source_id"], "inbox": self.inboxes[ci["inbox_id"]]}
                for ci in self._contact_inboxes
                if ci["contact_id"] == contact["id"]
            ]
        return copy.deepcopy(rendered)

    def _push_data(self, contact: dict[str, Any]) -> dict[str, Any]:
        keys = ("additional_attributes", "custom_attributes", "email", "id", "identifier", "name", "phone_number")
        return copy.deepcopy({**{k: contact[k] for k in keys}, "thumbnail": "", "blocked": False, "type": "contact"})

    def _contact_inbox(self, contact: dict[str, Any], inbox: dict[str, Any], source_id: Any) -> dict[str, Any]:
        for ci in self._contact_inboxes:
            same = (ci["contact_id"], ci["inbox_id"]) == (contact["id"], inbox["id"])
            if same and (not source_id or ci["source_id"] == str(source_id)):
                return ci
        if not source_id:  # contact_inbox_builder.rb: a UUID for an API inbox, the number for WhatsApp
            whatsapp = inbox["channel_type"] == "Channel::Whatsapp"
            source_id = (contact["phone_number"] or "").lstrip("+") if whatsapp else str(uuid.uuid4())
        ci = {"contact_id": contact["id"], "inbox_id": inbox["id"], "source_id": str(source_id)}
        self._contact_inboxes.append(ci)
        return ci

    def _create_contact(self, request: Request, params: dict[str, Any]) -> Response:
        if self.delay:
            time.sleep(self.delay)  # outside the lock: a second creation can arrive meanwhile
        with self._state:
            contact, errors = self._new_contact(params)
            if errors:
                return _invalid(errors)
            # Saved first, then the inbox looked up: an unknown inbox is a 404 that rolls the contact back.
            inbox = self._find(self.inboxes, params["inbox_id"]) if not _blank(params.get("inbox_id")) else None
            self.contacts[contact["id"]] = contact
            ci = self._contact_inbox(contact, inbox, params.get("source_id")) if inbox else None
            contact_inbox = {"inbox": copy.deepcopy(inbox), "source_id": ci["source_id"] if ci else None}
            return Response(200, {"payload": {"contact": self._contact_json(contact), "contact_inbox": contact_inbox}})

    def _search_contacts(self, request: Request, params: dict[str, Any]) -> Response:
        if _blank(params.get("q")):
            return Response(422, {"error": "Specify search string with parameter q"})
        term = str(params["q"]).strip()
        page_param = params.get("page")
        page = max(int(page_param), 1) if str(page_param or "").isdigit() else 1
        with self._state:
            found = [c for c in sorted(self.contacts.values(), key=lambda c: c["id"]) if _matches(c, term)]
            chunk = found[(page - 1) * PER_PAGE : page * PER_PAGE + 1]
            inboxes = params.get("include_contact_inboxes", "true") == "true"
            payload = [self._contact_json(c, inboxes=inboxes) for c in chunk[:PER_PAGE]]
        meta = {"count": len(payload), "current_page": page_param or 1, "has_more": len(chunk) > PER_PAGE}
        return Response(200, {"meta": meta, "payload": payload})

    def _show_contact(self, request: Request, params: dict[str, Any]) -> Response:
        with self._state:
            return Response(200, {"payload": self._contact_json(self._find(self.contacts, request.match["id"]))})

    def _update_contact(self, request: Request, params: dict[str, Any]) -> Response:
        with self._state:
            stored = self._find(self.contacts, request.match["id"])
            contact = copy.deepcopy(stored)
            self._assign(contact, params)
            errors = self._validate(contact)
            if errors:
                return _invalid(errors)
            stored.update(contact)
            return Response(200, {"payload": self._contact_json(stored)})

    def _contact_conversations(self, request: Request, params: dict[str, Any]) -> Response:
        with self._state:
            contact = self._find(self.contacts, request.match["id"])
            mine = [c for c in self.conversations.values() if c["contact_id"] == contact["id"]]
            mine.sort(key=lambda c: (c["last_activity_at"], c["id"]), reverse=True)
            return Response(200, {"payload": [self._conversation_json(c) for c in mine[:CONTACT_CONVERSATIONS]]})

    # --- conversations ----------------------------------------------------------------------

    def _create_conversation(self, request: Request, params: dict[str, Any]) -> Response:
        status = params.get("status") or "open"
        if status not in STATUSES:
            return Response(422, {"error": f"'{status}' is not a valid status"})
        with self._state:
            ci = self._conversation_contact_inbox(params)
            now = _now()
            display_id = next(self._display_ids)
            self.conversations[display_id] = {
                "id": display_id, "uuid": str(uuid.uuid4()), "contact_id": ci["contact_id"],
                "inbox_id": ci["inbox_id"], "source_id": ci["source_id"], "status": status,
                "custom_attributes": dict(params.get("custom_attributes") or {}),
                "additional_attributes": dict(params.get("additional_attributes") or {}),
                "created_at": now, "last_activity_at": now,
            }  # fmt: skip
            self._conversation_labels[display_id] = []
            self._messages[display_id] = []
            return Response(200, self._conversation_json(self.conversations[display_id]))

    def _conversation_contact_inbox(self, params: dict[str, Any]) -> dict[str, Any]:
        """conversation_builder.rb: contact_id + inbox_id build a contact_inbox; a bare source_id must exist."""
        if _blank(params.get("inbox_id")) or _blank(params.get("contact_id")):
            found = [ci for ci in self._contact_inboxes if ci["source_id"] == params.get("source_id")]
            if not found:
                raise _NotFound
            return found[0]
        inbox = self._find(self.inboxes, params["inbox_id"])
        contact = self._find(self.contacts, params["contact_id"])
        return self._contact_inbox(contact, inbox, params.get("source_id"))

    def _conversation_json(self, conversation: dict[str, Any]) -> dict[str, Any]:
        inbox = self.inboxes[conversation["inbox_id"]]
        messages = self._messages.get(conversation["id"], [])
        activity = conversation["last_activity_at"]
        meta = {
            "sender": self._push_data(self.contacts[conversation["contact_id"]]), "channel": inbox["channel_type"],
            "hmac_verified": False, "assignee": None, "assignee_type": None, "team": None,
        }  # fmt: skip
        return copy.deepcopy({
            "meta": meta, "id": conversation["id"], "messages": [], "account_id": self.account_id,
            "uuid": conversation["uuid"], "additional_attributes": conversation["additional_attributes"],
            "agent_last_seen_at": 0, "assignee_last_seen_at": 0, "can_reply": True, "contact_last_seen_at": 0,
            "custom_attributes": conversation["custom_attributes"], "inbox_id": inbox["id"],
            "labels": self._conversation_labels.get(conversation["id"], []), "muted": False, "snoozed_until": None,
            "status": conversation["status"], "created_at": conversation["created_at"],
            "updated_at": activity + 0.123, "timestamp": activity, "first_reply_created_at": 0, "unread_count": 0,
            "last_non_activity_message": messages[-1] if messages else None, "last_activity_at": activity,
            "priority": None, "waiting_since": conversation["created_at"], "sla_policy_id": None,
        })  # fmt: skip

    def _conversation_labels_index(self, request: Request, params: dict[str, Any]) -> Response:
        with self._state:
            conversation = self._find(self.conversations, request.match["id"])
            return Response(200, {"payload": list(self._conversation_labels[conversation["id"]])})

    def _conversation_labels_create(self, request: Request, params: dict[str, Any]) -> Response:
        posted = params.get("labels") or []
        posted = [str(label).strip() for label in (posted if isinstance(posted, list) else [posted])]
        posted = list(dict.fromkeys(label for label in posted if label))
        with self._state:
            conversation = self._find(self.conversations, request.match["id"])
            old = self._conversation_labels[conversation["id"]]
            # label_list = posted (acts_as_taggable keeps the taggings it can, then adds the new ones)
            new = [label for label in old if label in posted] + [label for label in posted if label not in old]
            self._conversation_labels[conversation["id"]] = new
            return Response(200, {"payload": list(new)})

    def _create_message(self, request: Request, params: dict[str, Any]) -> Response:
        message_type = params.get("message_type") or "outgoing"
        with self._state:
            conversation = self._find(self.conversations, request.match["id"])
            inbox = self.inboxes[conversation["inbox_id"]]
            if message_type not in MESSAGE_TYPES:
                return Response(422, {"error": f"'{message_type}' is not a valid message_type"})
            if message_type == "incoming" and inbox["channel_type"] != "Channel::Api":
                return Response(422, {"error": "Incoming messages are only allowed in Api inboxes"})
            contact = self.contacts[conversation["contact_id"]]
            message = {
                "id": next(self._message_ids), "content": params.get("content"), "inbox_id": inbox["id"],
                "conversation_id": conversation["id"], "message_type": MESSAGE_TYPES[message_type],
                "content_type": params.get("content_type") or "text", "status": "sent",
                "content_attributes": {}, "created_at": _now(), "private": bool(params.get("private", False)),
                "source_id": params.get("source_id") or None,
                "sender": self._push_data(contact) if message_type == "incoming" else dict(AGENT),
            }  # fmt: skip
            self._messages[conversation["id"]].append(message)
            conversation["last_activity_at"] = message["created_at"]
            return Response(200, copy.deepcopy(message))

    def _messages_index(self, request: Request, params: dict[str, Any]) -> Response:
        before = params.get("before")
        with self._state:
            conversation = self._find(self.conversations, request.match["id"])
            messages = self._messages[conversation["id"]]
            if str(before or "").isdigit():
                messages = [m for m in messages if m["id"] < int(before)]
            meta = {
                "labels": list(self._conversation_labels[conversation["id"]]),
                "additional_attributes": conversation["additional_attributes"],
                "contact": self._push_data(self.contacts[conversation["contact_id"]]),
                "assignee": None, "agent_last_seen_at": 0, "assignee_last_seen_at": 0,
            }  # fmt: skip
            return Response(200, copy.deepcopy({"meta": meta, "payload": messages[-MESSAGES_PER_PAGE:]}))

    # --- account labels ---------------------------------------------------------------------

    def _labels_index(self, request: Request, params: dict[str, Any]) -> Response:
        with self._state:
            return Response(200, {"payload": copy.deepcopy(sorted(self.labels.values(), key=lambda lb: lb["id"]))})

    def _labels_create(self, request: Request, params: dict[str, Any]) -> Response:
        # ParamsWrapper: a bare {"title": ...} is wrapped into params[:label].
        wrapped = params.get("label")
        fields = wrapped if isinstance(wrapped, dict) else {k: params[k] for k in LABEL_KEYS if k in params}
        if not fields:
            return Response(422, {"error": "param is missing or the value is empty: label"})
        title = str(fields.get("title") or "").lower()  # before_validation: title.downcase
        with self._state:
            errors = _label_errors(title, taken=title in self.labels)
            if errors:
                return _invalid(errors)
            label = {
                "id": next(self._label_ids), "title": title, "description": fields.get("description"),
                "color": fields.get("color") or "#1f93ff", "show_on_sidebar": fields.get("show_on_sidebar"),
            }  # fmt: skip
            self.labels[title] = label
            return Response(200, copy.deepcopy(label))


def _matches(contact: dict[str, Any], term: str) -> bool:
    if re.fullmatch(r"[0-9]+", term) and int(term) == contact["id"]:
        return True
    return any(_like(term, contact[key], ignore_case=True) for key in ("name", "email", "phone_number")) or _like(
        term, contact["identifier"], ignore_case=False
    )


def _label_errors(title: str, *, taken: bool) -> list[tuple[str, str]]:
    if not title:
        return [("title", "Title must not be blank"), ("title", "Title is invalid")]
    errors = [] if LABEL_TITLE.fullmatch(title) else [("title", "Title is invalid")]
    return errors + ([("title", "Title has already been taken")] if taken else [])
