"""The deal board's pages and posts, through the test client (the browser tests drive its script)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.models import AIDecisionLog, Deal, DealStageChange, DealStatus, EmailLog, EmailStatus, OutboxMessage
from crm.tests.factories import ContactFactory, DealFactory, PipelineFactory
from crm_site.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

admin.autodiscover()
BOARD = "/admin/crm/board/"


@pytest.fixture
def pipeline():
    return PipelineFactory(brand__currency="AUD")


def stage(pipeline, name):
    return pipeline.stages.get(name=name)


def deal_in(pipeline, name, **fields):
    return DealFactory(pipeline=pipeline, current_stage=stage(pipeline, name), **fields)


def test_the_board_shows_a_column_per_stage_with_counts_totals_and_cards(admin_client, pipeline):
    # given
    owner = UserFactory(is_staff=True, first_name="Grace", last_name="Hopper")
    deal_in(pipeline, "Contacted", value=Decimal("12500"), owner=owner)
    deal_in(pipeline, "Contacted", value=Decimal("500"), needs_review=True)
    late = deal_in(pipeline, "Engaged", expected_close_date=timezone.localdate() - timedelta(days=2))
    AIDecisionLog.objects.create(
        deal=late, decision_type="analyze_deal", action_taken="send_email", metadata={"email_type": "second follow-up"}
    )

    # when
    page = admin_client.get(BOARD, {"brand": pipeline.brand.slug, "pipeline": pipeline.slug})

    # then
    board = page.context["board"]
    assert [(c.stage.name, c.count, c.total) for c in board.columns] == [
        ("New Lead", 0, 0), ("Contacted", 2, Decimal("13000")), ("Engaged", 1, Decimal("1000")), ("Won", 0, 0),
        ("Lost", 0, 0),
    ]  # fmt: skip
    html = page.content.decode()
    assert "A$13,000" in html and "A$12,500" in html
    assert "Grace Hopper" in html and "Needs review" in html and "Overdue" in html
    assert "Decided to send the second follow-up" in html
    assert "send_email" not in html


def test_the_board_defaults_to_the_first_brand_and_its_sales_pipeline(admin_client, pipeline):
    page = admin_client.get(BOARD)

    assert page.status_code == 200
    assert page.context["pipeline"] == pipeline


def test_a_pipeline_slug_of_another_brand_is_not_shown_to_a_member_of_one(client, pipeline):
    # given
    other = PipelineFactory()
    member = UserFactory(is_staff=True)
    member.user_permissions.add(Permission.objects.get(codename="view_deal"))
    pipeline.brand.members.add(member)
    client.force_login(member)

    # when
    page = client.get(BOARD, {"brand": other.brand.slug, "pipeline": other.slug})

    # then
    assert page.context["pipeline"] == pipeline


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"owner": "me"}, {"mine"}),
        ({"owner": "none"}, {"review", "stalled"}),
        ({"review": "1"}, {"review"}),
        ({"stalled": "1"}, {"stalled"}),
        ({"q": "ACME"}, {"mine"}),
    ],
)
def test_the_filters_narrow_the_cards(admin_client, admin_user, pipeline, params, expected):
    # given
    long_ago = timezone.now() - timedelta(days=30)
    deals = {
        "mine": deal_in(pipeline, "Contacted", owner=admin_user, contact__company="Acme Pty"),
        "review": deal_in(pipeline, "Contacted", needs_review=True),
        "stalled": deal_in(pipeline, "Engaged", stage_entered_at=long_ago),
    }
    names = {str(deal.pk): name for name, deal in deals.items()}

    # when
    board = admin_client.get(BOARD, {"pipeline": pipeline.slug, **params}).context["board"]

    # then
    shown = {names[str(card.deal.pk)] for column in board.columns for card in column.cards}
    assert shown == expected
    assert sum(column.count for column in board.columns) == len(expected)


def test_a_board_of_5000_deals_costs_the_queries_of_a_board_of_ten(admin_client, pipeline):
    # given: a pipeline of ten deals, counted; then five thousand
    contacts = ContactFactory.create_batch(10, brand=pipeline.brand)
    for contact in contacts:
        deal_in(pipeline, "Contacted", contact=contact)
    with CaptureQueriesContext(connection) as small:
        admin_client.get(BOARD, {"pipeline": pipeline.slug})
    _bulk_deals(pipeline, 5000)

    # when
    with CaptureQueriesContext(connection) as large:
        page = admin_client.get(BOARD, {"pipeline": pipeline.slug})

    # then: the same number of queries, 50 cards a column, the rest counted
    assert len(large) == len(small)
    columns = {c.stage.name: c for c in page.context["board"].columns}
    assert len(columns["Contacted"].cards) == 50
    assert columns["Contacted"].count + columns["Engaged"].count == 5010
    with CaptureQueriesContext(connection) as more:
        cards = admin_client.get(f"{BOARD}column/", {"stage": columns["Engaged"].stage.pk, "offset": 50}).context[
            "cards"
        ]
    assert len(cards) == 50
    assert len(more) <= len(small)


def _bulk_deals(pipeline, n):
    from crm.models import Contact

    contacts = Contact.objects.bulk_create(
        Contact(brand=pipeline.brand, email=f"bulk{i}@bulk.example", name=f"Bulk {i}") for i in range(n)
    )
    stages = [stage(pipeline, "Contacted"), stage(pipeline, "Engaged")]
    Deal.objects.bulk_create(
        Deal(pipeline=pipeline, contact=c, current_stage=stages[i % 2], value=Decimal(i))
        for i, c in enumerate(contacts)
    )


def test_a_move_goes_through_the_deal_services_and_is_in_the_history(admin_client, admin_user, pipeline):
    # given
    deal = deal_in(pipeline, "Contacted")
    engaged = stage(pipeline, "Engaged")

    # when
    answer = admin_client.post(
        f"{BOARD}move/", {"deal": deal.pk, "stage": engaged.pk, "reason": "they called"}, HTTP_ACCEPT="application/json"
    )

    # then
    assert answer.status_code == 200 and answer.json()["ok"] is True
    deal.refresh_from_db()
    assert deal.current_stage == engaged
    change = DealStageChange.objects.filter(deal=deal).latest("changed_at")
    assert (change.from_stage.name, change.to_stage, change.actor, change.reason) == (
        "Contacted", engaged, admin_user, "they called",
    )  # fmt: skip


def test_a_refused_move_says_why_and_changes_nothing(admin_client, pipeline):
    # given: a won deal whose contact has opened another deal since
    won = deal_in(pipeline, "Won", status=DealStatus.WON)
    deal_in(pipeline, "New Lead", contact=won.contact)

    # when
    answer = admin_client.post(
        f"{BOARD}move/", {"deal": won.pk, "stage": stage(pipeline, "Engaged").pk}, HTTP_ACCEPT="application/json"
    )

    # then
    assert answer.status_code == 400
    assert "another open deal" in answer.json()["message"]
    won.refresh_from_db()
    assert won.current_stage.name == "Won"


def test_without_javascript_a_move_is_a_form_that_comes_back_with_a_message(admin_client, pipeline):
    deal = deal_in(pipeline, "Contacted")
    back = f"{BOARD}?pipeline={pipeline.slug}"

    answer = admin_client.post(
        f"{BOARD}move/", {"deal": deal.pk, "stage": stage(pipeline, "Engaged").pk, "next": back}, follow=True
    )

    assert answer.redirect_chain == [(back, 302)]
    assert "moved to Engaged" in answer.content.decode()


def test_a_viewer_may_look_but_not_move(client, pipeline):
    # given
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_deal"))
    pipeline.brand.members.add(viewer)
    client.force_login(viewer)
    deal = deal_in(pipeline, "Contacted")

    # when
    answer = client.post(
        f"{BOARD}move/", {"deal": deal.pk, "stage": stage(pipeline, "Engaged").pk}, HTTP_ACCEPT="application/json"
    )

    # then
    assert client.get(BOARD).status_code == 200
    assert answer.status_code == 403 and "not move" in answer.json()["message"]


def test_a_deal_of_another_brand_cannot_be_moved_or_opened(client, pipeline):
    member = UserFactory(is_staff=True)
    member.user_permissions.add(*Permission.objects.filter(codename__in=["view_deal", "change_deal"]))
    client.force_login(member)  # a member of no brand
    deal = deal_in(pipeline, "Contacted")

    moved = client.post(f"{BOARD}move/", {"deal": deal.pk, "stage": stage(pipeline, "Engaged").pk})

    assert moved.status_code == 404
    assert client.get(f"{BOARD}deal/{deal.pk}/").status_code == 404
    assert client.get(f"{BOARD}deal/not-a-uuid/").status_code == 404


@pytest.mark.parametrize("typed", ["³", "9" * 30, "-1", "sales"])
def test_odd_ids_typed_into_the_board_are_unknown_not_errors(admin_client, pipeline, typed):
    deal = deal_in(pipeline, "Contacted")

    assert admin_client.get(BOARD, {"pipeline": typed, "brand": typed, "owner": typed}).status_code == 200
    assert admin_client.get(f"{BOARD}column/", {"stage": typed, "offset": typed}).status_code == 404
    moved = admin_client.post(f"{BOARD}move/", {"deal": deal.pk, "stage": typed}, HTTP_ACCEPT="application/json")
    assert moved.status_code == 400


def test_the_side_panel_shows_the_timeline_with_email_bodies_and_decisions_in_words(admin_client, pipeline):
    # given
    deal = deal_in(pipeline, "Contacted")
    EmailLog.objects.create(
        deal=deal, brand=pipeline.brand, contact=deal.contact, to_email=deal.contact.email, subject="Quick idea",
        body="<p>Hello there, <b>a quick idea</b></p>", status=EmailStatus.SENT, sent_at=timezone.now(),
        replied=True, replied_at=timezone.now(), reply_content="Sounds good, call me",
    )  # fmt: skip
    AIDecisionLog.objects.create(deal=deal, decision_type="analyze_deal", action_taken="flag_for_review")

    # when
    html = admin_client.get(f"{BOARD}deal/{deal.pk}/").content.decode()

    # then
    assert "Quick idea" in html and "Hello there, a quick idea" in html
    assert "Sounds good, call me" in html
    assert "Asked a person to look at the deal" in html
    assert "Opened in Contacted" in html


def test_send_now_sends_the_queued_email_outside_the_window_to_the_outbox(admin_client, pipeline, settings):
    # given: a brand whose window is closed now, and a queued email
    settings.MAIL_BACKEND = "outbox"
    brand = pipeline.brand
    now = timezone.now().astimezone(brand.zone)
    brand.send_weekdays = [(now.weekday() + 1) % 7]
    brand.save()
    deal = deal_in(pipeline, "Contacted")
    email = EmailLog.objects.create(
        deal=deal, brand=brand, contact=deal.contact, to_email=deal.contact.email, subject="Next step",
        body="<p>Shall we?</p>", status=EmailStatus.PENDING,
    )  # fmt: skip
    assert "outside the sending window" in admin_client.get(f"{BOARD}deal/{deal.pk}/").content.decode()

    # when
    answer = admin_client.post(f"{BOARD}deal/{deal.pk}/send-now/", HTTP_ACCEPT="application/json")

    # then
    assert answer.json() == {"ok": True, "message": f"Sent “Next step” to {deal.contact.email}."}
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert OutboxMessage.objects.get(to_address=deal.contact.email).subject == "Next step"


def test_send_now_composes_the_next_email_when_none_is_queued(admin_client, pipeline, settings):
    settings.MAIL_BACKEND = "outbox"
    deal = deal_in(pipeline, "Contacted")

    answer = admin_client.post(f"{BOARD}deal/{deal.pk}/send-now/", HTTP_ACCEPT="application/json")

    assert answer.json()["ok"] is True
    assert EmailLog.objects.get(deal=deal).status == EmailStatus.SENT
    assert OutboxMessage.objects.filter(to_address=deal.contact.email).count() == 1


def test_send_now_refuses_an_unsubscribed_contact_and_says_so(admin_client, pipeline, settings):
    settings.MAIL_BACKEND = "outbox"
    deal = deal_in(pipeline, "Contacted", contact__unsubscribed_at=timezone.now())
    EmailLog.objects.create(
        deal=deal, brand=pipeline.brand, contact=deal.contact, to_email=deal.contact.email, subject="Hi", body="x",
        status=EmailStatus.PENDING,
    )  # fmt: skip

    answer = admin_client.post(f"{BOARD}deal/{deal.pk}/send-now/", HTTP_ACCEPT="application/json")

    assert answer.status_code == 400
    assert answer.json()["message"] == "Not sent and cancelled: the contact unsubscribed."
    assert OutboxMessage.objects.count() == 0


def test_pause_flag_and_review_from_the_panel(admin_client, pipeline):
    deal = deal_in(pipeline, "Contacted")

    for action in ("pause", "flag", "reviewed", "resume"):
        answer = admin_client.post(f"{BOARD}deal/{deal.pk}/{action}/", HTTP_ACCEPT="application/json")
        assert answer.json()["ok"] is True, action

    deal.refresh_from_db()
    assert (deal.status, deal.needs_review) == (DealStatus.ACTIVE, False)
    assert admin_client.post(f"{BOARD}deal/{deal.pk}/explode/").status_code == 404
