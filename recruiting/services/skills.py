"""A candidate's skills from their CV text: the model when there is a key, else the offline extractor.

Either way names are folded through the taxonomy (JS = JavaScript), so matching compares like
with like. Text that is not there is never sent to the model: given nothing, it invents a CV.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from django.db import transaction
from pydantic import BaseModel, Field

from integrations.openai.client import OpenAIError, complete_json, is_configured
from recruiting.models import Candidate, Document, ExtractionStatus, Skill, SkillCategory, SkillSource
from recruiting.skills.offline import PROFICIENCIES, ExtractedSkill, extract_skills
from recruiting.skills.taxonomy import load_taxonomy

logger = logging.getLogger(__name__)

MAX_CV_CHARS = 12_000  # about 3,000 tokens: a long CV's substance, at a bounded price
SYSTEM = (
    "You extract skills from a CV for a recruiting agency. Return only skills the CV states or "
    "clearly shows (tools, programming languages, technical and domain skills, certifications, "
    "spoken languages, soft skills). For each: name (short canonical name, e.g. 'JavaScript'), "
    "category (Technical, Programming, Language, Soft Skills, Tools, Certifications, Domain), "
    "proficiency (beginner, intermediate, advanced, expert; judge from years and wording) and "
    "evidence (a short quote from the CV). Never invent skills that are not in the text."
)


class AISkill(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    category: Literal["Technical", "Programming", "Language", "Soft Skills", "Tools", "Certifications", "Domain"]
    proficiency: Literal["beginner", "intermediate", "advanced", "expert"] = "intermediate"
    evidence: str = Field(default="", max_length=400)


class AISkills(BaseModel):
    skills: list[AISkill] = Field(max_length=150)


@dataclass(frozen=True)
class SkillsOutcome:
    count: int
    source: str
    note: str = ""


def skills_from_ai(text: str) -> list[ExtractedSkill]:
    answer = complete_json(
        system=SYSTEM, user=f"CV:\n{text[:MAX_CV_CHARS]}", schema=AISkills, max_tokens=2500, temperature=0
    )
    taxonomy = load_taxonomy()
    found: dict[str, ExtractedSkill] = {}
    for skill in answer.data.skills:
        entry = taxonomy.canonical(skill.name)
        name = entry.name if entry else taxonomy.normalise(skill.name)
        category = entry.category if entry else skill.category
        if name and name.lower() not in found:
            found[name.lower()] = ExtractedSkill(name, category, skill.proficiency, skill.evidence[:200])
    return sorted(found.values(), key=lambda s: s.name.lower())


def candidate_skills_extract(*, candidate: Candidate, document: Document | None) -> SkillsOutcome:
    """Replace the candidate's skills with those of `document`; leave them alone when it has no text,
    or when they were already read from this CV the way they would be read now (no second model call
    for a webhook delivered again)."""
    if document is None or document.extraction_status != ExtractionStatus.EXTRACTED:
        reason = (
            "no CV" if document is None else f"the CV has no usable text ({document.get_extraction_status_display()})"
        )
        return SkillsOutcome(0, "", f"skills not extracted: {reason}")
    if document.skills_source == (SkillSource.AI if is_configured() else SkillSource.RULES):
        return SkillsOutcome(candidate.skills.count(), document.skills_source, "the CV is unchanged; skills kept")
    source, note = SkillSource.RULES, ""
    if is_configured():
        try:
            skills, source = skills_from_ai(document.text), SkillSource.AI
        except OpenAIError as exc:
            note = f"the model failed ({exc}); used the offline extractor"
            logger.warning("skills for candidate %s: %s", candidate.pk, note)
    if source == SkillSource.RULES:
        skills = extract_skills(document.text)
    skills_replace(candidate=candidate, skills=skills, source=source)
    Document.objects.filter(pk=document.pk).update(skills_source=source)
    return SkillsOutcome(len(skills), str(source), note)


def skills_replace(*, candidate: Candidate, skills: list[ExtractedSkill], source: str) -> None:
    categories = set(SkillCategory.values)
    with transaction.atomic():
        candidate.skills.all().delete()
        Skill.objects.bulk_create(
            Skill(
                candidate=candidate,
                name=skill.name[:150],
                category=skill.category if skill.category in categories else SkillCategory.TECHNICAL,
                proficiency=skill.proficiency if skill.proficiency in PROFICIENCIES else "intermediate",
                source=source,
                evidence=skill.evidence,
            )
            for skill in skills
        )
