"""Scoring open roles for candidates and keeping the best matches (MATCHES_KEPT) per candidate.

Profiles are built from the models here; the scoring itself is recruiting.matching (pure code).
The role index is built once per set of open roles and reused while the roles do not change.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Prefetch
from django.utils import timezone

from recruiting.matching.engine import (
    CandidateProfile,
    MatchScore,
    RoleIndex,
    RoleProfile,
    Weights,
    match_candidate,
    match_candidates,
)
from recruiting.matching.places import place_parse
from recruiting.models import MATCHES_KEPT, Candidate, JobMatch, Role, Skill

REMATCH_CHUNK = 500
COPY_MATCHES = (
    "COPY recruiting_jobmatch (candidate_id, role_id, score, industry_score, location_score, policy_score, "
    "skills_score, explanation, computed_at) FROM STDIN"
)
_index_cache: dict[str, Any] = {}


def weights() -> Weights:
    return Weights(
        industry=settings.MATCH_WEIGHT_INDUSTRY,
        location=settings.MATCH_WEIGHT_LOCATION,
        policy=settings.MATCH_WEIGHT_POLICY,
        skills=settings.MATCH_WEIGHT_SKILLS,
    )


def candidate_profile(candidate: Candidate, skills: Iterable[str] | None = None) -> CandidateProfile:
    names = skills if skills is not None else candidate.skills.values_list("name", flat=True)
    return CandidateProfile(
        key=str(candidate.pk),
        industries=tuple(candidate.industries),
        place=place_parse(candidate.location, city=candidate.city, region=candidate.region, country=candidate.country),
        work_policy=candidate.work_policy,
        skills=tuple(sorted(set(names))),
    )


def role_profile(role: Role) -> RoleProfile:
    return RoleProfile(
        key=str(role.pk),
        title=role.title,
        industries=tuple(role.industries),
        place=place_parse(role.location, city=role.city, region=role.region, country=role.country),
        work_policy=role.work_policy,
        required_skills=tuple(role.required_skills),
        nice_skills=tuple(role.nice_to_have_skills),
    )


def open_roles_index() -> RoleIndex:
    """The index of open roles, rebuilt only when a role was added, changed or removed."""
    state = Role.objects.filter(is_open=True).aggregate(n=Count("id"), changed=Max("updated_at"), last=Max("id"))
    version = f"{state['n']}:{state['changed']}:{state['last']}"
    if _index_cache.get("version") != version:
        roles = [role_profile(role) for role in Role.objects.filter(is_open=True).order_by("pk")]
        _index_cache.update(version=version, index=RoleIndex(roles))
    index: RoleIndex = _index_cache["index"]
    return index


def _match_row(candidate_id: int, score: MatchScore, now: datetime) -> JobMatch:
    return JobMatch(
        candidate_id=candidate_id,
        role_id=int(score.role_key),
        score=score.total,
        industry_score=score.industry,
        location_score=score.location,
        policy_score=score.policy,
        skills_score=score.skills,
        explanation=score.explanation,
        computed_at=now,
    )


def matches_replace(*, scores: dict[int, Sequence[MatchScore]]) -> int:
    """The candidates' matches become exactly `scores` (one transaction for the lot)."""
    now = timezone.now()
    with transaction.atomic():
        JobMatch.objects.filter(candidate_id__in=list(scores)).delete()
        if connection.vendor == "postgresql":
            return _copy_matches(scores, now)
        rows = [_match_row(candidate_id, score, now) for candidate_id, found in scores.items() for score in found]
        JobMatch.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _copy_matches(scores: dict[int, Sequence[MatchScore]], now: datetime) -> int:
    """PostgreSQL's COPY: a full rematch writes tens of thousands of rows; bulk_create's INSERT of
    JSON arrays spends most of its time quoting them on the client."""
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(COPY_MATCHES) as copy:
        for candidate_id, found in scores.items():
            for score in found:
                copy.write_row((candidate_id, int(score.role_key), score.total, score.industry, score.location,
                                score.policy, score.skills, json.dumps(score.explanation), now))  # fmt: skip
                written += 1
    return written


def candidate_match(*, candidate: Candidate) -> int:
    """Score every open role for one candidate; keep the best MATCHES_KEPT. Returns how many were saved."""
    found = match_candidate(candidate_profile(candidate), open_roles_index(), limit=MATCHES_KEPT, weights=weights())
    return matches_replace(scores={candidate.pk: found})


def candidates_rematch(*, candidate_ids: Sequence[int] | None = None, chunk: int = REMATCH_CHUNK) -> int:
    """Rescore the given candidates (all when None) against the open roles, chunk by chunk."""
    index = open_roles_index()
    queryset = Candidate.objects.order_by("pk")
    if candidate_ids is not None:
        queryset = queryset.filter(pk__in=candidate_ids)
    ids = list(queryset.values_list("pk", flat=True))
    saved = 0
    for start in range(0, len(ids), chunk):
        saved += _rematch_chunk(ids[start : start + chunk], index)
    return saved


def _rematch_chunk(ids: list[int], index: RoleIndex) -> int:
    candidates = Candidate.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("skills", queryset=Skill.objects.only("candidate_id", "name"))
    )
    profiles = [candidate_profile(c, [s.name for s in c.skills.all()]) for c in candidates]
    found = match_candidates(profiles, index, limit=MATCHES_KEPT, weights=weights())
    return matches_replace(scores={int(key): scores for key, scores in found.items()})
