"""The skill taxonomy: canonical skills with categories and aliases, loaded from data/skills.json.

`Taxonomy.canonical` folds the names a model (or a recruiter) writes onto the canonical entry, so that
"JS", "javascript" and "Java Script" are all stored as JavaScript; `normalise` does the same but still
returns a tidy name for skills the taxonomy does not know. The JSON is built by data/build_taxonomy.py.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from recruiting.skills.text import fold, squash

CATEGORIES = ("Technical", "Programming", "Language", "Soft Skills", "Tools", "Certifications", "Domain")
DATA_PATH = Path(__file__).parent / "data" / "skills.json"

# Fuzzy folding is for typos and spacing in names a model returns ("Kubernets", "Tensor Flow 2"), so it
# must stay conservative: short names are too close to each other ("Java"/"Jade") to fold safely.
_FUZZY_MIN_LENGTH = 4
_FUZZY_CUTOFF = 92.0
_PARENTHETICAL_RE = re.compile(r"\s*[(\[{][^)\]}]*[)\]}]")
_VERSION_SUFFIX_RE = re.compile(r"(?:\s+v?\d+(?:\.\d+)*\+?|\s+(?:19|20)\d\d)+$", re.IGNORECASE)
_EDGE_PUNCTUATION = " \t\r\n-–—:;,.*•·|/"
_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"})


@dataclass(frozen=True)
class SkillEntry:
    """One canonical skill. `ambiguous` says the name is an ordinary word ("Go", "Swift") and
    `ambiguous_aliases` lists aliases that are ("Word" for Microsoft Word): the matcher only trusts
    those forms written exactly as here and in a list or skill context."""

    name: str
    category: str
    aliases: tuple[str, ...]
    ambiguous: bool = False
    ambiguous_aliases: frozenset[str] = frozenset()

    @property
    def forms(self) -> tuple[str, ...]:
        """The name followed by every alias: each way the skill may be written."""
        return (self.name, *self.aliases)

    def is_ambiguous_form(self, form: str) -> bool:
        """Whether this written form of the skill is also an ordinary word."""
        return (form == self.name and self.ambiguous) or form in self.ambiguous_aliases


class Taxonomy:
    """Canonical skills, looked up by any of their forms regardless of case, spaces and punctuation."""

    def __init__(self, entries: tuple[SkillEntry, ...]) -> None:
        self.entries = entries
        self._by_key: dict[str, SkillEntry] = {}
        for entry in entries:
            for form in entry.forms:
                self._by_key.setdefault(squash(form), entry)
        self._fuzzy_choices = {
            fold(form): entry for entry in entries for form in entry.forms if len(squash(form)) >= _FUZZY_MIN_LENGTH
        }

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[SkillEntry]:
        return iter(self.entries)

    def canonical(self, raw: str) -> SkillEntry | None:
        """The entry `raw` names: exactly (any case or punctuation), without qualifiers or versions
        ("Python (primary)", "Python 3.11"), or else by a conservative fuzzy match on longer names."""
        for candidate in _lookup_candidates(raw):
            entry = self._by_key.get(squash(candidate))
            if entry is not None:
                return entry
        return self._fuzzy(_strip_qualifiers(raw))

    def normalise(self, raw: str) -> str:
        """The canonical name if known, else `raw` tidied: qualifiers dropped, lower-case words capitalised."""
        entry = self.canonical(raw)
        return entry.name if entry is not None else _tidy_title(_strip_qualifiers(raw))

    def _fuzzy(self, cleaned: str) -> SkillEntry | None:
        query = fold(cleaned)
        if len(squash(query)) < _FUZZY_MIN_LENGTH:
            return None
        for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
            best = process.extractOne(query, self._fuzzy_choices.keys(), scorer=scorer, score_cutoff=_FUZZY_CUTOFF)
            if best is not None:
                return self._fuzzy_choices[best[0]]
        return None


def _strip_qualifiers(raw: str) -> str:
    """Drop parenthetical qualifiers and a trailing version: "Python 3.11 (primary)" -> "Python"."""
    without_parentheses = _PARENTHETICAL_RE.sub("", raw)
    return _VERSION_SUFFIX_RE.sub("", without_parentheses.strip(_EDGE_PUNCTUATION)).strip(_EDGE_PUNCTUATION)


def _lookup_candidates(raw: str) -> tuple[str, ...]:
    return (raw, _strip_qualifiers(raw), _PARENTHETICAL_RE.sub("", raw))


def _tidy_title(text: str) -> str:
    """Capitalise all-lower-case words ("machine vision" -> "Machine Vision") but keep "iOS" and "SQL"."""
    words = text.split()
    tidied = [
        word if (word != word.lower() or (index and word in _SMALL_WORDS)) else word[:1].upper() + word[1:]
        for index, word in enumerate(words)
    ]
    return " ".join(tidied)


def _entry_from_json(item: dict[str, object]) -> SkillEntry:
    aliases = item.get("aliases", [])
    ambiguous_aliases = item.get("ambiguous_aliases", [])
    if not isinstance(aliases, list) or not isinstance(ambiguous_aliases, list):
        raise ValueError(f"skills.json: aliases of {item.get('name')!r} must be lists")
    return SkillEntry(
        name=str(item["name"]),
        category=str(item["category"]),
        aliases=tuple(str(alias) for alias in aliases),
        ambiguous=bool(item.get("ambiguous", False)),
        ambiguous_aliases=frozenset(str(alias) for alias in ambiguous_aliases),
    )


@functools.cache
def load_taxonomy() -> Taxonomy:
    """The taxonomy in data/skills.json, read once per process."""
    with DATA_PATH.open(encoding="utf-8") as handle:
        items = json.load(handle)
    return Taxonomy(tuple(_entry_from_json(item) for item in items))
