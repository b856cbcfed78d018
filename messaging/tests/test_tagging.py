"""The label catalogue, the offline tagger and the AI tagger with its fallback to the rules."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from messaging.tagging import catalogue, rules
from messaging.tagging.ai import tag_conversation_ai
from messaging.tagging.rules import MessageView, detect_language, tag_conversation
from tests.fakes.openai import server_error

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# Chatwoot's label title rule, lib/regex_helper.rb; `re` has no \p{L}, so [^\W_] (a letter or digit) stands in.
CHATWOOT_TITLE = re.compile(r"\A[^\W_]+[\w-]+\Z")


def inbound(text: str, *, ago: timedelta = timedelta(minutes=1), type: str = "text") -> MessageView:
    return MessageView(text=text, timestamp=NOW - ago, direction="in", type=type)


def outbound(text: str, *, ago: timedelta = timedelta(minutes=1)) -> MessageView:
    return MessageView(text=text, timestamp=NOW - ago, direction="out")


def history(*texts: str) -> list[MessageView]:
    """Inbound messages an hour apart, the last one a minute ago."""
    return [inbound(text, ago=timedelta(hours=len(texts) - 1 - index, minutes=1)) for index, text in enumerate(texts)]


# --- Catalogue ----------------------------------------------------------------------------------


def test_catalogue_has_at_least_25_unique_titles() -> None:
    # given
    all_titles = catalogue.titles()

    # when
    unique = set(all_titles)

    # then
    assert len(all_titles) >= 25
    assert len(unique) == len(all_titles)


@pytest.mark.parametrize("title", catalogue.titles())
def test_every_title_is_a_valid_chatwoot_label(title: str) -> None:
    # given
    entry = catalogue.label(title)

    # when
    downcased = title.lower()

    # then
    assert CHATWOOT_TITLE.match(downcased), title
    assert downcased == title  # Chatwoot would downcase it; keep ours identical to what it stores
    assert re.fullmatch(r"#[0-9A-F]{6}", entry.color)
    assert entry.group in catalogue.GROUPS
    assert entry.description


def test_chatwoot_rule_rejects_the_old_colon_titles() -> None:
    # given
    old_titles = ["journey:first-contact", "-journey", "a", "intent ready"]

    # when
    valid = [title for title in old_titles if CHATWOOT_TITLE.match(title)]

    # then
    assert valid == []


def test_label_lookup_and_groups() -> None:
    # given
    groups = {group: catalogue.titles(group) for group in catalogue.GROUPS}

    # when
    entry = catalogue.label("journey-first-contact")

    # then
    assert entry.group == "journey"
    assert sum(len(group_titles) for group_titles in groups.values()) == len(catalogue.LABELS)
    assert "lang-other" in groups["language"]
    with pytest.raises(KeyError):
        catalogue.label("journey:first-contact")


def test_rule_tables_cover_exactly_the_catalogue_intents() -> None:
    # given
    intents = set(catalogue.titles("intent"))

    # when
    tables = [set(rules.INTENT_PATTERNS), set(rules.PRIORITY)]

    # then
    assert tables == [intents, intents]
    assert len(rules.PRIORITY) == len(intents)


def test_ready_to_pitch_matches_recruiting() -> None:
    # given
    from recruiting.models import READY_TO_PITCH

    # when
    ours = rules.READY_TO_PITCH

    # then
    assert ours == READY_TO_PITCH


# --- Journey ------------------------------------------------------------------------------------


def test_first_inbound_message_is_first_contact() -> None:
    # given
    messages = [outbound("Hi from the agency", ago=timedelta(days=2)), inbound("Hi, any jobs?")]

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert tags.journey == ("journey-first-contact",)


def test_second_inbound_message_is_returning() -> None:
    # given
    messages = [inbound("Hello", ago=timedelta(days=3)), outbound("Hi!"), inbound("any update?")]

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert tags.journey == ("journey-returning",)


def test_gap_of_30_days_before_the_latest_is_re_engaged() -> None:
    # given
    messages = [inbound("Looking for work", ago=timedelta(days=45)), inbound("Hi again, still looking")]

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert tags.journey == ("journey-returning", "journey-re-engaged")


def test_gap_of_29_days_is_not_re_engaged() -> None:
    # given
    messages = [inbound("Looking for work", ago=timedelta(days=29)), inbound("Hi again")]

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert "journey-re-engaged" not in tags.journey


def test_five_inbound_messages_this_week_is_active() -> None:
    # given
    messages = [inbound(f"message {day}", ago=timedelta(days=day)) for day in range(5)]

    # when
    tags = tag_conversation(messages, now=NOW)
    a_week_later = tag_conversation(messages, now=NOW + timedelta(days=7))

    # then
    assert "journey-active" in tags.journey
    assert "journey-active" not in a_week_later.journey


def test_four_inbound_messages_this_week_is_not_active() -> None:
    # given
    messages = [inbound(f"message {day}", ago=timedelta(days=day)) for day in range(4)]
    messages += [outbound("reply", ago=timedelta(hours=hour)) for hour in range(5)]

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert "journey-active" not in tags.journey


def test_linked_candidate_is_candidate() -> None:
    # given
    messages = [inbound("Hi")]

    # when
    tags = tag_conversation(messages, candidate_stage="Screening", now=NOW)

    # then
    assert tags.journey == ("journey-first-contact", "journey-candidate")
    assert tags.attributes["candidate_stage"] == "Screening"


def test_ready_to_pitch_candidate() -> None:
    # given
    messages = [inbound("Hi", ago=timedelta(days=1)), inbound("When do I start?")]

    # when
    tags = tag_conversation(messages, candidate_stage="Ready to Pitch", now=NOW)

    # then
    assert tags.journey == ("journey-returning", "journey-candidate", "journey-ready-to-pitch")


def test_only_outbound_messages_give_no_journey_and_no_reply_needed() -> None:
    # given
    messages = [outbound("Hi, we have a role for you")]

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert (tags.journey, tags.intents, tags.language, tags.labels) == ((), (), "", ())


def test_message_order_does_not_matter() -> None:
    # given
    messages = [inbound("thanks"), inbound("What is the pay rate?", ago=timedelta(days=40))]

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert tags == tag_conversation(list(reversed(messages)), now=NOW)
    assert "journey-re-engaged" in tags.journey


def test_naive_timestamps_are_refused() -> None:
    # given
    naive = datetime(2026, 3, 2, 9, 0)

    # when / then
    with pytest.raises(ValueError, match="timezone-aware"):
        MessageView(text="hi", timestamp=naive, direction="in")


# --- Intents ------------------------------------------------------------------------------------

INTENT_TABLE: list[tuple[str, set[str]]] = [
    # English, WhatsApp style, typos
    ("Hi, I'm looking for a job in Sydney", {"intent-greeting", "intent-job-search"}),
    ("hiii any vacancy for welder??", {"intent-greeting", "intent-job-search"}),
    ("Do u have any vacency for aged care", {"intent-job-search"}),
    ("looking for work, warehouse or factory", {"intent-job-search"}),
    ("I want to apply for the forklift role", {"intent-ready-to-apply"}),
    ("yes im intrested in the role pls", {"intent-ready-to-apply"}),
    ("Can I send my CV?", {"intent-ready-to-apply"}),
    ("What is the pay rate per hour?", {"intent-salary"}),
    ("how much do they pay", {"intent-salary"}),
    ("is it $35/hr or less", {"intent-salary"}),
    ("Do you sponsor 482 visa", {"intent-visa"}),
    ("I'm on a bridging visa, full work rights", {"intent-visa"}),
    ("What is the status of my application?", {"intent-application-status"}),
    ("any update on my CV??", {"intent-application-status"}),
    ("Can we reschedule the interview to Friday", {"intent-interview"}),
    ("I can start next week, day shifts only", {"intent-availability"}),
    ("Here is my resume", {"intent-documents"}),
    ("I have sent my white card and forklift licence", {"intent-documents"}),
    ("not interested anymore, found another job", {"intent-not-interested"}),
    ("Stop", {"intent-unsubscribe"}),
    ("please dont message me again", {"intent-unsubscribe"}),
    ("Nobody called me back, very unprofessional", {"intent-complaint"}),
    ("Thank you so much 🙏", {"intent-thanks"}),
    ("Good morning", {"intent-greeting"}),
    ("Where is your office?", {"intent-question"}),
    ("ok", set()),
    ("👍👍", set()),
    # Hindi / Punjabi / Urdu, romanised and in script
    ("Namaste ji, mujhe naukri chahiye", {"intent-greeting", "intent-job-search"}),
    ("मुझे नौकरी चाहिए, वीजा 482 है", {"intent-job-search", "intent-visa"}),
    ("Sat sri akal, koi kaam hai?", {"intent-greeting", "intent-job-search"}),
    ("ਮੈਨੂੰ ਨੌਕਰੀ ਚਾਹੀਦੀ ਹੈ", {"intent-job-search"}),
    ("Assalam o alaikum, salary kitni hai?", {"intent-greeting", "intent-salary"}),
    ("shukriya bhai", {"intent-thanks"}),
    # Tagalog, Chinese, Arabic, Spanish, Dutch
    ("Magandang hapon po, may trabaho po ba?", {"intent-greeting", "intent-job-search"}),
    ("Salamat po", {"intent-thanks"}),
    ("你好，我想找工作", {"intent-greeting", "intent-job-search"}),
    ("工资多少？", {"intent-salary"}),
    ("مرحبا، أبحث عن وظيفة", {"intent-greeting", "intent-job-search"}),
    ("Hola, busco trabajo de limpieza", {"intent-greeting", "intent-job-search"}),
    ("¿Cuánto pagan por hora?", {"intent-salary"}),
    ("no me interesa, gracias", {"intent-not-interested", "intent-thanks"}),
    ("Goedemiddag, hebben jullie vacatures?", {"intent-greeting", "intent-job-search"}),
    ("Ik wil graag solliciteren", {"intent-ready-to-apply"}),
]


@pytest.mark.parametrize(("text", "expected"), INTENT_TABLE)
def test_intents_of_one_message(text: str, expected: set[str]) -> None:
    # given
    messages = [inbound(text)]

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert set(tags.intents) == expected


def test_intent_table_is_large_and_multilingual() -> None:
    # given
    texts = [text for text, _ in INTENT_TABLE]

    # when
    languages = {detect_language(text) for text in texts} - {""}

    # then
    assert len(texts) >= 30
    assert {"en", "hi", "pa", "tl", "zh", "ar", "es", "nl"} <= languages


def test_document_message_is_documents_and_media() -> None:
    # given
    messages = [inbound("Hi, I'd like a job", ago=timedelta(hours=1)), inbound("", type="document")]

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert "intent-documents" in tags.intents
    assert {"status-media", "status-needs-reply"} <= set(tags.labels)


def test_image_is_media_but_not_documents() -> None:
    # given
    messages = [inbound("", type="image")]

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert "status-media" in tags.labels
    assert "intent-documents" not in tags.intents


def test_reply_from_us_clears_needs_reply() -> None:
    # given
    messages = [inbound("Any jobs?", ago=timedelta(hours=1)), outbound("Yes, which city?")]

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert "status-needs-reply" not in tags.labels


def test_earlier_topics_carry_over_but_not_earlier_greetings() -> None:
    # given
    messages = history("Hi there", "Do you sponsor visas?", "and whats the pay rate")

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert tags.intents == ("intent-visa", "intent-salary")
    assert tags.attributes["last_intent"] == "intent-visa"


def test_only_the_last_three_inbound_messages_count() -> None:
    # given
    messages = history("Do you sponsor visas?", "ok", "ok", "thanks")

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert tags.intents == ("intent-thanks",)


def test_latest_opt_out_drops_earlier_topics() -> None:
    # given
    messages = history("Looking for a job, what's the pay?", "actually not interested anymore")

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert tags.intents == ("intent-not-interested",)


def test_earlier_opt_out_holds_until_a_new_topic() -> None:
    # given
    stopped = history("STOP", "ok")
    came_back = history("STOP", "sorry, I do want a job now")

    # when
    still_stopped = tag_conversation(stopped, now=NOW)
    back = tag_conversation(came_back, now=NOW)

    # then
    assert still_stopped.intents == ("intent-unsubscribe",)
    assert back.intents == ("intent-job-search",)


def test_tagging_is_deterministic() -> None:
    # given
    messages = [inbound(text, ago=timedelta(hours=index)) for index, (text, _) in enumerate(INTENT_TABLE)]

    # when
    runs = [tag_conversation(messages, candidate_stage="Ready to Pitch", now=NOW) for _ in range(3)]

    # then
    assert runs[0] == runs[1] == runs[2]
    assert list(runs[0].labels) == sorted(set(runs[0].labels))


# --- Language -----------------------------------------------------------------------------------

LANGUAGE_TABLE = [
    ("Hello, I am looking for a job in Melbourne", "en"),
    ("Can u send me the job details pls, I have 3 years experience", "en"),
    ("मुझे नौकरी चाहिए", "hi"),
    ("Namaste sir mujhe kaam chahiye", "hi"),
    ("ਮੈਨੂੰ ਨੌਕਰੀ ਚਾਹੀਦੀ ਹੈ", "pa"),
    ("Sat sri akal ji, kiddan?", "pa"),
    ("مجھے نوکری چاہیے", "ur"),
    ("Assalam o alaikum, koi job hai?", "ur"),
    ("Magandang araw po, naghahanap po ako ng trabaho", "tl"),
    ("你好，我想找工作", "zh"),
    ("مرحبا، أبحث عن عمل", "ar"),
    ("Hola, busco trabajo en Melbourne como soldador", "es"),
    ("Goedemiddag, ik zoek een vacature als elektricien", "nl"),
    ("Bonjour, je cherche un emploi à Sydney", "fr"),
    ("hi", ""),
    ("ok", ""),
    ("नमस्ते", ""),  # Hindi or Nepali: too short to tell
    ("Thanks", ""),
    ("👍", ""),
    ("0412 345 678", ""),
    ("https://example.com/cv.pdf", ""),
]


@pytest.mark.parametrize(("text", "expected"), LANGUAGE_TABLE)
def test_language_of_one_message(text: str, expected: str) -> None:
    # given
    messages = [inbound(text)]

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert tags.language == expected
    assert tags.attributes["language"] == (expected or None)


def test_language_outside_the_catalogue_is_lang_other() -> None:
    # given
    messages = [inbound("Bonjour, je cherche un emploi à Sydney")]

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert tags.language == "fr"
    assert "lang-other" in tags.labels


def test_short_latest_message_keeps_the_previous_language() -> None:
    # given
    messages = history("Hola, busco trabajo en Melbourne como soldador", "ok", "gracias")

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert tags.language == "es"
    assert "lang-es" in tags.labels


def test_latest_long_message_wins_over_the_previous_language() -> None:
    # given
    messages = history("Hola, busco trabajo en Melbourne como soldador", "Sorry, I can write in English as well")

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert tags.language == "en"


# --- Attributes ---------------------------------------------------------------------------------


def test_attributes_are_json_serialisable_with_the_right_counts() -> None:
    # given
    messages = [
        inbound("Hi, any jobs?", ago=timedelta(days=3)),
        outbound("Yes! Which city?", ago=timedelta(days=2)),
        inbound("Perth. What is the pay rate?", ago=timedelta(days=1)),
        outbound("$32 an hour"),
    ]

    # when
    tags = tag_conversation(messages, candidate_stage="Screening", now=NOW)

    # then
    assert json.loads(json.dumps(tags.attributes)) == {
        "message_count": 4,
        "inbound_count": 2,
        "last_intent": "intent-salary",
        "language": "en",
        "first_contact_at": "2026-02-27T09:00:00+00:00",
        "last_message_at": "2026-03-02T08:59:00+00:00",
        "candidate_stage": "Screening",
    }
    assert all(title in catalogue.titles() for title in tags.labels)


def test_empty_conversation_has_empty_attributes() -> None:
    # given
    messages: list[MessageView] = []

    # when
    tags = tag_conversation(messages, now=NOW)

    # then
    assert tags.attributes == {
        "message_count": 0,
        "inbound_count": 0,
        "last_intent": None,
        "language": None,
        "first_contact_at": None,
        "last_message_at": None,
        "candidate_stage": None,
    }


# --- AI path ------------------------------------------------------------------------------------


def answering(intents: list[str], language: str = "en") -> Any:
    def answer(schema: str, prompt: str) -> dict[str, Any]:
        assert schema == "aitags"
        return {"intents": intents, "language": language, "summary": "A candidate asks about work."}

    return answer


def test_ai_answer_gives_intents_and_language(fake_openai: Any) -> None:
    # given
    fake_openai.answer = answering(["intent-visa", "intent-job-search"], language="pa")
    messages = [outbound("Hi from the agency", ago=timedelta(days=1)), inbound("Bai ji kam milega? visa 482 aa")]

    # when
    tags, source = tag_conversation_ai(messages, candidate_stage="Ready to Pitch", now=NOW)

    # then
    assert source == "ai"
    assert tags.intents == ("intent-visa", "intent-job-search")
    assert tags.language == "pa"
    assert tags.journey == ("journey-first-contact", "journey-candidate", "journey-ready-to-pitch")
    assert tags.attributes["last_intent"] == "intent-visa"
    assert "lang-pa" in tags.labels
    assert "status-needs-reply" in tags.labels
    prompt = fake_openai.chat_requests()[0].json()["messages"][1]["content"]
    assert prompt == "out: Hi from the agency\nin: Bai ji kam milega? visa 482 aa"


def test_ai_prompt_holds_the_last_ten_messages_truncated(fake_openai: Any) -> None:
    # given
    fake_openai.answer = answering(["intent-documents"])
    messages = [inbound(f"message {index}", ago=timedelta(hours=20 - index)) for index in range(11)]
    messages.append(inbound("x" * 2000, type="document"))

    # when
    tag_conversation_ai(messages, now=NOW)

    # then
    body = fake_openai.chat_requests()[0].json()
    lines = body["messages"][1]["content"].splitlines()
    assert len(lines) == 10
    assert lines[0] == "in: message 2"
    assert lines[-1] == "in: [document] " + "x" * 500
    assert body["temperature"] == 0
    enum = body["response_format"]["json_schema"]["schema"]["properties"]["intents"]["items"]["enum"]
    assert enum == list(catalogue.titles("intent"))


def test_ai_unknown_intent_is_dropped(fake_openai: Any) -> None:
    # given
    fake_openai.answer = answering(["intent-salary", "intent-buy-a-car", "journey-active"])

    # when
    tags, source = tag_conversation_ai([inbound("How much does it pay?")], now=NOW)

    # then
    assert source == "ai"
    assert tags.intents == ("intent-salary",)
    assert len(fake_openai.chat_requests()) == 1


def test_ai_empty_intents_and_language_fall_back_to_the_rules(fake_openai: Any) -> None:
    # given
    fake_openai.answer = answering(["intent-made-up"], language="english")

    # when
    tags, source = tag_conversation_ai([inbound("Do you sponsor 482 visas for chefs?")], now=NOW)

    # then
    assert source == "ai"
    assert tags.intents == ("intent-visa",)
    assert tags.language == "en"


def test_ai_malformed_answer_falls_back_to_the_rules(fake_openai: Any) -> None:
    # given
    fake_openai.contents = ["not json", '{"intents": "intent-salary"}']
    messages = [inbound("What's the pay rate per hour?")]

    # when
    tags, source = tag_conversation_ai(messages, now=NOW)

    # then
    assert source == "rules"
    assert tags == tag_conversation(messages, now=NOW)
    assert len(fake_openai.chat_requests()) == 2


def test_ai_server_error_falls_back_to_the_rules(fake_openai: Any, settings: Any) -> None:
    # given
    settings.OPENAI_MAX_RETRIES = 0
    fake_openai.fail_next("POST", "/v1/chat/completions", server_error())
    messages = [inbound("Hi, I want to apply for the welder job")]

    # when
    tags, source = tag_conversation_ai(messages, now=NOW)

    # then
    assert source == "rules"
    assert tags.intents == ("intent-ready-to-apply", "intent-greeting")
    assert len(fake_openai.chat_requests()) == 1


def test_ai_without_a_key_uses_the_rules_without_a_request(fake_openai: Any, settings: Any) -> None:
    # given
    settings.OPENAI_API_KEY = ""
    messages = [inbound("Hi, any jobs?")]

    # when
    tags, source = tag_conversation_ai(messages, now=NOW)

    # then
    assert source == "rules"
    assert tags == tag_conversation(messages, now=NOW)
    assert fake_openai.chat_requests() == []


@pytest.mark.parametrize(
    "messages",
    [[], [outbound("Hi, we have a role for you")], [inbound("", type="image"), inbound("   ")]],
    ids=["nothing", "only-ours", "no-text"],
)
def test_ai_never_sends_an_empty_conversation(fake_openai: Any, messages: list[MessageView]) -> None:
    # given
    fake_openai.answer = answering(["intent-salary"])

    # when
    tags, source = tag_conversation_ai(messages, now=NOW)

    # then
    assert source == "rules"
    assert fake_openai.chat_requests() == []
    assert tags == tag_conversation(messages, now=NOW)
