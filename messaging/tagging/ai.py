"""The AI tagger: the model reads the last messages for intents and language; everything that comes
from history (journey, status, attributes) stays with the rules, and the rules take over entirely
when OpenAI is not configured or fails. Imports rules.py, catalogue.py and integrations.openai.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, field_validator

from integrations.openai.client import OpenAIError, complete_json, is_configured
from messaging.tagging.catalogue import label, titles
from messaging.tagging.rules import MessageView, Tags, build_tags, rank_intents, tag_conversation

logger = logging.getLogger(__name__)

PROMPT_MESSAGES = 10  # the latest messages shown to the model
MESSAGE_CHARS = 500  # per message; a pasted CV says nothing more about intent after this
MAX_TOKENS = 300
ISO_639_1 = re.compile(r"[a-z]{2}")

if TYPE_CHECKING:
    IntentTitle = str
else:  # the catalogue's intent titles, so the JSON schema sent to the model lists them as an enum
    IntentTitle = Literal[titles("intent")]


class AITags(BaseModel):
    intents: list[IntentTitle]
    language: str  # ISO 639-1, "" when unsure
    summary: str = ""

    @field_validator("intents", mode="before")
    @classmethod
    def _drop_unknown_intents(cls, value: Any) -> Any:
        """An intent outside the catalogue is the model's invention: drop it rather than fail the answer."""
        known = set(titles("intent"))
        return [item for item in value if item in known] if isinstance(value, list) else value

    @field_validator("language", mode="before")
    @classmethod
    def _iso_or_empty(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        code = value.strip().lower()
        return code if ISO_639_1.fullmatch(code) else ""


def tag_conversation_ai(
    messages: Sequence[MessageView], *, candidate_stage: str | None = None, now: datetime | None = None
) -> tuple[Tags, str]:
    """Tag with the model when it is configured and answers; returns (tags, "ai") or (tags, "rules")."""
    rules_tags = tag_conversation(messages, candidate_stage=candidate_stage, now=now)
    ordered = sorted(messages, key=lambda message: message.timestamp)
    transcript = _transcript(ordered[-PROMPT_MESSAGES:])
    if not transcript or not is_configured():
        return rules_tags, "rules"
    try:
        answer = complete_json(
            system=_system_prompt(), user=transcript, schema=AITags, max_tokens=MAX_TOKENS, temperature=0
        ).data
    except OpenAIError as exc:
        logger.warning("AI tagging failed, using the rules: %s", exc)
        return rules_tags, "rules"
    tags = build_tags(
        ordered,
        journey=rules_tags.journey,
        intents=rank_intents(answer.intents) or rules_tags.intents,
        language=answer.language or rules_tags.language,
        candidate_stage=candidate_stage,
    )
    return tags, "ai"


def _transcript(messages: Sequence[MessageView]) -> str:
    """One line per message, "in:" from the candidate and "out:" from us; "" when no candidate wrote text."""
    if not any(message.direction == "in" and message.text.strip() for message in messages):
        return ""
    return "\n".join(f"{message.direction}: {_line(message)}" for message in messages)


def _line(message: MessageView) -> str:
    text = " ".join(message.text.split())[:MESSAGE_CHARS]
    if message.type == "text":
        return text
    return f"[{message.type}] {text}".rstrip()


def _system_prompt() -> str:
    intents = "\n".join(f"- {title}: {label(title).description}" for title in titles("intent"))
    return (
        "You tag WhatsApp conversations between job candidates and an Australian recruiting agency.\n"
        'Lines starting "in:" are from the candidate, "out:" from the agency; [document], [image] and so on '
        "mark media.\n"
        "Give the intents of the candidate's latest messages (the last one matters most; none if nothing fits), "
        "chosen only from:\n"
        f"{intents}\n"
        "Give the ISO 639-1 code of the language the candidate writes in (romanised Hindi is hi), "
        'or "" if the messages are too short to tell, and a one-sentence summary. Answer in JSON.'
    )
