"""Every event the issue names is written in the change's transaction, with the object as the API
serialises it: contacts and leads, tasks (and the autopilot's review task), documents, campaigns,
email replies, candidates ready to pitch, WhatsApp messages."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from campaigns.services import campaign_run, campaign_send_now
from campaigns.tests.conftest import leads, make_campaign, open_brand, segment  # noqa: F401 - fixtures
from crm.models import Contact, ContactType, OutboxMessage, Task
from crm.services.autopilot import deal_flag_for_review, deal_mark_reviewed
from crm.services.outbox import outbox_simulate_inbound
from crm.services.replies import brand_check_replies
from crm.services.sending import brand_send_due, email_queue
from crm.tests.factories import ContactFactory, DealFactory
from crm_site.tests.factories import UserFactory
from documents.services.documents import document_create
from documents.services.files import file_check
from hub.models import Event
from messaging.services.messages import whatsapp_message_receive
from recruiting.services.pitch import candidate_webhook_handle

pytestmark = pytest.mark.django_db


def types():
    return list(Event.objects.order_by("occurred_at").values_list("type", flat=True))


def last(event_type):
    return Event.objects.filter(type=event_type).order_by("-occurred_at").first()


def test_a_lead_made_changed_and_deleted_is_told_as_lead_and_contact_events(codeteki, staff):
    made = staff.post(
        "/api/crm/contacts/", {"brand": codeteki.pk, "email": "Ann@Example.com", "name": "Ann Lee"}, format="json"
    )
    assert made.status_code == 201
    staff.patch(f"/api/crm/contacts/{made.json()['id']}/", {"company": "Lee & Co"}, format="json")
    Contact.objects.get().delete()

    assert types() == ["contact.created", "lead.created", "contact.updated", "lead.updated", "lead.deleted"]
    assert last("lead.updated").data["company"] == "Lee & Co"
    assert last("lead.created").data["email"] == "ann@example.com"
    assert last("lead.created").brand == codeteki


def test_a_partner_is_a_contact_event_only(codeteki):
    ContactFactory(brand=codeteki, contact_type=ContactType.PARTNER)

    assert types() == ["contact.created"]


def test_a_contact_change_that_rolls_back_leaves_no_event(codeteki):
    def a_request_that_fails_after_the_contact():
        with transaction.atomic():
            ContactFactory(brand=codeteki)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        a_request_that_fails_after_the_contact()

    assert types() == []


def test_tasks_made_and_completed_through_the_api_are_events(codeteki, staff):
    contact = ContactFactory(brand=codeteki)
    Event.objects.all().delete()
    due = (timezone.now() + timedelta(days=1)).isoformat()

    made = staff.post("/api/tasks/", {"title": "Call Ann", "contact": str(contact.pk), "due_at": due}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["brand"] == codeteki.pk  # taken from the contact
    done = staff.post(f"/api/tasks/{made.json()['id']}/complete/")
    again = staff.post(f"/api/tasks/{made.json()['id']}/complete/")

    assert done.status_code == again.status_code == 200 and done.json()["is_done"]
    assert types() == ["task.created", "task.completed"]  # completing twice tells once
    assert last("task.completed").data["title"] == "Call Ann"


def test_the_autopilot_flagging_a_deal_makes_one_review_task_which_reviewing_completes(codeteki):
    manager = UserFactory(username="manager")
    codeteki.managers.add(manager)
    deal = DealFactory(pipeline=codeteki.pipelines.get(slug="sales"))

    deal_flag_for_review(deal=deal, reason="They asked for a call")
    deal_flag_for_review(deal=deal, reason="And again")
    task = Task.objects.get()
    deal_mark_reviewed(deal=deal)

    task.refresh_from_db()
    assert (task.origin, task.assignee, task.deal, task.notes) == ("autopilot", manager, deal, "They asked for a call")
    assert task.is_done
    assert [t for t in types() if t.startswith("task.")] == ["task.created", "task.completed"]


def test_a_human_reply_is_an_email_replied_event_with_the_deal(codeteki):
    codeteki.send_window_start = codeteki.send_window_end = None
    codeteki.send_weekdays = []
    codeteki.save()
    sales = codeteki.pipelines.get(slug="sales")
    deal = DealFactory(
        pipeline=sales, contact=ContactFactory(brand=codeteki), current_stage=sales.stages.get(name="Contacted")
    )
    email = email_queue(deal=deal, subject="A quick idea", body="Hi")
    brand_send_due(brand=codeteki)
    email.refresh_from_db()
    outbox_simulate_inbound(
        message=OutboxMessage.objects.get(rfc_message_id=email.rfc_message_id), kind="reply",
        text="This sounds interesting, let's talk on Thursday.",
    )  # fmt: skip

    brand_check_replies(brand=codeteki)

    replied = last("email.replied")
    assert replied.data["email"]["subject"] == "A quick idea"
    assert "Thursday" in replied.data["email"]["reply"]
    assert replied.data["deal"]["id"] == str(deal.pk)
    assert replied.data["contact"]["email"] == deal.contact.email


def test_an_uploaded_document_is_an_event(codeteki):
    checked = file_check([_pdf()], "terms.pdf")
    document = document_create(checked=checked, name="Terms", owner=None, brand=codeteki)

    event = last("document.uploaded")
    assert event.brand == codeteki and event.data["id"] == document.pk and event.data["name"] == "Terms"


def test_a_finished_campaign_is_an_event(open_brand, leads, make_campaign):  # noqa: F811 - fixtures
    campaign = campaign_send_now(campaign=make_campaign())
    campaign_run(campaign_id=campaign.pk)
    brand_send_due(brand=open_brand)
    campaign_run(campaign_id=campaign.pk)

    event = last("campaign.completed")
    assert event.data["id"] == campaign.pk and event.data["status"] == "sent"
    assert Event.objects.filter(type="campaign.completed").count() == 1


def test_a_candidate_ready_to_pitch_is_an_event_with_the_matches(settings):
    settings.ZOHO_CRM_CLIENT_ID = settings.ZOHO_CRM_REFRESH_TOKEN = ""

    candidate_webhook_handle(fields={"contact_id": "42", "role_success_stage": "Ready to Pitch", "location": "Sydney"})

    event = last("candidate.ready_to_pitch")
    assert event.data["candidate"]["zoho_contact_id"] == "42" and isinstance(event.data["matches"], list)


def test_an_inbound_whatsapp_message_is_an_event_once():
    at = str(int(timezone.now().timestamp()))
    message = {"from": "31612345678", "id": "wamid.1", "timestamp": at, "type": "text", "text": {"body": "Hoi"}}

    whatsapp_message_receive(message=message, profile_name="Jan")
    whatsapp_message_receive(message=message, profile_name="Jan")  # Meta retries

    assert types() == ["whatsapp.message"]
    assert last("whatsapp.message").data["text"] == "Hoi" and last("whatsapp.message").data["from"] == "+31612345678"


def _pdf():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Terms and conditions")
    return bytes(pdf.output())


def test_an_import_tells_what_it_made_when_someone_listens_and_writes_nothing_when_nobody_does(codeteki):
    import io

    from crm.services.imports import contact_import_run, import_target
    from hub.services.webhooks import webhook_create

    sales = codeteki.pipelines.get(slug="sales")
    ContactFactory(brand=codeteki, email="known@example.com", company="")
    Event.objects.all().delete()
    csv = b"email,name,company\nnew@example.com,New Person,Newco\nknown@example.com,Known,Knownco\nsame@example.com,,\n"

    contact_import_run(stream=io.BytesIO(csv), target=import_target(brand=codeteki, pipeline=sales))
    assert types() == []  # nobody listens: a large import writes no events

    webhook_create(
        name="CRM sync", url="https://example.com/hook", brand=codeteki, user=None,
        events=["lead.created", "lead.updated", "opportunity.created"],
    )  # fmt: skip
    again = b"email,name,company\nnewer@example.com,Newer,Newerco\nknown@example.com,,Second Co\nsame@example.com,,\n"
    Contact.objects.filter(email="known@example.com").update(company="")
    contact_import_run(stream=io.BytesIO(again), target=import_target(brand=codeteki, pipeline=sales))

    made = sorted((e.type, e.data.get("email") or e.data.get("contact_email")) for e in Event.objects.all())
    assert made == [("lead.created", "newer@example.com"), ("opportunity.created", "newer@example.com")]  # not the
    # blanks it filled in known@'s row
