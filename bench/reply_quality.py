"""How well replies are read without an AI key: the offline reply model on the held-out replies.

    .venv/bin/python bench/reply_quality.py              # accuracy, confusion matrix, speed
    .venv/bin/python bench/reply_quality.py --verbose    # plus each held-out reply it got wrong

The corpus is crm/mail/intent/replies/*.jsonl (480 replies to the brands' sales and backlink
outreach, 14 languages, written apart from the rules); a fifth of each intent was held out before
anything was tuned and the model never trains on it. Each reply goes through what production runs
with no OPENAI_API_KEY: `reply_text` (drop the quoted thread), then `rules.classify_reply`. An
"unclear" answer counts as wrong for accuracy; it is what the rules say when unsure, and the deal
is flagged for a person. Baseline, in the same run: the regular expressions that classified
replies before the model (kept below as they were). Target: held-out accuracy >= 0.9.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm_site.settings")
os.environ.setdefault("ENV_FILE", "")
os.environ.setdefault("DEBUG", "true")
os.environ["OPENAI_API_KEY"] = ""
os.environ["AI_PROVIDER"] = "rules"

import django  # noqa: E402

django.setup()

from crm.ai import rules  # noqa: E402 - needs Django set up
from crm.mail.intent.corpus import INTENTS, LabelledReply, split  # noqa: E402
from crm.mail.parsing import reply_text  # noqa: E402

ENDING = ("not_interested", "unsubscribe", "bounce")
Classifier = Callable[[str], str]

# --- the baseline: the rules as they were before the model --------------------------------------
_UNSUBSCRIBE = re.compile(
    r"unsubscribe|remove me|take me off|stop (e-?mailing|contacting|sending)|opt[- ]?out|do not (e-?mail|contact)", re.I
)
_OUT_OF_OFFICE = re.compile(
    r"out of (the )?office|on (annual |parental )?leave|away (until|from)|automatic reply|auto-?reply|"
    r"back (on|in the office)|limited access to (my )?e-?mail",
    re.I,
)
_NOT_INTERESTED = re.compile(
    r"not interested|no,? thanks|no thank you|not for us|not right now|not at (the|this) (moment|time)|"
    r"don'?t (contact|email)|"
    r"not a (good )?fit|we('re| are) (all )?(good|set|covered)|already (have|work with)|pass on this|no need",
    re.I,
)
_INTERESTED = re.compile(
    r"\binterested\b|sounds (good|great|interesting)|let'?s (talk|chat|meet|do it)|\b(a |book a |schedule a )?call\b|"
    r"\bmeeting\b|happy to|keen|love to|tell me more|send (me|over) (more|the|a)|\bavailable\b|go ahead|\byes\b",
    re.I,
)


def regex_baseline(text: str) -> str:
    for pattern, intent in ((_UNSUBSCRIBE, "unsubscribe"), (_OUT_OF_OFFICE, "out_of_office"),
                            (_NOT_INTERESTED, "not_interested"), (_INTERESTED, "interested")):  # fmt: skip
        if pattern.search(text):
            return intent
    return "question"


def model(text: str) -> str:
    return str(rules.classify_reply(text)["intent"])


# --- measuring -----------------------------------------------------------------------------------


def answers(classify: Classifier, replies: Sequence[LabelledReply]) -> list[str]:
    return [classify(reply_text(reply.text)[:4000]) for reply in replies]


def report(label: str, replies: Sequence[LabelledReply], given: list[str]) -> float:
    right = sum(reply.intent == answer for reply, answer in zip(replies, given, strict=True))
    unclear = given.count("unclear")
    ending_wrong = sum(a in ENDING and r.intent != a for r, a in zip(replies, given, strict=True))
    ended_live = sum(a in ENDING and r.intent in ("interested", "question", "referral")
                     for r, a in zip(replies, given, strict=True))  # fmt: skip
    accuracy = right / len(replies)
    print(f"\n{label}: accuracy {accuracy:.3f} ({right}/{len(replies)}); unclear {unclear}; wrong 'ending' "
          f"labels {ending_wrong}, of which on a live deal (interested, question, referral) {ended_live}")  # fmt: skip
    return accuracy


def confusion(replies: Sequence[LabelledReply], given: list[str]) -> None:
    columns = [*INTENTS, "unclear"]
    short = {
        intent: intent.replace("not_interested", "not_int").replace("out_of_office", "ooo")[:9] for intent in columns
    }
    counts = Counter(zip((r.intent for r in replies), given, strict=True))
    print("  truth \\ answer   " + " ".join(f"{short[c]:>9}" for c in columns) + "   recall  precision")
    for truth in INTENTS:
        row = [counts[(truth, answer)] for answer in columns]
        recall = counts[(truth, truth)] / max(sum(row), 1)
        answered = sum(counts[(t, truth)] for t in INTENTS)
        precision = counts[(truth, truth)] / answered if answered else 0.0
        print(f"  {truth:<16} " + " ".join(f"{n:>9}" for n in row) + f"   {recall:6.2f}  {precision:9.2f}")


def by_language(replies: Sequence[LabelledReply], given: list[str]) -> None:
    tally: dict[str, list[int]] = {}
    for reply, answer in zip(replies, given, strict=True):
        group = tally.setdefault("English" if reply.language == "en" else "other languages", [0, 0])
        group[0] += reply.intent == answer
        group[1] += 1
    print("  by language: " + ", ".join(f"{name} {right}/{total} ({right / total:.2f})"
                                        for name, (right, total) in sorted(tally.items())))  # fmt: skip


def microseconds_per_reply(classify: Classifier, texts: list[str], rounds: int = 5) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for text in texts:
            classify(text)
        samples.append((time.perf_counter() - start) / len(texts) * 1e6)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="print each held-out reply the model got wrong")
    args = parser.parse_args()
    training, held_out = split()
    print(f"{len(training) + len(held_out)} labelled replies; {len(held_out)} held out before tuning, "
          f"{len(training)} used to train")  # fmt: skip

    ours = answers(model, held_out)
    accuracy = report(f"offline model, held out ({len(held_out)})", held_out, ours)
    confusion(held_out, ours)
    by_language(held_out, ours)
    if args.verbose:
        for reply, answer in zip(held_out, ours, strict=True):
            if reply.intent != answer:
                print(f"    {reply.id} {reply.intent} -> {answer}: {reply_text(reply.text)[:160]!r}")

    baseline = answers(regex_baseline, held_out)
    baseline_accuracy = report("baseline: the regular expressions before the model, held out", held_out, baseline)
    confusion(held_out, baseline)
    report("offline model on its own training replies (seen in training; not a quality figure)", training,
           answers(model, training))  # fmt: skip

    print(f"\nheld-out accuracy: model {accuracy:.3f} / baseline {baseline_accuracy:.3f} = "
          f"{accuracy / baseline_accuracy:.2f}x (target: model >= 0.9)")  # fmt: skip
    texts = [reply_text(reply.text)[:4000] for reply in training + held_out]
    ours_us, baseline_us = microseconds_per_reply(model, texts), microseconds_per_reply(regex_baseline, texts)
    print(f"speed: {ours_us:.0f} µs per reply, baseline {baseline_us:.0f} µs ({ours_us / baseline_us:.1f}x)")


if __name__ == "__main__":
    main()
