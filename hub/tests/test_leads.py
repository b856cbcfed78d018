"""Website lead capture: a bad key, a wrong origin, the honeypot filled, too many posts and a
malformed body each get their status and write nothing; a good inquiry becomes one contact and
one deal in the sales pipeline's first stage, even posted twice at once."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from crm.models import Contact, Deal
from hub.models import ChatLead, ContactInquiry, Event

SITE = "https://www.codeteki.au"
INQUIRY = {
    "name": "Ann Lee", "email": "Ann@Example.com", "phone": "+61 412 345 678", "company": "Lee & Co",
    "message": "We need a new website.", "service": "Web design",
}  # fmt: skip


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(codeteki):
    codeteki.site_origins = [SITE]
    codeteki.save()
    return codeteki


def post(path, body, *, key, origin=SITE, **headers):
    client = APIClient()
    if origin:
        headers["HTTP_ORIGIN"] = origin
    return client.post(path, body, format="json", HTTP_X_PUBLISHABLE_KEY=key, **headers)


def nothing_written():
    return not (
        Contact.objects.exists()
        or Deal.objects.exists()
        or ContactInquiry.objects.exists()
        or ChatLead.objects.exists()
    )


pytestmark = pytest.mark.django_db


def test_an_inquiry_becomes_a_website_lead_and_a_deal_in_the_sales_pipeline_s_first_stage(site):
    answer = post("/api/public/inquiries/", INQUIRY, key=site.publishable_key)

    assert answer.status_code == 201, answer.json()
    assert answer["Access-Control-Allow-Origin"] == SITE
    contact = Contact.objects.get()
    assert (contact.email, contact.name, contact.source, contact.contact_type) == (
        "ann@example.com",
        "Ann Lee",
        "website",
        "lead",
    )
    deal = Deal.objects.get()
    sales = site.pipelines.get(slug="sales")
    assert (deal.contact, deal.pipeline, deal.current_stage) == (contact, sales, sales.first_stage())
    inquiry = ContactInquiry.objects.get()
    assert (inquiry.deal, inquiry.phone, inquiry.service) == (deal, "+61412345678", "Web design")
    assert {"lead.created", "opportunity.created"} <= set(Event.objects.values_list("type", flat=True))


def test_a_second_inquiry_from_the_same_person_updates_them_and_keeps_the_one_open_deal(site):
    post("/api/public/inquiries/", {**INQUIRY, "company": ""}, key=site.publishable_key)
    again = post("/api/public/inquiries/", {**INQUIRY, "email": "ann@example.com "}, key=site.publishable_key)

    assert again.status_code == 201
    assert Contact.objects.get().company == "Lee & Co"  # what it lacked is filled in
    assert Deal.objects.count() == 1 and ContactInquiry.objects.count() == 2


def test_a_chat_lead_becomes_a_chatbot_contact_with_its_transcript_and_no_deal(site):
    answer = post(
        "/api/public/chat-leads/",
        {"name": "Bo", "email": "bo@example.com", "company": "Bo Ltd", "transcript": "Bot: hi\nBo: prices?"},
        key=site.publishable_key,
    )

    assert answer.status_code == 201
    assert Contact.objects.get().source == "chatbot"
    assert ChatLead.objects.get().transcript.endswith("prices?")
    assert not Deal.objects.exists()


def test_a_wrong_or_missing_key_is_401_and_writes_nothing(site):
    wrong = post("/api/public/inquiries/", INQUIRY, key="pk_not-a-key")
    missing = post("/api/public/inquiries/", INQUIRY, key="")

    assert wrong.status_code == missing.status_code == 401
    assert wrong.json()["field"] == "X-Publishable-Key"
    assert nothing_written()


def test_another_site_is_403_and_writes_nothing(site):
    answer = post("/api/public/inquiries/", INQUIRY, key=site.publishable_key, origin="https://evil.example")

    assert answer.status_code == 403 and "Access-Control-Allow-Origin" not in answer
    assert nothing_written()


def test_the_honeypot_filled_is_accepted_and_nothing_is_kept(site):
    answer = post("/api/public/inquiries/", {**INQUIRY, "website_url": "http://spam.example"}, key=site.publishable_key)

    assert answer.status_code == 202
    assert nothing_written()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**INQUIRY, "email": "not an address"}, "email"),
        ({"name": "No email"}, "email"),
        ({**INQUIRY, "phone": "call me maybe"}, "phone"),
        ({**INQUIRY, "name": "x" * 201}, "name"),
    ],
)
def test_a_malformed_body_is_400_naming_the_field_and_writes_nothing(site, body, field):
    answer = post("/api/public/inquiries/", body, key=site.publishable_key)

    assert answer.status_code == 400 and field in answer.json()
    assert nothing_written()


def test_a_body_that_is_not_json_is_400(site):
    answer = APIClient().generic(
        "POST", "/api/public/inquiries/", "{not json", content_type="application/json",
        HTTP_X_PUBLISHABLE_KEY=site.publishable_key, HTTP_ORIGIN=SITE,
    )  # fmt: skip

    assert answer.status_code == 400
    assert nothing_written()


def test_over_the_rate_limit_is_429(site, settings):
    answers = [
        post("/api/public/chat-leads/", {"email": f"p{n}@example.com"}, key=site.publishable_key).status_code
        for n in range(12)
    ]

    assert answers[:10] == [201] * 10 and answers[10:] == [429, 429]
    assert ChatLead.objects.count() == 10


def test_a_preflight_from_a_brand_s_site_is_allowed_and_from_elsewhere_refused(site):
    client = APIClient()
    ok = client.options("/api/public/inquiries/", HTTP_ORIGIN=SITE, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    refused = client.options("/api/public/inquiries/", HTTP_ORIGIN="https://evil.example")

    assert ok.status_code == 204
    assert ok["Access-Control-Allow-Origin"] == SITE and "X-Publishable-Key" in ok["Access-Control-Allow-Headers"]
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL only (CI runs it)")
def test_the_same_inquiry_posted_twice_at_once_is_one_contact_and_one_deal(site):
    start = threading.Barrier(2)
    answers = []

    def send():
        start.wait()
        try:
            answers.append(post("/api/public/inquiries/", INQUIRY, key=site.publishable_key).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [201, 201]
    assert Contact.objects.count() == 1 and Deal.objects.count() == 1 and ContactInquiry.objects.count() == 2
