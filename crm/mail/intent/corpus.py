"""The labelled reply corpus (replies/*.jsonl) and its held-out fifth.

Each line is {"id", "intent", "language", "text"}: a reply body as the inbox shows it, quoted
thread and signature included. The held-out ids (replies/held_out.txt) were drawn once, before
any rule or model was tuned, a fifth of each intent (the items of each intent ordered by the
sha256 of their id, every fifth taken); training and tuning read only the rest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

REPLIES_DIR = Path(__file__).resolve().parent / "replies"
HELD_OUT_FILE = REPLIES_DIR / "held_out.txt"
INTENTS = ("interested", "question", "not_interested", "unsubscribe", "out_of_office", "referral", "bounce")


@dataclass(frozen=True)
class LabelledReply:
    id: str
    intent: str
    language: str
    text: str


def load_corpus() -> list[LabelledReply]:
    replies = []
    for path in sorted(REPLIES_DIR.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                item = json.loads(line)
                if item["intent"] not in INTENTS:
                    raise ValueError(f"{path.name}:{number}: unknown intent {item['intent']!r}")
                replies.append(LabelledReply(item["id"], item["intent"], item["language"], item["text"]))
    return replies


def draw_held_out(replies: list[LabelledReply]) -> list[str]:
    """A fifth of each intent, by the hash of the id: how held_out.txt was drawn."""
    held_out: list[str] = []
    for intent in INTENTS:
        ids = sorted((r.id for r in replies if r.intent == intent), key=lambda i: hashlib.sha256(i.encode()).digest())
        held_out.extend(ids[::5])
    return sorted(held_out)


def held_out_ids() -> frozenset[str]:
    return frozenset(HELD_OUT_FILE.read_text().split())


def split() -> tuple[list[LabelledReply], list[LabelledReply]]:
    """(training, held out)."""
    replies, held = load_corpus(), held_out_ids()
    return [r for r in replies if r.id not in held], [r for r in replies if r.id in held]
