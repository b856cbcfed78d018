"""When an ordinary-word form ("Go", "R", "Excel", "Swift", "Deputy") is written as a skill.

Such a form is only considered when written exactly as in the taxonomy; these rules then read the line
around it. It is a skill in a list ("Python, Go and R", "Word, Excel, Outlook"), or mid-sentence clear of
names ("built it in Swift"), and otherwise only if another skill on the same line vouches for it (the
matcher checks that). It is never a skill when glued to other characters ("R&D", "Go-live"), when a
year or a function word follows ("Spring 2021", "go to", "Access to"), or inside a name ("Ruby Nguyen").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from recruiting.skills.text import Token, squash

_YEAR_AFTER_RE = re.compile(r"[ \t]+(?:19|20)\d\d\b")
_CONTEXT_CHARS = 200
_SHORT_FORM_LENGTH = 2
_ATTACHING_CHARS = frozenset({"-", "&", "'", "’"})
# fmt: off
# Words after which an ordinary-word form is the ordinary word ("go to", "Access to", "Word of mouth").
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "to", "of", "for", "from", "by", "at", "up", "out", "into", "is", "was", "are", "were", "be",
    "been", "that", "this", "it", "its", "your", "our", "my", "their", "his", "her", "me", "you", "we", "they",
    "away", "ahead", "back", "down", "over", "through", "off", "live", "beyond", "forward",
})
# Words that introduce an item of a list ("Python and R", "some Go", "in Excel"), and that close one
# ("Go and Rust"; not "in": "Excel in fast-paced teams" is the verb).
_LIST_WORDS = frozenset({
    "and", "or", "in", "of", "with", "using", "including", "like", "eg", "e.g", "plus", "&",
    "some", "basic", "advanced", "intermediate", "strong",
})
_LIST_END_WORDS = frozenset({"and", "or", "plus", "&"})
# A capitalised word before an ordinary-word form usually makes a name ("Sarah Jenkins", "Taylor Swift"),
# unless it is one of these cues ("Advanced Excel", "MS Word", "Senior Java Developer").
_CUE_WORDS = frozenset({
    "advanced", "proficient", "expert", "basic", "intermediate", "strong", "solid", "good", "excellent", "working",
    "fluent", "native", "ms", "microsoft", "using", "with", "in", "and", "or", "also", "including", "skills", "tools",
    "languages", "senior", "junior", "lead", "principal", "staff", "certified", "qualified", "experienced",
})
# fmt: on
_LIST_LEFT_CHARS = frozenset(",;:/(|[•·*+-–—&")
_LIST_RIGHT_CHARS = frozenset(",;:/()|].&+")
_SENTENCE_END_CHARS = frozenset(".!?:;•|*·-–—")  # dashes: a bullet starts a sentence too


class Verdict(Enum):
    ACCEPT = "accept"
    NEEDS_NEIGHBOUR = "needs_neighbour"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class Context:
    """What surrounds a candidate mention on its line."""

    list_left: bool
    list_right: bool
    sentence_initial: bool
    name_before: bool
    name_after: bool
    hard_stop: bool


def judge_ordinary_word(form: str, context: Context) -> Verdict:
    """Trust "Go", "Excel" or "Ruby" only in a list, mid-sentence clear of names, or next to other skills."""
    if context.hard_stop or context.name_after:
        return Verdict.REJECT
    if context.list_left and context.list_right:
        return Verdict.ACCEPT
    if len(squash(form)) <= _SHORT_FORM_LENGTH:
        return Verdict.REJECT
    if not context.sentence_initial and not context.name_before:
        return Verdict.ACCEPT
    return Verdict.NEEDS_NEIGHBOUR


def read_context(text: str, tokens: list[Token], first: int, stop: int, *, skill_follows: bool) -> Context:
    """The context of tokens [first, stop); `skill_follows` says a taxonomy skill starts right after."""
    start, end = tokens[first].start, tokens[stop - 1].end
    window = text[max(0, start - _CONTEXT_CHARS) : start]
    before = window.rstrip(" \t")
    after = text[end : end + _CONTEXT_CHARS]
    prev_word = _word_before(text, tokens, first)
    next_word = _word_after(text, tokens, stop)
    attached = (
        after[:1] in _ATTACHING_CHARS or after[:1].isalnum() or (before == window and before[-1:] in _ATTACHING_CHARS)
    )
    return Context(
        list_left=_list_left(before, prev_word),
        list_right=_list_right(after, next_word),
        sentence_initial=_sentence_initial(before),
        name_before=prev_word is not None and _is_capitalised(prev_word) and prev_word.lower() not in _CUE_WORDS,
        name_after=next_word is not None and _is_capitalised(next_word) and not skill_follows,
        hard_stop=attached or next_word in _FUNCTION_WORDS or bool(_YEAR_AFTER_RE.match(after)),
    )


def _word_before(text: str, tokens: list[Token], index: int) -> str | None:
    """The previous token when only spaces separate it from this one."""
    if index == 0:
        return None
    gap = text[tokens[index - 1].end : tokens[index].start]
    return text[tokens[index - 1].start : tokens[index - 1].end] if gap.strip(" \t") == "" else None


def _word_after(text: str, tokens: list[Token], index: int) -> str | None:
    """Token `index` when only spaces separate it from the one before."""
    if index >= len(tokens):
        return None
    gap = text[tokens[index - 1].end : tokens[index].start]
    return text[tokens[index].start : tokens[index].end] if gap.strip(" \t") == "" else None


def _list_left(before: str, prev_word: str | None) -> bool:
    if not before or before.endswith("\n"):
        return True
    return before[-1] in _LIST_LEFT_CHARS or (prev_word is not None and prev_word.lower() in _LIST_WORDS)


def _list_right(after: str, next_word: str | None) -> bool:
    rest = after.lstrip(" \t")
    if not rest or rest[0] in "\r\n":
        return True
    return rest[0] in _LIST_RIGHT_CHARS or (next_word is not None and next_word.lower() in _LIST_END_WORDS)


def _sentence_initial(before: str) -> bool:
    """Whether a form starts a sentence, a bullet or a line that does not continue the previous one."""
    stripped = before.rstrip()
    if not stripped:
        return True
    if stripped[-1] in _SENTENCE_END_CHARS:
        return True
    crossed_line = "\n" in before[len(stripped) :]
    # A wrapped line continues its sentence when the previous line ends mid-phrase (a lower-case word or comma).
    return crossed_line and not (stripped[-1].islower() or stripped[-1] == ",")


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and any(ch.islower() for ch in word[1:])
