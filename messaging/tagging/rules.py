"""The offline tagger: journey labels from the conversation's history, intents from word patterns,
the language from py3langid (a bundled naive-Bayes model, so no network and no randomness).

Pure Python: no ORM, no HTTP; the caller turns its messages into MessageView. Imports only
catalogue.py and py3langid.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

from messaging.tagging.catalogue import language_label

READY_TO_PITCH = "Ready to Pitch"  # recruiting.models.READY_TO_PITCH; not imported, to keep this module pure
MEDIA_TYPES = frozenset({"image", "document", "audio", "voice", "video", "sticker"})
RE_ENGAGED_AFTER = timedelta(days=30)
ACTIVE_WINDOW = timedelta(days=7)
ACTIVE_MIN_MESSAGES = 5
INTENT_WINDOW = 3  # inbound messages read for intents, the latest first


@dataclass(frozen=True)
class MessageView:
    text: str
    timestamp: datetime  # timezone-aware
    direction: str  # "in" (from the candidate) or "out"
    type: str = "text"  # the WhatsApp message type: text, image, document, audio, ...

    def __post_init__(self) -> None:
        if self.direction not in ("in", "out"):
            raise ValueError(f"direction must be 'in' or 'out', not {self.direction!r}")
        if self.timestamp.tzinfo is None:
            raise ValueError("timestamp must be timezone-aware")


@dataclass(frozen=True)
class Tags:
    journey: tuple[str, ...]
    intents: tuple[str, ...]
    language: str  # ISO 639-1, "" when unknown
    labels: tuple[str, ...]  # catalogue titles, sorted and unique
    attributes: dict[str, Any]  # JSON-serialisable custom attributes


def tag_conversation(
    messages: Sequence[MessageView], *, candidate_stage: str | None = None, now: datetime | None = None
) -> Tags:
    """Tag one conversation from its messages (any order) and the linked candidate's stage, if any."""
    ordered = sorted(messages, key=lambda message: message.timestamp)
    inbound = [message for message in ordered if message.direction == "in"]
    return build_tags(
        ordered,
        journey=journey_labels(inbound, candidate_stage=candidate_stage, now=now or datetime.now(tz=UTC)),
        intents=detect_intents(inbound),
        language=conversation_language(inbound),
        candidate_stage=candidate_stage,
    )


def build_tags(
    ordered: Sequence[MessageView],
    *,
    journey: Iterable[str],
    intents: Iterable[str],
    language: str,
    candidate_stage: str | None,
) -> Tags:
    """Assemble Tags (labels and attributes) from the parts; ordered is the conversation, oldest first."""
    journey, intents = tuple(journey), tuple(intents)
    statuses = status_labels(ordered)
    language_labels = (language_label(language),) if language else ()
    return Tags(
        journey=journey,
        intents=intents,
        language=language,
        labels=tuple(sorted({*journey, *intents, *language_labels, *statuses})),
        attributes=_attributes(ordered, intents=intents, language=language, candidate_stage=candidate_stage),
    )


def _attributes(
    ordered: Sequence[MessageView], *, intents: Sequence[str], language: str, candidate_stage: str | None
) -> dict[str, Any]:
    inbound = [message for message in ordered if message.direction == "in"]
    return {
        "message_count": len(ordered),
        "inbound_count": len(inbound),
        "last_intent": primary_intent(intents),
        "language": language or None,
        "first_contact_at": _iso(inbound[0].timestamp) if inbound else None,
        "last_message_at": _iso(ordered[-1].timestamp) if ordered else None,
        "candidate_stage": candidate_stage or None,
    }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


# --- Journey and status -------------------------------------------------------------------------


def journey_labels(inbound: Sequence[MessageView], *, candidate_stage: str | None, now: datetime) -> tuple[str, ...]:
    """Journey labels from the inbound messages (oldest first) and the candidate's stage."""
    labels = []
    if len(inbound) == 1:
        labels.append("journey-first-contact")
    elif len(inbound) > 1:
        labels.append("journey-returning")
        if inbound[-1].timestamp - inbound[-2].timestamp >= RE_ENGAGED_AFTER:
            labels.append("journey-re-engaged")
    if sum(1 for message in inbound if now - ACTIVE_WINDOW <= message.timestamp <= now) >= ACTIVE_MIN_MESSAGES:
        labels.append("journey-active")
    if candidate_stage:
        labels.append("journey-candidate")
        if candidate_stage.strip().casefold() == READY_TO_PITCH.casefold():
            labels.append("journey-ready-to-pitch")
    return tuple(labels)


def status_labels(ordered: Sequence[MessageView]) -> tuple[str, ...]:
    """status-needs-reply when the candidate spoke last; status-media when their latest message is media."""
    labels = []
    if ordered and ordered[-1].direction == "in":
        labels.append("status-needs-reply")
    inbound = [message for message in ordered if message.direction == "in"]
    if inbound and inbound[-1].type in MEDIA_TYPES:
        labels.append("status-media")
    return tuple(labels)


# --- Intents ------------------------------------------------------------------------------------
# Patterns are regular expressions matched case-insensitively against normalised text (lowercase,
# straight apostrophes, runs of 3+ equal letters cut to 2: "hiiii" -> "hii"). Latin-script patterns
# must stand as whole words; patterns in other scripts match anywhere, since Chinese has no spaces
# and Indic vowel signs are not word characters for `re`. English first, then romanised Hindi, Punjabi
# and Urdu and those scripts, Tagalog, Chinese, Arabic, Spanish, Dutch.

# fmt: off
INTENT_PATTERNS: dict[str, tuple[str, ...]] = {
    "intent-job-search": (
        r"jobs?", r"vacanc(y|ies)", r"vacen(cy|cies)", r"vacan(sy|sies)", r"openings?", r"hiring", r"employment",
        r"(need|want|looking for|find|finding|get|any|some|is there|there is) (a |some |any )?(work|role|position)s?",
        r"(work|roles?|positions?) (available|going|for me)", r"jobs? (available|going|for me)",
        r"(looking for|seeking|searching for|after|need|want) (\w+ ){1,2}(work|roles?|positions?|shifts?)",
        r"naukri", r"nokri", r"kaam", r"kam chahida", r"नौकरी", r"काम चाहिए", r"ਨੌਕਰੀ", r"ਕੰਮ", r"نوکری", r"کام",
        r"trabaho", r"hanapbuhay", r"工作", r"职位", r"招聘", r"找工", r"وظيفة", r"وظائف", r"عمل",
        r"trabajo", r"empleo", r"vacantes?", r"chamba", r"vacatures?", r"werk", r"baan",
    ),
    "intent-ready-to-apply": (
        r"apply", r"applying", r"aply", r"aplly", r"send (you )?my (cv|resume|résumé)",
        r"(interested|intrested|intersted) in (the|this|that|your) (role|job|position|vacancy)",
        r"i('m| am) (interested|intrested|intersted)", r"yes,? (i('m| am) )?(interested|intrested)",
        r"sign me up", r"count me in", r"i want (the|this|that) (job|role|position)",
        r"aplicar", r"postular(me)?", r"solliciteren", r"mag-?apply", r"申请", r"تقديم", r"अप्लाई",
    ),
    "intent-application-status": (
        r"(status|update|updates|news|progress) (of|on|about) my (application|cv|resume)", r"application status",
        r"any (news|update|updates|feedback)", r"heard? back", r"did i get (the|this|that) (job|role|position)",
        r"(did|have) you (check|checked|see|seen|review|reviewed|receive|received) my (application|cv|resume)",
        r"what happened (to|with) my (application|cv)", r"follow(ing)? up (on )?my",
        r"estado de mi (solicitud|aplicación)", r"status van mijn sollicitatie",
    ),
    "intent-interview": (
        r"interviews?", r"interviewed", r"intreview", r"interveiw", r"intervew",
        r"entrevista", r"sollicitatiegesprek", r"面试", r"مقابلة", r"انٹرویو", r"इंटरव्यू", r"ਇੰਟਰਵਿਊ",
    ),
    "intent-availability": (
        r"(can|could) start", r"start (date|on|from|monday|tomorrow|today|next week|asap|immediately)",
        r"when can i start", r"availability", r"available (from|on|to start|immediately|now|any ?time|to work)",
        r"notice period", r"(day|night|weekend|morning|evening) shifts?", r"full[- ]time", r"part[- ]time",
        r"i('m| am) (free|available) (on|from|to|every|all|this|next)",
        r"disponible", r"beschikbaar", r"kan (ik )?(beginnen|starten)", r"可以开始", r"متاح",
    ),
    "intent-salary": (
        r"salary", r"salery", r"sallary", r"pay ?rate", r"(hourly|pay|award) rate", r"per (hour|hr|week|wk)",
        r"an hour", r"\d+ ?/ ?(hr|hour|h)", r"\$ ?\d+",
        r"how much (do|does|will|would|can) (it|they|you|u|i|we) (pay|earn|get)",
        r"wages?", r"pay", r"paid", r"overtime", r"penalty rates",
        r"tankha", r"tankhwah", r"तनख्वाह", r"वेतन", r"تنخواہ", r"ਤਨਖਾਹ", r"sweldo", r"magkano",
        r"salario", r"sueldo", r"cu[aá]nto pagan", r"salaris", r"uurloon", r"loon", r"工资", r"薪水", r"时薪", r"راتب",
    ),
    "intent-visa": (
        r"visas?", r"sponsor(ship|ed|ing|s)?", r"482", r"494", r"186", r"417", r"462", r"485", r"subclass \d+", r"tss",
        r"pr", r"permanent residen(cy|t|ce)", r"work(ing)? rights", r"working holiday", r"whv", r"citizen(ship)?",
        r"visum", r"签证", r"تأشيرة", r"ویزا", r"वीजा", r"वीज़ा", r"ਵੀਜ਼ਾ",
    ),
    "intent-documents": (
        r"attached", r"attaching", r"attachment", r"here('s| is| are) my", r"pl[sz] find",
        r"(sent|sending|uploaded|forwarded) (you )?(my|the) (documents?|docs|certificates?|licen[cs]es?|passport|"
        r"white ?card|tickets?|references?|cv|resume)",
        r"white ?card", r"licen[cs]es?", r"passport", r"certificates?", r"documents?", r"docs",
        r"documentos", r"documenten", r"文件", r"مستندات",
    ),
    "intent-not-interested": (
        r"not (interested|intrested|intersted)", r"no longer (interested|intrested|looking)", r"not looking",
        r"(found|got|have|accepted) (a|another|an other|other) (job|position|role|offer)",
        r"already (have|got|found|working)", r"no thanks?", r"no thank (you|u)", r"not anymore",
        r"no me interesa", r"ya no", r"geen interesse", r"niet ge[ïi]nteresseerd", r"hindi na po",
        r"nahi chahiye", r"interest nahi", r"不感兴趣", r"不需要", r"غير مهتم", r"لست مهتما",
    ),
    "intent-unsubscribe": (
        r"^\W*stop\W*(please|pls|plz)?\W*$", r"(please|pls|plz) stop", r"unsubscribe", r"unsubscribed", r"remove me",
        r"(don'?t|do not|stop) (message|messaging|text|texting|contact|contacting|call|calling|sending|spam|spamming)",
        r"opt ?out", r"take me off", r"delete my (number|details|data)", r"no more messages",
        r"darme de baja", r"no me escriban", r"afmelden", r"uitschrijven", r"退订", r"إلغاء الاشتراك",
        r"message mat karo", r"band karo",
    ),
    "intent-complaint": (
        r"complain(t|ts|ing)?", r"bad service", r"poor service", r"(very|so|really) (bad|poor|rude|unprofessional)",
        r"disappointed", r"unprofessional", r"rude", r"scam", r"fraud", r"waste of (my )?time", r"worst", r"terrible",
        r"(nobody|no one|no-one|never) (called|call|replied|reply|answered|answers|responded|got back|get back)",
        r"not happy", r"unhappy", r"ignor(ed|ing) me",
        r"queja", r"p[ée]simo", r"klacht", r"slechte service", r"投诉", r"شكوى",
    ),
    "intent-greeting": (
        r"hi+", r"hello+", r"helo+", r"hey+", r"hiya", r"good ?(morning|afternoon|evening|day)", r"g'?day",
        r"namaste", r"namaskar", r"sat s(ri|hri) akal", r"sasriakal", r"salam", r"salaam",
        r"as+alam(u|o)? ?(o )?alaikum", r"kumusta", r"musta", r"magandang (umaga|hapon|gabi|araw)",
        r"hola", r"buen(os|as) (d[ií]as|tardes|noches)", r"hallo", r"goede(morgen|middag|navond|ndag)",
        r"你好", r"您好", r"مرحبا", r"السلام عليكم", r"السلام علیکم", r"नमस्ते", r"ਸਤ ਸ੍ਰੀ ਅਕਾਲ",
    ),
    "intent-thanks": (
        r"thanks?", r"thanks+", r"thank (you|u)", r"thnx", r"thnks", r"thx", r"tnx", r"ty", r"cheers",
        r"much appreciated", r"appreciate (it|that|your help)", r"dhanyavaa?d", r"shukriya", r"shukria",
        r"meharbani", r"salamat", r"gracias", r"bedankt", r"dank (je|u)", r"谢谢", r"多谢", r"شكرا", r"شکریہ",
        r"धन्यवाद", r"ਧੰਨਵਾਦ",
    ),
    "intent-question": (  # besides a question mark, which message_intents looks for
        r"how", r"what", r"whats", r"where", r"which", r"why", r"(can|could|may) (i|you|u|we)", r"do (you|u)",
        r"is there", r"are there", r"kya", r"kab", r"kahan", r"kitna", r"paano", r"saan", r"ano", r"d[oó]nde",
        r"c[oó]mo", r"qu[eé]", r"cu[aá]ndo", r"hoe", r"wat", r"waar", r"wanneer", r"吗", r"什么", r"哪里", r"怎么",
        r"هل", r"كيف", r"أين", r"متى", r"क्या", r"कब", r"کیا",
    ),
}
# fmt: on


# A more specific intent in the same message hides a vaguer one ("I'd like to apply for the job").
SUPPRESSES: dict[str, tuple[str, ...]] = {
    "intent-ready-to-apply": ("intent-job-search",),
    "intent-application-status": ("intent-job-search", "intent-ready-to-apply"),
    "intent-interview": ("intent-job-search", "intent-application-status"),
    "intent-not-interested": ("intent-job-search", "intent-ready-to-apply", "intent-availability"),
    "intent-unsubscribe": ("intent-job-search", "intent-ready-to-apply", "intent-not-interested"),
    "intent-complaint": ("intent-application-status",),
}
SOCIAL_INTENTS = frozenset({"intent-greeting", "intent-thanks"})  # read from the latest message only
OPT_OUT_INTENTS = frozenset({"intent-not-interested", "intent-unsubscribe"})
QUESTION_MARKS = ("?", "\u061f", "\uff1f")  # Latin, Arabic and full-width question marks
GENERIC_INTENTS = frozenset({*SOCIAL_INTENTS, "intent-question"})  # "question" only when nothing specific matched
# The most telling intent first; it becomes the `last_intent` attribute.
PRIORITY = (
    "intent-unsubscribe", "intent-not-interested", "intent-complaint", "intent-ready-to-apply",
    "intent-application-status", "intent-interview", "intent-documents", "intent-visa", "intent-salary",
    "intent-availability", "intent-job-search", "intent-question", "intent-thanks", "intent-greeting",
)  # fmt: skip


def _is_latin(pattern: str) -> bool:
    return all(ord(char) < 0x250 for char in pattern)


def _compile(patterns: Sequence[str]) -> re.Pattern[str]:
    parts = [rf"(?<!\w)(?:{pattern})(?!\w)" if _is_latin(pattern) else pattern for pattern in patterns]
    return re.compile("|".join(parts), re.IGNORECASE)


INTENT_REGEXES = {intent: _compile(patterns) for intent, patterns in INTENT_PATTERNS.items()}


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold().replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"(\w)\1{2,}", r"\1\1", text)


def message_intents(message: MessageView) -> frozenset[str]:
    """The intents of one message: pattern hits, less those hidden by a more specific one."""
    text = normalise(message.text)
    found = {intent for intent, regex in INTENT_REGEXES.items() if regex.search(text)}
    if message.type == "document":
        found.add("intent-documents")
    if any(mark in text for mark in QUESTION_MARKS):
        found.add("intent-question")
    if found - GENERIC_INTENTS:
        found.discard("intent-question")
    hidden = {vaguer for intent in found for vaguer in SUPPRESSES.get(intent, ())}
    return frozenset(found - hidden)


def detect_intents(inbound: Sequence[MessageView]) -> tuple[str, ...]:
    """Intents of the conversation, in PRIORITY order, from its last INTENT_WINDOW inbound messages.

    The latest message counts in full. Earlier ones add their topics (salary, visa, ...) unless the
    latest opts out, and their opt-out unless the latest raises a new topic; greetings, thanks and
    vague questions are only read from the latest message.
    """
    if not inbound:
        return ()
    *earlier, latest = inbound[-INTENT_WINDOW:]
    intents = set(message_intents(latest))
    latest_opts_out = bool(intents & OPT_OUT_INTENTS)
    latest_has_topic = bool(intents - GENERIC_INTENTS - OPT_OUT_INTENTS)
    for message in earlier:
        for intent in message_intents(message) - GENERIC_INTENTS:
            is_opt_out = intent in OPT_OUT_INTENTS
            if (is_opt_out and not latest_has_topic) or (not is_opt_out and not latest_opts_out):
                intents.add(intent)
    return rank_intents(intents)


def rank_intents(intents: Iterable[str]) -> tuple[str, ...]:
    """`intents` without duplicates, the most telling first (PRIORITY order); unknown titles dropped."""
    present = set(intents)
    return tuple(intent for intent in PRIORITY if intent in present)


def primary_intent(intents: Iterable[str]) -> str | None:
    """The most telling of `intents` (PRIORITY order), or None."""
    return next(iter(rank_intents(intents)), None)


# --- Language -----------------------------------------------------------------------------------
# py3langid knows ~100 languages; restricting it to those our candidates plausibly write in keeps
# short messages from being called Latin or Volapük. Anything outside the catalogue's languages
# becomes lang-other.

CANDIDATE_LANGUAGES = (
    "en", "hi", "pa", "ur", "tl", "zh", "ar", "es", "nl", "ne", "bn", "gu", "ta", "te", "ml", "si", "fa", "id",
    "ms", "vi", "th", "ko", "ja", "fr", "de", "it", "pt", "pl", "ru", "tr", "el",
)  # fmt: skip
MIN_CONFIDENCE = 0.8
MIN_CONFIDENCE_OTHER_SCRIPT = 0.65  # the script already narrows it to a few languages (Devanagari: hi or ne)
MIN_LATIN_LETTERS = 10  # "ok thanks" is too short to call; "Buenos días, busco trabajo" is not
MIN_OTHER_LETTERS = 2  # one Han character is nearly a word ("你好")
LANGUAGE_WINDOW = 10  # inbound messages read, the latest first, until one is long enough to call

# Romanised Hindi, Punjabi and Urdu ("mujhe kaam chahiye") look like nothing to the model. Two
# distinct marker words call it: Punjabi or Urdu if one of their own markers is present, else Hindi.
HINDUSTANI_MARKERS = frozenset({
    "hai", "hain", "nahi", "nahin", "mujhe", "mera", "meri", "kya", "kaise", "kaam", "naukri", "nokri", "chahiye",
    "aap", "aapka", "bhai", "karna", "karo", "theek", "thik", "acha", "accha", "bahut", "koi", "namaste", "dhanyavad",
    "dhanyavaad", "ji",
})  # fmt: skip
PUNJABI_MARKERS = frozenset({"tusi", "tuhanu", "tuhada", "mainu", "chahida", "kiddan", "haal", "sasriakal", "akal"})
URDU_MARKERS = frozenset({"assalam", "assalamu", "assalamo", "alaikum", "inshallah", "janab", "meharbani"})
_URL_OR_NUMBER = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|\d+")


@cache
def _identifier() -> Any:
    """The py3langid model, loaded once (about half a second) and restricted to our languages."""
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATE_LANGUAGES))
    return identifier


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text`, or "" when it is too short or too ambiguous to call."""
    cleaned = _URL_OR_NUMBER.sub(" ", text)
    letters = [char for char in cleaned if char.isalpha()]
    latin = sum(1 for char in letters if ord(char) < 0x250)
    if latin < MIN_LATIN_LETTERS and len(letters) - latin < MIN_OTHER_LETTERS:
        return ""
    mostly_latin = latin * 2 > len(letters)
    romanised = _romanised_south_asian(cleaned) if mostly_latin else ""
    if romanised:
        return romanised
    code, confidence = _identifier().classify(cleaned)
    return str(code) if confidence >= (MIN_CONFIDENCE if mostly_latin else MIN_CONFIDENCE_OTHER_SCRIPT) else ""


def _romanised_south_asian(text: str) -> str:
    words = set(re.findall(r"[a-z]+", text.casefold()))
    if len(words & (HINDUSTANI_MARKERS | PUNJABI_MARKERS | URDU_MARKERS)) < 2:
        return ""
    if words & PUNJABI_MARKERS:
        return "pa"
    return "ur" if words & URDU_MARKERS else "hi"


def conversation_language(inbound: Sequence[MessageView]) -> str:
    """The language of the latest inbound message; when that is too short to call, of it together with
    the messages before it, so a closing "ok" keeps the conversation's earlier language."""
    text = ""
    for message in reversed(inbound[-LANGUAGE_WINDOW:]):
        if not message.text.strip():
            continue
        text = f"{message.text}\n{text}"
        language = detect_language(text)
        if language:
            return language
    return ""
