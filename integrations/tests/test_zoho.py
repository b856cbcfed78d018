import pytest
from django.core.cache import cache

from integrations.zoho import MailAccount, ZohoCredentials, ZohoError, ZohoMail, ZohoOAuth
from tests.fakes import zoho as fake
from tests.fakes.server import Response


def account(refresh_token: str = fake.REFRESH_TOKEN, secret: str = fake.CLIENT_SECRET) -> MailAccount:
    credentials = ZohoCredentials(fake.CLIENT_ID, secret, refresh_token, "zoho.com.au")
    return MailAccount(credentials, fake.ACCOUNT_ID, "sales@brand.example")


def test_the_access_token_is_cached_until_it_nears_expiry(fake_zoho):
    oauth = ZohoOAuth(account().credentials)

    first, second = oauth.access_token(), oauth.access_token()

    assert first == second
    assert fake_zoho.token_grants == 1
    assert len(fake_zoho.received("POST", "/oauth/v2/token")) == 1


def test_a_revoked_refresh_token_is_an_error_that_says_what_to_do(fake_zoho):
    with pytest.raises(ZohoError, match="invalid_code.*generate a new one") as raised:
        ZohoOAuth(account(refresh_token="1000.revoked").credentials).access_token()

    assert raised.value.retryable is False


def test_wrong_client_credentials_are_reported_even_with_http_200(fake_zoho):
    with pytest.raises(ZohoError, match="invalid_client"):
        ZohoOAuth(account(secret="wrong").credentials).access_token()


def test_an_expired_token_is_refreshed_once_and_the_call_repeated(fake_zoho):
    mail = ZohoMail(account())
    mail.folder_id("Inbox")
    fake_zoho.expire_tokens()
    mail._folders = None

    assert mail.folder_id("Sent") == fake.SENT_ID
    assert fake_zoho.token_grants == 2


def test_send_returns_zoho_s_id_and_the_rfc_message_id(fake_zoho):
    sent = ZohoMail(account()).send(to="ann@x.example", subject="Hello", html="<p>Hi</p>")

    assert sent.message_id.isdigit()
    assert sent.rfc_message_id.startswith("<") and sent.rfc_message_id.endswith("@zohomail.test>")
    request = fake_zoho.received("POST", rf"/api/accounts/{fake.ACCOUNT_ID}/messages")[0]
    assert set(request.json()) == {"fromAddress", "toAddress", "subject", "content", "mailFormat"}
    assert request.headers["authorization"].startswith("Zoho-oauthtoken ")


def test_inbox_listing_headers_and_content(fake_zoho):
    message = fake_zoho.deliver(
        from_address="ann@x.example", subject="Re: Hello", text="Yes please", in_reply_to="<abc@x>"
    )
    mail = ZohoMail(account())

    (summary,) = mail.list_messages(folder_id=mail.folder_id("Inbox"))

    assert (summary.message_id, summary.from_address, summary.subject) == (
        message.message_id,
        "ann@x.example",
        "Re: Hello",
    )
    assert "In-Reply-To: <abc@x>" in mail.headers(folder_id=summary.folder_id, message_id=summary.message_id)
    assert mail.content(folder_id=summary.folder_id, message_id=summary.message_id) == "<div>Yes please</div>"


def test_search_finds_a_sent_message_by_its_key(fake_zoho):
    mail = ZohoMail(account())
    mail.send(to="ann@x.example", subject="Hello", html="<p>Hi</p><p>Ref 0123456789abcdef0123456789abcdef</p>")

    (found,) = mail.search("entire:0123456789abcdef0123456789abcdef")

    assert found.folder_id == fake.SENT_ID


@pytest.mark.parametrize(("status", "retryable"), [(400, False), (429, True), (500, True)])
def test_errors_say_whether_a_retry_can_help(fake_zoho, status, retryable):
    fake_zoho.fail_next("POST", r".*/messages", Response(status, fake.envelope({"errorCode": "X"}, status, "no")))

    with pytest.raises(ZohoError) as raised:
        ZohoMail(account()).send(to="ann@x.example", subject="Hello", html="<p>Hi</p>")

    assert raised.value.retryable is retryable
    assert raised.value.outcome_unknown is False


def test_a_send_that_times_out_has_an_unknown_outcome(fake_zoho, settings):
    settings.HTTP_TIMEOUT_SECONDS = 0.3
    fake_zoho.send_delay = 1.0

    with pytest.raises(ZohoError) as raised:
        ZohoMail(account()).send(to="ann@x.example", subject="Hello", html="<p>Hi</p>")

    assert raised.value.outcome_unknown is True
    assert len(fake_zoho.sent()) == 1  # it did reach Zoho: only the Sent folder can tell


def test_an_unreachable_server_is_retryable_and_nothing_was_sent(settings):
    cache.clear()
    settings.ZOHO_ACCOUNTS_BASE_URL = "http://127.0.0.1:9"

    with pytest.raises(ZohoError) as raised:
        ZohoMail(account()).send(to="ann@x.example", subject="Hello", html="<p>Hi</p>")

    assert raised.value.retryable is True
    assert raised.value.outcome_unknown is False


def test_credentials_never_show_their_secrets():
    assert "secret" not in repr(account().credentials)
    assert fake.REFRESH_TOKEN not in repr(account().credentials)


def test_a_sender_name_goes_into_from_address_quoted(fake_zoho):
    # when
    ZohoMail(account()).send(to="ann@x.example", subject="Hello", html="<p>Hi</p>", from_name='The "Best"\nTeam')
    # then one request, the name quoted on one line before the account's address
    [request] = fake_zoho.received("POST", rf"/api/accounts/{fake.ACCOUNT_ID}/messages")
    assert request.json()["fromAddress"] == '"The \\"Best\\" Team" <sales@brand.example>'


def test_a_refused_sender_name_is_dropped_and_the_message_sent_once(fake_zoho, caplog):
    # given a Zoho that refuses the display-name form (a 400: nothing sent)
    fake_zoho.refuse_display_names = True
    # when
    sent = ZohoMail(account()).send(to="ann@x.example", subject="Hello", html="<p>Hi</p>", from_name="Codeteki")
    # then
    sends = fake_zoho.received("POST", rf"/api/accounts/{fake.ACCOUNT_ID}/messages")
    assert [r.json()["fromAddress"] for r in sends] == ['"Codeteki" <sales@brand.example>', "sales@brand.example"]
    assert sent.message_id.isdigit()
    assert len([m for m in fake_zoho.messages if m.folder_id == fake.SENT_ID]) == 1
    assert "refused a display name" in caplog.text
