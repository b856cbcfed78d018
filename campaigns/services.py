"""A campaign's life: checked, scheduled, started (its recipients written from the segment),
its mail queued in chunks on the one sender (docs/adr/0015), its A/B winner chosen, its
recipients' states read back, and marked sent when every recipient is settled.

State changes (schedule, send_now, pause, resume, cancel) are conditional updates under a lock on
the campaign row, each whole or not at all; a wrong one raises CampaignError saying why. The
periodic step (`campaign_run`) claims the campaign with an owner and a lease
(crm_site.claims); a worker killed mid-way leaves a lease that runs out, and every chunk of work
is one transaction, so what it did is whole and what it did not is done by the next run.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, CharField, F, Max, Q, QuerySet, Value, When
from django.template import Template
from django.utils import timezone

from campaigns.models import (
    Campaign,
    CampaignRecipient,
    CampaignSegment,
    CampaignStatus,
    CampaignVariant,
    RecipientState,
)
from campaigns.segments import FilterError, segment_contacts
from campaigns.signals import campaign_completed
from campaigns.templating import ENGINE, context_for, render, template_problems
from crm.mail.content import RenderedEmail
from crm.models import Brand, Contact, EmailKind, EmailLog, EmailStatus
from crm_site.claims import Claim, claim_row, new_owner, working
from crm_site.claims import due as retry_due

LEASE = timedelta(minutes=5)
SYNC_SQL = f"""
UPDATE {CampaignRecipient._meta.db_table} AS r SET
    state = CASE e.status
        WHEN '{EmailStatus.SENT.value}' THEN '{RecipientState.SENT.value}'
        WHEN '{EmailStatus.FAILED.value}' THEN '{RecipientState.FAILED.value}'
        ELSE '{RecipientState.SKIPPED.value}' END,
    sent_at = CASE WHEN e.status = '{EmailStatus.SENT.value}' THEN e.sent_at ELSE r.sent_at END,
    skip_reason = CASE WHEN e.status = '{EmailStatus.SENT.value}' THEN r.skip_reason ELSE substr(e.error, 1, 200) END
FROM {EmailLog._meta.db_table} AS e
WHERE r.campaign_id = %s AND r.state = '{RecipientState.QUEUED.value}' AND e.id = r.email_id
    AND e.status IN ('{EmailStatus.SENT.value}', '{EmailStatus.FAILED.value}', '{EmailStatus.CANCELLED.value}')
"""  # noqa: S608 - tables and states are constants
MARK_QUEUED_SQL = f"""
UPDATE {CampaignRecipient._meta.db_table} SET email_id = %s, state = '{RecipientState.QUEUED.value}', queued_at = %s
WHERE id = %s
"""  # noqa: S608 - table and state are constants
QUEUE_CHUNK = 1000
STEP_SECONDS = 60.0
PAUSED = "Campaign paused"
CANCELLED = "Campaign cancelled"
SKIP_UNSUBSCRIBED = "unsubscribed"
SKIP_BOUNCED = "address bounced"
LABELS = "ABCDE"
TEST_TOKEN = "test-send"  # noqa: S105 - not a secret: a test's pixel and unsubscribe link lead nowhere


class CampaignError(ValueError):
    """A state change the campaign's state does not allow, or a campaign not ready to send."""


# --- checks -------------------------------------------------------------------------------------


def campaign_problems(campaign: Campaign) -> list[str]:
    """Why the campaign cannot be sent as it is ([] when it can)."""
    problems = []
    if campaign.segment_id is None:
        problems.append("it has no segment: choose who it goes to")
    elif campaign.segment.brand_id != campaign.brand_id:  # type: ignore[union-attr]
        problems.append("its segment belongs to another brand")
    else:
        try:
            segment_contacts(campaign.segment.filters, campaign.brand)  # type: ignore[union-attr]
        except FilterError as exc:
            problems.append(f"its segment's filters are wrong: {exc}")
    variants = list(campaign.variants.all())
    if len(variants) == 1 or len(variants) > 5:
        problems.append("an A/B test has 2 to 5 variants")
    for subject, html, text in [content_of(campaign, v) for v in variants] or [content_of(campaign)]:
        if not subject.strip():
            problems.append("it has no subject")
        if not (html.strip() or text.strip()):
            problems.append("it has no body")
        for source in (subject, html, text):
            problems.extend(template_problems(source))
    return list(dict.fromkeys(problems))


def content_of(campaign: Campaign, variant: CampaignVariant | None = None) -> tuple[str, str, str]:
    """(subject, html, text) of a variant, each empty field taken from the campaign."""
    if variant is None:
        return campaign.subject, campaign.content_html, campaign.content_text
    return (
        variant.subject or campaign.subject,
        variant.content_html or campaign.content_html,
        variant.content_text or campaign.content_text,
    )


# --- state changes -------------------------------------------------------------------------------


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _require(campaign: Campaign, allowed: Iterable[str], doing: str) -> None:
    if campaign.status not in allowed:
        raise CampaignError(f"A {campaign.get_status_display().lower()} campaign cannot be {doing}.")


def campaign_schedule(*, campaign: Campaign, scheduled_at: datetime, now: datetime | None = None) -> Campaign:
    now = now or timezone.now()
    if scheduled_at <= now:
        raise CampaignError("scheduled_at is in the past: give a time to come, or use send_now.")
    return _start(campaign, scheduled_at, "scheduled")


def campaign_send_now(*, campaign: Campaign) -> Campaign:
    return _start(campaign, timezone.now(), "sent now")


def _start(campaign: Campaign, at: datetime, doing: str) -> Campaign:
    with transaction.atomic():
        campaign = _locked(campaign)
        _require(campaign, [CampaignStatus.DRAFT, CampaignStatus.SCHEDULED], doing)
        problems = campaign_problems(campaign)
        if problems:
            raise CampaignError("It cannot be sent yet: " + "; ".join(problems) + ".")
        campaign.status, campaign.scheduled_at = CampaignStatus.SCHEDULED, at
        campaign.save(update_fields=["status", "scheduled_at", "updated_at"])
    return campaign


def campaign_pause(*, campaign: Campaign) -> Campaign:
    """Stop: emails still waiting in the queue are taken out (each is either already claimed by the
    sender and goes, or taken out and queued again on resume; never both)."""
    with transaction.atomic():
        campaign = _locked(campaign)
        _require(campaign, [CampaignStatus.SCHEDULED, CampaignStatus.SENDING], "paused")
        _unqueue(campaign, PAUSED, RecipientState.PENDING)
        campaign.status = CampaignStatus.PAUSED
        campaign.save(update_fields=["status", "updated_at"])
    return campaign


def campaign_resume(*, campaign: Campaign) -> Campaign:
    with transaction.atomic():
        campaign = _locked(campaign)
        _require(campaign, [CampaignStatus.PAUSED], "resumed")
        started = campaign.started_at is not None
        campaign.status = CampaignStatus.SENDING if started else CampaignStatus.SCHEDULED
        if not started and (campaign.scheduled_at is None or campaign.scheduled_at < timezone.now()):
            campaign.scheduled_at = timezone.now()
        campaign.save(update_fields=["status", "scheduled_at", "updated_at"])
    return campaign


def campaign_cancel(*, campaign: Campaign) -> Campaign:
    with transaction.atomic():
        campaign = _locked(campaign)
        _require(
            campaign,
            [CampaignStatus.DRAFT, CampaignStatus.SCHEDULED, CampaignStatus.SENDING, CampaignStatus.PAUSED],
            "cancelled",
        )
        _unqueue(campaign, CANCELLED, RecipientState.CANCELLED)
        campaign.recipients.filter(state=RecipientState.PENDING).update(state=RecipientState.CANCELLED)
        campaign.status, campaign.completed_at = CampaignStatus.CANCELLED, timezone.now()
        campaign.save(update_fields=["status", "completed_at", "updated_at"])
    return campaign


def _unqueue(campaign: Campaign, reason: str, then: str) -> None:
    """Take the campaign's emails that are still pending out of the queue (one conditional UPDATE,
    which races the sender's own claim fairly), and give their recipients the state `then`."""
    EmailLog.objects.filter(campaign_recipient__campaign=campaign, status=EmailStatus.PENDING).update(
        status=EmailStatus.CANCELLED, error=reason
    )
    taken_out = campaign.recipients.filter(
        state=RecipientState.QUEUED, email__status=EmailStatus.CANCELLED, email__error=reason
    )
    taken_out.update(state=then, email=None, queued_at=None)
    campaign_sync(campaign)  # what already went out is told as sent


# --- the periodic step ----------------------------------------------------------------------------


@dataclass
class StepReport:
    started: bool = False
    recipients: int = 0
    queued: int = 0
    skipped: int = 0
    winner: str = ""
    done: bool = False


def campaigns_due(now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    due = Q(status=CampaignStatus.SCHEDULED, scheduled_at__lte=now) | Q(status=CampaignStatus.SENDING)
    return list(Campaign.objects.filter(due).order_by("scheduled_at", "pk").values_list("pk", flat=True))


def campaign_run(*, campaign_id: int, owner: str | None = None, deadline: float | None = None) -> StepReport | None:
    """Claim the campaign and move it on; None when another worker holds it or nothing is due."""
    now = timezone.now()
    due = Q(status=CampaignStatus.SCHEDULED, scheduled_at__lte=now) | Q(status=CampaignStatus.SENDING)
    claim = claim_row(Campaign, campaign_id, lease=LEASE, owner=owner or new_owner(), where=due & retry_due(now))
    if claim is None:
        return None
    with working(claim):
        report = _step(claim, deadline or time.monotonic() + STEP_SECONDS)
        claim.release()
    return report


def _step(claim: Claim, deadline: float) -> StepReport:
    report = StepReport()
    campaign = Campaign.objects.select_related("brand", "segment").get(pk=claim.pk)
    if campaign.started_at is None:
        _begin(campaign, report)
    campaign_sync(campaign)
    _maybe_decide(campaign, report)
    while time.monotonic() < deadline:
        if claim.renew(LEASE) is None:
            break
        queued = _queue_chunk(campaign, report)
        if not queued:
            break
    _maybe_finish(campaign, report)
    return report


def _begin(campaign: Campaign, report: StepReport) -> None:
    """scheduled -> sending, and the recipients written from the segment, in one transaction."""
    with transaction.atomic():
        locked = _locked(campaign)
        if locked.status != CampaignStatus.SCHEDULED or locked.started_at is not None:
            return
        report.recipients = recipients_materialise(campaign)
        _assign_variants(campaign)
        now = timezone.now()
        Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SENDING, started_at=now, updated_at=now)
        campaign.status, campaign.started_at = CampaignStatus.SENDING, now
        report.started = True


def recipients_materialise(campaign: Campaign) -> int:
    """One INSERT ... SELECT of the segment's contacts, the suppressed ones already skipped."""
    if campaign.segment is None:
        raise CampaignError("It has no segment: choose who it goes to.")
    contacts = segment_contacts(campaign.segment.filters, campaign.brand)
    now = timezone.now()
    rows = contacts.annotate(
        r_campaign=Value(campaign.pk),
        r_contact=F("pk"),
        r_in_test=Value(False),
        r_state=Case(
            When(
                Q(unsubscribed_at__isnull=False) | Q(bounced_at__isnull=False), then=Value(RecipientState.SKIPPED.value)
            ),
            default=Value(RecipientState.PENDING.value),
            output_field=CharField(),
        ),
        r_skip=Case(
            When(unsubscribed_at__isnull=False, then=Value(SKIP_UNSUBSCRIBED)),
            When(bounced_at__isnull=False, then=Value(SKIP_BOUNCED)),
            default=Value(""),
            output_field=CharField(),
        ),
        r_count=Value(0),
        r_created=Value(now),
    ).values_list("r_campaign", "r_contact", "r_in_test", "r_state", "r_skip", "r_count", "r_count", "r_created")
    select, params = rows.order_by().query.sql_with_params()
    table = CampaignRecipient._meta.db_table
    columns = "campaign_id, contact_id, in_test, state, skip_reason, open_count, click_count, created_at"
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)  # noqa: S608 - our table, compiled query
        return cursor.rowcount


def _assign_variants(campaign: Campaign) -> None:
    """A/B: the test share of the recipients to be sent, shuffled, split evenly over the variants."""
    variants = list(campaign.variants.order_by("label"))
    if len(variants) < 2:
        return
    ids = list(campaign.recipients.filter(state=RecipientState.PENDING).order_by("pk").values_list("pk", flat=True))
    random.Random(campaign.pk).shuffle(ids)  # noqa: S311 - a fair split, not a secret
    size = round(len(ids) * campaign.ab_test_percentage / 100)
    if campaign.ab_test_percentage < 100:
        size = max(min(size, len(ids)), min(len(variants), len(ids)))
    test = ids[:size]
    for index, variant in enumerate(variants):
        mine = test[index :: len(variants)]
        for start in range(0, len(mine), 5000):
            CampaignRecipient.objects.filter(pk__in=mine[start : start + 5000]).update(variant=variant, in_test=True)


# --- queueing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    variant_id: int | None
    subject: Template
    html: Template | None
    text: Template | None


def _versions(campaign: Campaign) -> dict[int | None, Version]:
    def compiled(variant: CampaignVariant | None) -> Version:
        subject, html, text = content_of(campaign, variant)
        return Version(
            variant.pk if variant else None,
            ENGINE.from_string(subject),
            ENGINE.from_string(html) if html.strip() else None,
            ENGINE.from_string(text) if text.strip() else None,
        )

    versions: dict[int | None, Version] = {None: compiled(None)}
    for variant in campaign.variants.all():
        versions[variant.pk] = compiled(variant)
    return versions


def _ready(campaign: Campaign) -> QuerySet[CampaignRecipient]:
    pending = campaign.recipients.filter(state=RecipientState.PENDING)
    if campaign.variants.exists() and campaign.ab_winner_id is None:
        pending = pending.filter(in_test=True)  # the rest wait for the winner
    return pending


def _queue_chunk(campaign: Campaign, report: StepReport) -> int:
    """Queue the next chunk of ready recipients: their emails rendered and created, and the
    recipients marked queued, in one transaction under the campaign's lock (pause waits for it)."""
    from django.template import Context

    with transaction.atomic():
        locked = _locked(campaign)
        if locked.status != CampaignStatus.SENDING:
            return 0
        campaign.ab_winner_id = locked.ab_winner_id
        chunk = list(_ready(campaign).select_related("contact").order_by("pk")[:QUEUE_CHUNK])
        if not chunk:
            return 0
        versions = _versions(campaign)
        brand = campaign.brand
        now = timezone.now()
        emails, skipped = [], []
        for recipient in chunk:
            contact = recipient.contact
            if contact.unsubscribed_at or contact.bounced_at:
                recipient.state = RecipientState.SKIPPED
                recipient.skip_reason = SKIP_UNSUBSCRIBED if contact.unsubscribed_at else SKIP_BOUNCED
                skipped.append(recipient)
                continue
            version = versions.get(recipient.variant_id) or versions[None]
            context = context_for(contact, brand)
            plain = Context(context, autoescape=False)
            email = EmailLog(
                brand=brand, contact=contact, kind=EmailKind.CAMPAIGN, priority=1, to_email=contact.email,
                subject=" ".join(version.subject.render(plain).split())[:300],
                body=version.html.render(Context(context)) if version.html else "",
                text_body=version.text.render(plain) if version.text else "",
                created_at=now,
            )  # fmt: skip
            if not email.body:
                email.body = email.text_body
            recipient.email, recipient.state, recipient.queued_at = email, RecipientState.QUEUED, now
            emails.append(email)
        _emails_insert(emails, now)
        _mark_queued([r for r in chunk if r.state == RecipientState.QUEUED], now)
        for recipient in skipped:
            CampaignRecipient.objects.filter(pk=recipient.pk).update(
                state=RecipientState.SKIPPED, skip_reason=recipient.skip_reason
            )
    report.queued += len(emails)
    report.skipped += len(skipped)
    return len(chunk)


def _emails_insert(emails: list[EmailLog], now: datetime) -> None:
    """The chunk's emails written: one COPY on PostgreSQL (bulk_create spends most of the queueing
    time preparing the 35 columns of each row in Python), bulk_create elsewhere. Every column is
    given, from the instance as Model() filled it, so a field added to EmailLog is written too."""
    if connection.vendor != "postgresql":
        EmailLog.objects.bulk_create(emails, batch_size=500)
        return
    fields = EmailLog._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {EmailLog._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for email in emails:
            email.updated_at = now
            copy.write_row([getattr(email, field.attname) for field in fields])
            email._state.adding, email._state.db = False, connection.alias


def _mark_queued(recipients: list[CampaignRecipient], now: datetime) -> None:
    """Each recipient points at its new email: one statement, many rows (executemany: one round
    trip on psycopg), not bulk_update's CASE over the whole chunk."""
    if not recipients:
        return
    email_id = EmailLog._meta.get_field("id")
    queued_at = CampaignRecipient._meta.get_field("queued_at")
    rows = [
        (email_id.get_db_prep_value(r.email_id, connection), queued_at.get_db_prep_value(now, connection), r.pk)
        for r in recipients
    ]
    with connection.cursor() as cursor:
        cursor.executemany(MARK_QUEUED_SQL, rows)


# --- reading back, deciding, finishing ---------------------------------------------------------------


def campaign_sync(campaign: Campaign) -> None:
    """Recipients whose email the sender settled take its outcome: one UPDATE ... FROM joining each
    recipient to its email by primary key (a plan that stays good however stale the statistics are
    right after a large campaign was queued)."""
    with connection.cursor() as cursor:
        cursor.execute(SYNC_SQL, [campaign.pk])
    campaign.recipients.filter(state=RecipientState.QUEUED, email__isnull=True).update(
        state=RecipientState.FAILED, skip_reason="its email was deleted"
    )


def variant_figures(campaign: Campaign, *, test_only: bool = False) -> list[dict[str, Any]]:
    """Per variant: sent, human opens and clicks and their rates (percent of sent)."""
    from django.db.models import Count

    recipients = campaign.recipients.all()
    if test_only:
        recipients = recipients.filter(in_test=True)
    rows = {
        row["variant_id"]: row
        for row in recipients.values("variant_id").annotate(
            n_sent=Count("pk", filter=Q(state=RecipientState.SENT)),
            n_opens=Count("pk", filter=Q(state=RecipientState.SENT, opened_at__isnull=False)),
            n_clicks=Count("pk", filter=Q(state=RecipientState.SENT, clicked_at__isnull=False)),
        )
    }
    figures = []
    for variant in campaign.variants.order_by("label"):
        row = rows.get(variant.pk, {"n_sent": 0, "n_opens": 0, "n_clicks": 0})
        sent, opens, clicks = row["n_sent"], row["n_opens"], row["n_clicks"]
        figures.append(
            {
                "variant": variant.label, "id": variant.pk, "sent": sent,
                "unique_opens": opens, "unique_clicks": clicks,
                "open_rate": rate(opens, sent), "click_rate": rate(clicks, sent),
            }
        )  # fmt: skip
    return figures


def rate(part: int, whole: int) -> float:
    """`part` in percent of `whole`, two decimals; 0 when there is no whole."""
    return round(100.0 * part / whole, 2) if whole else 0.0


def _maybe_decide(campaign: Campaign, report: StepReport) -> None:
    """Once the test share is settled and the wait is over: the winner, by the human rate chosen
    (ties: the first variant), and the rest of the recipients get it."""
    if campaign.ab_winner_id is not None or not campaign.variants.exists():
        return
    test = campaign.recipients.filter(in_test=True)
    if test.filter(state__in=[RecipientState.PENDING, RecipientState.QUEUED]).exists():
        return
    last = test.aggregate(last=Max("sent_at"))["last"] or campaign.started_at or timezone.now()
    if timezone.now() < last + timedelta(hours=campaign.ab_wait_hours):
        return
    figures = variant_figures(campaign, test_only=True)
    metric = campaign.ab_winner_metric
    best = max(figures, key=lambda f: f[metric])  # max keeps the first of equals: ties go to A
    others = [f[metric] for f in figures if f is not best]
    runner_up = max(others) if others else 0.0
    decision = {
        "metric": metric,
        "winner": best["variant"],
        "margin": round(best[metric] - runner_up, 2),
        "tie": best[metric] == runner_up,
        "variants": figures,
    }
    with transaction.atomic():
        locked = _locked(campaign)
        if locked.ab_winner_id is not None:
            return
        now = timezone.now()
        Campaign.objects.filter(pk=campaign.pk).update(
            ab_winner_id=best["id"], ab_decided_at=now, ab_decision=decision, updated_at=now
        )
        campaign.recipients.filter(in_test=False, state=RecipientState.PENDING).update(variant_id=best["id"])
    campaign.ab_winner_id, campaign.ab_decided_at, campaign.ab_decision = best["id"], now, decision
    report.winner = best["variant"]


def _maybe_finish(campaign: Campaign, report: StepReport) -> None:
    """Sent once every recipient is settled, and an A/B test's winner chosen (its figures are part
    of the result even when the test share was the whole segment). The run read states back first."""
    if campaign.recipients.filter(state__in=[RecipientState.PENDING, RecipientState.QUEUED]).exists():
        return
    if campaign.ab_winner_id is None and campaign.variants.exists():
        return
    now = timezone.now()
    with transaction.atomic():
        report.done = bool(
            Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.SENDING).update(
                status=CampaignStatus.SENT, completed_at=now, updated_at=now
            )
        )
        if report.done:
            campaign.refresh_from_db()
            campaign_completed.send(sender=Campaign, campaign=campaign)


# --- a test to oneself ------------------------------------------------------------------------------


def campaign_send_test(*, campaign: Campaign, to: str, contact: Contact | None = None) -> str:
    """The campaign (its first variant, for an A/B test) filled for `contact` (else a sample of the
    segment), sent to `to` now through the brand's mailbox, the subject marked [Test]. Nothing is
    recorded against the contact. Returns the provider's message id."""
    from crm.services.email_service import get_email_service

    subject, html, text = content_of(campaign, campaign.variants.order_by("label").first())
    contact = contact or sample_contact(campaign.brand, campaign.segment)
    filled, message = message_preview(brand=campaign.brand, subject=subject, html=html, text=text, contact=contact)
    result = get_email_service(campaign.brand).send(to, f"[Test] {filled}", message.html, message.text)
    return result.message_id


def message_preview(*, brand: Brand, subject: str, html: str, text: str, contact: Contact) -> tuple[str, RenderedEmail]:
    """The subject and the message as `contact` would receive it, its links left as written
    (a test or a preview is not tracked)."""
    from crm.mail.base import sender_name
    from crm.mail.content import render as render_message

    rendered = render(subject=subject, content_html=html, content_text=text, contact=contact, brand=brand)
    message = render_message(
        body=rendered.html or rendered.text, tracking_token=TEST_TOKEN, send_key=TEST_TOKEN,
        sender=sender_name(brand), text=rendered.text, track_links=False,
    )  # fmt: skip
    return rendered.subject, message


def sample_contact(brand: Brand, segment: CampaignSegment | None = None) -> Contact:
    """The newest contact of the segment (else of the brand), or a made-up one when there is none."""
    contacts: Any = Contact.objects.filter(brand=brand)
    if segment is not None:
        with contextlib.suppress(FilterError):
            contacts = segment_contacts(segment.filters, brand)
    found = contacts.order_by("-created_at").first()
    return found or Contact(
        brand=brand, email="sam@example.com", name="Sam Sample", first_name="Sam", company="Example Co"
    )
