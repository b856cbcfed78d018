"""The offline CV skill extractor, used when no language model is configured.

`extract_skills` finds every taxonomy skill written in a CV's text (`matching`), reads how well the
candidate claims to know it (`proficiency`) and returns one entry per canonical skill, sorted by name.
It is deterministic and needs nothing but the packaged taxonomy.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from recruiting.skills.matching import Mention, load_matcher
from recruiting.skills.proficiency import PROFICIENCIES, ProficiencyReader

__all__ = ["DEFAULT_PROFICIENCY", "PROFICIENCIES", "ExtractedSkill", "extract_skills"]

DEFAULT_PROFICIENCY = "intermediate"
_RANK = {level: rank for rank, level in enumerate(PROFICIENCIES)}


@dataclass(frozen=True)
class ExtractedSkill:
    """A skill found in a CV: canonical name and category, the claimed level and where it was written."""

    name: str
    category: str
    proficiency: str
    evidence: str


def extract_skills(text: str) -> list[ExtractedSkill]:
    """Every taxonomy skill written in `text`, once each, sorted by name."""
    if not text.strip():
        return []
    mentions = load_matcher().find(text)
    reader = ProficiencyReader(text, mentions)
    by_skill: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_skill[mention.entry.name].append(mention)
    skills = [_summarise(reader, skill_mentions) for skill_mentions in by_skill.values()]
    return sorted(skills, key=lambda skill: (skill.name.casefold(), skill.name))


def _summarise(reader: ProficiencyReader, mentions: list[Mention]) -> ExtractedSkill:
    """The highest level any mention claims (else the default), with that mention's sentence as evidence."""
    levelled = [(level, mention) for mention in mentions if (level := reader.level(mention)) is not None]
    level, chosen = max(levelled, key=lambda pair: _RANK[pair[0]]) if levelled else (DEFAULT_PROFICIENCY, mentions[0])
    entry = chosen.entry
    return ExtractedSkill(entry.name, entry.category, level, reader.evidence(chosen))
