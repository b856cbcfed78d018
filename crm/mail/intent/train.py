"""Train the reply model on the training part of the corpus and write model.json.

    .venv/bin/python -m crm.mail.intent.train            # train on every training reply, write model.json
    .venv/bin/python -m crm.mail.intent.train --check    # fail if model.json is not what training makes
    .venv/bin/python -m crm.mail.intent.train --cv       # 5-fold cross-validation on the training part

The held-out fifth is never read here. Training is deterministic: features that occur in at least
MIN_COUNT training replies, L2-regularised softmax regression by full-batch gradient descent from
zero weights, a fixed number of steps. Settings were chosen by --cv alone.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Sequence

import numpy as np

from crm.mail.intent.corpus import INTENTS, LabelledReply, split
from crm.mail.intent.model import MODEL_FILE, ReplyModel, features
from crm.mail.parsing import reply_text

MIN_COUNT = 2
L2 = 1e-3
STEPS = 600
LEARNING_RATE = 0.5
FOLDS = 5
CUE_VALUE = 2.0
# Below these probabilities the answer is "unclear": chosen from --cv so that a label which ends a
# deal (not interested, unsubscribe, bounce) is rarely given wrongly, and other labels seldom.
THRESHOLDS = {"ending": 0.35, "other": 0.3}


def training_features(replies: Sequence[LabelledReply]) -> list[set[str]]:
    return [features(reply_text(reply.text)) for reply in replies]


def vocabulary_of(found: list[set[str]]) -> list[str]:
    counts = Counter(name for names in found for name in names)
    return sorted(name for name, count in counts.items() if count >= MIN_COUNT)


def values(names: list[str]) -> np.ndarray:
    """The value a present feature takes: cues count more than any one word or character n-gram."""
    return np.array([CUE_VALUE if name.startswith("cue:") else 1.0 for name in names])


def matrix(found: list[set[str]], vocabulary: dict[str, int], scale: np.ndarray) -> np.ndarray:
    rows = np.zeros((len(found), len(vocabulary)))
    for row, names in enumerate(found):
        columns = [vocabulary[n] for n in names if n in vocabulary]
        rows[row, columns] = scale[columns]
    return rows


def fit(x: np.ndarray, labels: np.ndarray, classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Softmax regression with an L2 penalty, by Nesterov-accelerated gradient descent."""
    target = np.eye(classes)[labels]
    weights, bias = np.zeros((x.shape[1], classes)), np.zeros(classes)
    velocity_w, velocity_b = np.zeros_like(weights), np.zeros_like(bias)
    scale = LEARNING_RATE / max(float(x.sum(axis=1).mean()), 1.0)
    for _ in range(STEPS):
        ahead_w, ahead_b = weights + 0.9 * velocity_w, bias + 0.9 * velocity_b
        scores = x @ ahead_w + ahead_b
        scores -= scores.max(axis=1, keepdims=True)
        probabilities = np.exp(scores)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        error = (probabilities - target) / len(x)
        velocity_w = 0.9 * velocity_w - scale * (x.T @ error + L2 * ahead_w)
        velocity_b = 0.9 * velocity_b - scale * error.sum(axis=0)
        weights, bias = weights + velocity_w, bias + velocity_b
    return weights, bias


def train(replies: Sequence[LabelledReply], found: list[set[str]] | None = None) -> ReplyModel:
    found = found if found is not None else training_features(replies)
    names = vocabulary_of(found)
    vocabulary = {name: i for i, name in enumerate(names)}
    labels = np.array([INTENTS.index(reply.intent) for reply in replies])
    scale = values(names)
    weights, bias = fit(matrix(found, vocabulary, scale), labels, len(INTENTS))
    weights *= scale[:, None]  # so that a prediction only adds the weights of the features present
    return ReplyModel(list(INTENTS), vocabulary, weights, bias, dict(THRESHOLDS))


def as_json(model: ReplyModel) -> str:
    return json.dumps(model.as_dict(), ensure_ascii=False, indent=0) + "\n"


def same_model(a: ReplyModel, b: ReplyModel) -> bool:
    """Equal up to a rounding step: another machine's floating point may differ in the last bits."""
    if (a.intents, a.thresholds, sorted(a.vocabulary)) != (b.intents, b.thresholds, sorted(b.vocabulary)):
        return False
    order = [b.vocabulary[name] for name in sorted(a.vocabulary, key=a.vocabulary.__getitem__)]
    step = max(float(np.abs(a.weights).max()), 1e-9) / 16000
    return bool(np.allclose(a.weights, b.weights[order], atol=step) and np.allclose(a.bias, b.bias, atol=1e-3))


def folds(replies: Sequence[LabelledReply]) -> list[int]:
    """A fold for each reply, by the hash of its id within its intent (stratified, deterministic)."""
    fold_of: dict[str, int] = {}
    for intent in INTENTS:
        ids = sorted((r.id for r in replies if r.intent == intent), key=lambda i: hashlib.sha256(i.encode()).digest())
        fold_of.update((reply_id, position % FOLDS) for position, reply_id in enumerate(ids))
    return [fold_of[reply.id] for reply in replies]


def cross_validate(replies: Sequence[LabelledReply]) -> list[tuple[LabelledReply, str, float]]:
    """(reply, predicted intent, confidence) for each training reply, from a model that did not see it."""
    found = training_features(replies)
    fold_of = folds(replies)
    results: list[tuple[LabelledReply, str, float]] = []
    for fold in range(FOLDS):
        inside = [i for i, f in enumerate(fold_of) if f != fold]
        model = train([replies[i] for i in inside], [found[i] for i in inside])
        for i, f in enumerate(fold_of):
            if f == fold:
                prediction = model.predict(reply_text(replies[i].text))
                results.append((replies[i], prediction.intent, prediction.confidence))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if model.json is stale")
    parser.add_argument("--cv", action="store_true", help="cross-validate on the training part and print figures")
    args = parser.parse_args(argv)
    training, _ = split()
    if args.cv:
        results = cross_validate(training)
        right = sum(reply.intent == predicted for reply, predicted, _ in results)
        print(f"{FOLDS}-fold cross-validation on {len(results)} training replies: accuracy {right / len(results):.3f}")
        for reply, predicted, confidence in results:
            if reply.intent != predicted:
                print(f"  {reply.id:<5} {reply.intent:>15} -> {predicted:<15} {confidence:.2f}")
        return 0
    model = train(training)
    if args.check:
        shipped = ReplyModel.from_dict(json.loads(MODEL_FILE.read_text(encoding="utf-8")))
        if not same_model(ReplyModel.from_dict(model.as_dict()), shipped):
            print(f"{MODEL_FILE.name} is stale: run python -m crm.mail.intent.train", file=sys.stderr)
            return 1
        return 0
    text = as_json(model)
    MODEL_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {MODEL_FILE} ({len(text):,} bytes) from {len(training)} training replies")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
