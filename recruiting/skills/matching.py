"""Finding taxonomy skills in free text: token n-gram lookup plus the context rules for ordinary words.

The text is tokenised once (see `text.tokenize`) and, at each token, the longest taxonomy form that starts
there wins, so "Java" never fires inside "JavaScript" and "Spring Boot" beats "Spring". Three lookups are
tried in turn: the exact token sequence; the squashed spelling ("Postgre SQL", "ReactJS", "Share Point");
and, for single long product names, one typo ("Kubernets"). Forms that are ordinary words ("Go", "R",
"Excel", "Swift") must be written exactly as in the taxonomy; `context` then decides from the line around
them, and a mention it leaves undecided counts only if another skill on the same line vouches for it.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from recruiting.skills.context import Verdict, judge_ordinary_word, read_context
from recruiting.skills.taxonomy import SkillEntry, Taxonomy, load_taxonomy
from recruiting.skills.text import Token, squash, squash_folded, tokenize

# Between the tokens of one multi-word name only spaces, hyphens, apostrophes and one line break may stand
# ("Machine\nLearning" after PDF wrapping, "front-end", "Women's Health"), not commas, full stops or a blank line.
_JOINABLE_GAP_RE = re.compile(r"[ \t\-–—'’]*(?:\r?\n[ \t\-–—'’]*)?")
_MAX_JOINED_TOKENS = 3
_MIN_JOINED_LENGTH = 5
_MIN_TYPO_LENGTH = 7
_TYPO_CATEGORIES = frozenset({"Tools", "Programming"})
_NEIGHBOUR_DISTANCE = 100
# Forms of two characters or fewer ("AI", "JS", "UX") match only in the case written: "ai" and "js" are noise.
_SHORT_FORM_LENGTH = 2
# Which neighbouring skills vouch for an ordinary-word form: a tool next to tools, a language next to languages.
_TECH = frozenset({"Programming", "Tools", "Technical"})
_VOUCHERS: dict[str, frozenset[str]] = {
    "Programming": _TECH,
    "Tools": _TECH,
    "Technical": _TECH,
    "Language": frozenset({"Language"}),
}
_ANY_CATEGORY = frozenset({"Programming", "Tools", "Technical", "Domain", "Soft Skills", "Certifications"})


@dataclass(frozen=True, slots=True)
class Mention:
    """One place in the text where a skill is written: [start, end) and the form that matched."""

    entry: SkillEntry
    start: int
    end: int
    form: str


@dataclass(frozen=True, slots=True)
class _Form:
    entry: SkillEntry
    text: str
    raw_tokens: tuple[str, ...]
    ordinary_word: bool
    case_sensitive: bool


class SkillMatcher:
    """Every form of every taxonomy skill, indexed for the three lookups."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self._exact: dict[tuple[str, ...], list[_Form]] = defaultdict(list)
        self._longest_from: dict[str, int] = {}
        self._joined: dict[str, _Form] = {}
        self._typo_keys: dict[str, set[str]] = defaultdict(set)
        for entry in taxonomy:
            for form_text in entry.forms:
                self._index(_make_form(entry, form_text))

    def find(self, text: str) -> list[Mention]:
        """Every skill mention in `text`, in order of position."""
        tokens = tokenize(text)
        scan = _Scan(self, text, tokens)
        index = 0
        while index < len(tokens):
            index += scan.match_at(index)
        return scan.resolve()

    def exact_forms(self, key: tuple[str, ...]) -> list[_Form]:
        return self._exact.get(key, [])

    def plural_forms(self, key: tuple[str, ...]) -> list[_Form]:
        """Forms whose last word is the singular of `key`'s ("stocktakes", "brand identities", "Excavators");
        ordinary words and short forms never match this way ("Words" is not Microsoft Word)."""
        last = key[-1]
        if len(last) <= 3 or not last.endswith("s") or last.endswith("ss"):
            return []
        singulars = {
            last[:-1],
            last[:-2] if last.endswith("es") else "",
            last[:-3] + "y" if last.endswith("ies") else "",
        }
        forms = [form for singular in singulars if singular for form in self.exact_forms((*key[:-1], singular))]
        return [form for form in forms if not form.case_sensitive]

    def longest_from(self, key: str) -> int:
        return self._longest_from.get(key, 0)

    def joined_form(self, key: str) -> _Form | None:
        return self._joined.get(key)

    def typo_form(self, key: str) -> _Form | None:
        """The single long product name `key` misspells by one edit, if exactly one fits."""
        variants = (key, *_deletions(key))
        candidates = {cand for variant in variants for cand in self._typo_keys.get(variant, ())}
        fits = [cand for cand in candidates if cand[0] == key[0] and OSA.distance(cand, key, score_cutoff=1) <= 1]
        return self._joined[fits[0]] if len(fits) == 1 else None

    def _index(self, form: _Form) -> None:
        key = _key(tokenize(form.text))
        if not key:
            return
        self._exact[key].append(form)
        self._longest_from[key[0]] = max(self._longest_from.get(key[0], 0), len(key))
        if form.ordinary_word:
            return
        squashed = squash(form.text)
        self._joined.setdefault(squashed, form)
        if _typo_candidate(form, squashed):
            for variant in (squashed, *_deletions(squashed)):
                self._typo_keys[variant].add(squashed)


class _Scan:
    """One pass over one text: the mentions found so far and those still waiting for a neighbour."""

    def __init__(self, matcher: SkillMatcher, text: str, tokens: list[Token]) -> None:
        self.matcher = matcher
        self.text = text
        self.tokens = tokens
        self.run_ends = _run_ends(text, tokens)
        self.keys = list(_key(tokens))
        self.squashed = [squash_folded(token.key) for token in tokens]
        self.accepted: list[Mention] = []
        self.waiting: list[Mention] = []

    def match_at(self, index: int) -> int:
        """Record the skill that starts at token `index`, if any; return how many tokens to move on."""
        for consumed in (self._exact_at, self._joined_at, self._typo_at):
            length = consumed(index)
            if length:
                return length
        return 1

    def resolve(self) -> list[Mention]:
        """The accepted mentions plus the waiting ones that a compatible skill on the same line vouches for."""
        vouched = [mention for mention in self.waiting if self._has_neighbour(mention)]
        return sorted([*self.accepted, *vouched], key=lambda mention: mention.start)

    def _exact_at(self, index: int) -> int:
        available = self.run_ends[index] - index
        for length in range(min(max(self.matcher.longest_from(self.keys[index]), 1), available), 0, -1):
            key = tuple(self.keys[index : index + length])
            for form in self.matcher.exact_forms(key) or self._plural_forms(key, index + length):
                verdict = self._judge(form, index, length)
                if verdict is not Verdict.REJECT:
                    self._record(form, index, length, verdict)
                    return length
        return 0

    def _plural_forms(self, key: tuple[str, ...], stop: int) -> list[_Form]:
        """Plurals, except inside a company name ("Apex Constructions Pty Ltd" is not Construction)."""
        following = self.tokens[stop] if stop < len(self.tokens) else None
        if following is not None and self.text[following.start].isupper() and stop < self.run_ends[stop - 1]:
            return []
        return self.matcher.plural_forms(key)

    def _joined_at(self, index: int) -> int:
        available = self.run_ends[index] - index
        for length in range(min(_MAX_JOINED_TOKENS, available), 0, -1):
            joined = "".join(self.squashed[index : index + length])
            form = self.matcher.joined_form(joined) if len(joined) >= _MIN_JOINED_LENGTH or length == 1 else None
            span = self.tokens[index : index + length]
            if form is not None and self._plausible_join(span) and self._case_ok(form, span):
                self._record(form, index, length, Verdict.ACCEPT)
                return length
        return 0

    def _typo_at(self, index: int) -> int:
        token = self.tokens[index]
        # Product names are written capitalised, misspelt or not; lower-case words are English ("containers").
        if len(token.key) < _MIN_TYPO_LENGTH or not token.key.isalpha() or not self.text[token.start].isupper():
            return 0
        form = self.matcher.typo_form(token.key)
        if form is None:
            return 0
        # A misspelt product name is believed only next to other tools: "Procure" is a verb, not Procore.
        self._record(form, index, 1, Verdict.NEEDS_NEIGHBOUR)
        return 1

    def _plausible_join(self, span: list[Token]) -> bool:
        """ "sales force" is not Salesforce: words joined across a space must be capitalised like a name."""
        if len(span) == 1:
            return True
        raw = self.text[span[0].start : span[-1].end]
        return not any(ch.isspace() for ch in raw) or any(ch.isupper() for ch in raw)

    def _case_ok(self, form: _Form, span: list[Token]) -> bool:
        if not form.case_sensitive:
            return True
        return tuple(self.text[token.start : token.end] for token in span) == form.raw_tokens

    def _judge(self, form: _Form, index: int, length: int) -> Verdict:
        span = self.tokens[index : index + length]
        if not self._case_ok(form, span):
            return Verdict.REJECT
        if not form.ordinary_word:
            return Verdict.ACCEPT
        stop = index + length
        context = read_context(self.text, self.tokens, index, stop, skill_follows=self._starts_skill(stop))
        return judge_ordinary_word(form.text, context)

    def _record(self, form: _Form, index: int, length: int, verdict: Verdict) -> None:
        mention = Mention(form.entry, self.tokens[index].start, self.tokens[index + length - 1].end, form.text)
        (self.accepted if verdict is Verdict.ACCEPT else self.waiting).append(mention)

    def _has_neighbour(self, mention: Mention) -> bool:
        vouchers = _VOUCHERS.get(mention.entry.category, _ANY_CATEGORY)
        for other in self.accepted:
            if other.entry.category not in vouchers or other.entry is mention.entry:
                continue
            low, high = min(other.start, mention.start), max(other.end, mention.end)
            if high - low <= _NEIGHBOUR_DISTANCE and "\n" not in self.text[low:high]:
                return True
        return False

    def _starts_skill(self, index: int) -> bool:
        """Whether a whole taxonomy form starts at token `index` ("Excel VBA": VBA is a skill, not a surname)."""
        if index >= len(self.tokens):
            return False
        longest = min(self.matcher.longest_from(self.keys[index]), self.run_ends[index] - index)
        keys = self.keys[index : index + longest]
        return any(self.matcher.exact_forms(tuple(keys[:length])) for length in range(longest, 0, -1))


def _key(tokens: list[Token]) -> tuple[str, ...]:
    """Token keys with "&" read as "and", so "Routing & Switching" is "Routing and Switching"."""
    return tuple("and" if token.key == "&" else token.key for token in tokens)


def _make_form(entry: SkillEntry, form_text: str) -> _Form:
    ordinary_word = entry.is_ambiguous_form(form_text)
    short = len(squash(form_text)) <= _SHORT_FORM_LENGTH
    raw_tokens = tuple(form_text[token.start : token.end] for token in tokenize(form_text))
    return _Form(entry, form_text, raw_tokens, ordinary_word, case_sensitive=ordinary_word or short)


def _typo_candidate(form: _Form, squashed: str) -> bool:
    """Only single-word product and language names are typo-tolerant: they are rarely English words."""
    return (
        form.entry.category in _TYPO_CATEGORIES
        and len(form.raw_tokens) == 1
        and len(squashed) >= _MIN_TYPO_LENGTH
        and squashed.isalpha()
    )


def _deletions(key: str) -> list[str]:
    return [key[:position] + key[position + 1 :] for position in range(len(key))]


def _run_ends(text: str, tokens: list[Token]) -> list[int]:
    """For each token, the index just past the last token it may join with to form one name."""
    ends = [0] * len(tokens)
    end = len(tokens)
    for index in range(len(tokens) - 1, -1, -1):
        if index + 1 < len(tokens) and not _joinable(text, tokens[index], tokens[index + 1]):
            end = index + 1
        ends[index] = end
    return ends


def _joinable(text: str, left: Token, right: Token) -> bool:
    """Whether two neighbouring tokens may belong to one name: close together, and not a line ending
    before a heading ("First Aid" then "SKILLS" on the next line is not "First Aid Skills")."""
    if not _JOINABLE_GAP_RE.fullmatch(text, left.end, right.start):
        return False
    if "\n" not in text[left.end : right.start]:
        return True
    word = text[right.start : right.end]
    return not (word.isupper() and len(word) > 3 and not text[left.start : left.end].isupper())


@functools.cache
def load_matcher() -> SkillMatcher:
    """The matcher over the packaged taxonomy, built once per process."""
    return SkillMatcher(load_taxonomy())
