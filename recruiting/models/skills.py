"""Skill: what a candidate can do, extracted from their CV by the model or the offline extractor."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from recruiting.models.candidates import Candidate


class SkillCategory(models.TextChoices):
    TECHNICAL = "Technical", _("Technical")
    PROGRAMMING = "Programming", _("Programming")
    LANGUAGE = "Language", _("Language")
    SOFT_SKILLS = "Soft Skills", _("Soft Skills")
    TOOLS = "Tools", _("Tools")
    CERTIFICATIONS = "Certifications", _("Certifications")
    DOMAIN = "Domain", _("Domain")


class Proficiency(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
    EXPERT = "expert", _("Expert")


class SkillSource(models.TextChoices):
    AI = "ai", _("AI")
    RULES = "rules", _("Rules (offline)")


class Skill(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=150, help_text=_("Normalised: aliases folded (JS = JavaScript)"))
    category = models.CharField(max_length=20, choices=SkillCategory.choices)
    proficiency = models.CharField(max_length=12, choices=Proficiency.choices, default=Proficiency.INTERMEDIATE)
    source = models.CharField(max_length=5, choices=SkillSource.choices)
    evidence = models.TextField(blank=True, help_text=_("Where the CV says so"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "name"]
        constraints = [models.UniqueConstraint(fields=["candidate", "name"], name="skill_once_per_candidate")]

    def __str__(self) -> str:
        return self.name
