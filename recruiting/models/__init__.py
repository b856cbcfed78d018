"""Recruiting models, one module per concept, re-exported here.

Modules import each other only downwards: candidates <- documents, skills <- roles <- matches.
Nothing here imports services, admin or integrations.
"""

from recruiting.models.candidates import READY_TO_PITCH, Candidate, ProcessingStatus, WorkPolicy
from recruiting.models.documents import Document, ExtractionStatus
from recruiting.models.matches import MATCHES_KEPT, JobMatch
from recruiting.models.roles import Role
from recruiting.models.skills import Proficiency, Skill, SkillCategory, SkillSource

__all__ = [
    "MATCHES_KEPT",
    "READY_TO_PITCH",
    "Candidate",
    "Document",
    "ExtractionStatus",
    "JobMatch",
    "Proficiency",
    "ProcessingStatus",
    "Role",
    "Skill",
    "SkillCategory",
    "SkillSource",
    "WorkPolicy",
]
