"""Read-side queries of recruiting, as plain JSON-ready rows for the endpoints and the admin."""

from __future__ import annotations

from typing import Any

from recruiting.models import Candidate, JobMatch


def candidate_matches(candidate: Candidate, limit: int) -> list[dict[str, Any]]:
    matches = JobMatch.objects.filter(candidate=candidate).select_related("role").order_by("-score", "role_id")
    return [
        {
            "role_id": match.role_id,
            "title": match.role.title,
            "company": match.role.company,
            "location": match.role.location,
            "work_policy": match.role.work_policy,
            "score": match.score,
            "breakdown": {
                "industry": match.industry_score,
                "location": match.location_score,
                "work_policy": match.policy_score,
                "skills": match.skills_score,
            },
            "explanation": match.explanation,
            "computed_at": match.computed_at.isoformat(),
        }
        for match in matches[:limit]
    ]


def candidate_skills(candidate: Candidate) -> list[dict[str, Any]]:
    rows = candidate.skills.order_by("category", "name").values("name", "category", "proficiency", "source", "evidence")
    return [dict(row) for row in rows]


def candidate_by_phone(phone: str) -> Candidate | None:
    """The candidate with this E.164 phone (the most recently updated, should two share it)."""
    return Candidate.objects.filter(phone=phone).order_by("-updated_at").first() if phone else None
