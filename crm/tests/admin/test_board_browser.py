"""The deal board in real Chromium: it renders a seeded pipeline, a drag moves a deal (and the
history shows it), a refused move snaps back with its reason, the keyboard moves a card, and the
offline demo loop closes (autopilot -> send now -> outbox -> simulated reply -> deal moved) through
a real worker."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from crm.models import Deal, DealStageChange, DealStatus, EmailLog, EmailStatus, OutboxMessage
from crm.tests.factories import ContactFactory, DealFactory
from tests.fixtures.browser import log_in, screenshot
from tests.fixtures.celery import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def deal_in(pipeline, stage_name, **fields):
    return DealFactory(pipeline=pipeline, current_stage=pipeline.stages.get(name=stage_name), **fields)


def card(page, deal):
    return page.locator(f'.board-card[data-deal="{deal.pk}"]')


def column(page, pipeline, stage_name):
    return page.locator(f'.board-column[data-stage="{pipeline.stages.get(name=stage_name).pk}"]')


@pytest.fixture
def board(page, live_server, sales):
    """A logged-in user on the board of the seeded sales pipeline, with a few deals in it."""
    deals = {
        "ada": deal_in(sales, "Contacted", value=Decimal("12500"), contact__name="Ada Contacted"),
        "bo": deal_in(sales, "Contacted", value=Decimal("2500"), contact__name="Bo Contacted", needs_review=True),
        "cy": deal_in(sales, "Engaged", value=Decimal("4000"), contact__name="Cy Engaged"),
    }
    log_in(page, live_server, get_user_model(), "dana")
    page.get_by_role("link", name="Deal board").click()
    page.wait_for_url("**/admin/crm/board/")
    return deals


def test_the_board_renders_the_seeded_pipeline_with_counts_and_totals(page, board, sales):
    # then: one column per stage, cards where the deals are, counts and totals in the brand's money
    assert page.locator(".board-column").count() == sales.stages.count()
    contacted = column(page, sales, "Contacted")
    assert contacted.locator(".board-count").inner_text() == "2"
    assert contacted.locator(".board-total").inner_text() == "$15,000"
    assert contacted.locator(".board-card").count() == 2
    assert card(page, board["bo"]).locator(".mark-review").is_visible()
    screenshot(page, "crm-board")


def test_a_drag_moves_the_deal_and_its_history_shows_it(page, board, sales):
    # when
    card(page, board["ada"]).drag_to(column(page, sales, "Engaged").locator(".board-cards"))

    # then
    page.locator("#board-status.ok").wait_for()
    assert "Ada Contacted moved to Engaged" in page.locator("#board-status").inner_text()
    assert column(page, sales, "Engaged").locator(".board-count").inner_text() == "2"
    assert column(page, sales, "Contacted").locator(".board-total").inner_text() == "$2,500"
    deal = Deal.objects.get(pk=board["ada"].pk)
    assert deal.current_stage.name == "Engaged"
    assert DealStageChange.objects.filter(deal=deal, to_stage__name="Engaged", actor__username="dana").exists()
    page.reload()
    card(page, board["ada"]).locator(".card-title").click()
    page.locator("#panel-timeline").get_by_text("Moved from Contacted to Engaged").wait_for()
    assert column(page, sales, "Engaged").locator(f'[data-deal="{deal.pk}"]').count() == 1


def test_a_refused_move_snaps_back_with_its_reason(page, live_server, board, sales):
    # given: a won deal whose contact has an open deal again (it cannot be reopened)
    won = deal_in(sales, "Won", status=DealStatus.WON, contact__name="Wyn Won")
    deal_in(sales, "New Lead", contact=won.contact)
    page.reload()

    # when: dragged to the column beside it (both in view)
    card(page, won).drag_to(column(page, sales, "Negotiation").locator(".board-cards"))

    # then
    page.locator("#board-status.error").wait_for()
    assert "another open deal" in page.locator("#board-status").inner_text()
    assert column(page, sales, "Won").locator(f'[data-deal="{won.pk}"]').count() == 1
    assert column(page, sales, "Negotiation").locator(".board-count").inner_text() == "0"
    assert card(page, won).get_attribute("data-refused")
    assert Deal.objects.get(pk=won.pk).current_stage.name == "Won"


def test_the_keyboard_moves_a_card_and_opens_it(page, board, sales):
    # when: focus a card, press the right arrow
    target = card(page, board["cy"])
    target.focus()
    page.keyboard.press("ArrowRight")

    # then
    page.locator("#board-status.ok").wait_for()
    assert column(page, sales, "Qualified").locator(f'[data-deal="{board["cy"].pk}"]').count() == 1
    assert Deal.objects.get(pk=board["cy"].pk).current_stage.name == "Qualified"
    assert page.evaluate("document.activeElement.dataset.deal") == str(board["cy"].pk)
    page.keyboard.press("Enter")
    page.locator("#panel-title").wait_for()
    assert page.locator("#panel-title").inner_text() == "Cy Engaged"


def test_without_javascript_the_card_s_form_moves_the_deal(browser, live_server, sales):
    # given: a logged-in browser, then scripts off (the login page itself wants them)
    deal = deal_in(sales, "Contacted", contact__name="Nora Noscript")
    with_scripts = browser.new_context()
    log_in(with_scripts.new_page(), live_server, get_user_model(), "nora")
    context = browser.new_context(java_script_enabled=False, storage_state=with_scripts.storage_state())
    with_scripts.close()
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/crm/board/")

    # when
    own = card(page, deal)
    own.locator("summary").click()
    own.locator("select[name=stage]").select_option(label="Engaged")
    own.get_by_role("button", name="Move").click()

    # then
    page.get_by_text("Nora Noscript moved to Engaged.").wait_for()
    screenshot(page, "crm-board-without-javascript")
    assert column(page, sales, "Engaged").locator(f'[data-deal="{deal.pk}"]').count() == 1
    context.close()


def test_the_demo_loop_closes_autopilot_send_now_outbox_reply_deal_moved(page, live_server, celery_worker, sales):
    # given: a new lead in the sales pipeline, the local outbox, a brand outside its sending window
    brand = sales.brand
    brand.send_weekdays = [(timezone.now().astimezone(brand.zone).weekday() + 1) % 7]
    brand.save(update_fields=["send_weekdays"])
    contact = ContactFactory(brand=brand, name="Lee Lead", email="lee@lead.example", company="Lead Co")
    deal = deal_in(sales, "New Lead", contact=contact)
    log_in(page, live_server, get_user_model(), "dana")

    # when: the autopilot runs on it (Deals -> Run the autopilot now; a worker decides)
    page.goto(f"{live_server.url}/admin/crm/deal/")
    page.locator(f'input[name=_selected_action][value="{deal.pk}"]').check()
    page.locator("select[name=action]").select_option("run_autopilot")
    page.locator("button[type=submit][name=index]").first.click()
    wait_for(lambda: EmailLog.objects.filter(deal=deal, status=EmailStatus.PENDING).exists())

    # then: the board shows it contacted; its panel sends the email now, outside the window
    page.get_by_role("link", name="Deal board").click()
    card(page, deal).locator(".card-title").click()
    send = page.locator("#send-now")
    assert "outside the sending window" in send.inner_text()
    send.click()
    page.locator("#board-status.ok").wait_for()
    assert "Sent" in page.locator("#board-status").inner_text()

    # and: the outbox (in the sidebar) has it; a simulated reply is read by the worker
    page.locator("a[href='/admin/crm/outboxmessage/']").filter(has_text="Outbox").first.click()
    page.wait_for_url("**/admin/crm/outboxmessage/")
    message = OutboxMessage.objects.get(to_address=contact.email)
    page.locator(f'input[name=_selected_action][value="{message.pk}"]').check()
    page.locator("select[name=action]").select_option("simulate_inbound")
    page.locator("button[type=submit][name=index]").first.click()
    page.get_by_role("button", name="Put it in the inbox").click()
    wait_for(lambda: Deal.objects.get(pk=deal.pk).current_stage.name == "Engaged")

    # and: the board shows the deal moved, flagged for a person
    page.goto(f"{live_server.url}/admin/crm/board/")
    moved = column(page, sales, "Engaged").locator(f'[data-deal="{deal.pk}"]')
    assert moved.locator(".mark-review").is_visible()
    moved.locator(".card-title").click()
    page.locator("#panel-timeline").get_by_text("Positive reply").first.wait_for()
    screenshot(page, "crm-board-demo-loop")


def test_done_means_drag_to_engaged_send_now_outbox_reply_and_the_deal_moves(page, live_server, celery_worker, sales):
    # given: a contacted deal with nothing queued
    contact = ContactFactory(brand=sales.brand, name="Noor Newcomer", email="noor@new.example")
    deal = deal_in(sales, "Contacted", contact=contact)
    log_in(page, live_server, get_user_model(), "dana")
    page.get_by_role("link", name="Deal board").click()

    # when: dragged to Engaged, its next email sent now (written by the autopilot on the spot)
    card(page, deal).drag_to(column(page, sales, "Engaged").locator(".board-cards"))
    page.locator("#board-status.ok").wait_for()
    card(page, deal).locator(".card-title").click()
    page.locator("#send-now").click()
    page.get_by_text("Sent “").wait_for()

    # and: the outbox has it; a reply saying no is simulated and read by the worker
    page.locator("a[href='/admin/crm/outboxmessage/']").filter(has_text="Outbox").first.click()
    message = OutboxMessage.objects.get(to_address=contact.email)
    page.locator(f'input[name=_selected_action][value="{message.pk}"]').check()
    page.locator("select[name=action]").select_option("simulate_inbound")
    page.locator("button[type=submit][name=index]").first.click()
    page.fill("textarea[name=text]", "No thanks, we went with another agency.")
    page.get_by_role("button", name="Put it in the inbox").click()
    wait_for(lambda: Deal.objects.get(pk=deal.pk).status == DealStatus.LOST)

    # then: the board shows it moved to Lost
    page.goto(f"{live_server.url}/admin/crm/board/")
    assert column(page, sales, "Lost").locator(f'[data-deal="{deal.pk}"]').count() == 1


def test_run_selected_tasks_says_what_the_task_did(page, live_server, celery_worker, sales, settings):
    # given: a queued email due now, and the periodic tasks synchronised
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    deal = deal_in(sales, "Contacted")
    sales.brand.send_window_start = sales.brand.send_window_end = None
    sales.brand.send_weekdays = list(range(7))
    sales.brand.save()
    EmailLog.objects.create(
        deal=deal, brand=sales.brand, contact=deal.contact, to_email=deal.contact.email, subject="Due",
        body="<p>Due</p>", status=EmailStatus.PENDING, scheduled_for=timezone.now() - timedelta(minutes=1),
    )  # fmt: skip
    call_command("sync_beat_schedule")
    task = PeriodicTask.objects.get(task="crm.tasks.send_scheduled_emails")
    log_in(page, live_server, get_user_model(), "dana")

    # when
    page.goto(f"{live_server.url}/admin/django_celery_beat/periodictask/")
    page.locator(f'input[name=_selected_action][value="{task.pk}"]').check()
    page.locator("select[name=action]").select_option("run_tasks")
    page.locator("button[type=submit][name=index]").first.click()

    # then
    page.get_by_text(f"{task.name}: {sales.brand.slug}: sent 1").wait_for()
    assert EmailLog.objects.get(deal=deal).status == EmailStatus.SENT
