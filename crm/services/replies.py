"""Replies: read a brand's inbox, match each new message to the email it answers, and act.

Each inbox message becomes one InboundEmail row (unique per provider message
id) and is processed once, however often the inbox is polled: the row is claimed
(crm_site.claims) with an owner and a lease sized for one classification; the slow
part (the model) runs first, then every write and the release happen in one
transaction, so a worker that dies or loses its lease leaves nothing half done. A
message whose handling raises is put back with its error and tried again after a
back-off, at most MAX_ATTEMPTS times (the admin shows the rest), and the other
messages go on. Matching: In-Reply-To / References against the Message-ID we sent,
then the provider's thread, then the sender's address.
- bounces (delivery-status notifications): a permanent one suppresses the address
- automatic replies and out-of-office: the deal waits and tries later; the sequence goes on
- human replies: classified; the sequence stops; interested -> Engaged/Interested and a
  person is asked to reply; a question, a referral to a colleague or an unclear reply -> a
  person; not interested -> the lost stage; unsubscribe -> suppressed and lost; a delivery
  failure or dead mailbox told in words -> the address suppressed and a person asked to find
  another contact. Each writes DealActivity and AIDecisionLog.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from crm.ai import CRMAIAgent
from crm.errors import DealError
from crm.mail.base import InboundMessage, MailboxError
from crm.mail.parsing import Bounce, address, is_auto_reply, message_ids, parse_bounce, reply_text
from crm.models import (
    ActivityType,
    AIDecisionLog,
    Brand,
    Deal,
    DealActivity,
    DealStatus,
    DecisionType,
    EmailLog,
    EmailStatus,
    InboundEmail,
    InboundKind,
    MailboxState,
    PipelineStage,
)
from crm.services.autopilot import deal_flag_for_review
from crm.services.deals import deal_move_to_stage
from crm.services.email_service import get_email_service
from crm.services.tracking import contact_suppress
from crm.signals import email_event
from crm_site.claims import Claim, claim_next, claim_row, new_owner, working
from integrations.zoho import ZohoError

logger = logging.getLogger(__name__)

POLL_OVERLAP = timedelta(minutes=10)  # re-read a margin; the unique rows absorb repeats
FIRST_POLL = timedelta(days=2)
AUTO_REPLY_WAIT = timedelta(days=3)
POSITIVE_STAGES = ("engaged", "interested")


# One message's handling: at most one classification (OPENAI_TIMEOUT_SECONDS x the SDK's
# retries, 30 s x 3) and a few writes.
REPLY_LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5


@dataclass
class ReplyReport:
    fetched: int = 0
    processed: int = 0
    failed: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    error: str = ""


class LeaseLost(Exception):
    """Another worker took the message over while this one was classifying it."""


# --- polling ---------------------------------------------------------------------------------


def brand_check_replies(*, brand: Brand, agent: CRMAIAgent | None = None) -> ReplyReport:
    report = ReplyReport()
    state, _ = MailboxState.objects.get_or_create(brand=brand)
    started = timezone.now()
    since = state.inbox_checked_at - POLL_OVERLAP if state.inbox_checked_at else started - FIRST_POLL
    mailbox = get_email_service(brand)
    try:
        for message in mailbox.inbox_since(since):
            report.fetched += _store(brand, mailbox.provider, message)
    except (ZohoError, MailboxError) as exc:
        report.error = str(exc)
        MailboxState.objects.filter(pk=state.pk).update(last_error=report.error[:2000], last_error_at=started)
    else:
        MailboxState.objects.filter(pk=state.pk).update(inbox_checked_at=started, last_error="")
    agent, owner = agent or CRMAIAgent(), new_owner()
    waiting = InboundEmail.objects.filter(brand=brand, processed_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    while (claim := claim_next(waiting.order_by("received_at"), lease=REPLY_LEASE, owner=owner)) is not None:
        try:
            kind = _process_claimed(claim, agent)
        except SoftTimeLimitExceeded:
            raise  # put back; the task's time is up, the next run goes on
        except Exception:  # put back by _process_claimed; the next message goes on
            logger.exception("reply %s of brand %s failed; it will be tried again", claim.pk, brand.slug)
            report.failed += 1
            continue
        report.processed += 1
        report.kinds[kind] = report.kinds.get(kind, 0) + 1
    return report


def _store(brand: Brand, provider: str, message: InboundMessage) -> int:
    try:
        with transaction.atomic():
            InboundEmail.objects.create(
                brand=brand,
                provider=provider,
                provider_message_id=message.provider_message_id,
                folder_id=message.folder_id,
                thread_id=message.thread_id,
                rfc_message_id=message.header("message-id")[:300],
                in_reply_to=message.header("in-reply-to")[:300],
                references=message.header("references"),
                from_address=address(message.from_address)[:320],
                subject=message.subject[:300],
                body_text=message.text[:50_000],
                headers=message.headers,
                received_at=message.received_at,
            )
    except IntegrityError:
        return 0  # seen in an earlier poll
    return 1


# --- processing one message --------------------------------------------------------------------------


def inbound_process(*, inbound_id: uuid.UUID | str, agent: CRMAIAgent | None = None) -> str | None:
    """Handle one stored inbound message, once; returns its kind (None if handled or held elsewhere)."""
    claim = claim_row(InboundEmail, inbound_id, lease=REPLY_LEASE, where=Q(processed_at__isnull=True))
    if claim is None:
        return None
    return _process_claimed(claim, agent or CRMAIAgent())


def _process_claimed(claim: Claim, agent: CRMAIAgent) -> str:
    with working(claim):
        inbound = InboundEmail.objects.select_related("brand").get(pk=claim.pk)
        handle = _handler(inbound, agent)  # the model is asked here, outside the transaction
        with transaction.atomic():
            kind = handle()
            if not claim.release(processed_at=timezone.now()):
                raise LeaseLost(f"the lease on {claim.pk} ran out and another worker took it")
    return kind


def _handler(inbound: InboundEmail, agent: CRMAIAgent) -> Callable[[], str]:
    """What to do with the message, decided (and classified) before anything is written."""
    message = _as_message(inbound)
    bounce = parse_bounce(message)
    bounced = bounced_email(inbound, bounce) if bounce is not None else None
    if bounce is not None and bounced is not None:
        return lambda: _handle_bounce(inbound, bounce, bounced)
    # Anything else, bounce-shaped or not, is read as a message: a forged or mistaken report
    # suppresses nobody, and a person's reply with a bounce-like subject is not swallowed.
    email = match_email(inbound)
    if email is None:
        return lambda: _finish(inbound, InboundKind.UNMATCHED, "Not a reply to an email the autopilot sent.")
    if is_auto_reply(message):
        return lambda: _handle_auto_reply(inbound, email, "automatic reply")
    classification = agent.classify_reply(inbound.body_text, deal=email.deal)
    return lambda: _handle_human_reply(inbound, email, classification)


def _as_message(inbound: InboundEmail) -> InboundMessage:
    return InboundMessage(
        provider_message_id=inbound.provider_message_id,
        from_address=inbound.from_address,
        subject=inbound.subject,
        text=inbound.body_text,
        received_at=inbound.received_at,
        headers={str(k).lower(): str(v) for k, v in (inbound.headers or {}).items()},
    )


def match_email(inbound: InboundEmail) -> EmailLog | None:
    sent = EmailLog.objects.filter(brand=inbound.brand, status=EmailStatus.SENT).select_related("contact", "deal")
    quoted = message_ids(f"{inbound.in_reply_to} {inbound.references}")
    if quoted:
        email = sent.filter(rfc_message_id__in=quoted).order_by("-sent_at").first()
        if email:
            return email
    if inbound.thread_id:
        email = sent.filter(provider_thread_id=inbound.thread_id).order_by("-sent_at").first()
        if email:
            return email
    return sent.filter(to_email=inbound.from_address).order_by("-sent_at").first()


SEND_KEY = re.compile(r"\bRef ([0-9a-f]{32})\b")


def bounced_email(inbound: InboundEmail, bounce: Bounce) -> EmailLog | None:
    """The email a delivery report is about: one we sent, named by its Message-ID (in the report's
    headers or the returned message) or by the send key in its footer, to a recipient the report
    names (or any, when it names none)."""
    if not (bounce.from_mail_system or bounce.recipients):
        return None  # only a bounce-like subject: a person's message
    sent = EmailLog.objects.filter(brand=inbound.brand, status=EmailStatus.SENT)
    quoted = message_ids(f"{inbound.in_reply_to} {inbound.references} {inbound.body_text}")
    keys = SEND_KEY.findall(inbound.body_text)
    candidates = sent.filter(Q(rfc_message_id__in=quoted) | Q(send_key__in=keys)) if quoted or keys else sent.none()
    for email in candidates.select_related("contact", "deal").order_by("-sent_at"):
        if not bounce.recipients or email.to_email.lower() in bounce.recipients:
            return email
    return None


def _finish(inbound: InboundEmail, kind: str, outcome: str, email: EmailLog | None = None) -> str:
    InboundEmail.objects.filter(pk=inbound.pk).update(
        kind=kind, outcome=outcome[:2000], email=email, deal=email.deal if email else None
    )
    return kind


def _handle_bounce(inbound: InboundEmail, bounce: Bounce, email: EmailLog) -> str:
    """A report on `email`: only its recipient is suppressed, whatever else the report lists."""
    if not bounce.permanent:
        return _finish(inbound, InboundKind.BOUNCE, f"Temporary failure ({bounce.status}); nothing changed.", email)
    contact = email.contact
    first = contact.bounced_at is None
    contact_suppress(contact=contact, unsubscribed=False, reason=f"bounce {bounce.status}")
    if first:
        email_event.send(EmailLog, email=email, event="bounced", at=timezone.now(), machine=False)
    for deal in Deal.objects.filter(contact=contact):
        DealActivity.objects.create(
            deal=deal, activity_type=ActivityType.EMAIL_FAILED, description=f"Bounced: {inbound.subject}"[:500]
        )
    return _finish(
        inbound, InboundKind.BOUNCE, f"Permanent failure for {email.to_email}; the contact is suppressed.", email
    )


def _handle_auto_reply(inbound: InboundEmail, email: EmailLog, what: str) -> str:
    deal = email.deal
    if deal is None:  # campaign mail: nothing waits on it
        return _finish(inbound, InboundKind.AUTO_REPLY, f"{what.capitalize()} to a campaign email.", email)
    later = timezone.now() + AUTO_REPLY_WAIT
    Deal.objects.filter(pk=deal.pk, next_action_date__lt=later).update(next_action_date=later)
    DealActivity.objects.create(
        deal=deal,
        activity_type=ActivityType.REPLY_RECEIVED,
        description=f"{what.capitalize()}: trying again in {AUTO_REPLY_WAIT.days} days",
        metadata={"inbound": str(inbound.pk)},
    )
    return _finish(inbound, InboundKind.AUTO_REPLY, f"{what.capitalize()}; the deal waits.", email)


def _handle_prose_bounce(inbound: InboundEmail, email: EmailLog) -> str:
    """A delivery failure or a dead mailbox told in words: no more mail to that address."""
    deal = email.deal
    first = email.contact.bounced_at is None
    contact_suppress(contact=email.contact, unsubscribed=False, reason="the reply says the address is dead")
    if first:
        email_event.send(EmailLog, email=email, event="bounced", at=timezone.now(), machine=False)
    if deal is None:
        return _finish(
            inbound, InboundKind.BOUNCE, f"The reply says {email.to_email} is dead; contact suppressed.", email
        )
    DealActivity.objects.create(
        deal=deal,
        activity_type=ActivityType.EMAIL_FAILED,
        description=f"Bounced (in words): {reply_text(inbound.body_text)[:300]}",
        metadata={"inbound": str(inbound.pk)},
    )
    deal_flag_for_review(deal=deal, reason=f"{email.to_email} is no longer read; find another contact.")
    return _finish(inbound, InboundKind.BOUNCE, f"The reply says {email.to_email} is dead; contact suppressed.", email)


def _handle_human_reply(inbound: InboundEmail, email: EmailLog, classification: dict[str, Any]) -> str:
    deal = email.deal
    if classification["intent"] == "out_of_office":
        return _handle_auto_reply(inbound, email, "out-of-office reply")
    if classification["intent"] == "bounce":
        return _handle_prose_bounce(inbound, email)
    text = reply_text(inbound.body_text)
    if deal is None:
        return _handle_campaign_reply(inbound, email, classification, text)
    with transaction.atomic():
        _record_reply(inbound, email, text)
        stopped = EmailLog.objects.filter(deal=deal, status=EmailStatus.PENDING).update(
            status=EmailStatus.CANCELLED, error="The contact replied; the sequence stopped."
        )
        DealActivity.objects.create(
            deal=deal,
            activity_type=ActivityType.REPLY_RECEIVED,
            description=f"{classification['intent']} ({classification['sentiment']}): {text[:300]}",
            metadata={**classification, "inbound": str(inbound.pk), "cancelled_emails": stopped},
        )
    outcome = _act_on_reply(deal, classification)
    return _finish(inbound, InboundKind.REPLY, outcome, email)


def _record_reply(inbound: InboundEmail, email: EmailLog, text: str) -> None:
    if EmailLog.objects.filter(pk=email.pk, replied=False).update(
        replied=True, replied_at=inbound.received_at, reply_content=text[:10_000]
    ):
        email_event.send(EmailLog, email=email, event="replied", at=inbound.received_at, machine=False)


def _handle_campaign_reply(inbound: InboundEmail, email: EmailLog, classification: dict[str, Any], text: str) -> str:
    """A reply to campaign mail: recorded; an unsubscribe honoured; anything else for a person,
    on the contact's open deal when it has one."""
    _record_reply(inbound, email, text)
    intent = classification["intent"]
    if intent == "unsubscribe":
        contact_suppress(contact=email.contact, unsubscribed=True, reason="asked in a reply")
        email_event.send(EmailLog, email=email, event="unsubscribed", at=inbound.received_at, machine=False)
        return _finish(inbound, InboundKind.REPLY, "Reply to a campaign email: they asked to be removed.", email)
    if intent == "not_interested":
        return _finish(inbound, InboundKind.REPLY, "Reply to a campaign email: not interested.", email)
    deal = Deal.objects.filter(contact=email.contact, status__in=[DealStatus.ACTIVE, DealStatus.PAUSED]).first()
    if deal is not None:
        deal_flag_for_review(deal=deal, reason=f"Replied to a campaign ({intent}): {text[:200]}")
        return _finish(
            inbound, InboundKind.REPLY, f"Reply to a campaign email ({intent}): their deal is flagged.", email
        )
    return _finish(inbound, InboundKind.REPLY, f"Reply to a campaign email ({intent}): a person should answer.", email)


FOR_A_PERSON = {
    "question": "A question",
    "referral": "They point to someone else",
    "unclear": "Unclear",
}


def _act_on_reply(deal: Deal, classification: dict[str, Any]) -> str:
    intent, stages = classification["intent"], list(deal.pipeline.stages.order_by("order", "id"))
    if intent == "unsubscribe":
        contact_suppress(contact=deal.contact, unsubscribed=True, reason="asked in a reply")
        return _move(deal, _lost(stages), "They asked to be removed.")
    if intent == "not_interested":
        return _move(deal, _lost(stages), "Not interested.")
    if intent == "interested":
        outcome = _move(deal, _positive(deal, stages), "Positive reply.")
        deal_flag_for_review(deal=deal, reason=f"Positive reply: {classification['suggested_action']}")
        return outcome + " A person should answer."
    what = FOR_A_PERSON.get(intent, FOR_A_PERSON["unclear"])
    deal_flag_for_review(deal=deal, reason=f"{what}: {classification['suggested_action']}")
    return f"{what}: flagged for a person."


def _lost(stages: list[PipelineStage]) -> PipelineStage | None:
    return next((s for s in stages if s.is_terminal and s.outcome == "lost"), None)


def _positive(deal: Deal, stages: list[PipelineStage]) -> PipelineStage | None:
    current = deal.current_stage
    named = [s for s in stages if s.name.lower() in POSITIVE_STAGES]
    if named:
        return named[0] if named[0].order > current.order else None  # never move a deal backwards
    return next((s for s in stages if s.order > current.order and not s.is_terminal), None)


def _move(deal: Deal, stage: PipelineStage | None, reason: str) -> str:
    if stage is None or stage.pk == deal.current_stage_id:
        return reason
    try:
        deal_move_to_stage(deal=deal, stage=stage, reason=reason, source="reply")
    except DealError as exc:
        return f"{reason} Not moved: {exc}"
    AIDecisionLog.objects.create(
        deal=deal,
        contact=deal.contact,
        decision_type=DecisionType.MOVE_STAGE,
        action_taken=stage.name,
        reasoning=reason,
        model="rules",
        metadata={"source": "reply"},
    )
    return f"{reason} Moved to {stage.name}."
