"""Chatwoot Application API client: contacts, conversations, labels and messages of one account.

Docs: https://developers.chatwoot.com/api-reference/introduction (wire format, read from the
upstream source at release 4.14.2, in ../shared/INTEGRATIONS.md §4). Every route sits under
/api/v1/accounts/{account_id}/ and takes the `api_access_token` header. Ids are integers, and
a conversation's `id` is its per-account display_id, which every /conversations/{id} route
takes. A failed validation is 422 {"message": "<full messages joined by ', '>", "attributes":
[...]}; other errors are {"error": "..."}. The session may repeat the GETs and the PUT on
connection errors and 429/502/503/504; a POST is never repeated here (a second contact create
would clash, a second message would show twice), its caller decides.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from django.conf import settings
from pydantic import BaseModel, Field, ValidationError

from integrations.chatwoot.errors import ChatwootError
from integrations.http import OutgoingSession

ACCOUNT = "/api/v1/accounts/{account_id}"
# https://developers.chatwoot.com/api-reference/contacts/create-contact (its `payload` schema is wrong:
# the answer is {"payload": {"contact", "contact_inbox"}}, app/views/api/v1/accounts/contacts/create.json.jbuilder)
CONTACTS = ACCOUNT + "/contacts"
# https://developers.chatwoot.com/api-reference/contacts/search-contacts (15 a page; q ILIKE name/email/phone)
CONTACT_SEARCH = ACCOUNT + "/contacts/search"
# chatwoot/chatwoot:app/controllers/api/v1/accounts/contacts_controller.rb#update (custom_attributes are merged)
CONTACT = ACCOUNT + "/contacts/{contact_id}"
# chatwoot/chatwoot:app/controllers/api/v1/accounts/contacts/conversations_controller.rb (newest 20, no pages)
CONTACT_CONVERSATIONS = ACCOUNT + "/contacts/{contact_id}/conversations"
# https://developers.chatwoot.com/api-reference/conversations/create-new-conversation
CONVERSATIONS = ACCOUNT + "/conversations"
# https://developers.chatwoot.com/api-reference/conversations/list-labels and .../add-labels (POST replaces the set)
CONVERSATION_LABELS = ACCOUNT + "/conversations/{conversation_id}/labels"
# https://developers.chatwoot.com/api-reference/labels (list; add a new label: downcased, unique per account)
LABELS = ACCOUNT + "/labels"
# chatwoot/chatwoot:app/controllers/api/v1/accounts/conversations/messages_controller.rb (create; index is
# app/finders/message_finder.rb: the latest 20, oldest first, and before=<id> the 20 before that id)
MESSAGES = ACCOUNT + "/conversations/{conversation_id}/messages"

E164 = re.compile(r"\+[1-9]\d{1,14}")
MESSAGE_TYPES = ("incoming", "outgoing")
DEFAULT_LABEL_COLOR = "#1f93ff"
# A full number seldom matches more than one page of 15; a cap keeps a bad query from walking the account.
MAX_SEARCH_PAGES = 5
MESSAGES_PER_PAGE = 20
MAX_MESSAGE_PAGES = 5


@dataclass(frozen=True)
class ChatwootContact:
    id: int
    name: str
    phone_number: str  # E.164, "" when unset
    identifier: str  # "" when unset
    custom_attributes: dict[str, Any]


@dataclass(frozen=True)
class ChatwootConversation:
    id: int  # the per-account display_id, which every /conversations/{id} route uses
    inbox_id: int
    status: str  # open, resolved, pending, snoozed
    labels: tuple[str, ...]


# --- answers as Chatwoot sends them (only the fields used; the rest is ignored) ------------------


class _Contact(BaseModel):
    id: int
    name: str | None = None
    phone_number: str | None = None
    identifier: str | None = None
    custom_attributes: dict[str, Any] | None = None


class _Conversation(BaseModel):
    id: int
    inbox_id: int
    status: str = ""
    labels: list[str] = Field(default_factory=list)


class _ContactPayload(BaseModel):
    payload: _Contact


class _CreatedContact(BaseModel):
    contact: _Contact


class _ContactCreated(BaseModel):
    payload: _CreatedContact


class _SearchMeta(BaseModel):
    has_more: bool = False


class _ContactPage(BaseModel):
    meta: _SearchMeta = Field(default_factory=_SearchMeta)
    payload: list[_Contact]


class _Conversations(BaseModel):
    payload: list[_Conversation]


class _Labels(BaseModel):
    payload: list[str]


class _AccountLabel(BaseModel):
    title: str


class _AccountLabels(BaseModel):
    payload: list[_AccountLabel]


class _Message(BaseModel):
    id: int
    source_id: str | None = None


class _Messages(BaseModel):
    payload: list[_Message]


Answer = TypeVar("Answer", bound=BaseModel)


def chatwoot_configured(*, inbox: bool = True) -> bool:
    """The one definition of "Chatwoot is set up": CHATWOOT_BASE_URL, _API_TOKEN and _ACCOUNT_ID,
    and (for mirroring messages, `inbox`) CHATWOOT_WHATSAPP_INBOX_ID."""
    api = settings.CHATWOOT_BASE_URL and settings.CHATWOOT_API_TOKEN and settings.CHATWOOT_ACCOUNT_ID
    return bool(api and (settings.CHATWOOT_WHATSAPP_INBOX_ID or not inbox))


def chatwoot_from_settings() -> Chatwoot | None:
    """The client for CHATWOOT_BASE_URL / _API_TOKEN / _ACCOUNT_ID, or None when one is blank (the
    label catalogue needs no inbox; mirroring messages checks `chatwoot_configured()`)."""
    if not chatwoot_configured(inbox=False):
        return None
    return Chatwoot(
        base_url=settings.CHATWOOT_BASE_URL, api_token=settings.CHATWOOT_API_TOKEN,
        account_id=settings.CHATWOOT_ACCOUNT_ID,
    )  # fmt: skip


def label_title_valid(title: str) -> bool:
    r"""Whether Chatwoot takes `title` as a label: it downcases it, then wants \A[\p{L}\p{N}]+[\p{L}\p{N}_-]+\Z.

    So at least two characters, letters, digits, "_" and "-" only (no spaces, no colons), and
    a letter or digit first. (chatwoot/chatwoot:app/models/label.rb, lib/regex_helper.rb)
    """
    title = title.lower()
    return len(title) >= 2 and _letter_or_digit(title[0]) and all(_letter_or_digit(c) or c in "_-" for c in title[1:])


def _letter_or_digit(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"  # \p{L} or \p{N}


class Chatwoot:
    def __init__(
        self, *, base_url: str, api_token: str, account_id: str, session: requests.Session | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.account_id = str(account_id)
        self._api_token = api_token
        self.session = session or OutgoingSession(role="chatwoot", timeout=settings.HTTP_TIMEOUT_SECONDS, max_retries=2)

    def __repr__(self) -> str:
        return f"Chatwoot({self.base_url!r}, account_id={self.account_id!r})"

    # --- contacts -------------------------------------------------------------------

    def search_contacts(self, query: str, *, page: int = 1) -> list[ChatwootContact]:
        """One page (15) of contacts whose name, email or phone contains `query`, or whose identifier does."""
        contacts, _has_more = self._search(query, page)
        return contacts

    def find_contact_by_phone(self, e164: str) -> ChatwootContact | None:
        """The contact whose phone_number is exactly `e164` ("+31612345678"), or None."""
        if not E164.fullmatch(e164):
            raise ValueError("find_contact_by_phone takes an E.164 number such as +31612345678")
        # Search matches substrings: both spellings find the number, and only an exact one counts.
        for query in (e164, e164.removeprefix("+")):
            for contact in self._search_pages(query):
                if contact.phone_number == e164:
                    return contact
        return None

    def create_contact(
        self,
        *,
        name: str,
        phone_number: str,
        identifier: str = "",
        custom_attributes: Mapping[str, Any] | None = None,
    ) -> ChatwootContact:
        """A new contact; ChatwootError(code="taken") when the phone number or identifier already has one."""
        body: dict[str, Any] = {"name": name, "phone_number": phone_number}
        if identifier:
            body["identifier"] = identifier
        if custom_attributes:
            body["custom_attributes"] = dict(custom_attributes)
        answer = self._call("POST", CONTACTS, json=body)
        return _contact(_parse(_ContactCreated, answer).payload.contact)

    def update_contact_attributes(self, contact_id: int, custom_attributes: Mapping[str, Any]) -> ChatwootContact:
        """Sets these custom attributes; Chatwoot merges them into the contact's others."""
        body = {"custom_attributes": dict(custom_attributes)}
        answer = self._call("PUT", CONTACT, json=body, contact_id=contact_id)
        return _contact(_parse(_ContactPayload, answer).payload)

    def contact_conversations(self, contact_id: int) -> list[ChatwootConversation]:
        """The contact's newest 20 conversations, latest activity first."""
        answer = self._call("GET", CONTACT_CONVERSATIONS, contact_id=contact_id)
        return [_conversation(item) for item in _parse(_Conversations, answer).payload]

    # --- conversations --------------------------------------------------------------

    def create_conversation(self, *, contact_id: int, inbox_id: int, source_id: str = "") -> ChatwootConversation:
        body: dict[str, Any] = {"contact_id": contact_id, "inbox_id": inbox_id}
        if source_id:
            body["source_id"] = source_id
        return _conversation(_parse(_Conversation, self._call("POST", CONVERSATIONS, json=body)))

    def conversation_labels(self, conversation_id: int) -> list[str]:
        answer = self._call("GET", CONVERSATION_LABELS, conversation_id=conversation_id)
        return _parse(_Labels, answer).payload

    def add_conversation_labels(self, conversation_id: int, labels: Iterable[str]) -> list[str]:
        """Adds `labels` to the conversation's and returns the new set.

        Chatwoot only offers "replace the set", so this reads the set and posts the union: two
        callers adding to one conversation at the same moment can lose one's labels.
        """
        if isinstance(labels, str):
            raise TypeError("labels is a collection of titles, not one title")
        wanted = set(labels)
        current = self.conversation_labels(conversation_id)
        if wanted <= set(current):
            return current
        body = {"labels": sorted(wanted | set(current))}
        answer = self._call("POST", CONVERSATION_LABELS, json=body, conversation_id=conversation_id)
        return _parse(_Labels, answer).payload

    def create_message(
        self, conversation_id: int, *, content: str, message_type: str = "incoming", source_id: str = ""
    ) -> int:
        """The new message's id. Chatwoot accepts "incoming" only in an API-channel inbox."""
        if message_type not in MESSAGE_TYPES:
            raise ValueError(f"message_type is one of {MESSAGE_TYPES}, not {message_type!r}")
        body: dict[str, Any] = {"content": content, "message_type": message_type, "private": False}
        if source_id:
            body["source_id"] = source_id
        answer = self._call("POST", MESSAGES, json=body, conversation_id=conversation_id)
        return _parse(_Message, answer).id

    def find_message(self, conversation_id: int, *, source_id: str) -> int | None:
        """The id of the message posted with `source_id` among the conversation's latest 100, or None.

        For a caller that cannot tell whether its earlier create_message arrived (it timed out).
        """
        if not source_id:
            raise ValueError("find_message needs the source_id the message was posted with")
        before: int | None = None
        for _ in range(MAX_MESSAGE_PAGES):
            params = {"before": str(before)} if before else None
            answer = self._call("GET", MESSAGES, params=params, conversation_id=conversation_id)
            messages = _parse(_Messages, answer).payload
            found = [message.id for message in messages if message.source_id == source_id]
            if found:
                return found[-1]
            if len(messages) < MESSAGES_PER_PAGE:
                return None
            before = min(message.id for message in messages)
        return None

    # --- account labels -------------------------------------------------------------

    def list_labels(self) -> list[str]:
        return [label.title for label in _parse(_AccountLabels, self._call("GET", LABELS)).payload]

    def create_label(self, title: str, *, description: str = "", color: str = DEFAULT_LABEL_COLOR) -> bool:
        """True when the label was created, False when the account had it already."""
        label = {"title": title, "description": description, "color": color, "show_on_sidebar": True}
        try:
            self._call("POST", LABELS, json={"label": label})
        except ChatwootError as exc:
            if exc.code == "taken":
                return False
            raise
        return True

    # --- plumbing -------------------------------------------------------------------

    def _search(self, query: str, page: int) -> tuple[list[ChatwootContact], bool]:
        if not query.strip():
            raise ValueError("Chatwoot refuses a blank contact search")
        # requests encodes "+" as %2B; sent bare it would arrive as a space.
        params = {"q": query, "page": str(page), "include_contact_inboxes": "false"}
        answer = _parse(_ContactPage, self._call("GET", CONTACT_SEARCH, params=params))
        return [_contact(item) for item in answer.payload], answer.meta.has_more

    def _search_pages(self, query: str) -> Iterator[ChatwootContact]:
        for page in range(1, MAX_SEARCH_PAGES + 1):
            contacts, has_more = self._search(query, page)
            yield from contacts
            if not has_more:
                return

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        **ids: int,
    ) -> Any:
        """The JSON answered to a 2xx; ChatwootError for anything else."""
        parts = {name: str(int(value)) for name, value in ids.items()}
        url = self.base_url + path.format(account_id=quote(self.account_id, safe=""), **parts)
        headers = {"api_access_token": self._api_token, "Accept": "application/json"}
        try:
            response = self.session.request(method, url, params=params, json=json, headers=headers)
        except requests.RequestException as exc:
            raise ChatwootError(
                f"Chatwoot unreachable or silent ({type(exc).__name__})", retryable=True, code="network"
            ) from exc
        if not 200 <= response.status_code < 300:
            raise _error(response)
        try:
            return response.json()
        except ValueError:
            # A cut or garbled answer (a proxy, an outage page): asking again usually works.
            raise ChatwootError(
                f"Chatwoot answered {response.status_code} without JSON",
                retryable=True,
                status=response.status_code,
                code="server",
            ) from None


def _parse(model: type[Answer], answer: Any) -> Answer:
    try:
        return model.model_validate(answer)
    except ValidationError as exc:
        # Only the places, not the values: those hold names and phone numbers.
        places = ", ".join(".".join(str(part) for part in error["loc"]) or "(top)" for error in exc.errors())
        raise ChatwootError(
            f"Chatwoot answered an unexpected shape for {model.__name__.lstrip('_')} ({places})",
            retryable=False,
            code="server",
        ) from None


def _contact(item: _Contact) -> ChatwootContact:
    return ChatwootContact(
        id=item.id,
        name=item.name or "",
        phone_number=item.phone_number or "",
        identifier=item.identifier or "",
        custom_attributes=dict(item.custom_attributes or {}),
    )


def _conversation(item: _Conversation) -> ChatwootConversation:
    return ChatwootConversation(id=item.id, inbox_id=item.inbox_id, status=item.status, labels=tuple(item.labels))


def _error(response: requests.Response) -> ChatwootError:
    status = response.status_code
    message, attributes = _error_text(response)
    code = _error_code(status, message)
    text = f"Chatwoot answered {status}"
    if message:
        text += f": {message}"
    if attributes:
        text += f" (attributes: {', '.join(attributes)})"
    if 300 <= status < 400:
        text += " (a redirect: is CHATWOOT_BASE_URL the https address?)"
    return ChatwootError(text, retryable=code in ("rate_limited", "server"), status=status, code=code)


def _error_text(response: requests.Response) -> tuple[str, list[str]]:
    """Chatwoot's message and the attributes it names, from whichever error shape it used."""
    try:
        body = response.json()
    except ValueError:
        return "", []
    if not isinstance(body, dict):
        return "", []
    message = body.get("message") or body.get("error") or ""
    errors = body.get("errors")  # devise_token_auth: {"errors": ["You need to sign in ..."]}
    if not message and isinstance(errors, list):
        message = ", ".join(str(error) for error in errors)
    attributes = body.get("attributes")
    names = [str(name) for name in attributes] if isinstance(attributes, list) else []
    return str(message), names


def _error_code(status: int, message: str) -> str:
    if status in (401, 403):
        return "auth"
    if status == 404:
        return "not_found"
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "server"
    if status == 422 and _only_taken(message):
        return "taken"
    return "invalid"


def _only_taken(message: str) -> bool:
    # Full messages joined by ", ": "taken" only when every one of them is a uniqueness clash,
    # so that a second search can help (and not when the phone number is also malformed).
    parts = [part for part in message.split(", ") if part]
    return bool(parts) and all(part.endswith("has already been taken") for part in parts)
