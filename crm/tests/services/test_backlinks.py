"""Backlink opportunities: the pitch angle offline, and the link check: claimed with an owner and a
lease, the page fetched, the outcome recorded once, a lost link flagging the deal once."""

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from crm.models import ActivityType, AIDecisionLog, BacklinkOpportunity, BacklinkStatus, DecisionType, LinkState
from crm.services.autopilot import deal_mark_reviewed
from crm.services.backlinks import (
    LEASE,
    backlink_claim,
    backlink_pitch_write,
    backlink_verify,
    backlinks_verify_due,
)
from crm.tests.factories import ContactFactory, DealFactory
from tests.fakes.site import LOOPBACK, FakeSite, article

pytestmark = pytest.mark.django_db

OURS = "https://codeteki.example/blog/seo-checklist-for-cafes/"


@pytest.fixture
def site(settings):
    settings.PUBLIC_FETCH_ALLOWED_NETWORKS = [LOOPBACK]
    with FakeSite() as fake:
        yield fake


@pytest.fixture
def backlink_deal(codeteki):
    pipeline = codeteki.pipelines.get(slug="backlink")
    return DealFactory(pipeline=pipeline, current_stage=pipeline.first_stage(), contact=ContactFactory(brand=codeteki))


def placed(brand, url, deal=None, **fields):
    return BacklinkOpportunity.objects.create(
        brand=brand, target_url=url, target_domain="127.0.0.1", our_content_url=OURS,
        status=BacklinkStatus.PLACED, deal=deal, **fields,
    )  # fmt: skip


def check(opportunity, owner="worker-1"):
    assert backlink_claim(owner=owner, opportunity_id=opportunity.pk) == opportunity.pk
    result = backlink_verify(opportunity_id=opportunity.pk, owner=owner)
    opportunity.refresh_from_db()
    return result


# --- the pitch angle ------------------------------------------------------------------------------


def test_offline_the_rules_write_an_angle_from_our_page_and_the_brand(codeteki):
    # given
    codeteki.ai_value_proposition = "a Melbourne agency that builds fast websites for hospitality"
    codeteki.save()
    opportunity = BacklinkOpportunity.objects.create(
        brand=codeteki, target_url="https://cafeblog.example/tools", target_domain="cafeblog.example",
        our_content_url=OURS, domain_authority=41,
    )  # fmt: skip
    # when
    backlink_pitch_write(opportunity=opportunity)
    # then
    opportunity.refresh_from_db()
    assert "cafeblog.example" in opportunity.outreach_angle
    assert "SEO checklist for cafes" in opportunity.outreach_angle
    assert "fast websites for hospitality" in opportunity.outreach_angle
    assert opportunity.anchor_text_suggestion == "SEO checklist for cafes"
    decision = AIDecisionLog.objects.get(decision_type=DecisionType.PITCH_ANGLE)
    assert (decision.model, decision.reasoning) == ("rules", opportunity.outreach_angle)


def test_an_anchor_text_set_by_a_person_is_kept(codeteki):
    opportunity = BacklinkOpportunity.objects.create(
        brand=codeteki, target_url="https://x.example/", target_domain="x.example", anchor_text_suggestion="cafe SEO"
    )

    backlink_pitch_write(opportunity=opportunity)

    opportunity.refresh_from_db()
    assert opportunity.anchor_text_suggestion == "cafe SEO"
    assert "a guest post" in opportunity.outreach_angle  # no page of ours to offer


# --- the link check ------------------------------------------------------------------------------


def test_a_placed_link_found_on_the_page_is_verified_with_rel_and_anchor(codeteki, site, backlink_deal):
    # given
    url = site.page("/tools", article(f'<a href="{OURS}" rel="nofollow">Codeteki\u2019s SEO checklist</a>'))
    opportunity = placed(codeteki, url, backlink_deal)
    # when
    result = check(opportunity)
    # then
    assert result.state == LinkState.PRESENT
    assert (opportunity.status, opportunity.link_state) == (BacklinkStatus.VERIFIED, LinkState.PRESENT)
    assert (opportunity.link_rel, opportunity.link_anchor_text) == ("nofollow", "Codeteki\u2019s SEO checklist")
    assert opportunity.link_first_seen_at and opportunity.link_checked_at
    assert opportunity.link_check_due_at > timezone.now() + timedelta(days=6)
    assert (opportunity.claim_owner, opportunity.claim_until) == ("", None)
    activity = backlink_deal.activities.get(activity_type=ActivityType.LINK_CHECKED)
    assert "link present" in activity.description
    backlink_deal.refresh_from_db()
    assert not backlink_deal.needs_review


def test_a_followed_link_is_preferred_when_the_page_has_both(codeteki, site):
    url = site.page("/tools", article(f'<a href="{OURS}" rel="ugc">a</a>', f'<a href="{OURS}">the checklist</a>'))
    opportunity = placed(codeteki, url)

    check(opportunity)

    assert (opportunity.link_rel, opportunity.link_anchor_text) == ("", "the checklist")


def test_a_link_that_disappears_marks_it_lost_and_flags_the_deal_once(codeteki, site, backlink_deal):
    # given a verified link
    url = site.page("/tools", article(f'<a href="{OURS}">checklist</a>'))
    opportunity = placed(codeteki, url, backlink_deal)
    check(opportunity)
    # when the page drops it, and is checked twice more after a person reviewed the deal
    site.page("/tools", article('<a href="https://other.example/">someone else</a>'))
    check(opportunity)
    backlink_deal.refresh_from_db()
    flagged = (backlink_deal.needs_review, backlink_deal.review_reason)
    deal_mark_reviewed(deal=backlink_deal)
    check(opportunity)
    # then
    assert (opportunity.status, opportunity.link_state) == (BacklinkStatus.LOST, LinkState.MISSING)
    assert flagged[0] and "backlink is lost" in flagged[1]
    backlink_deal.refresh_from_db()
    assert not backlink_deal.needs_review  # not flagged again for the same loss
    states = list(
        backlink_deal.activities.filter(activity_type=ActivityType.LINK_CHECKED).values_list(
            "metadata__state", flat=True
        )
    )
    assert sorted(states) == ["missing", "present"]


def test_a_page_that_is_gone_is_a_lost_link(codeteki, site, backlink_deal):
    opportunity = placed(codeteki, site.url + "/deleted-post", backlink_deal)

    check(opportunity)

    assert (opportunity.status, opportunity.link_state) == (BacklinkStatus.LOST, LinkState.MISSING)
    assert "404" in opportunity.link_check_error


def test_a_page_that_fails_is_tried_sooner_and_after_three_failures_counts_as_lost(codeteki, site, backlink_deal):
    # given a page that answers 503
    url = site.page("/tools", "<p>down</p>", status=503)
    opportunity = placed(codeteki, url, backlink_deal)
    # when
    check(opportunity)
    first_due = opportunity.link_check_due_at
    check(opportunity)
    check(opportunity)
    # then
    assert first_due < timezone.now() + timedelta(hours=3)
    assert (opportunity.link_state, opportunity.link_check_failures) == (LinkState.UNREACHABLE, 3)
    assert opportunity.status == BacklinkStatus.LOST
    backlink_deal.refresh_from_db()
    assert backlink_deal.needs_review and "503" in backlink_deal.review_reason


def test_a_page_that_is_not_html_is_not_searched(codeteki, site):
    url = site.page("/report.pdf", "%PDF-1.7", content_type="application/pdf")
    opportunity = placed(codeteki, url)

    check(opportunity)

    assert opportunity.link_state == LinkState.UNREACHABLE
    assert "not HTML" in opportunity.link_check_error


def test_a_private_address_is_refused_unless_allowed(codeteki, settings):
    settings.PUBLIC_FETCH_ALLOWED_NETWORKS = []
    opportunity = placed(codeteki, "http://169.254.169.254/latest/meta-data/")

    check(opportunity)

    assert opportunity.link_state == LinkState.UNREACHABLE
    assert "not a public address" in opportunity.link_check_error


# --- claims, leases, failures ----------------------------------------------------------------------


def test_two_workers_never_hold_the_same_opportunity(codeteki, site):
    opportunity = placed(codeteki, site.page("/tools", article()))

    first = backlink_claim(owner="a")
    second = backlink_claim(owner="b")

    assert (first, second) == (opportunity.pk, None)


def test_a_dead_worker_s_claim_expires_and_its_late_answer_is_dropped(codeteki, site):
    # given worker a claimed the opportunity and died mid-check
    opportunity = placed(codeteki, site.page("/tools", article(f'<a href="{OURS}">x</a>')))
    backlink_claim(owner="a")
    # when the lease runs out, worker b takes it over and checks it
    later = timezone.now() + LEASE + timedelta(seconds=1)
    assert backlink_claim(owner="b", now=timezone.now()) is None
    assert backlink_claim(owner="b", now=later) == opportunity.pk
    by_b = backlink_verify(opportunity_id=opportunity.pk, owner="b")
    # then a, coming back, writes nothing
    by_a = backlink_verify(opportunity_id=opportunity.pk, owner="a")
    assert (by_b.state, by_a) == (LinkState.PRESENT, None)


def test_a_check_that_raises_puts_the_opportunity_back(codeteki, site, monkeypatch):
    # given the resolver crashes (not a network error: an unexpected one)
    opportunity = placed(codeteki, site.page("/tools", article()))
    backlink_claim(owner="a")

    def crash(*args, **kwargs):
        raise RuntimeError("resolver crashed")

    monkeypatch.setattr(socket, "getaddrinfo", crash)
    # when
    with pytest.raises(RuntimeError):
        backlink_verify(opportunity_id=opportunity.pk, owner="a")
    # then the claim is released and the check is due again in an hour
    opportunity.refresh_from_db()
    assert (opportunity.claim_owner, opportunity.claim_until) == ("", None)
    assert timezone.now() + timedelta(minutes=50) < opportunity.retry_at < timezone.now() + timedelta(hours=2)
    assert opportunity.attempts == 1 and "RuntimeError: resolver crashed" in opportunity.last_error
    assert backlink_claim(owner="b") is None  # not due before its retry


def test_the_hourly_job_checks_what_is_due_and_nothing_twice(codeteki, site):
    # given three placed links, one checked yesterday (not due), and one not placed
    with_link = site.page("/a", article(f'<a href="{OURS}">x</a>'))
    without = site.page("/b", article())
    placed(codeteki, with_link)
    placed(codeteki, without)
    placed(codeteki, site.page("/c", article()), link_check_due_at=timezone.now() + timedelta(days=6))
    BacklinkOpportunity.objects.create(brand=codeteki, target_url=site.url + "/d", our_content_url=OURS)
    # when it runs twice
    first = backlinks_verify_due()
    second = backlinks_verify_due()
    # then
    assert first == {"checked": 2, "present": 1, "missing": 1}
    assert second == {"checked": 0, "present": 0, "missing": 0}
    assert {r.path for r in site.requests} == {"/a", "/b"}
