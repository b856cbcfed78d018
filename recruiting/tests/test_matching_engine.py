"""The match engine: each criterion's rules, weights, determinism, explanations, and the
vectorised path agreeing with the naive one."""

import json
import random
import subprocess
import sys

import pytest

from recruiting.matching.engine import (
    CandidateProfile,
    RoleIndex,
    RoleProfile,
    Weights,
    industries_match,
    match_candidate,
    match_candidates,
    naive_match_candidate,
    normalise_industry,
)
from recruiting.matching.places import place_parse

ONLY_INDUSTRY = Weights(industry=1, location=0, policy=0, skills=0)
ONLY_LOCATION = Weights(industry=0, location=1, policy=0, skills=0)
ONLY_POLICY = Weights(industry=0, location=0, policy=1, skills=0)
ONLY_SKILLS = Weights(industry=0, location=0, policy=0, skills=1)


def candidate(key="c1", industries=("Accounting",), location="Sydney NSW", policy="hybrid", skills=("Excel",)):
    return CandidateProfile(key, tuple(industries), place_parse(location), policy, tuple(skills))


def role(key="r1", industries=("Accounting",), location="Sydney NSW", policy="hybrid", required=("Excel",), nice=()):
    return RoleProfile(
        key, f"Role {key}", tuple(industries), place_parse(location), policy, tuple(required), tuple(nice)
    )


DEFAULT = Weights()


def score_of(person, job, weights=DEFAULT):
    """The single match, checked to be the same on both paths."""
    [fast] = match_candidate(person, RoleIndex([job]), weights=weights)
    assert naive_match_candidate(person, [job], weights=weights) == [fast]
    return fast


@pytest.mark.parametrize(
    ("mine", "theirs"),
    [("Healthcare", "Health Care"), ("IT & Telecoms", "IT and Telecommunications"), ("Accouting", "Accounting"),
     ("Mining & Resources", "mining and resources"), ("Banking/Finance", "Banking & Finance")],
)  # fmt: skip
def test_industry_spelling_variants_match(mine, theirs):
    # given / when
    found = score_of(candidate(industries=[mine]), role(industries=[theirs]), ONLY_INDUSTRY)

    # then
    assert found.industry == 100
    assert found.explanation["matched_industries"] == [theirs]
    assert found.explanation["industry_reason"] == f"Industry match: {theirs}"


@pytest.mark.parametrize(("a", "b"), [("Construction", "Consulting"), ("Retail", "Real Estate"), ("Mining", "Legal")])
def test_different_industries_do_not_match(a, b):
    # given / when
    found = score_of(candidate(industries=[a]), role(industries=[b]), ONLY_INDUSTRY)

    # then
    assert not industries_match(normalise_industry(a), normalise_industry(b))
    assert found.industry == 0
    assert found.explanation["industry_reason"] == f"Different industry (role: {b}; candidate: {a})"


def test_industry_matches_when_any_role_tag_matches_any_candidate_industry():
    # given
    person = candidate(industries=["Retail", "Banking"])
    job = role(industries=["Banking", "Insurance", "Finance"])

    # when
    found = score_of(person, job, ONLY_INDUSTRY)

    # then
    assert (found.industry, found.explanation["matched_industries"]) == (100, ["Banking"])


@pytest.mark.parametrize(
    ("mine", "theirs", "reason"),
    [((), ["Mining"], "No industry on file for the candidate"), (["Mining"], (), "The role has no industry tags")],
)
def test_industry_unknown_on_either_side_is_neutral(mine, theirs, reason):
    # given / when
    found = score_of(candidate(industries=mine), role(industries=theirs), ONLY_INDUSTRY)

    # then
    assert (found.industry, found.explanation["industry_reason"]) == (50, reason)


@pytest.mark.parametrize(
    ("mine", "theirs", "expected"),
    [("Sydney NSW", "sydney", 100), ("Parramatta", "Sydney", 100), ("Newcastle NSW", "Sydney", 70),
     ("Melbourne", "Sydney", 40), ("London", "Sydney", 0), ("", "Sydney", 30), ("Sydney", "", 30)],
)  # fmt: skip
def test_location_follows_place_similarity(mine, theirs, expected):
    # given / when
    found = score_of(candidate(location=mine), role(location=theirs, policy="office"), ONLY_LOCATION)

    # then
    assert found.location == expected


@pytest.mark.parametrize("where", ["London", "", "Remote – Australia"])
def test_remote_roles_are_location_neutral(where):
    # given a remote role, wherever the candidate is
    job = role(location="Sydney", policy="remote")

    # when
    found = score_of(candidate(location=where, policy="remote"), job, ONLY_LOCATION)

    # then
    assert found.location == 100
    assert found.explanation["location_reason"] == "Remote role: location does not matter"


POLICY_MATRIX = [
    ("remote", "remote", 100),
    ("hybrid", "remote", 100), ("hybrid", "hybrid", 100), ("hybrid", "office", 80),
    ("office", "remote", 100), ("office", "hybrid", 100), ("office", "office", 100),
    ("", "remote", 50), ("", "office", 50), ("", "", 50),
    ("On-site", "office", 100), ("REMOTE", "remote", 100), ("flexible?", "office", 50),
]  # fmt: skip


@pytest.mark.parametrize(("mine", "theirs", "expected"), POLICY_MATRIX)
def test_work_policy_matrix(mine, theirs, expected):
    # given / when
    found = score_of(candidate(policy=mine), role(policy=theirs), ONLY_POLICY)

    # then
    assert found.policy == expected
    assert found.explanation["policy_reason"]


@pytest.mark.parametrize(
    ("mine", "where"), [("remote", "Sydney NSW"), ("WFH", "Sydney NSW"), ("", "Remote - Australia")]
)
def test_a_remote_candidate_sees_only_remote_roles(mine, where):
    # given a candidate who works remotely (by policy, or by a location that says so when the
    # policy is empty) and roles of every policy, the office one a perfect fit otherwise
    person = candidate(location=where, policy=mine)
    jobs = [
        role("r1", policy="office"), role("r2", policy="hybrid"), role("r3", policy=""),
        role("r4", policy="remote"), role("r5", location="Remote", policy=""),
    ]  # fmt: skip

    # when
    fast = match_candidate(person, RoleIndex(jobs), limit=5)
    slow = naive_match_candidate(person, jobs, limit=5)

    # then only the remote roles rank, on both paths
    assert [m.role_key for m in fast] == [m.role_key for m in slow] == ["r4", "r5"]
    assert fast == slow


def test_an_office_or_hybrid_candidate_still_sees_every_role():
    # given
    jobs = [role("r1", policy="office"), role("r2", policy="remote"), role("r3", policy="hybrid")]

    # when
    found = match_candidate(candidate(policy="office"), RoleIndex(jobs), limit=5)

    # then
    assert sorted(m.role_key for m in found) == ["r1", "r2", "r3"]


def test_skills_required_count_twice_nice_to_have():
    # given 2 of 3 required and 1 of 2 nice-to-have skills, in another case
    person = candidate(skills=["python", "SQL", "docker"])
    job = role(required=["Python", "SQL", "AWS"], nice=["Docker", "Kubernetes"])

    # when
    found = score_of(person, job, ONLY_SKILLS)

    # then (2*2 + 1) / (2*3 + 2)
    assert found.skills == round(5 / 8 * 100, 1)
    assert found.explanation["matched_skills"] == ["Docker", "Python", "SQL"]
    assert found.explanation["missing_required"] == ["AWS"]
    assert found.explanation["missing_nice"] == ["Kubernetes"]
    assert found.explanation["skills_reason"] == "Has 2 of 3 required and 1 of 2 nice-to-have skills"


def test_skills_a_role_without_skills_is_neutral():
    # given / when
    found = score_of(candidate(skills=["Python"]), role(required=(), nice=()), ONLY_SKILLS)

    # then
    assert (found.skills, found.explanation["skills_reason"]) == (50, "The role lists no skills")


def test_skills_listed_as_both_required_and_nice_count_once_as_required():
    # given
    job = role(required=["Python"], nice=["python", "Go"])

    # when
    found = score_of(candidate(skills=["Python"]), job, ONLY_SKILLS)

    # then (2*1 + 0) / (2*1 + 1)
    assert found.skills == round(2 / 3 * 100, 1)


def test_total_uses_the_callers_weights():
    # given industry matches (100), location elsewhere (0), policy fits (100), skills 0
    person = candidate(location="London", skills=["Go"])
    job = role(location="Sydney", required=["Python"])

    # when
    default = score_of(person, job)
    custom = score_of(person, job, Weights(industry=10, location=70, policy=10, skills=10))

    # then
    assert (default.industry, default.location, default.policy, default.skills) == (100, 0, 100, 0)
    assert default.total == 60.0
    assert custom.total == 20.0


@pytest.mark.parametrize("values", [(0, 0, 0, 0), (-1, 50, 30, 21)])
def test_weights_must_be_positive(values):
    # given / when / then
    with pytest.raises(ValueError, match="Weights"):
        Weights(*values)


def test_explanation_is_json_and_complete():
    # given
    person = candidate(industries=["IT & Telecoms"], location="Parramatta", skills=["Python"])
    job = role(industries=["Information Technology"], location="Sydney", policy="office", required=["Python", "Go"])

    # when
    found = score_of(person, job)

    # then
    explanation = json.loads(json.dumps(found.explanation))
    assert set(explanation) == {
        "matched_skills", "missing_required", "missing_nice", "matched_industries", "location_reason",
        "policy_reason", "industry_reason", "skills_reason", "summary",
    }  # fmt: skip
    assert explanation["location_reason"] == "Parramatta is 20 km from Sydney"
    assert explanation["summary"].startswith(f"Strong match for Role r1 ({found.total}/100). Fits on industry,")


def test_a_match_missing_most_required_skills_is_never_called_strong_or_good():
    # given: everything fits but the skills; the nice-to-haves are all there
    person = candidate(skills=["Excel", "Word", "Outlook", "Teams", "Zoom"])
    job = role(required=["Xero", "MYOB", "Excel"], nice=["Word", "Outlook", "Teams", "Zoom"])

    # when
    found = score_of(person, job)

    # then: a high total, but the verdict and the words say what is missing
    summary = found.explanation["summary"]
    assert found.total >= 80
    assert summary.startswith("Partial match") and "Misses 2 of the 3 required skills." in summary
    assert "skills" not in summary.split("Fits on")[1]
    assert found.explanation["skills_reason"] == "Has 1 of 3 required and 4 of 4 nice-to-have skills"


def test_the_weakest_criterion_s_words_are_the_main_gap():
    # given
    person = candidate(location="Perth WA")
    job = role(location="Sydney NSW")

    # when
    found = score_of(person, job)

    # then
    assert found.location < 50
    reason = found.explanation["location_reason"]
    assert found.explanation["summary"].endswith(f"Main gap: {reason[0].lower()}{reason[1:]}.")


def test_results_are_best_first_with_ties_broken_by_role_key():
    # given three identical roles listed out of key order, and a worse one
    jobs = [role("r3"), role("r1"), role("r0", location="London"), role("r2")]

    # when
    found = match_candidate(candidate(), RoleIndex(jobs))

    # then
    assert [score.role_key for score in found] == ["r1", "r2", "r3", "r0"]


def test_results_are_deterministic_whatever_the_input_order():
    # given the same candidate with its lists in another order
    jobs = [role(f"r{i}", industries=["Banking", "Finance"][: i % 2 + 1], required=["Excel", "SQL"]) for i in range(6)]
    one = candidate(industries=["Finance", "Banking"], skills=["SQL", "Excel"])
    two = candidate(industries=["Banking", "Finance"], skills=["Excel", "SQL"])

    # when
    first, second = match_candidate(one, RoleIndex(jobs)), match_candidate(two, RoleIndex(list(reversed(jobs))))

    # then
    assert first == second
    assert first == match_candidate(one, RoleIndex(jobs))


def test_limit_cuts_after_rounding_so_ties_go_to_the_smaller_key():
    # given role "z" a hair above role "a" before rounding, level with it after
    weights = Weights(industry=1, location=0, policy=0, skills=999)
    higher = role("z", industries=["Accounting"], required=(), nice=())  # (100 + 999 * 50) / 1000 = 50.05
    level = role("a", industries=(), required=(), nice=())  # (50 + 999 * 50) / 1000 = 50.0
    assert round((100 + 999 * 50) / 1000, 1) == 50.0

    # when
    found = match_candidate(candidate(), RoleIndex([higher, level]), limit=1, weights=weights)

    # then
    assert [score.role_key for score in found] == ["a"]
    assert found == naive_match_candidate(candidate(), [higher, level], limit=1, weights=weights)


def test_limit_returns_the_top_roles_only():
    # given
    jobs = [role(f"r{i:02}", required=["Excel"] + [f"skill {j}" for j in range(i)]) for i in range(20)]

    # when
    found = match_candidate(candidate(), RoleIndex(jobs), limit=5)

    # then
    assert [score.role_key for score in found] == ["r00", "r01", "r02", "r03", "r04"]
    assert found == naive_match_candidate(candidate(), jobs, limit=5)


def test_empty_index_and_zero_limit_give_nothing():
    # given / when / then
    assert match_candidate(candidate(), RoleIndex([])) == []
    assert match_candidate(candidate(), RoleIndex([role()]), limit=0) == []
    assert match_candidates([candidate()], RoleIndex([])) == {"c1": []}


INDUSTRIES = [
    "Accounting", "Accouting", "Banking", "Banking & Finance", "Healthcare", "Health Care", "IT & Telecoms",
    "IT and Telecommunications", "Mining", "Mining & Resources", "Construction", "Retail", "Legal", "Education",
]  # fmt: skip
LOCATIONS = [
    "Sydney NSW", "sydney", "Parramatta", "Newcastle NSW", "Melbourne", "Perth WA", "Perth, Scotland", "London",
    "Auckland", "NSW", "Australia", "Remote – Australia", "", "Narnia", "Bangalore", "Singapore",
]  # fmt: skip
POLICIES = ["remote", "hybrid", "office", "", "On-site"]
SKILLS = [f"Skill {i}" for i in range(40)] + ["Python", "python", "SQL", "Excel", "Xero"]


def random_candidates(rng, count):
    return [
        CandidateProfile(
            f"c{i:04}", tuple(rng.sample(INDUSTRIES, rng.randint(0, 3))), place_parse(rng.choice(LOCATIONS)),
            rng.choice(POLICIES), tuple(rng.sample(SKILLS, rng.randint(0, 12))),
        )
        for i in range(count)
    ]  # fmt: skip


def random_roles(rng, count):
    return [
        RoleProfile(
            f"r{i:04}", f"Role {i}", tuple(rng.sample(INDUSTRIES, rng.randint(0, 2))),
            place_parse(rng.choice(LOCATIONS)), rng.choice(POLICIES), tuple(rng.sample(SKILLS, rng.randint(0, 6))),
            tuple(rng.sample(SKILLS, rng.randint(0, 4))),
        )
        for i in range(count)
    ]  # fmt: skip


def test_vectorised_equals_naive_on_random_data():
    # given 500 random candidates and 300 random roles (fixed seed)
    rng = random.Random(20260501)
    candidates, roles = random_candidates(rng, 500), random_roles(rng, 300)
    index = RoleIndex(roles)

    # when every role is ranked for every candidate, both ways
    fast = match_candidates(candidates, index, limit=300)
    slow = {person.key: naive_match_candidate(person, roles, limit=300) for person in candidates}

    # then totals, sub-scores, order and explanations are identical
    assert fast == slow
    remote_roles = sum(1 for job in roles if job.work_policy == "remote" or job.place.remote)
    assert {len(found) for found in fast.values()} == {300, remote_roles}  # remote candidates: remote roles
    assert {score.location for found in fast.values() for score in found} == {0, 30, 40, 70, 100}


def test_match_candidates_equals_match_candidate_with_a_limit():
    # given
    rng = random.Random(7)
    candidates, roles = random_candidates(rng, 60), random_roles(rng, 80)
    index = RoleIndex(roles)

    # when
    batch = match_candidates(candidates, index, limit=10)

    # then
    assert batch == {person.key: match_candidate(person, index, limit=10) for person in candidates}
    assert all(found == naive_match_candidate(person, roles, limit=10) for person, found in zip(
        candidates, batch.values(), strict=True))  # fmt: skip


def test_engine_module_does_not_import_django():
    # given a fresh interpreter
    code = "import sys, recruiting.matching.engine; sys.exit('django' in sys.modules)"

    # when
    result = subprocess.run([sys.executable, "-c", code], check=False)

    # then
    assert result.returncode == 0
