from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.models import BacklinkOpportunity, Contact, Deal, DealStatus
from crm.tasks import write_backlink_pitch
from crm.tests.api.conftest import client_for
from crm.tests.factories import AIDecisionFactory, ContactFactory, DealFactory, EmailLogFactory
from crm_site.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desi_deal(seeded):
    pipeline = seeded["desi-firms"].pipelines.get(slug="sales")
    return DealFactory(pipeline=pipeline, current_stage=pipeline.first_stage())


# --- brand scoping and permissions ----------------------------------------------------


def test_staff_see_only_their_brands_and_others_objects_are_404(api, sales, desi_deal):
    mine = DealFactory(pipeline=sales, current_stage=sales.first_stage())

    listed = api.get("/api/crm/deals/").json()["results"]

    assert [deal["id"] for deal in listed] == [str(mine.pk)]
    assert api.get(f"/api/crm/deals/{desi_deal.pk}/").status_code == 404
    assert api.get(f"/api/crm/contacts/{desi_deal.contact.pk}/").status_code == 404
    assert api.post(f"/api/crm/deals/{desi_deal.pk}/move-stage/", {"stage": 1}).status_code == 404
    assert api.get(f"/api/crm/ai-activity/{desi_deal.pk}/").status_code == 404
    assert {p["brand"] for p in api.get("/api/crm/pipelines/").json()["results"]} == {sales.brand_id}


def test_superusers_see_every_brand(admin_user, sales, desi_deal):
    DealFactory(pipeline=sales, current_stage=sales.first_stage())

    assert client_for(admin_user).get("/api/crm/deals/").json()["count"] == 2


def test_staff_without_permissions_are_refused(codeteki):
    user = UserFactory(username="dora")
    codeteki.members.add(user)

    assert client_for(user).get("/api/crm/contacts/").status_code == 403


def test_garbage_ids_are_404_not_500(api):
    assert api.get("/api/crm/deals/not-a-uuid/").status_code == 404
    assert api.get("/api/crm/pipelines/abc/").status_code == 404


# --- contacts -----------------------------------------------------------------------------


def test_a_contact_is_created_normalised(api, codeteki):
    response = api.post(
        "/api/crm/contacts/",
        {"brand": codeteki.pk, "email": " Ann@Lee.Example ", "name": "Ann Lee", "tags": ["Tech", "tech", " SaaS"]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["email"] == "ann@lee.example"
    assert response.json()["tags"] == ["tech", "saas"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "dup@x.example"}, "email"),
        ({"email": "ok@x.example", "domain_authority": 101}, "domain_authority"),
        ({"email": "ok@x.example", "contact_type": "boss"}, "contact_type"),
        ({"email": "ok@x.example", "timezone": "Mars/Olympus"}, "timezone"),
        ({"email": "ok@x.example", "tags": "not-a-list"}, "tags"),
    ],
)
def test_bad_contacts_get_a_400_naming_the_field(api, codeteki, payload, field):
    ContactFactory(brand=codeteki, email="dup@x.example")

    response = api.post("/api/crm/contacts/", {"brand": codeteki.pk, **payload}, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_contact_cannot_be_created_in_another_brand(api, seeded):
    response = api.post("/api/crm/contacts/", {"brand": seeded["desi-firms"].pk, "email": "x@y.example"})

    assert response.status_code == 400
    assert "brand" in response.json()


def test_contacts_are_searched_and_filtered(api, codeteki):
    ContactFactory(brand=codeteki, email="ann@x.example", company="Harbour Dental", tags=["health"])
    ContactFactory(brand=codeteki, email="bo@x.example", company="Bakehouse", contact_type="backlink_target")

    def emails(query):
        return [c["email"] for c in api.get(f"/api/crm/contacts/?{query}").json()["results"]]

    assert emails("search=harbour") == ["ann@x.example"]
    assert emails("tag=health") == ["ann@x.example"]
    assert emails("contact_type=backlink_target") == ["bo@x.example"]
    assert emails("brand=codeteki&ordering=email") == ["ann@x.example", "bo@x.example"]


def test_a_contact_is_patched_but_never_moved_to_another_brand(api, codeteki, seeded):
    contact = ContactFactory(brand=codeteki)

    response = api.patch(
        f"/api/crm/contacts/{contact.pk}/", {"company": "New Co", "brand": seeded["desi-firms"].pk}, format="json"
    )

    assert response.status_code == 200
    contact.refresh_from_db()
    assert (contact.company, contact.brand) == ("New Co", codeteki)


# --- deals ----------------------------------------------------------------------------------


def test_a_deal_is_created_in_the_first_stage(api, codeteki, sales):
    contact = ContactFactory(brand=codeteki)

    response = api.post("/api/crm/deals/", {"contact": str(contact.pk), "pipeline": sales.pk, "value": "2500.00"})

    assert response.status_code == 201, response.json()
    assert response.json()["stage_name"] == "New Lead"
    assert Deal.objects.get().activities.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pipeline": "other-brand"}, "pipeline"),
        ({"current_stage": "other-pipeline"}, "current_stage"),
        ({"current_stage": "won"}, "current_stage"),
        ({"value": "-5"}, "value"),
        ({"contact": "twice"}, "contact"),
    ],
)
def test_bad_deals_get_a_400_naming_the_field(api, codeteki, sales, seeded, change, field):
    contact = ContactFactory(brand=codeteki)
    backlink = codeteki.pipelines.get(slug="backlink")
    values = {
        "other-brand": seeded["desi-firms"].pipelines.get(slug="sales").pk,
        "other-pipeline": backlink.first_stage().pk,
        "won": sales.stages.get(name="Won").pk,
    }
    payload = {"contact": str(contact.pk), "pipeline": sales.pk}
    if change.get("contact") == "twice":
        api.post("/api/crm/deals/", payload)
    else:
        payload.update({key: values.get(value, value) for key, value in change.items()})

    response = api.post("/api/crm/deals/", payload)

    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_move_stage_goes_through_the_service(api, sales):
    deal = DealFactory(pipeline=sales, current_stage=sales.first_stage())
    won = sales.stages.get(name="Won")

    response = api.post(f"/api/crm/deals/{deal.pk}/move-stage/", {"stage": won.pk, "reason": "signed"})

    assert response.status_code == 200
    assert (response.json()["stage_name"], response.json()["status"]) == ("Won", "won")
    assert deal.activities.get().description == "New Lead → Won: signed"


def test_move_stage_refuses_a_stage_of_another_pipeline(api, codeteki, sales):
    deal = DealFactory(pipeline=sales, current_stage=sales.first_stage())
    elsewhere = codeteki.pipelines.get(slug="backlink").first_stage()

    response = api.post(f"/api/crm/deals/{deal.pk}/move-stage/", {"stage": elsewhere.pk})

    assert response.status_code == 400
    assert "stage" in response.json()


def test_patch_pauses_and_resumes_but_never_closes(api, sales):
    deal = DealFactory(pipeline=sales, current_stage=sales.first_stage())

    assert api.patch(f"/api/crm/deals/{deal.pk}/", {"status": "paused", "value": "10"}).json()["status"] == "paused"
    assert api.patch(f"/api/crm/deals/{deal.pk}/", {"status": "active"}).json()["status"] == "active"
    refused = api.patch(f"/api/crm/deals/{deal.pk}/", {"status": "won"})
    assert refused.status_code == 400
    assert "status" in refused.json()
    assert api.put(f"/api/crm/deals/{deal.pk}/", {}).status_code == 405


@pytest.mark.parametrize("outcome", [DealStatus.WON, DealStatus.LOST])
@pytest.mark.parametrize("asked", ["paused", "active"])
def test_a_closed_deal_is_neither_paused_nor_resumed_a_400_says_why(api, sales, outcome, asked):
    deal = DealFactory(pipeline=sales, current_stage=sales.first_stage(), status=outcome)

    response = api.patch(f"/api/crm/deals/{deal.pk}/", {"status": asked})

    assert response.status_code == 400
    assert f"this one is {outcome}" in str(response.json()["status"])


def test_deals_are_filtered(api, sales):
    soon = DealFactory(pipeline=sales, current_stage=sales.first_stage(), next_action_date=timezone.now())
    DealFactory(
        pipeline=sales,
        current_stage=sales.stages.get(name="Contacted"),
        status=DealStatus.PAUSED,
        next_action_date=timezone.now() + timedelta(days=10),
    )
    before = (timezone.now() + timedelta(days=1)).isoformat()

    def ids(query):
        return [deal["id"] for deal in api.get("/api/crm/deals/", query).json()["results"]]

    assert ids({"next_action_date_before": before}) == [str(soon.pk)]
    assert ids({"status": "active"}) == [str(soon.pk)]
    assert ids({"stage": sales.first_stage().pk, "pipeline": sales.pk, "brand": "codeteki"}) == [str(soon.pk)]
    bad = api.get("/api/crm/deals/", {"next_action_date_before": "soon", "status": "sleeping"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"next_action_date", "status"}


def test_a_deal_has_an_owner_of_its_brand_and_an_expected_close_date(api, carl, codeteki, sales, seeded):
    # given
    contact = ContactFactory(brand=codeteki)
    outsider = UserFactory(username="desi-only")
    seeded["desi-firms"].members.add(outsider)

    # when
    created = api.post(
        "/api/crm/deals/",
        {"contact": str(contact.pk), "pipeline": sales.pk, "owner": carl.pk, "expected_close_date": "2027-03-31"},
    )
    deal_id = created.json()["id"]
    refused = api.patch(f"/api/crm/deals/{deal_id}/", {"owner": outsider.pk})
    unknown = api.patch(f"/api/crm/deals/{deal_id}/", {"owner": 999999, "expected_close_date": "soon"})
    cleared = api.patch(f"/api/crm/deals/{deal_id}/", {"owner": None})

    # then
    assert created.status_code == 201, created.json()
    assert (created.json()["owner"], created.json()["expected_close_date"]) == (carl.pk, "2027-03-31")
    assert refused.status_code == 400 and "not a staff member of Codeteki" in refused.json()["owner"][0]
    assert unknown.status_code == 400 and set(unknown.json()) == {"owner", "expected_close_date"}
    assert cleared.json()["owner"] is None


def test_deals_are_filtered_by_owner_review_and_expected_close(api, carl, sales):
    mine = DealFactory(pipeline=sales, owner=carl, expected_close_date=timezone.localdate())
    flagged = DealFactory(pipeline=sales, needs_review=True)

    def ids(query):
        return [deal["id"] for deal in api.get("/api/crm/deals/", query).json()["results"]]

    assert ids({"owner": carl.pk}) == [str(mine.pk)]
    assert ids({"needs_review": "true"}) == [str(flagged.pk)]
    assert ids({"expected_close_date_before": timezone.localdate().isoformat()}) == [str(mine.pk)]
    assert api.get("/api/crm/deals/", {"owner": "carl"}).status_code == 400


# --- sequences, AI activity and stats ----------------------------------------------------


def test_sequences_list_their_steps(api):
    sequences = api.get("/api/crm/email-sequences/").json()["results"]

    assert {s["name"] for s in sequences} == {"Sales outreach", "Backlink outreach"}
    assert [step["order"] for step in sequences[0]["steps"]] == [1, 2, 3, 4]


def test_ai_activity_lists_decisions_newest_first_and_per_deal(api, sales):
    deal = DealFactory(pipeline=sales, current_stage=sales.first_stage())
    older = AIDecisionFactory(deal=deal, action_taken="send_email")
    newer = AIDecisionFactory(deal=DealFactory(pipeline=sales, current_stage=sales.first_stage()))

    everything = [d["id"] for d in api.get("/api/crm/ai-activity/").json()["results"]]
    one_deal = [d["id"] for d in api.get(f"/api/crm/ai-activity/{deal.pk}/").json()["results"]]

    assert everything == [str(newer.pk), str(older.pk)]
    assert one_deal == [str(older.pk)]


def test_stats_count_deals_value_outcomes_and_emails(api, sales):
    # given two open deals, one won, and three emails of which one opened and one replied
    first, contacted = sales.first_stage(), sales.stages.get(name="Contacted")
    a = DealFactory(pipeline=sales, current_stage=first, value=1000)
    DealFactory(pipeline=sales, current_stage=contacted, value=500)
    won = DealFactory(pipeline=sales, current_stage=sales.stages.get(name="Won"), status="won", value=700)
    EmailLogFactory(deal=a, opened=True)
    EmailLogFactory(deal=a, replied=True)
    EmailLogFactory(deal=won, sent_at=timezone.now() - timedelta(days=40))  # outside the period
    # when
    stats = api.get("/api/crm/stats/", {"days": 30, "brand": "codeteki", "pipeline": sales.pk}).json()
    # then
    (pipeline,) = stats["pipelines"]
    by_stage = {stage["name"]: (stage["deals"], stage["value"]) for stage in pipeline["stages"]}
    assert by_stage["New Lead"] == (1, "1000.00")
    assert by_stage["Contacted"] == (1, "500.00")
    assert by_stage["Won"] == (1, "700.00")
    assert (pipeline["open_deals"], pipeline["won"], pipeline["lost"], pipeline["win_rate"]) == (2, 1, 0, 1.0)
    assert pipeline["emails"] == {"sent": 2, "opened": 1, "replied": 1, "open_rate": 0.5, "reply_rate": 0.5}


def test_stats_refuse_a_bad_period(api):
    response = api.get("/api/crm/stats/", {"days": "forever"})

    assert response.status_code == 400
    assert "days" in response.json()


# --- constant query counts ----------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/crm/deals/",
        "/api/crm/contacts/",
        "/api/crm/pipelines/",
        "/api/crm/email-sequences/",
        "/api/crm/ai-activity/",
    ],
)
def test_list_endpoints_run_a_constant_number_of_queries(api, sales, url):
    def add_rows(n):
        for _ in range(n):
            deal = DealFactory(pipeline=sales, current_stage=sales.first_stage())
            AIDecisionFactory(deal=deal)

    add_rows(2)
    few = count_queries(api, url + "?page_size=100")
    add_rows(8)
    many = count_queries(api, url + "?page_size=100")

    assert few == many


def test_stats_run_a_constant_number_of_queries(api, sales):
    DealFactory(pipeline=sales, current_stage=sales.first_stage())
    few = count_queries(api, "/api/crm/stats/")
    for _ in range(5):
        EmailLogFactory(deal=DealFactory(pipeline=sales, current_stage=sales.first_stage()))

    assert count_queries(api, "/api/crm/stats/") == few


def test_contacts_list_is_limited_to_the_brands_of_a_new_member(api, carl, seeded):
    ContactFactory(brand=seeded["desi-firms"])
    assert api.get("/api/crm/contacts/").json()["count"] == 0

    seeded["desi-firms"].members.add(carl)

    assert api.get("/api/crm/contacts/").json()["count"] == Contact.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "url", "payload", "field"),
    [
        ("get", "/api/crm/deals/?pipeline=99999999999999999999", None, "pipeline"),
        ("get", "/api/crm/email-sequences/?pipeline=99999999999999999999", None, "pipeline"),
        ("post", "/api/crm/contacts/", {"brand": 99999999999999999999, "email": "a@b.example"}, "brand"),
        ("get", "/api/crm/stats/?pipeline=99999999999999999999", None, "pipeline"),
    ],
)
def test_ids_too_large_for_the_database_are_a_400_naming_the_field(api, codeteki, method, url, payload, field):
    response = getattr(api, method)(url, payload, format="json") if payload else getattr(api, method)(url)

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("encoding", ["form", "multipart"])
def test_a_contact_is_created_from_a_form_encoded_body(api, codeteki, encoding):
    # given the body a script posts with requests.post(url, {...}): form fields, a list as repeated keys
    fields = {"brand": codeteki.pk, "email": "form@x.example", "name": "Form Post", "tags": ["Tech", "SaaS"]}
    # when
    if encoding == "form":
        body = urlencode(fields, doseq=True)
        response = api.post("/api/crm/contacts/", body, content_type="application/x-www-form-urlencoded")
    else:
        response = api.post("/api/crm/contacts/", fields, format="multipart")
    # then
    assert response.status_code == 201, response.json()
    assert (response.json()["email"], response.json()["tags"]) == ("form@x.example", ["tech", "saas"])


def test_a_bad_form_encoded_body_gets_a_400_naming_the_field(api, codeteki):
    body = urlencode({"brand": codeteki.pk, "email": "not-an-email"})

    response = api.post("/api/crm/contacts/", body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert "email" in response.json()


# --- backlink opportunities -----------------------------------------------------------------------

BACKLINKS = "/api/crm/backlink-opportunities/"


@pytest.fixture
def backlink_deal(codeteki):
    pipeline = codeteki.pipelines.get(slug="backlink")
    return DealFactory(pipeline=pipeline, current_stage=pipeline.first_stage(), contact=ContactFactory(brand=codeteki))


def test_an_opportunity_is_created_linked_to_its_deal_and_gets_a_pitch_angle(
    api, codeteki, backlink_deal, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(
            BACKLINKS,
            {
                "brand": codeteki.pk, "target_url": "https://www.cafeblog.example/tools", "domain_authority": 41,
                "our_content_url": "https://codeteki.example/blog/seo-checklist/", "deal": str(backlink_deal.pk),
                "contact": str(backlink_deal.contact.pk),
            },
            format="json",
        )  # fmt: skip
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["target_domain"], body["deal"], body["link_state"]) == (
        "cafeblog.example",
        str(backlink_deal.pk),
        "unchecked",
    )
    assert body["deal_stage"] == backlink_deal.current_stage.name
    assert len(callbacks) == 1  # the pitch angle, written by a worker
    write_backlink_pitch(body["id"])
    angle = api.get(f"{BACKLINKS}{body['id']}/").json()["outreach_angle"]
    assert "cafeblog.example" in angle and "SEO checklist" in angle


def test_an_opportunity_is_created_from_a_form_post(api, codeteki):
    body = urlencode({"brand": codeteki.pk, "target_url": "https://blog.example/post", "outreach_angle": "Ours"})

    response = api.post(BACKLINKS, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 201, response.json()
    assert response.json()["outreach_angle"] == "Ours"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target_url": "not a url"}, "target_url"),
        ({"target_url": "https://taken.example/"}, "target_url"),
        ({"status": "placed"}, "our_content_url"),
        ({"status": "gone"}, "status"),
        ({"domain_authority": 101}, "domain_authority"),
        ({"contact": "other-brand"}, "contact"),
        ({"deal": "other-brand"}, "deal"),
        ({"deal": "00000000-0000-0000-0000-000000000000"}, "deal"),
    ],
)
def test_bad_opportunities_get_a_400_naming_the_field(api, codeteki, seeded, change, field):
    BacklinkOpportunity.objects.create(
        brand=codeteki, target_url="https://taken.example/", target_domain="taken.example"
    )
    desi = seeded["desi-firms"]
    desi_pipeline = desi.pipelines.get(slug="sales")
    others = {
        "contact": str(ContactFactory(brand=desi).pk),
        "deal": str(DealFactory(pipeline=desi_pipeline, current_stage=desi_pipeline.first_stage()).pk),
    }
    payload = {"brand": codeteki.pk, "target_url": "https://new.example/", **change}
    for name in ("contact", "deal"):
        if payload.get(name) == "other-brand":
            payload[name] = others[name]

    response = api.post(BACKLINKS, payload, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_verify_queues_a_check_of_a_placed_link_only(api, codeteki):
    new = BacklinkOpportunity.objects.create(brand=codeteki, target_url="https://a.example/", target_domain="a.example")
    placed = BacklinkOpportunity.objects.create(
        brand=codeteki, target_url="https://b.example/", target_domain="b.example", status="placed",
        our_content_url="https://codeteki.example/",
    )  # fmt: skip

    refused = api.post(f"{BACKLINKS}{new.pk}/verify/")
    queued = api.post(f"{BACKLINKS}{placed.pk}/verify/")

    assert (refused.status_code, queued.status_code) == (400, 202)
    assert "status" in refused.json()
    assert queued.json() == {"status": "queued", "id": placed.pk}


def test_marking_a_link_placed_checks_it_after_the_commit(api, codeteki, django_capture_on_commit_callbacks):
    opportunity = BacklinkOpportunity.objects.create(
        brand=codeteki, target_url="https://a.example/", target_domain="a.example", outreach_angle="set"
    )

    with django_capture_on_commit_callbacks() as callbacks:
        response = api.patch(
            f"{BACKLINKS}{opportunity.pk}/",
            {"status": "placed", "our_content_url": "https://codeteki.example/x"},
            format="json",
        )

    assert response.status_code == 200, response.json()
    assert len(callbacks) == 1
    opportunity.refresh_from_db()
    assert opportunity.link_check_due_at is not None


def test_opportunities_are_filtered_and_scoped_to_the_user_s_brands(api, codeteki, seeded):
    BacklinkOpportunity.objects.create(
        brand=codeteki, target_url="https://a.example/", target_domain="a.example", link_state="missing"
    )
    BacklinkOpportunity.objects.create(brand=codeteki, target_url="https://b.example/", target_domain="b.example")
    theirs = BacklinkOpportunity.objects.create(
        brand=seeded["desi-firms"], target_url="https://c.example/", target_domain="c.example"
    )

    missing = api.get(BACKLINKS, {"link_state": "missing"}).json()["results"]
    everything = api.get(BACKLINKS).json()["results"]

    assert [o["target_domain"] for o in missing] == ["a.example"]
    assert {o["target_domain"] for o in everything} == {"a.example", "b.example"}
    assert api.get(f"{BACKLINKS}{theirs.pk}/").status_code == 404
    assert api.get(BACKLINKS, {"link_state": "maybe"}).status_code == 400
