import logging
from datetime import UTC, datetime, timedelta

import pytest

from integrations.zoho.crm import ATTACHMENT_FIELDS, ZohoCRM, crm_credentials
from integrations.zoho.errors import ZohoError
from tests.fakes import zoho_crm as fake
from tests.fakes.server import Response

CONTACT = r"/crm/v8/Contacts/\d+"


def crm() -> ZohoCRM:
    credentials = crm_credentials()
    assert credentials is not None
    return ZohoCRM(credentials)


def test_get_record_returns_the_record_as_zoho_sends_it(fake_zoho_crm):
    # given
    contact_id = fake_zoho_crm.add_contact(
        First_Name="Ama", Last_Name="Mensah", Email="ama@x.example", Account_Name="Acme", Work_Policy="Hybrid"
    )

    # when
    record = crm().get_record("Contacts", contact_id)

    # then
    assert record is not None
    assert (record["id"], record["Full_Name"], record["Work_Policy"]) == (contact_id, "Ama Mensah", "Hybrid")
    assert len(record["id"]) == 19
    assert set(record["Account_Name"]) == {"name", "id"}
    assert record["Phone"] is None
    assert datetime.fromisoformat(record["Created_Time"]).utcoffset() == timedelta(hours=5, minutes=30)
    request = fake_zoho_crm.received("GET", CONTACT)[0]
    assert request.headers["authorization"].startswith("Zoho-oauthtoken 1000.fake-access-")


def test_a_record_of_a_custom_module_is_read_the_same_way(fake_zoho_crm):
    # given
    role_id = fake_zoho_crm.add_record("Job_Openings", Name="Data Engineer", Industry="Fintech")

    # when
    record = crm().get_record("Job_Openings", role_id)

    # then
    assert record is not None
    assert (record["Name"], record["Industry"]) == ("Data Engineer", "Fintech")


@pytest.mark.parametrize(
    ("missing_record", "record_id"),
    [("no_content", "5725767000000999001"), ("invalid_data", "5725767000000999001"), ("no_content", "not-an-id")],
)
def test_a_record_that_does_not_exist_is_none(fake_zoho_crm, missing_record, record_id):
    # given
    fake_zoho_crm.missing_record = missing_record

    # when
    record = crm().get_record("Contacts", record_id)

    # then
    assert record is None


def test_an_unknown_module_is_an_error_and_not_a_missing_record(fake_zoho_crm):
    # when
    with pytest.raises(ZohoError) as raised:
        crm().get_record("Contactz", "5725767000000999001")

    # then
    assert (raised.value.status, raised.value.code, raised.value.retryable) == (400, "INVALID_MODULE", False)
    assert "the module name given seems to be invalid" in str(raised.value)


def test_attachments_are_listed_across_pages_with_the_fields_zoho_requires(fake_zoho_crm):
    # given
    contact_id = fake_zoho_crm.add_contact(Last_Name="Mensah")
    created = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    ids = [
        fake_zoho_crm.add_attachment("Contacts", contact_id, f"cv-{n}.pdf", b"%PDF" * n, created_time=created)
        for n in range(1, 206)
    ]

    # when
    attachments = crm().list_attachments("Contacts", contact_id)

    # then
    assert [a.id for a in attachments] == ids
    first = attachments[0]
    assert (first.file_name, first.size, first.created_time, first.link_url) == ("cv-1.pdf", 4, created, "")
    requests = fake_zoho_crm.received("GET", CONTACT + "/Attachments")
    assert [r.arg("page") for r in requests] == ["1", "2"]
    assert requests[0].arg("fields") == ",".join(ATTACHMENT_FIELDS)


def test_a_link_attachment_is_listed_with_its_url(fake_zoho_crm):
    # given
    contact_id = fake_zoho_crm.add_contact(Last_Name="Mensah")
    fake_zoho_crm.add_attachment("Contacts", contact_id, "Portfolio", b"", link_url="https://portfolio.example/ama")

    # when
    (attachment,) = crm().list_attachments("Contacts", contact_id)

    # then
    assert (attachment.link_url, attachment.size) == ("https://portfolio.example/ama", None)


def test_a_record_without_attachments_lists_none(fake_zoho_crm):
    # given
    contact_id = fake_zoho_crm.add_contact(Last_Name="Mensah")
    removed = fake_zoho_crm.add_attachment("Contacts", contact_id, "cv.pdf", b"%PDF")
    fake_zoho_crm.remove_attachment(removed)

    # when
    attachments = crm().list_attachments("Contacts", contact_id)

    # then
    assert attachments == []


def test_the_fake_refuses_an_attachment_list_without_fields_as_zoho_does(fake_zoho_crm):
    # given
    contact_id = fake_zoho_crm.add_contact(Last_Name="Mensah")
    client = crm()

    # when
    response = client.session.get(
        f"{client.base_url}/Contacts/{contact_id}/Attachments",
        headers={"Authorization": f"Zoho-oauthtoken {client.oauth.access_token()}"},
    )

    # then
    assert response.status_code == 400
    assert response.json() == {
        "code": "REQUIRED_PARAM_MISSING",
        "details": {"param": "fields"},
        "message": "One of the expected parameter is missing",
        "status": "error",
    }


def test_download_returns_the_bytes_named_by_content_disposition(fake_zoho_crm):
    # given
    contact_id = fake_zoho_crm.add_contact(Last_Name="Mensah")
    attachment_id = fake_zoho_crm.add_attachment("Contacts", contact_id, "cv.pdf", b"%PDF-1.7 cv")

    # when
    downloaded = crm().download_attachment("Contacts", contact_id, attachment_id, max_bytes=1000)

    # then
    assert (downloaded.file_name, downloaded.content_type, downloaded.content) == (
        "cv.pdf",
        "application/pdf",
        b"%PDF-1.7 cv",
    )
    assert fake_zoho_crm.downloads[attachment_id] == 1


def test_download_reads_an_rfc_6266_utf8_file_name(fake_zoho_crm):
    # given
    contact_id = fake_zoho_crm.add_contact(Last_Name="Ünal")
    attachment_id = fake_zoho_crm.add_attachment(
        "Contacts", contact_id, "Lebenslauf Ünal.docx", b"PK", content_type="application/msword"
    )

    # when
    downloaded = crm().download_attachment("Contacts", contact_id, attachment_id, max_bytes=1000)

    # then
    assert downloaded.file_name == "Lebenslauf Ünal.docx"


@pytest.mark.parametrize(
    ("disposition", "name"),
    [
        ('attachment; filename="offer letter.pdf"', "offer letter.pdf"),
        ("attachment; filename=offer.pdf", "offer.pdf"),
        ('attachment; filename="say \\"hi\\".txt"', 'say "hi".txt'),
        ("attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf; filename=\"EUR rates.pdf\"", "€ rates.pdf"),
        ("attachment; filename*=utf-8'en'na%C3%AFve.pdf", "naïve.pdf"),
        ("attachment; filename=\"fallback.pdf\"; filename*=UTF-8''%FF%FE", "fallback.pdf"),
    ],
)
def test_download_names_the_file_as_rfc_6266_says(fake_zoho_crm, disposition, name):
    # given
    contact_id = fake_zoho_crm.add_contact(Last_Name="Mensah")
    attachment_id = fake_zoho_crm.add_attachment("Contacts", contact_id, "cv.pdf", b"%PDF")
    answer = Response(200, b"%PDF", {"Content-Type": "application/pdf", "Content-Disposition": disposition})
    fake_zoho_crm.fail_next("GET", CONTACT + r"/Attachments/\d+", answer)

    # when
    downloaded = crm().download_attachment("Contacts", contact_id, attachment_id, max_bytes=1000)

    # then
    assert downloaded.file_name == name


def test_download_without_content_disposition_takes_the_callers_name(fake_zoho_crm):
    # given
    contact_id = fake_zoho_crm.add_contact(Last_Name="Mensah")
    attachment_id = fake_zoho_crm.add_attachment("Contacts", contact_id, "cv.pdf", b"%PDF")
    fake_zoho_crm.fail_next("GET", CONTACT + r"/Attachments/\d+", Response(200, b"%PDF", {"Content-Type": "x/y"}))

    # when
    downloaded = crm().download_attachment(
        "Contacts", contact_id, attachment_id, max_bytes=1000, file_name="../../etc/cv.pdf"
    )

    # then
    assert (downloaded.file_name, downloaded.content_type) == ("cv.pdf", "x/y")


def test_a_file_over_the_size_cap_is_refused_and_retrying_will_not_help(fake_zoho_crm):
    # given
    contact_id = fake_zoho_crm.add_contact(Last_Name="Mensah")
    attachment_id = fake_zoho_crm.add_attachment("Contacts", contact_id, "video.mp4", b"x" * 5000)

    # when
    with pytest.raises(ZohoError) as raised:
        crm().download_attachment("Contacts", contact_id, attachment_id, max_bytes=4999)

    # then
    assert (raised.value.code, raised.value.retryable) == ("FILE_TOO_LARGE", False)


def test_a_link_attachment_cannot_be_downloaded_and_retrying_will_not_help(fake_zoho_crm):
    # given
    contact_id = fake_zoho_crm.add_contact(Last_Name="Mensah")
    link_id = fake_zoho_crm.add_attachment("Contacts", contact_id, "Portfolio", b"", link_url="https://p.example")

    # when
    with pytest.raises(ZohoError) as raised:
        crm().download_attachment("Contacts", contact_id, link_id, max_bytes=1000)

    # then
    assert (raised.value.status, raised.value.code, raised.value.retryable) == (400, "DOWNLOAD_NOT_ALLOWED", False)
    assert fake_zoho_crm.downloads[link_id] == 0


def test_an_expired_token_is_refreshed_once_and_the_call_repeated(fake_zoho_crm):
    # given
    contact_id = fake_zoho_crm.add_contact(Last_Name="Mensah")
    client = crm()
    client.get_record("Contacts", contact_id)
    fake_zoho_crm.expire_tokens()

    # when
    record = client.get_record("Contacts", contact_id)

    # then
    assert record is not None
    assert fake_zoho_crm.token_grants == 2
    assert len(fake_zoho_crm.received("GET", CONTACT)) == 3


def test_a_token_refused_twice_is_not_refreshed_again(fake_zoho_crm):
    # given
    contact_id = fake_zoho_crm.add_contact(Last_Name="Mensah")
    fake_zoho_crm.fail_next_crm(401, times=2)

    # when
    with pytest.raises(ZohoError) as raised:
        crm().get_record("Contacts", contact_id)

    # then
    assert (raised.value.status, raised.value.code, raised.value.retryable) == (401, "INVALID_TOKEN", False)
    assert fake_zoho_crm.token_grants == 2
    assert len(fake_zoho_crm.received("GET", CONTACT)) == 2


def test_too_many_requests_is_retryable_after_the_time_zoho_asks(fake_zoho_crm):
    # given: a wait longer than the session's own retries will sit out
    contact_id = fake_zoho_crm.add_contact(Last_Name="Mensah")
    fake_zoho_crm.fail_next_crm(429, retry_after=30)

    # when
    with pytest.raises(ZohoError) as raised:
        crm().list_attachments("Contacts", contact_id)

    # then
    assert (raised.value.status, raised.value.code) == (429, "TOO_MANY_REQUESTS")
    assert (raised.value.retryable, raised.value.retry_after) == (True, 30.0)


def test_a_server_error_is_retryable(fake_zoho_crm):
    # given
    contact_id = fake_zoho_crm.add_contact(Last_Name="Mensah")
    fake_zoho_crm.fail_next_crm(500)

    # when
    with pytest.raises(ZohoError) as raised:
        crm().get_record("Contacts", contact_id)

    # then
    assert (raised.value.status, raised.value.code, raised.value.retryable) == (500, "INTERNAL_ERROR", True)
    assert raised.value.retry_after is None


def test_an_unreachable_crm_is_retryable(fake_zoho_crm, settings):
    # given
    settings.ZOHO_CRM_BASE_URL = "http://127.0.0.1:9"

    # when
    with pytest.raises(ZohoError) as raised:
        crm().get_record("Contacts", "5725767000000999001")

    # then
    assert raised.value.retryable is True
    assert raised.value.status is None


def test_a_crm_too_slow_to_answer_is_retryable(fake_zoho_crm, settings):
    # given
    settings.HTTP_TIMEOUT_SECONDS = 0.2
    contact_id = fake_zoho_crm.add_contact(Last_Name="Mensah")
    client = crm()
    client.oauth.access_token()
    fake_zoho_crm.delay = 0.5

    # when
    with pytest.raises(ZohoError) as raised:
        client.get_record("Contacts", contact_id)

    # then
    assert raised.value.retryable is True


def test_list_records_pages_through_a_module_with_only_the_fields_asked(fake_zoho_crm):
    # given
    ids = {fake_zoho_crm.add_contact(Last_Name=f"Person {n}", Email=f"p{n}@x.example") for n in range(450)}

    # when
    records = list(crm().list_records("Contacts", fields=["Last_Name", "Email"]))

    # then
    assert {r["id"] for r in records} == ids
    assert set(records[0]) == {"id", "Last_Name", "Email"}
    requests = fake_zoho_crm.received("GET", "/crm/v8/Contacts")
    assert [(r.arg("page"), r.arg("per_page")) for r in requests] == [("1", "200"), ("2", "200"), ("3", "200")]


@pytest.mark.parametrize(("per_page", "pages_by_number"), [(200, 10), (150, 13)])
def test_list_records_goes_on_with_page_token_past_the_first_2000(fake_zoho_crm, per_page, pages_by_number):
    # given
    ids = {fake_zoho_crm.add_contact(Last_Name=f"Person {n}") for n in range(2050)}

    # when
    records = list(crm().list_records("Contacts", fields=["Last_Name"], per_page=per_page))

    # then
    assert {r["id"] for r in records} == ids
    assert len(records) == 2050
    requests = fake_zoho_crm.received("GET", "/crm/v8/Contacts")
    assert [r.arg("page") for r in requests[:pages_by_number]] == [str(n) for n in range(1, pages_by_number + 1)]
    assert all(r.arg("page_token") and r.arg("page") is None for r in requests[pages_by_number:])


def test_a_page_limit_drawn_lower_than_documented_is_passed_with_the_page_token(fake_zoho_crm):
    # given
    fake_zoho_crm.discrete_limit = 4
    ids = {fake_zoho_crm.add_contact(Last_Name=f"Person {n}") for n in range(7)}

    # when
    records = list(crm().list_records("Contacts", fields=["Last_Name"], per_page=2))

    # then
    assert {r["id"] for r in records} == ids
    requests = fake_zoho_crm.received("GET", "/crm/v8/Contacts")
    assert [r.arg("page") for r in requests] == ["1", "2", "3", None, None]


def test_a_page_past_the_limit_without_a_token_is_an_error_not_a_silent_cut(fake_zoho_crm):
    # given: more records, but no next_page_token to reach them (as v2 answered)
    fake_zoho_crm.discrete_limit = 2
    for n in range(3):
        fake_zoho_crm.add_contact(Last_Name=f"Person {n}")
    page_one = {"data": [{"id": "5725767000000700001"}], "info": {"more_records": True, "next_page_token": None}}
    fake_zoho_crm.fail_next("GET", "/crm/v8/Contacts", Response(200, page_one))

    # when
    with pytest.raises(ZohoError) as raised:
        list(crm().list_records("Contacts", fields=["Last_Name"], per_page=2))

    # then
    assert (raised.value.code, raised.value.retryable) == ("DISCRETE_PAGINATION_LIMIT_EXCEEDED", False)


def test_list_records_sends_if_modified_since_and_nothing_newer_is_nothing(fake_zoho_crm):
    # given
    old = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
    fake_zoho_crm.add_contact(Last_Name="Old", Modified_Time=old)
    fresh_id = fake_zoho_crm.add_contact(Last_Name="Fresh", Modified_Time=old + timedelta(days=5))
    client = crm()

    # when
    changed = list(client.list_records("Contacts", fields=["Last_Name"], modified_since=old + timedelta(days=1)))
    unchanged = list(client.list_records("Contacts", fields=["Last_Name"], modified_since=old + timedelta(days=9)))

    # then
    assert [r["id"] for r in changed] == [fresh_id]
    assert unchanged == []
    request = fake_zoho_crm.received("GET", "/crm/v8/Contacts")[0]
    assert request.headers["if-modified-since"] == "2026-01-11T08:00:00+00:00"


def test_an_empty_module_lists_nothing(fake_zoho_crm):
    # when
    records = list(crm().list_records("Contacts", fields=["Last_Name"]))

    # then
    assert records == []


def test_list_records_refuses_arguments_zoho_would_reject(fake_zoho_crm):
    client = crm()

    with pytest.raises(ValueError, match="fields"):
        client.list_records("Contacts", fields=[])
    with pytest.raises(ValueError, match="per_page"):
        client.list_records("Contacts", fields=["Email"], per_page=201)
    with pytest.raises(ValueError, match="timezone"):
        client.list_records("Contacts", fields=["Email"], modified_since=datetime(2026, 1, 1))


def test_crm_credentials_come_from_settings_and_are_none_when_incomplete(settings):
    # given
    settings.ZOHO_CRM_CLIENT_ID, settings.ZOHO_CRM_CLIENT_SECRET = "1000.ID", "secret"
    settings.ZOHO_CRM_REFRESH_TOKEN, settings.ZOHO_CRM_API_DOMAIN = "1000.refresh", "zoho.eu"

    # when
    complete = crm_credentials()
    settings.ZOHO_CRM_REFRESH_TOKEN = ""
    incomplete = crm_credentials()

    # then
    assert complete is not None
    assert (complete.client_id, complete.refresh_token, complete.api_domain) == ("1000.ID", "1000.refresh", "zoho.eu")
    assert incomplete is None


def test_credentials_and_tokens_never_show_in_repr_or_logs(fake_zoho_crm, caplog):
    # given
    caplog.set_level(logging.DEBUG)
    contact_id = fake_zoho_crm.add_contact(Last_Name="Mensah")
    client = crm()

    # when
    client.get_record("Contacts", contact_id)
    fake_zoho_crm.fail_next_crm(500)
    with pytest.raises(ZohoError) as raised:
        client.get_record("Contacts", contact_id)

    # then
    shown = repr(client) + repr(client.credentials) + caplog.text + str(raised.value)
    assert fake.CLIENT_SECRET not in shown
    assert fake.REFRESH_TOKEN not in shown
    assert "fake-access" not in shown
