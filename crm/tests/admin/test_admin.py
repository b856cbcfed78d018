import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.models import ActivityType, Brand, Contact, ContactImport, Deal, DealStatus, ImportStatus
from crm.services.imports import contact_import_process
from crm.tests.factories import AIDecisionFactory, ContactFactory, DealFactory, EmailLogFactory
from crm_site import claims
from crm_site.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

admin.autodiscover()  # as the admin's URLs do; a process that never serves the admin skips it
CRM_MODELS = [model for model in apps.get_app_config("crm").get_models() if admin.site.is_registered(model)]


def changelist(model) -> str:
    return f"/admin/crm/{model._meta.model_name}/"


@pytest.fixture
def demo(seeded):
    from crm.demo import seed_demo

    seed_demo()


def test_every_crm_page_renders(admin_client, demo):
    # one demo data set for every page (seeding it is most of the time)
    answers = {}
    for model in CRM_MODELS:
        listing = admin_client.get(changelist(model)).status_code
        add = admin_client.get(changelist(model) + "add/").status_code
        obj = model.objects.first()
        change = admin_client.get(f"{changelist(model)}{obj.pk}/change/").status_code if obj is not None else 200
        answers[model.__name__] = (listing, 200 if add == 403 else add, change)  # logs have no add page

    assert {name: codes for name, codes in answers.items() if codes != (200, 200, 200)} == {}
    assert len(answers) == len(CRM_MODELS) > 10


def _add_rows(sales, n):
    for _ in range(n):
        deal = DealFactory(pipeline=sales, current_stage=sales.first_stage())
        EmailLogFactory(deal=deal)
        AIDecisionFactory(deal=deal)


@pytest.mark.parametrize("model", CRM_MODELS, ids=lambda m: m.__name__)
def test_changelists_run_a_constant_number_of_queries(admin_client, sales, model):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(changelist(model)).status_code == 200
        return len(captured)

    _add_rows(sales, 2)
    few = queries()
    _add_rows(sales, 6)

    assert queries() == few


# --- brands: write-only secrets ------------------------------------------------------------


def brand_form(brand: Brand, **changes) -> dict:
    data = {
        "name": brand.name, "slug": brand.slug, "is_active": "on", "from_email": brand.from_email,
        "from_name": brand.from_name, "reply_to_email": "", "zoho_api_domain": brand.zoho_api_domain,
        "zoho_account_id": "", "zoho_client_id": "1000.CLIENT", "zoho_client_secret": "", "zoho_refresh_token": "",
        "ai_company_description": "", "ai_value_proposition": "", "timezone": brand.timezone,
        "send_window_start": "09:00", "send_window_end": "17:00", "send_weekdays": ["0", "1", "2"],
        "hourly_send_cap": "20", "daily_send_cap": "150", "currency": brand.currency,
    }  # fmt: skip
    data.update(changes)
    return data


def test_brand_secrets_are_never_shown_and_a_blank_field_keeps_them(admin_client, codeteki):
    # given stored credentials
    url = f"/admin/crm/brand/{codeteki.pk}/change/"
    admin_client.post(url, brand_form(codeteki, zoho_client_secret="top-secret-1", zoho_refresh_token="1000.rt-2"))
    # when the page is shown and saved again with the secret fields left blank
    page = admin_client.get(url).content.decode()
    response = admin_client.post(url, brand_form(codeteki, send_weekdays=["0", "1", "2", "3", "4"]))
    # then
    assert "top-secret-1" not in page
    assert "1000.rt-2" not in page
    assert "stored" in page
    assert response.status_code == 302
    codeteki.refresh_from_db()
    assert (codeteki.zoho_client_secret, codeteki.zoho_refresh_token) == ("top-secret-1", "1000.rt-2")
    assert codeteki.send_weekdays == [0, 1, 2, 3, 4]


def test_a_half_open_send_window_is_refused(admin_client, codeteki):
    response = admin_client.post(f"/admin/crm/brand/{codeteki.pk}/change/", brand_form(codeteki, send_window_end=""))

    assert response.status_code == 200
    assert "both ends of the sending window" in response.content.decode()


# --- deals: bulk actions and the change form ------------------------------------------------


def test_move_to_stage_offers_the_pipeline_s_stages_and_moves_the_deals(admin_client, sales):
    deals = [DealFactory(pipeline=sales, current_stage=sales.first_stage()) for _ in range(2)]
    selection = {"action": "move_to_stage", "_selected_action": [str(d.pk) for d in deals]}

    form = admin_client.post("/admin/crm/deal/", selection).content.decode()
    target = sales.stages.get(name="Qualified")
    done = admin_client.post("/admin/crm/deal/", {**selection, "apply": "1", "stage": target.pk}, follow=True)

    assert re.findall(r'<option value="\d+">([^<]+)</option>', form) == list(
        sales.stages.values_list("name", flat=True)
    )
    assert "Moved 2 deal(s) to Qualified" in done.content.decode()
    assert set(Deal.objects.values_list("current_stage__name", flat=True)) == {"Qualified"}
    assert all(d.activities.filter(activity_type=ActivityType.STAGE_CHANGED).exists() for d in deals)


def test_deals_of_two_pipelines_cannot_be_moved_together(admin_client, codeteki, sales):
    backlink = codeteki.pipelines.get(slug="backlink")
    deals = [
        DealFactory(pipeline=sales, current_stage=sales.first_stage()),
        DealFactory(pipeline=backlink, current_stage=backlink.first_stage()),
    ]

    response = admin_client.post(
        "/admin/crm/deal/", {"action": "move_to_stage", "_selected_action": [str(d.pk) for d in deals]}, follow=True
    )

    assert "Select deals of one pipeline" in response.content.decode()


def test_pause_and_resume(admin_client, sales):
    deal = DealFactory(pipeline=sales, current_stage=sales.first_stage())
    selection = {"_selected_action": [str(deal.pk)]}

    admin_client.post("/admin/crm/deal/", {**selection, "action": "pause_deals"})
    assert Deal.objects.get().status == DealStatus.PAUSED
    admin_client.post("/admin/crm/deal/", {**selection, "action": "resume_deals"})
    assert Deal.objects.get().status == DealStatus.ACTIVE


def test_changing_the_stage_on_the_deal_page_records_it(admin_client, sales):
    deal = DealFactory(pipeline=sales, current_stage=sales.first_stage())
    engaged = sales.stages.get(name="Engaged")

    response = admin_client.post(
        f"/admin/crm/deal/{deal.pk}/change/",
        {
            "current_stage": engaged.pk, "value": "900", "ai_notes": "", "next_action_date_0": "",
            "next_action_date_1": "", **_empty_inlines(),
        },
    )  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:2000]
    deal.refresh_from_db()
    assert (deal.current_stage, deal.value) == (engaged, 900)
    assert deal.activities.get().activity_type == ActivityType.STAGE_CHANGED


def test_a_stage_changed_on_the_deal_page_makes_the_deal_due_as_a_move_does(admin_client, sales):
    # given a deal waiting for nothing (no next action date)
    deal = DealFactory(pipeline=sales, current_stage=sales.first_stage(), next_action_date=None)
    engaged = sales.stages.get(name="Engaged")
    # when a person moves it on its page, leaving the date as it was
    admin_client.post(
        f"/admin/crm/deal/{deal.pk}/change/",
        {
            "current_stage": engaged.pk, "value": "0", "ai_notes": "", "next_action_date_0": "",
            "next_action_date_1": "", **_empty_inlines(),
        },
    )  # fmt: skip
    # then the move's next action date stands (the autopilot looks at it now), not the form's blank
    deal.refresh_from_db()
    assert deal.current_stage == engaged
    assert deal.next_action_date is not None and deal.next_action_date <= timezone.now()


def _empty_inlines() -> dict:
    data = {}
    for prefix in ("emails", "ai_decisions", "tasks", "activities", "documents"):  # documents: the documents app's
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


def test_a_second_open_deal_is_refused_on_the_form(admin_client, sales):
    deal = DealFactory(pipeline=sales, current_stage=sales.first_stage())

    response = admin_client.post(
        "/admin/crm/deal/add/",
        {"contact": str(deal.contact.pk), "pipeline": sales.pk, "current_stage": sales.first_stage().pk, "value": "0"}
        | _empty_inlines(),
    )

    assert response.status_code == 200
    assert "already has an open deal" in response.content.decode()
    assert Deal.objects.count() == 1


def test_staff_see_only_their_brand_in_the_admin(client, sales, seeded):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="crm"))
    sales.brand.members.add(user)
    client.force_login(user)
    mine = DealFactory(pipeline=sales, current_stage=sales.first_stage())
    desi = seeded["desi-firms"].pipelines.get(slug="sales")
    theirs = DealFactory(pipeline=desi, current_stage=desi.first_stage())

    listing = client.get("/admin/crm/deal/").content.decode()

    assert str(mine.contact.email) in listing
    assert str(theirs.contact.email) not in listing
    assert client.get(f"/admin/crm/deal/{theirs.pk}/change/").status_code == 302  # "doesn't exist" redirect


# --- imports ---------------------------------------------------------------------------------

CSV = b"email,name,da\nann@x.example,Ann,10\n=cmd|' /C calc'!A0,Evil,\nbo@x.example,Bo,999\n"


def test_an_uploaded_import_is_processed_and_its_errors_download_safely(
    admin_client, codeteki, sales, django_capture_on_commit_callbacks
):
    # given an upload through the admin
    upload = SimpleUploadedFile("leads.csv", CSV, content_type="text/csv")
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            "/admin/crm/contactimport/add/",
            {
                "brand": codeteki.pk,
                "file": upload,
                "contact_type": "lead",
                "source": "fair",
                "create_deals": "on",
                "pipeline": sales.pk,
            },
        )
    contact_import = ContactImport.objects.get()
    assert response.url == f"/admin/crm/contactimport/{contact_import.pk}/preview/"
    assert (contact_import.status, len(callbacks)) == (ImportStatus.PREVIEW, 0)  # it waits for the preview
    with django_capture_on_commit_callbacks() as callbacks:
        started = admin_client.post(
            response.url, {"width": "3", "col_0": "email", "col_1": "name", "col_2": "domain_authority"}
        )
    assert started.status_code == 302
    assert len(callbacks) == 1  # the task is enqueued once the start is committed
    # when the task's service runs
    contact_import_process(import_id=contact_import.pk)
    # then
    contact_import.refresh_from_db()
    assert contact_import.status == ImportStatus.COMPLETED
    assert (contact_import.created_count, contact_import.failed_count, contact_import.deals_created) == (1, 2, 1)
    assert contact_import.original_filename == "leads.csv"
    page = admin_client.get(f"/admin/crm/contactimport/{contact_import.pk}/change/").content.decode()
    assert "Download the error report" in page
    report = b"".join(admin_client.get(f"/admin/crm/contactimport/{contact_import.pk}/errors.csv").streaming_content)
    lines = report.decode().splitlines()
    assert lines[0] == "line,email,reason"
    assert lines[1].startswith("3,'=cmd|")  # a formula is defused for spreadsheets
    assert lines[2].startswith("4,bo@x.example,")


def test_an_import_is_claimed_once(codeteki):
    contact_import = ContactImport.objects.create(brand=codeteki, file=SimpleUploadedFile("a.csv", CSV))

    assert contact_import_process(import_id=contact_import.pk) is not None
    assert contact_import_process(import_id=contact_import.pk) is None


def test_an_import_a_dead_worker_held_is_taken_up_when_its_lease_runs_out(codeteki):
    # given an import a worker claimed and then died on
    contact_import = ContactImport.objects.create(brand=codeteki, file=SimpleUploadedFile("a.csv", CSV))
    claims.claim_row(ContactImport, contact_import.pk, lease=timedelta(minutes=35), owner="dead-worker")
    ContactImport.objects.filter(pk=contact_import.pk).update(status=ImportStatus.PROCESSING)
    # when another worker tries, before and after the lease ran out
    before = contact_import_process(import_id=contact_import.pk)
    ContactImport.objects.filter(pk=contact_import.pk).update(claim_until=timezone.now() - timedelta(seconds=1))
    after = contact_import_process(import_id=contact_import.pk)
    # then it waited, then finished the import and let go
    contact_import.refresh_from_db()
    assert (before, after is not None) == (None, True)
    assert (contact_import.status, contact_import.claim_owner) == (ImportStatus.COMPLETED, "")


def test_an_unreadable_upload_fails_with_its_reason(codeteki):
    contact_import = ContactImport.objects.create(brand=codeteki, file=SimpleUploadedFile("a.csv", b"name\nAnn\n"))

    contact_import_process(import_id=contact_import.pk)

    contact_import.refresh_from_db()
    assert contact_import.status == ImportStatus.FAILED
    assert "No email column" in contact_import.error_message


def test_an_import_needs_a_pipeline_of_its_brand(admin_client, codeteki, seeded):
    other = seeded["desi-firms"].pipelines.get(slug="sales")

    response = admin_client.post(
        "/admin/crm/contactimport/add/",
        {
            "brand": codeteki.pk,
            "file": SimpleUploadedFile("a.csv", CSV),
            "contact_type": "lead",
            "create_deals": "on",
            "pipeline": other.pk,
        },
    )

    assert response.status_code == 200
    assert "belongs to another brand" in response.content.decode()
    assert not ContactImport.objects.exists()


def test_the_preview_shows_columns_samples_and_what_would_happen_and_a_mapping_corrects_them(admin_client, codeteki):
    # given: a file whose address column has a name nobody guesses, and a contact already there
    ContactFactory(brand=codeteki, email="ann@x.example", name="Ann", company="")
    data = b"Mail,Full Name,Firm\nann@x.example,Ann,Acme\nbo@y.example,Bo,Beta\nnot-an-address,Cy,Gamma\n"
    contact_import = ContactImport.objects.create(
        brand=codeteki, file=SimpleUploadedFile("odd.csv", data), status=ImportStatus.PREVIEW
    )
    url = f"/admin/crm/contactimport/{contact_import.pk}/preview/"

    # when: looked at as detected, then with the mapping corrected
    guessed = admin_client.get(url).content.decode()
    mapped = admin_client.get(url, {"width": "3", "col_0": "email", "col_1": "name", "col_2": "company"})

    # then
    assert "No email column" in guessed and "Start the import" not in guessed
    preview = mapped.context["preview"]
    assert [(s.line, s.verdict) for s in preview.samples] == [
        (2, "Updates the contact: fills its blanks, adds tags"),
        (3, "Creates a new contact"),
        (4, "Skipped: invalid email 'not-an-address'"),
    ]
    report = preview.report
    assert (report.rows, report.created, report.updated, report.skipped, report.failed) == (3, 1, 1, 0, 1)
    assert "Start the import" in mapped.content.decode()
    assert Contact.objects.filter(brand=codeteki).count() == 1  # nothing written


def test_a_mapping_naming_a_column_twice_is_refused_with_why(admin_client, codeteki):
    contact_import = ContactImport.objects.create(
        brand=codeteki, file=SimpleUploadedFile("a.csv", CSV), status=ImportStatus.PREVIEW
    )

    answer = admin_client.post(
        f"/admin/crm/contactimport/{contact_import.pk}/preview/", {"width": "3", "col_0": "email", "col_1": "email"}
    )

    assert answer.status_code == 200
    assert "Email is chosen for two columns" in answer.content.decode()
    contact_import.refresh_from_db()
    assert contact_import.status == ImportStatus.PREVIEW


def test_a_running_import_s_page_refreshes_itself_and_a_finished_one_does_not(admin_client, codeteki):
    running = ContactImport.objects.create(brand=codeteki, file=SimpleUploadedFile("a.csv", CSV))
    done = ContactImport.objects.create(
        brand=codeteki, file=SimpleUploadedFile("b.csv", CSV), status=ImportStatus.COMPLETED
    )

    assert "location.reload" in admin_client.get(f"/admin/crm/contactimport/{running.pk}/change/").content.decode()
    assert "location.reload" not in admin_client.get(f"/admin/crm/contactimport/{done.pk}/change/").content.decode()


# --- dashboard -------------------------------------------------------------------------------


def test_the_dashboard_shows_the_funnel_and_email_figures(admin_client, sales):
    DealFactory(pipeline=sales, current_stage=sales.first_stage(), value=1200)
    deal = DealFactory(pipeline=sales, current_stage=sales.stages.get(name="Contacted"), value=300)
    EmailLogFactory(deal=deal, opened=True)

    response = admin_client.get("/admin/")

    funnel = next(f["figures"] for f in response.context["funnels"] if f["figures"].pipeline_id == sales.pk)
    assert {s.name: s.deals for s in funnel.stages}["Contacted"] == 1
    assert response.context["open_deals"] == 2
    assert response.context["email_cards"][0]["sent"] == 1
    assert 'data-stage="Contacted"' in response.content.decode()


def test_the_dashboard_runs_a_constant_number_of_queries(admin_client, sales):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            admin_client.get("/admin/")
        return len(captured)

    _add_rows(sales, 1)
    few = queries()
    _add_rows(sales, 5)
    ContactFactory()

    assert queries() == few
