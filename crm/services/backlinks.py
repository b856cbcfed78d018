"""Backlink opportunities: the pitch angle, and the check that a placed link is still there.

A check claims one opportunity at a time with an owner and a lease (crm_site.claims), fetches
the target page through integrations.http.page_fetch (public addresses only, capped in time and
size), looks for a link to our page, and writes the outcome and releases the claim in one
conditional UPDATE: a worker whose lease was taken over writes nothing. A check that raises puts
the opportunity back (due again in an hour); one that dies leaves a lease that expires. A link
that was placed and is gone marks the opportunity lost and flags its deal for a person, once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from crm.ai.agent import CRMAIAgent
from crm.links import links_to
from crm.models import LINKED_STATUSES, ActivityType, BacklinkOpportunity, BacklinkStatus, Deal, LinkState
from crm.services.autopilot import deal_flag_for_review
from crm.services.deals import deal_activity_record
from crm_site import claims
from integrations.http import Page, PageFetchError, page_fetch

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)  # a check takes at most BACKLINK_CHECK_TIMEOUT_SECONDS
RETRY_AFTER_ERROR = timedelta(hours=1)
FLAG_AFTER_FAILURES = 3  # a page unreachable this many checks running is as good as lost
HTML_TYPES = ("text/html", "application/xhtml+xml", "")


# --- the pitch angle ----------------------------------------------------------------------------


def backlink_pitch_write(*, opportunity: BacklinkOpportunity, agent: CRMAIAgent | None = None) -> BacklinkOpportunity:
    """The AI's pitch angle (the rules without a key) into outreach_angle; the anchor text is
    suggested when the opportunity has none."""
    pitch = (agent or CRMAIAgent()).pitch_angle(opportunity)
    opportunity.outreach_angle = pitch["angle"]
    fields = ["outreach_angle", "updated_at"]
    if not opportunity.anchor_text_suggestion:
        opportunity.anchor_text_suggestion = pitch["anchor_text"][:200]
        fields.append("anchor_text_suggestion")
    opportunity.save(update_fields=fields)
    return opportunity


# --- the link check -------------------------------------------------------------------------------


def backlinks_due(*, now: datetime) -> Any:
    """Opportunities whose page should carry our link and is due a check, and nobody holds."""
    return BacklinkOpportunity.objects.filter(
        Q(link_check_due_at__isnull=True) | Q(link_check_due_at__lte=now),
        claims.due(now),
        status__in=LINKED_STATUSES,
    ).exclude(our_content_url="")


def backlink_claim(*, owner: str, opportunity_id: int | None = None, now: datetime | None = None) -> int | None:
    """Claim the next due opportunity (or this one, due or not, if nobody holds it); its id or None."""
    now = now or timezone.now()
    if opportunity_id is not None:
        where = Q(status__in=LINKED_STATUSES)
        claim = claims.claim_row(BacklinkOpportunity, opportunity_id, lease=LEASE, owner=owner, where=where, now=now)
    else:
        due = backlinks_due(now=now).order_by("link_check_due_at", "pk")
        claim = claims.claim_next(due, lease=LEASE, owner=owner, now=now)
    return int(claim.pk) if claim is not None else None


def _claim_of(opportunity: BacklinkOpportunity, owner: str) -> claims.Claim:
    return claims.Claim(BacklinkOpportunity, opportunity.pk, owner, opportunity.claim_until or timezone.now())


@dataclass(frozen=True)
class LinkCheck:
    state: str
    detail: str
    rel: str = ""
    anchor_text: str = ""
    retryable: bool = False


def backlink_verify(*, opportunity_id: int, owner: str) -> LinkCheck | None:
    """Check a claimed opportunity's page; None when the claim is no longer ours."""
    opportunity = BacklinkOpportunity.objects.select_related("deal").filter(pk=opportunity_id).first()
    if opportunity is None or opportunity.claim_owner != owner:
        return None
    with claims.working(_claim_of(opportunity, owner), retry_in=RETRY_AFTER_ERROR):
        check = link_check(opportunity.target_url, opportunity.our_content_url)
    return check if _record(opportunity, owner, check) else None


def link_check(page_url: str, our_url: str) -> LinkCheck:
    """Fetch `page_url` and look for a link to `our_url`."""
    try:
        page = page_fetch(
            page_url,
            role="backlink-check",
            timeout=settings.BACKLINK_CHECK_TIMEOUT_SECONDS,
            max_bytes=settings.BACKLINK_CHECK_MAX_BYTES,
            allowed_networks=settings.PUBLIC_FETCH_ALLOWED_NETWORKS,
        )
    except PageFetchError as exc:
        if exc.status in (404, 410):
            return LinkCheck(LinkState.MISSING, f"the page is gone ({exc})")
        return LinkCheck(LinkState.UNREACHABLE, str(exc), retryable=exc.retryable)
    if page.content_type not in HTML_TYPES:
        return LinkCheck(LinkState.UNREACHABLE, f"the page is not HTML ({page.content_type})")
    found = links_to(_text(page), page_url=page.url, target=our_url)
    if found:
        best = next((link for link in found if not set(link.rel.split()) & {"nofollow", "ugc", "sponsored"}), found[0])
        return LinkCheck(LinkState.PRESENT, f"linked from {page.url}", best.rel, best.text)
    if page.truncated:
        limit = settings.BACKLINK_CHECK_MAX_BYTES
        return LinkCheck(LinkState.UNREACHABLE, f"the page is over {limit:,} bytes and the link is not in them")
    return LinkCheck(LinkState.MISSING, f"no link to {our_url} on {page.url}")


def _text(page: Page) -> str:
    return page.body.decode(page.charset or "utf-8", errors="replace")


def _record(opportunity: BacklinkOpportunity, owner: str, check: LinkCheck) -> bool:
    """Write the outcome and release the claim, if the claim is still ours."""
    now = timezone.now()
    failures = opportunity.link_check_failures + 1 if check.state == LinkState.UNREACHABLE else 0
    interval = timedelta(days=settings.BACKLINK_CHECK_INTERVAL_DAYS)
    due = now + (min(RETRY_AFTER_ERROR * 2**failures, interval) if check.retryable else interval)
    fields: dict[str, Any] = {
        "link_state": check.state,
        "link_checked_at": now,
        "link_check_error": "" if check.state == LinkState.PRESENT else check.detail[:500],
        "link_check_failures": failures,
        "link_check_due_at": due,
        "updated_at": now,
    }
    if check.state == LinkState.PRESENT:
        fields.update(
            link_rel=check.rel[:100], link_anchor_text=check.anchor_text[:300], status=BacklinkStatus.VERIFIED
        )
        if opportunity.link_first_seen_at is None:
            fields["link_first_seen_at"] = now
    lost = check.state == LinkState.MISSING or failures >= FLAG_AFTER_FAILURES
    if lost:
        fields["status"] = BacklinkStatus.LOST
    newly_lost = lost and opportunity.status != BacklinkStatus.LOST
    with transaction.atomic():
        if not _claim_of(opportunity, owner).release(**fields):
            return False
        if opportunity.deal is not None and (check.state != opportunity.link_state or newly_lost):
            _tell_the_deal(opportunity, opportunity.deal, check, newly_lost=newly_lost)
    return True


def _tell_the_deal(opportunity: BacklinkOpportunity, deal: Deal, check: LinkCheck, *, newly_lost: bool) -> None:
    description = f"Backlink on {opportunity.target_url}: {LinkState(check.state).label.lower()} ({check.detail})"
    metadata = {"opportunity": opportunity.pk, "state": check.state, "rel": check.rel, "anchor_text": check.anchor_text}
    deal_activity_record(deal=deal, activity_type=ActivityType.LINK_CHECKED, description=description, metadata=metadata)
    if newly_lost:
        deal_flag_for_review(deal=deal, reason=f"The backlink is lost: {check.detail}")


def backlinks_verify_due(*, limit: int = 200) -> dict[str, int]:
    """The beat job: check due opportunities one claim at a time; counts by outcome."""
    owner, counts = claims.new_owner(), {"checked": 0, LinkState.PRESENT: 0, LinkState.MISSING: 0}
    for _ in range(limit):
        opportunity_id = backlink_claim(owner=owner)
        if opportunity_id is None:
            break
        check = backlink_verify(opportunity_id=opportunity_id, owner=owner)
        if check is not None:
            counts["checked"] += 1
            counts[check.state] = counts.get(check.state, 0) + 1
    return {str(key): value for key, value in counts.items()}


# --- after a save (API and admin) -----------------------------------------------------------------


def backlink_saved(*, opportunity: BacklinkOpportunity, created: bool, previous_status: str = "") -> None:
    """What follows a save: a new opportunity without an angle gets one written; one just marked
    placed is checked now rather than at the next hourly run. Both run after the commit."""
    from crm import tasks  # the tasks import this module

    if created and not opportunity.outreach_angle:
        transaction.on_commit(lambda: tasks.write_backlink_pitch.delay(opportunity.pk))
    newly_linked = opportunity.status in LINKED_STATUSES and previous_status not in LINKED_STATUSES
    if newly_linked and opportunity.our_content_url:
        BacklinkOpportunity.objects.filter(pk=opportunity.pk).update(link_check_due_at=timezone.now())
        transaction.on_commit(lambda: tasks.verify_backlink.delay(opportunity.pk))


def target_domain(url: str) -> str:
    """'https://www.blog.example/post' -> 'blog.example'."""
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")
