import logging
import threading

import pytest

from integrations.chatwoot import Chatwoot, ChatwootContact, ChatwootError, chatwoot_from_settings, label_title_valid
from tests.fakes import chatwoot as fake
from tests.fakes.server import Response

PHONE = "+31612345678"
ACCOUNT = r"/api/v1/accounts/7"
CONVERSATION_LABELS = ACCOUNT + r"/conversations/\d+/labels"


def chatwoot() -> Chatwoot:
    client = chatwoot_from_settings()
    assert client is not None
    return client


def test_create_contact_returns_the_contact_with_integer_ids(fake_chatwoot):
    # when
    contact = chatwoot().create_contact(
        name="Jan Jansen", phone_number=PHONE, identifier="crm-7328", custom_attributes={"zoho_contact_id": "7328"}
    )

    # then
    assert (contact.name, contact.phone_number, contact.identifier) == ("Jan Jansen", PHONE, "crm-7328")
    assert contact.custom_attributes == {"zoho_contact_id": "7328"}
    assert isinstance(contact.id, int)
    assert fake_chatwoot.contacts[contact.id]["phone_number"] == PHONE
    request = fake_chatwoot.received("POST", ACCOUNT + "/contacts")[0]
    assert request.headers["api_access_token"] == fake.API_TOKEN


def test_search_finds_contacts_by_name_a_page_at_a_time(fake_chatwoot):
    # given
    for n in range(17):
        fake_chatwoot.add_contact(name=f"Kandidaat {n}", phone_number=f"+3161234{n:04d}")
    fake_chatwoot.add_contact(name="Someone else", phone_number="+4915112345678")

    # when
    first = chatwoot().search_contacts("kandidaat")
    second = chatwoot().search_contacts("kandidaat", page=2)

    # then
    assert len(first) == 15
    assert [c.name for c in second] == ["Kandidaat 15", "Kandidaat 16"]
    assert fake_chatwoot.received("GET", ACCOUNT + "/contacts/search")[0].query["q"] == ["kandidaat"]


@pytest.mark.parametrize("stored", ["+31612345678", "+316123456789"])
def test_find_contact_by_phone_takes_only_the_exact_number(fake_chatwoot, stored):
    # given: a longer number contains the one asked for, and search matches substrings
    fake_chatwoot.add_contact(name="Jan", phone_number=stored)

    # when
    found = chatwoot().find_contact_by_phone(PHONE)

    # then
    assert (found.phone_number if found else None) == (PHONE if stored == PHONE else None)


def test_find_contact_by_phone_sends_the_plus_encoded_and_then_the_digits(fake_chatwoot):
    # when
    found = chatwoot().find_contact_by_phone(PHONE)

    # then
    assert found is None
    searches = fake_chatwoot.received("GET", ACCOUNT + "/contacts/search")
    assert [r.query["q"] for r in searches] == [[PHONE], [PHONE[1:]]]


def test_find_contact_by_phone_finds_a_contact_created_through_the_client(fake_chatwoot):
    # given
    created = chatwoot().create_contact(name="Jan", phone_number=PHONE)

    # when
    found = chatwoot().find_contact_by_phone(PHONE)

    # then
    assert found == created
    assert len(fake_chatwoot.received("GET", ACCOUNT + "/contacts/search")) == 1


def test_find_contact_by_phone_refuses_a_number_that_is_not_e164(fake_chatwoot):
    with pytest.raises(ValueError, match="E.164"):
        chatwoot().find_contact_by_phone("0612345678")


def test_creating_a_contact_whose_phone_is_taken_says_taken_so_the_caller_searches_again(fake_chatwoot):
    # given
    fake_chatwoot.add_contact(name="Jan", phone_number=PHONE)

    # when
    with pytest.raises(ChatwootError) as raised:
        chatwoot().create_contact(name="Jan again", phone_number=PHONE)

    # then
    assert (raised.value.code, raised.value.status, raised.value.retryable) == ("taken", 422, False)
    assert "Phone number has already been taken" in str(raised.value)
    assert "phone_number" in str(raised.value)


def test_two_workers_creating_one_contact_at_once_get_one_contact_and_one_taken(fake_chatwoot):
    # given: the fake holds each creation long enough for the other to arrive
    fake_chatwoot.delay = 0.2
    outcomes: list[object] = []

    def create() -> None:
        try:
            outcomes.append(chatwoot().create_contact(name="Jan", phone_number=PHONE))
        except ChatwootError as exc:
            outcomes.append(exc.code)

    # when
    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    created = [outcome for outcome in outcomes if isinstance(outcome, ChatwootContact)]
    assert (len(created), outcomes.count("taken")) == (1, 1)
    assert list(fake_chatwoot.contacts) == [created[0].id]


def test_a_phone_number_that_is_not_e164_is_invalid(fake_chatwoot):
    # when
    with pytest.raises(ChatwootError) as raised:
        chatwoot().create_contact(name="Jan", phone_number="0612345678")

    # then
    assert (raised.value.code, raised.value.status, raised.value.retryable) == ("invalid", 422, False)
    assert "Phone number should be in e164 format" in str(raised.value)
    assert fake_chatwoot.contacts == {}


def test_update_merges_custom_attributes_into_the_existing_ones(fake_chatwoot):
    # given
    contact = chatwoot().create_contact(
        name="Jan", phone_number=PHONE, custom_attributes={"zoho_contact_id": "7328", "stage": "new"}
    )

    # when
    updated = chatwoot().update_contact_attributes(contact.id, {"stage": "interviewing", "role": "data"})

    # then
    expected = {"zoho_contact_id": "7328", "stage": "interviewing", "role": "data"}
    assert updated.custom_attributes == expected
    assert fake_chatwoot.contacts[contact.id]["custom_attributes"] == expected


def test_updating_a_contact_that_does_not_exist_is_not_found(fake_chatwoot):
    # when
    with pytest.raises(ChatwootError) as raised:
        chatwoot().update_contact_attributes(999, {"stage": "new"})

    # then
    assert (raised.value.code, raised.value.status, raised.value.retryable) == ("not_found", 404, False)
    assert "Resource could not be found" in str(raised.value)


def test_conversations_are_created_in_the_inbox_and_listed_for_the_contact(fake_chatwoot, settings):
    # given
    client = chatwoot()
    contact = client.create_contact(name="Jan", phone_number=PHONE)
    inbox_id = int(settings.CHATWOOT_WHATSAPP_INBOX_ID)

    # when
    first = client.create_conversation(contact_id=contact.id, inbox_id=inbox_id)
    second = client.create_conversation(contact_id=contact.id, inbox_id=inbox_id, source_id="wa-31612345678")
    listed = client.contact_conversations(contact.id)

    # then
    assert (first.id, second.id) == (1, 2)  # display ids, per account
    assert (first.inbox_id, first.status, first.labels) == (inbox_id, "open", ())
    assert {c.id for c in listed} == {1, 2}
    assert fake_chatwoot.conversations[2]["source_id"] == "wa-31612345678"


def test_a_conversation_for_an_unknown_contact_is_not_found(fake_chatwoot, settings):
    # when
    with pytest.raises(ChatwootError) as raised:
        chatwoot().create_conversation(contact_id=999, inbox_id=int(settings.CHATWOOT_WHATSAPP_INBOX_ID))

    # then
    assert (raised.value.code, raised.value.retryable) == ("not_found", False)


def a_conversation(client: Chatwoot, settings) -> int:
    contact = client.create_contact(name="Jan", phone_number=PHONE)
    return client.create_conversation(contact_id=contact.id, inbox_id=int(settings.CHATWOOT_WHATSAPP_INBOX_ID)).id


def test_add_conversation_labels_keeps_the_labels_already_there(fake_chatwoot, settings):
    # given
    client = chatwoot()
    conversation_id = a_conversation(client, settings)
    client.add_conversation_labels(conversation_id, ["vip"])

    # when
    labels = client.add_conversation_labels(conversation_id, ["job-1234", "journey-first-contact"])

    # then
    assert sorted(labels) == ["job-1234", "journey-first-contact", "vip"]
    assert sorted(fake_chatwoot.conversation_labels(conversation_id)) == sorted(labels)
    assert client.conversation_labels(conversation_id) == labels
    posted = fake_chatwoot.received("POST", CONVERSATION_LABELS)[-1].json()
    assert posted == {"labels": ["job-1234", "journey-first-contact", "vip"]}


def test_add_conversation_labels_posts_nothing_when_nothing_is_new(fake_chatwoot, settings):
    # given
    client = chatwoot()
    conversation_id = a_conversation(client, settings)
    client.add_conversation_labels(conversation_id, ["vip", "job-1234"])

    # when
    labels = client.add_conversation_labels(conversation_id, ["job-1234"])

    # then
    assert sorted(labels) == ["job-1234", "vip"]
    assert len(fake_chatwoot.received("POST", CONVERSATION_LABELS)) == 1


def test_labels_of_a_conversation_that_does_not_exist_are_not_found(fake_chatwoot):
    with pytest.raises(ChatwootError) as raised:
        chatwoot().add_conversation_labels(42, ["vip"])

    assert raised.value.code == "not_found"


def test_create_label_is_idempotent(fake_chatwoot):
    # given
    client = chatwoot()

    # when
    first = client.create_label("Job-1234", description="Data engineer, Utrecht")
    second = client.create_label("job-1234")

    # then
    assert (first, second) == (True, False)
    assert client.list_labels() == ["job-1234"]
    assert fake_chatwoot.labels["job-1234"]["description"] == "Data engineer, Utrecht"


@pytest.mark.parametrize(
    ("title", "valid"),
    [
        ("journey-first-contact", True),
        ("Job_1234", True),
        ("sollicitatie-ü", True),
        ("journey:first-contact", False),
        ("first contact", False),
        ("-job", False),
        ("_job", False),
        ("j", False),
        ("", False),
    ],
)
def test_label_title_valid_follows_chatwoots_rule(title, valid):
    assert label_title_valid(title) is valid


def test_chatwoot_refuses_a_label_title_that_label_title_valid_refuses(fake_chatwoot):
    # when
    with pytest.raises(ChatwootError) as raised:
        chatwoot().create_label("journey:first-contact")

    # then
    assert (raised.value.code, raised.value.status) == ("invalid", 422)
    assert "Title is invalid" in str(raised.value)


def test_create_message_returns_the_message_id(fake_chatwoot, settings):
    # given
    client = chatwoot()
    conversation_id = a_conversation(client, settings)

    # when
    incoming = client.create_message(conversation_id, content="Hoi, ik heb interesse", source_id="wamid.HBg1")
    outgoing = client.create_message(conversation_id, content="Dank je!", message_type="outgoing")

    # then
    messages = fake_chatwoot.messages(conversation_id)
    assert [m["id"] for m in messages] == [incoming, outgoing]
    assert [(m["content"], m["message_type"]) for m in messages] == [("Hoi, ik heb interesse", 0), ("Dank je!", 1)]
    assert messages[0]["source_id"] == "wamid.HBg1"


def test_find_message_finds_a_message_by_source_id_past_the_first_page(fake_chatwoot, settings):
    # given
    client = chatwoot()
    conversation_id = a_conversation(client, settings)
    wanted = client.create_message(conversation_id, content="Hoi", source_id="wamid.first")
    for n in range(25):
        client.create_message(conversation_id, content=f"bericht {n}", source_id=f"wamid.{n}")

    # when
    found = client.find_message(conversation_id, source_id="wamid.first")
    missing = client.find_message(conversation_id, source_id="wamid.never")

    # then
    assert (found, missing) == (wanted, None)
    pages = fake_chatwoot.received("GET", ACCOUNT + r"/conversations/\d+/messages")
    assert [r.arg("before") for r in pages[:2]] == [None, str(wanted + 6)]


def test_an_incoming_message_in_a_native_whatsapp_inbox_is_refused_as_chatwoot_does(fake_chatwoot):
    # given
    client = chatwoot()
    inbox_id = fake_chatwoot.add_inbox("WhatsApp Cloud", channel_type="Channel::Whatsapp")
    contact = client.create_contact(name="Jan", phone_number=PHONE)
    conversation = client.create_conversation(contact_id=contact.id, inbox_id=inbox_id)

    # when
    with pytest.raises(ChatwootError) as raised:
        client.create_message(conversation.id, content="Hoi")

    # then
    assert (raised.value.code, raised.value.status) == ("invalid", 422)
    assert "Incoming messages are only allowed in Api inboxes" in str(raised.value)


def test_an_unknown_token_is_an_auth_error_that_retrying_will_not_help(fake_chatwoot, settings):
    # given
    settings.CHATWOOT_API_TOKEN = "wrong-token"

    # when
    with pytest.raises(ChatwootError) as raised:
        chatwoot().list_labels()

    # then
    assert (raised.value.code, raised.value.status, raised.value.retryable) == ("auth", 401, False)
    assert "Invalid Access Token" in str(raised.value)


def test_an_unknown_account_is_not_found(fake_chatwoot, settings):
    # given
    settings.CHATWOOT_ACCOUNT_ID = "8"

    # when
    with pytest.raises(ChatwootError) as raised:
        chatwoot().list_labels()

    # then
    assert (raised.value.code, raised.value.status) == ("not_found", 404)


def test_a_server_error_is_retryable(fake_chatwoot):
    # given
    fake_chatwoot.fail_next("POST", ACCOUNT + "/contacts", Response(500, {"error": "Internal Server Error"}))

    # when
    with pytest.raises(ChatwootError) as raised:
        chatwoot().create_contact(name="Jan", phone_number=PHONE)

    # then
    assert (raised.value.code, raised.value.status, raised.value.retryable) == ("server", 500, True)


def test_too_many_requests_is_retryable(fake_chatwoot):
    # given: a POST, which the session does not repeat by itself
    fake_chatwoot.fail_next("POST", ACCOUNT + "/labels", Response(429, "Retry later\n"))

    # when
    with pytest.raises(ChatwootError) as raised:
        chatwoot().create_label("vip")

    # then
    assert (raised.value.code, raised.value.status, raised.value.retryable) == ("rate_limited", 429, True)


def test_a_read_that_fails_briefly_is_repeated_by_the_session(fake_chatwoot):
    # given
    fake_chatwoot.fail_next("GET", ACCOUNT + "/labels", Response(503, "Service Unavailable"))

    # when
    labels = chatwoot().list_labels()

    # then
    assert labels == []
    assert len(fake_chatwoot.received("GET", ACCOUNT + "/labels")) == 2


def test_an_answer_of_the_wrong_shape_is_an_error_not_a_crash(fake_chatwoot):
    # given
    fake_chatwoot.fail_next("GET", ACCOUNT + "/labels", Response(200, {"payload": [{"id": 1}]}))

    # when
    with pytest.raises(ChatwootError) as raised:
        chatwoot().list_labels()

    # then
    assert (raised.value.code, raised.value.retryable) == ("server", False)


def test_an_unreachable_chatwoot_is_retryable(fake_chatwoot, settings):
    # given
    settings.CHATWOOT_BASE_URL = "http://127.0.0.1:9"

    # when
    with pytest.raises(ChatwootError) as raised:
        chatwoot().create_message(1, content="Hoi")

    # then
    assert (raised.value.code, raised.value.status, raised.value.retryable) == ("network", None, True)


def test_chatwoot_from_settings_is_none_until_all_three_are_set(settings):
    # given
    settings.CHATWOOT_BASE_URL, settings.CHATWOOT_ACCOUNT_ID = "https://chat.example", "1"
    settings.CHATWOOT_API_TOKEN = ""

    # when
    incomplete = chatwoot_from_settings()
    settings.CHATWOOT_API_TOKEN = "token"
    complete = chatwoot_from_settings()

    # then
    assert incomplete is None
    assert complete is not None
    assert (complete.base_url, complete.account_id) == ("https://chat.example", "1")


def test_the_token_never_shows_in_repr_errors_or_logs(fake_chatwoot, caplog):
    # given
    caplog.set_level(logging.DEBUG)
    client = chatwoot()
    fake_chatwoot.fail_next("GET", ACCOUNT + "/labels", Response(500, {"error": "boom"}))

    # when
    with pytest.raises(ChatwootError) as raised:
        client.list_labels()

    # then
    shown = repr(client) + str(raised.value) + repr(raised.value) + caplog.text
    assert fake.API_TOKEN not in shown
    assert "7" in repr(client)


def test_the_fake_answers_in_chatwoots_shapes(fake_chatwoot):
    # given
    client = chatwoot()
    base = f"{client.base_url}/api/v1/accounts/7"
    headers = {"api_access_token": fake.API_TOKEN}

    # when
    created = client.session.post(f"{base}/contacts", json={"name": "Jan", "phone_number": PHONE}, headers=headers)
    blank = client.session.get(f"{base}/contacts/search", params={"q": " "}, headers=headers)
    found = client.session.get(f"{base}/contacts/search", params={"q": "jan", "page": "1"}, headers=headers)
    bare_label = client.session.post(f"{base}/labels", json={"title": "VIP"}, headers=headers)
    no_token = client.session.get(f"{base}/labels")

    # then
    assert set(created.json()["payload"]) == {"contact", "contact_inbox"}
    assert created.json()["payload"]["contact_inbox"] == {"inbox": None, "source_id": None}
    assert (blank.status_code, blank.json()) == (422, {"error": "Specify search string with parameter q"})
    assert found.json()["meta"] == {"count": 1, "current_page": "1", "has_more": False}
    assert bare_label.json()["title"] == "vip"
    assert no_token.status_code == 401
