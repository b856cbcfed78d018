"""Every label a conversation can carry, in one place: the tagger emits only these titles, and the
Chatwoot sync creates exactly these account labels.

Titles follow Chatwoot's rule (INTEGRATIONS.md §4.4): lowercase letters, digits, `-` and `_`, at
least 2 characters, not starting with `-`/`_`; so the group is a prefix (`journey-first-contact`),
never `journey:first-contact`. Imports nothing from the project.
"""

from __future__ import annotations

from dataclasses import dataclass

GROUPS = ("journey", "intent", "language", "status")


@dataclass(frozen=True)
class Label:
    title: str
    group: str  # one of GROUPS
    description: str
    color: str  # "#RRGGBB"


JOURNEY_COLOR = "#1F93FF"
INTENT_COLOR = "#7C3AED"
LANGUAGE_COLOR = "#6B7280"
ATTENTION_COLOR = "#DC2626"  # opt-outs and complaints stand out in the sidebar
STATUS_COLOR = "#F59E0B"

_JOURNEY = (
    ("journey-first-contact", "The candidate's first inbound message ever."),
    ("journey-returning", "The candidate has written more than once."),
    ("journey-re-engaged", "Back after 30 or more days of silence."),
    ("journey-active", "Five or more inbound messages in the last 7 days."),
    ("journey-candidate", "The phone is linked to a recruiting candidate."),
    ("journey-ready-to-pitch", "The linked candidate is at the Ready to Pitch stage."),
)

_INTENTS = (
    ("intent-job-search", "Looking for work or asking about vacancies."),
    ("intent-question", "A general question not covered by a more specific intent."),
    ("intent-ready-to-apply", "Wants to apply or to send a CV for a role."),
    ("intent-application-status", "Asks where their application stands."),
    ("intent-interview", "About an interview: scheduling, confirming, feedback."),
    ("intent-availability", "Tells or asks about start dates, shifts or notice period."),
    ("intent-salary", "About pay: rate, salary, wages, overtime."),
    ("intent-visa", "About visas, sponsorship or work rights."),
    ("intent-documents", "Sends or mentions documents: CV, licences, certificates."),
    ("intent-not-interested", "Declines: not interested or found another job."),
    ("intent-unsubscribe", "Asks to stop receiving messages."),
    ("intent-complaint", "Unhappy with the service or the agency."),
    ("intent-greeting", "Says hello."),
    ("intent-thanks", "Says thank you."),
)
_ATTENTION_INTENTS = frozenset({"intent-not-interested", "intent-unsubscribe", "intent-complaint"})

# ISO 639-1 code -> language name; the languages our candidates write in most.
LANGUAGES = {
    "en": "English",
    "hi": "Hindi",
    "pa": "Punjabi",
    "ur": "Urdu",
    "tl": "Tagalog",
    "zh": "Chinese",
    "ar": "Arabic",
    "es": "Spanish",
    "nl": "Dutch",
}
OTHER_LANGUAGE = "lang-other"

_STATUSES = (
    ("status-needs-reply", "The last message is from the candidate."),
    ("status-media", "The candidate's latest message is media (image, document, audio, video)."),
)


def _build() -> tuple[Label, ...]:
    journey = [Label(title, "journey", text, JOURNEY_COLOR) for title, text in _JOURNEY]
    intents = [
        Label(title, "intent", text, ATTENTION_COLOR if title in _ATTENTION_INTENTS else INTENT_COLOR)
        for title, text in _INTENTS
    ]
    languages = [
        Label(f"lang-{code}", "language", f"Writes in {name}.", LANGUAGE_COLOR) for code, name in LANGUAGES.items()
    ]
    languages.append(Label(OTHER_LANGUAGE, "language", "Writes in another language.", LANGUAGE_COLOR))
    statuses = [Label(title, "status", text, STATUS_COLOR) for title, text in _STATUSES]
    return (*journey, *intents, *languages, *statuses)


LABELS: tuple[Label, ...] = _build()
_BY_TITLE = {item.title: item for item in LABELS}


def label(title: str) -> Label:
    """The catalogue entry for `title`; KeyError for a title that is not in the catalogue."""
    return _BY_TITLE[title]


def titles(group: str | None = None) -> tuple[str, ...]:
    """All titles in catalogue order, or those of one group."""
    if group is not None and group not in GROUPS:
        raise ValueError(f"unknown label group {group!r}")
    return tuple(item.title for item in LABELS if group is None or item.group == group)


def language_label(code: str) -> str:
    """The label for an ISO 639-1 code: `lang-xx` for the catalogue's languages, else `lang-other`."""
    return f"lang-{code}" if code in LANGUAGES else OTHER_LANGUAGE
