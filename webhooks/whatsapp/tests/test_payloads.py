"""Splitting deliveries into one item per message and status, whatever the sender's shape."""

import json

from tests.whatsapp import fixture
from webhooks.whatsapp.payloads import cloud_items, waha_items


def test_360dialog_s_flat_shape_is_read_like_meta_s():
    # given
    body = {
        "contacts": [{"profile": {"name": "Sojan Jose"}, "wa_id": "2423423243"}],
        "messages": [
            {
                "from": "2423423243",
                "id": "SDFADSf23sfasdafasdfa",
                "text": {"body": "Test"},
                "timestamp": "1633034394",
                "type": "text",
            }
        ],
    }
    # when
    items = cloud_items(body, json.dumps(body).encode())
    # then
    assert [(i.event_type, i.external_id, i.payload["profile_name"]) for i in items] == [
        ("message", "SDFADSf23sfasdafasdfa", "Sojan Jose")
    ]


def test_a_delivery_with_many_messages_gives_one_item_each():
    # given
    body = json.loads(fixture("text_message.json"))
    value = body["entry"][0]["changes"][0]["value"]
    value["messages"].append({**value["messages"][0], "id": "wamid.second"})
    # when
    items = cloud_items(body, b"raw")
    # then
    assert [i.external_id for i in items][1:] == ["wamid.second"]


def test_the_same_unknown_body_has_the_same_id():
    # given
    raw = fixture("account_update.json")
    # when
    first, second = cloud_items(json.loads(raw), raw), cloud_items(json.loads(raw), raw)
    # then
    assert first[0].event_type == "unknown"
    assert first[0].external_id == second[0].external_id


def test_a_gateway_s_own_messages_and_other_events_are_not_messages():
    # given
    ours = json.loads(fixture("waha_message.json"))
    ours["payload"]["fromMe"] = True
    ack = {"event": "message.ack", "payload": {"id": "x", "ack": 3}}
    # when / then
    assert cloud_items({}, b"{}")[0].event_type == "unknown"
    assert waha_items(ours, json.dumps(ours).encode())[0].event_type == "unknown"
    assert waha_items(ack, json.dumps(ack).encode())[0].event_type == "unknown"


def test_a_message_without_an_id_gets_one_from_its_content():
    # given the Chatwoot integration summary's sample body, which has no message id
    body = {"messages": [{"from": "31612345678", "text": {"body": "Hallo"}}]}
    raw = json.dumps(body).encode()
    # when
    [item] = cloud_items(body, raw)
    [again] = cloud_items(json.loads(raw), raw)
    [other] = cloud_items({"messages": [{"from": "31612345678", "text": {"body": "Hoi"}}]}, b"")
    # then it is a message, with an id that is the same for the same content only
    assert item.event_type == "message"
    assert item.external_id.startswith("content:") and item.external_id == item.payload["message"]["id"]
    assert again.external_id == item.external_id != other.external_id
