"""Reading proficiency cues around skill mentions, and the evidence snippet that shows them.

A cue is a level word ("expert", "basic", "fluent" ...), a CEFR level for languages ("C1") or a duration
("5+ years of", "6 months"). A cue belongs to the mention in the same list item ("Python (expert), Java
(basic)"); a cue that opens a sentence before any skill ("Proficient in Python, Django and PostgreSQL",
"Advanced: Excel, Word") carries over to every skill after it in that sentence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from recruiting.skills.matching import Mention

PROFICIENCIES = ("beginner", "intermediate", "advanced", "expert")
EVIDENCE_LIMIT = 200

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}  # fmt: skip
_NUMBER = r"(?P<number>\d{1,2}(?:\.\d)?|" + "|".join(_NUMBER_WORDS) + ")"
# Group names say the level; `lang_` groups only count for human languages ("native iOS apps" is not a level).
_CUE_PATTERNS = (
    ("expert", r"expert|guru"),
    ("advanced", r"advanced|proficien(?:t|cy)|highly[ -]skilled|expertise|extensive"),
    ("advanced_2", r"in-depth|deep (?:knowledge|experience|understanding)|strong|fluent(?:ly)?"),
    ("intermediate", r"intermediate|working knowledge|competent|good (?:knowledge|understanding)"),
    ("beginner", r"basic|beginner|familiar(?:ity)?|elementary|exposure to|novice"),
    ("beginner_2", r"introductory|currently learning|some (?:knowledge|exposure|experience)"),
    ("lang_expert", r"native|mother tongue|first language|bilingual|(?-i:C2)"),
    ("lang_advanced", r"(?-i:C1)|fluency"),
    ("lang_intermediate", r"conversational|(?-i:B[12])"),
    ("lang_beginner", r"(?-i:A[12])"),
    ("years", _NUMBER + r"\s*\+?\s*(?:years?|yrs?)(?:'|’)?(?!\w)(?!\s+old)"),
    ("months", r"\d{1,2}\s*months?"),
)
# One word boundary around the whole alternation (not one per branch) keeps the scan fast on long CVs.
_CUE_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _CUE_PATTERNS) + r")\b", re.IGNORECASE
)
# A sentence ends at . ! ? ; before a space, or at a line break unless the line plainly continues (it
# ends in a lower-case word or a comma, as PDF text wraps, and the next line is not a bullet); list items
# end at , ; | • and line breaks.
_SENTENCE_END_RE = re.compile(r"[.!?;](?=\s)|\n")
# A new line does not continue the previous one when it is blank, a bullet or an upper-case heading.
_FRESH_LINE_RE = re.compile(r"[ \t]*(?:[-•*·–]\s|\d{1,2}[.)]\s|\r?\n|[A-Z][A-Z &/]{2,}\r?$)", re.MULTILINE)
_SEGMENT_CHARS = frozenset(",;|•\n")
_PREFIX_REACH = 150


@dataclass(frozen=True, slots=True)
class Cue:
    """A level cue at [start, end) of the text; `languages_only` cues (CEFR, "native") skip other skills."""

    start: int
    end: int
    level: str
    languages_only: bool


class ProficiencyReader:
    """Cues and sentence boundaries of one text, read once and looked up per mention."""

    def __init__(self, text: str, mentions: list[Mention]) -> None:
        self.text = text
        self.cues = [_cue(match) for match in _CUE_RE.finditer(text)]
        self.cue_starts = [cue.start for cue in self.cues]
        self.mention_starts = sorted(mention.start for mention in mentions)
        self.boundaries = _sentence_boundaries(text)

    def level(self, mention: Mention) -> str | None:
        """The level the text gives this mention, or None when it says nothing."""
        low, high = self.sentence(mention)
        cues = [cue for cue in self._cues_between(low, high) if _applies(cue, mention)]
        if not cues:
            return None
        segment = _segment(self.text, low, high, mention.start)
        inside = [cue for cue in cues if segment[0] <= cue.start and cue.end <= segment[1]]
        if inside:
            return min(inside, key=lambda cue: _distance(cue, mention)).level
        leading = [cue for cue in cues if cue.end <= mention.start and self._opens_list(cue, low, high)]
        reachable = [cue for cue in leading if mention.start - cue.end <= _PREFIX_REACH]
        return reachable[-1].level if reachable else None

    def sentence(self, mention: Mention) -> tuple[int, int]:
        """[start, end) of the sentence (or list line) holding the mention."""
        index = bisect.bisect_right(self.boundaries, mention.start)
        low = self.boundaries[index - 1] if index else 0
        high = self.boundaries[index] if index < len(self.boundaries) else len(self.text)
        return low, high

    def evidence(self, mention: Mention) -> str:
        """The sentence around the mention, whitespace collapsed, at most EVIDENCE_LIMIT characters."""
        low, high = self.sentence(mention)
        return _clip(self.text, low, high, mention)

    def _cues_between(self, low: int, high: int) -> list[Cue]:
        first = bisect.bisect_left(self.cue_starts, low)
        last = bisect.bisect_left(self.cue_starts, high)
        return self.cues[first:last]

    def _opens_list(self, cue: Cue, low: int, high: int) -> bool:
        """A cue before any skill of its list item leads the items after it ("Advanced: Excel, Word")."""
        seg_low, _ = _segment(self.text, low, high, cue.start)
        first = bisect.bisect_left(self.mention_starts, seg_low)
        return first >= len(self.mention_starts) or self.mention_starts[first] >= cue.start


def level_from_years(years: float) -> str:
    """Under 2 years is beginner, 2-4 intermediate, 5-7 advanced, 8 or more expert."""
    if years < 2:
        return "beginner"
    if years < 5:
        return "intermediate"
    return "advanced" if years < 8 else "expert"


def _cue(match: re.Match[str]) -> Cue:
    name = match.lastgroup or ""
    if name == "years":
        number = match.group("number").lower()
        level = level_from_years(float(_NUMBER_WORDS.get(number, 0) or number))
    elif name == "months":
        level = "beginner"
    else:
        level = name.removeprefix("lang_").removesuffix("_2")
    return Cue(match.start(), match.end(), level, languages_only=name.startswith("lang_"))


def _applies(cue: Cue, mention: Mention) -> bool:
    return not cue.languages_only or mention.entry.category == "Language"


def _distance(cue: Cue, mention: Mention) -> int:
    return max(cue.start - mention.end, mention.start - cue.end, 0)


def _sentence_boundaries(text: str) -> list[int]:
    boundaries = []
    for match in _SENTENCE_END_RE.finditer(text):
        if match.group() == "\n" and _continues(text, match.start()):
            continue
        boundaries.append(match.end())
    return boundaries


def _continues(text: str, newline: int) -> bool:
    """Whether the line ending at `newline` runs on into the next one (wrapped mid-phrase)."""
    line_end = text[max(0, newline - 80) : newline].rstrip()
    wrapped = bool(line_end) and (line_end[-1].islower() or line_end[-1] == ",")
    return wrapped and not _FRESH_LINE_RE.match(text, newline + 1)


def _segment(text: str, low: int, high: int, position: int) -> tuple[int, int]:
    """The list item holding `position`: bounded by , ; | • or a line break outside parentheses."""
    start = position
    depth = 0
    while start > low:
        ch = text[start - 1]
        depth += ch == ")"
        depth -= ch == "("
        if ch in _SEGMENT_CHARS and depth <= 0:
            break
        start -= 1
    end = position
    depth = 0
    while end < high:
        ch = text[end]
        depth += ch == "("
        depth -= ch == ")"
        if ch in _SEGMENT_CHARS and depth <= 0:
            break
        end += 1
    return start, end


def _clip(text: str, low: int, high: int, mention: Mention) -> str:
    """Collapse whitespace; if still too long, keep a window centred on the mention, cut at spaces."""
    sentence = " ".join(text[low:high].split()).rstrip(" ;,")
    if len(sentence) <= EVIDENCE_LIMIT:
        return sentence
    before = " ".join(text[low : mention.start].split())
    centre = len(before) + (mention.end - mention.start) // 2
    start = max(0, min(centre - EVIDENCE_LIMIT // 2, len(sentence) - EVIDENCE_LIMIT + 2))
    window = sentence[start : start + EVIDENCE_LIMIT - 2]
    if start > 0:
        window = "…" + window.split(" ", 1)[-1]
    if start + EVIDENCE_LIMIT - 2 < len(sentence):
        window = window.rsplit(" ", 1)[0] + "…"
    return window[:EVIDENCE_LIMIT]
