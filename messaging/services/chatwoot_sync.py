"""Mirroring a WhatsApp message into Chatwoot, get-or-create end to end.

Per message: the phone's Chatwoot contact (found by phone, else created; a "taken" answer from
a concurrent creator means search again), its conversation in CHATWOOT_WHATSAPP_INBOX_ID (the
ids remembered on WhatsAppContact), the message posted once, the labels added to the
conversation's set (Chatwoot replaces the set, so we post the union) and the custom attributes
merged into the contact. One worker at a time syncs a phone: it claims the phone's row
(crm_site.claims) for the length of one Chatwoot call and renews the claim before each next
one, so a lease never runs out in the middle of a sync it still holds, and a worker that lost
it stops; only the owner lets go. The message is read again under the claim. So two messages
arriving together make one contact, one conversation, and each one post. A failure Chatwoot may get
over (5xx, 429, network) is retried with back-off by sync_chatwoot; after
CHATWOOT_SYNC_MAX_ATTEMPTS, or at once for an answer that will not change, the message is
marked failed for staff to retry from the admin.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from crm_site import claims
from integrations.chatwoot.client import Chatwoot, chatwoot_configured, chatwoot_from_settings
from integrations.chatwoot.errors import ChatwootError
from messaging.models import SyncState, WhatsAppContact, WhatsAppMessage

logger = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)  # longer than one Chatwoot call (HTTP_TIMEOUT_SECONDS, 20 s); renewed per call
POSTING_STALE = timedelta(minutes=5)


class PhoneBusy(Exception):
    """Another worker is syncing this phone right now; try again in a moment."""


class ClaimLost(PhoneBusy):
    """The lease ran out mid-sync and another worker holds the phone: stop, it carries on."""


@dataclass(frozen=True)
class SyncOutcome:
    state: str
    detail: str = ""


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def message_sync(*, message_id: int) -> SyncOutcome:
    """Sync one message; raises PhoneBusy when its phone is being synced by someone else."""
    message = WhatsAppMessage.objects.select_related("contact").filter(pk=message_id).first()
    if message is None or message.sync_state == SyncState.SYNCED:
        return SyncOutcome(SyncState.SYNCED if message else "gone")
    client = chatwoot_from_settings()
    if client is None or not chatwoot_configured():
        WhatsAppMessage.objects.filter(pk=message_id).update(sync_state=SyncState.WAITING)
        return SyncOutcome(SyncState.WAITING, "Chatwoot is not configured")
    claim = claims.claim_row(WhatsAppContact, message.contact_id, lease=LEASE)
    if claim is None:
        raise PhoneBusy(message.contact.phone)
    try:
        return _sync(client, message.pk, _Renewing(claim))
    finally:
        claim.release()  # only if still ours


class _Renewing:
    """The phone's claim, renewed before each Chatwoot call; a claim lost stops the sync."""

    def __init__(self, claim: claims.Claim) -> None:
        self.claim = claim

    def renew(self) -> None:
        renewed = self.claim.renew(LEASE)
        if renewed is None:
            raise ClaimLost(f"the claim on WhatsApp contact {self.claim.pk} ran out")
        self.claim = renewed


def _sync(client: Chatwoot, message_id: int, holder: _Renewing) -> SyncOutcome:
    # Fresh under the claim: the contact's ids, and the message's state (another worker may have
    # posted it between our first look and the claim).
    message = WhatsAppMessage.objects.get(pk=message_id)
    if message.sync_state == SyncState.SYNCED:
        return SyncOutcome(SyncState.SYNCED)
    contact = WhatsAppContact.objects.get(pk=message.contact_id)
    try:
        holder.renew()
        conversation_id = _conversation(client, contact, holder)
        holder.renew()
        _post(client, message, conversation_id)
        holder.renew()
        client.add_conversation_labels(conversation_id, contact.labels)
        holder.renew()
        client.update_contact_attributes(int(contact.chatwoot_contact_id or 0), contact.attributes)
    except ChatwootError as exc:
        return _failed(message, exc)
    WhatsAppMessage.objects.filter(pk=message.pk).update(
        sync_state=SyncState.SYNCED, synced_at=timezone.now(), sync_error="", next_sync_at=None
    )
    return SyncOutcome(SyncState.SYNCED)


def _conversation(client: Chatwoot, contact: WhatsAppContact, holder: _Renewing) -> int:
    """The contact's conversation in the WhatsApp inbox, found or created, and remembered."""
    inbox_id = int(settings.CHATWOOT_WHATSAPP_INBOX_ID)
    if contact.chatwoot_contact_id is None:
        contact.chatwoot_contact_id = _contact_id(client, contact)
        WhatsAppContact.objects.filter(pk=contact.pk).update(chatwoot_contact_id=contact.chatwoot_contact_id)
        holder.renew()
    if contact.chatwoot_conversation_id is None:
        found = [c for c in client.contact_conversations(contact.chatwoot_contact_id) if c.inbox_id == inbox_id]
        conversation = (
            found[0]
            if found
            else client.create_conversation(
                contact_id=contact.chatwoot_contact_id, inbox_id=inbox_id, source_id=contact.phone.removeprefix("+")
            )
        )
        contact.chatwoot_conversation_id = conversation.id
        WhatsAppContact.objects.filter(pk=contact.pk).update(chatwoot_conversation_id=conversation.id)
    return contact.chatwoot_conversation_id


def _contact_id(client: Chatwoot, contact: WhatsAppContact) -> int:
    found = client.find_contact_by_phone(contact.phone)
    if found is not None:
        return found.id
    try:
        return client.create_contact(
            name=contact.display_name, phone_number=contact.phone, custom_attributes=contact.attributes
        ).id
    except ChatwootError as exc:
        if exc.code != "taken":
            raise
    found = client.find_contact_by_phone(contact.phone)  # someone else created it meanwhile
    if found is None:
        raise ChatwootError(f"Chatwoot says {contact.phone} is taken but finds no such contact", retryable=True)
    return found.id


def _post(client: Chatwoot, message: WhatsAppMessage, conversation_id: int) -> None:
    """Post the message once: the claim (pending -> posting) is committed before the call, and
    the id is recorded after it; a message found in `posting` is looked for before posting again."""
    if message.chatwoot_message_id:
        return
    if message.sync_state == SyncState.POSTING:
        found = client.find_message(conversation_id, source_id=message.wa_message_id)
        if found is not None:  # posted before a worker died; only the record was missing
            WhatsAppMessage.objects.filter(pk=message.pk).update(chatwoot_message_id=found)
            return
    WhatsAppMessage.objects.filter(pk=message.pk).update(
        sync_state=SyncState.POSTING, next_sync_at=timezone.now() + POSTING_STALE
    )
    content = message.text or f"[{message.message_type}]"
    posted = client.create_message(conversation_id, content=content, source_id=message.wa_message_id)
    WhatsAppMessage.objects.filter(pk=message.pk).update(chatwoot_message_id=posted)


def _failed(message: WhatsAppMessage, exc: ChatwootError) -> SyncOutcome:
    attempts = message.sync_attempts + 1
    give_up = not exc.retryable or attempts >= settings.CHATWOOT_SYNC_MAX_ATTEMPTS
    state = SyncState.FAILED if give_up else SyncState.PENDING
    WhatsAppMessage.objects.filter(pk=message.pk).update(
        sync_state=state,
        sync_attempts=attempts,
        sync_error=str(exc)[:2000],
        next_sync_at=None if give_up else timezone.now() + backoff(attempts),
    )
    logger.warning("Chatwoot sync of WhatsApp message %s failed (attempt %s): %s", message.pk, attempts, exc)
    return SyncOutcome(state, str(exc))


def messages_due(*, limit: int = 500) -> list[int]:
    """Messages to sync now: pending and due, or left in `posting` by a worker that died."""
    now = timezone.now()
    due = Q(sync_state=SyncState.PENDING) & (Q(next_sync_at__isnull=True) | Q(next_sync_at__lte=now))
    stale = Q(sync_state=SyncState.POSTING, next_sync_at__lte=now)
    waiting = Q(sync_state=SyncState.WAITING) if chatwoot_configured() else Q(pk__in=[])
    rows = WhatsAppMessage.objects.filter(due | stale | waiting).order_by("sent_at")
    return list(rows.values_list("pk", flat=True)[:limit])


def message_sync_retry(*, message_ids: list[int]) -> int:
    """Staff's "retry": failed messages start again with a fresh count."""
    return WhatsAppMessage.objects.filter(pk__in=message_ids, sync_state=SyncState.FAILED).update(
        sync_state=SyncState.PENDING, sync_attempts=0, next_sync_at=None, sync_error=""
    )
