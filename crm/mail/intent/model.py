"""The reply model: features of a reply's new text, and a linear model over them (softmax).

Features are binary: words and word pairs (lower-cased, accents folded), character 3- to
5-grams inside words (for inflections, typos and scripts without spaces), the first word, the
length, and cues: short multilingual phrase lists of what each intent tends to say (cues.py).
The weights are learnt by train.py from the training part of the corpus and kept in
model.json; reading them here needs only the standard library and numpy.
"""

from __future__ import annotations

import base64
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from crm.mail.intent.cues import cue_names, fold

MODEL_FILE = Path(__file__).resolve().parent / "model.json"
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|[?!]", re.UNICODE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.I)
_PHONE = re.compile(r"(?<!\w)\+?\d[\d ()-]{7,}\d(?!\w)")
_DATE = re.compile(r"(?<![\d.])\b\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?\b(?![.-]\d)")  # not an SMTP status, 5.1.1
CHAR_SIZES = (3, 4)


def _placeholders(text: str) -> str:
    """Addresses, links, phone numbers and dates as words of their own kind."""
    text = _EMAIL.sub(" zzemail ", text)
    text = _URL.sub(" zzurl ", text)
    text = _PHONE.sub(" zzphone ", text)
    return _DATE.sub(" zzdate ", text)


def features(text: str) -> set[str]:
    folded = fold(text)
    words = _WORD.findall(fold(_placeholders(text)))
    found = {f"w:{w}" for w in words}
    found.update(f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False))
    for word in words:
        padded = f" {word} "
        for size in CHAR_SIZES:
            found.update(f"c:{padded[i : i + size]}" for i in range(len(padded) - size + 1))
    found.add(f"first:{words[0] if words else ''}")
    found.add(f"len:{_length_bucket(len(words))}")
    found.update(f"cue:{name}" for name in cue_names(folded))
    return found


def _length_bucket(count: int) -> str:
    return next((name for limit, name in ((1, "1"), (3, "2-3"), (8, "4-8"), (25, "9-25")) if count <= limit), "long")


@dataclass(frozen=True)
class Prediction:
    intent: str
    confidence: float


@dataclass
class ReplyModel:
    intents: list[str]
    vocabulary: dict[str, int]  # feature -> row of `weights`
    weights: np.ndarray  # features x intents
    bias: np.ndarray
    thresholds: dict[str, float] = field(default_factory=lambda: {"ending": 0.0, "other": 0.0})

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReplyModel:
        """model.json: the weights as little-endian int16 in base64, times `scale` (a 4th of the size of text)."""
        intents, names = list(data["intents"]), list(data["features"])
        quantised = np.frombuffer(base64.b64decode(data["weights"]), dtype="<i2")
        weights = (quantised.astype(np.float64) * data["scale"]).reshape(len(names), len(intents))
        vocabulary = {name: i for i, name in enumerate(names)}
        return cls(intents, vocabulary, weights, np.array(data["bias"], dtype=np.float64), dict(data["thresholds"]))

    def as_dict(self) -> dict[str, Any]:
        """Features whose weights round to nothing are left out: they change no prediction."""
        names = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        scale = float(np.abs(self.weights).max() or 1.0) / 32767
        quantised = np.round(self.weights / scale).astype("<i2")
        kept = np.flatnonzero(np.any(quantised != 0, axis=1))
        return {
            "intents": self.intents,
            "bias": [round(float(b), 4) for b in self.bias],
            "thresholds": self.thresholds,
            "features": [names[i] for i in kept],
            "scale": scale,
            "weights": base64.b64encode(quantised[kept].tobytes()).decode(),
        }

    def predict(self, text: str) -> Prediction:
        rows = [self.vocabulary[f] for f in features(text) if f in self.vocabulary]
        scores = self.weights[rows].sum(axis=0) + self.bias
        probabilities = np.exp(scores - scores.max())
        probabilities /= probabilities.sum()
        best = int(probabilities.argmax())
        return Prediction(self.intents[best], float(probabilities[best]))


@functools.cache
def load_model() -> ReplyModel:
    return ReplyModel.from_dict(json.loads(MODEL_FILE.read_text(encoding="utf-8")))
