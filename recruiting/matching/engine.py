"""Ranks open roles for candidates on industry, location, work policy and skills, weighted.

`naive_match_candidate` scores pair by pair in plain Python: the benchmark baseline and the
tests' oracle. `RoleIndex` turns the roles into numpy arrays once, so that `match_candidate`
and `match_candidates` score every pair with array operations. Both compute each sub-score and
the total with the same float operations in the same order, so their totals agree bit for bit,
and both round and order the results the same way (total to 1 decimal, then role key).
Imports numpy, rapidfuzz and recruiting.matching.places and .collector; no Django.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from lib.collector import collector_paused
from recruiting.matching.places import (
    NEAR_CHORD_SQUARED,
    SCORE_ELSEWHERE,
    SCORE_SAME_CITY,
    SCORE_SAME_COUNTRY,
    SCORE_SAME_REGION,
    SCORE_UNKNOWN,
    Place,
    place_similarity,
    place_unit_vector,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

WORK_POLICIES = ("remote", "hybrid", "office")
# fuzz.ratio on the names without spaces: "Accouting" ~ "Accounting" is 94.7, "Health Care" ~
# "Healthcare" 100, while "Construction" ~ "Consulting" is 72.7.
INDUSTRY_THRESHOLD = 88.0
UNKNOWN = 50.0  # a criterion one side says nothing about neither helps nor hurts
# Pairs scored per numpy block: 2 M float64 cells keep each temporary array near 16 MB.
BLOCK_CELLS = 2_000_000
_REASONS_KEPT = 200_000  # cached location reasons per RoleIndex

# Shorthand that fuzzy matching cannot bridge ("IT & Telecoms" vs "IT and Telecommunications").
_INDUSTRY_WORDS = {
    "it": "information technology", "ict": "information and communications technology",
    "telecoms": "telecommunications", "telco": "telecommunications", "comms": "communications",
    "tech": "technology", "govt": "government", "mgmt": "management", "hr": "human resources",
    "fmcg": "fast moving consumer goods", "svcs": "services",
}  # fmt: skip
_APOSTROPHES = re.compile(r"['’]")
_PUNCTUATION = re.compile(r"[^\w\s]")
_POLICY_ALIASES = {"onsite": "office", "on-site": "office", "in office": "office", "wfh": "remote"}
_POLICY_CODES = {"": 0, "remote": 1, "hybrid": 2, "office": 3}

# (candidate policy, role policy) -> score and reason. A hybrid candidate in a full-time office
# role gets 80, not 100: they can do it but lose the home days they asked for. An office
# candidate loses nothing in a hybrid role (they may come in every day), nor in a remote one.
_POLICY: dict[tuple[str, str], tuple[float, str]] = {
    ("remote", "remote"): (100.0, "Both remote"),
    ("remote", "hybrid"): (0.0, "Candidate wants remote; the role is hybrid"),
    ("remote", "office"): (0.0, "Candidate wants remote; the role is office-based"),
    ("hybrid", "remote"): (100.0, "Candidate prefers hybrid; a remote role gives them more flexibility"),
    ("hybrid", "hybrid"): (100.0, "Both hybrid"),
    ("hybrid", "office"): (80.0, "Candidate prefers hybrid; the role is office-based (partial fit)"),
    ("office", "remote"): (100.0, "Candidate prefers the office but accepts remote work"),
    ("office", "hybrid"): (100.0, "Candidate prefers the office; the hybrid role allows that"),
    ("office", "office"): (100.0, "Both office-based"),
}


@dataclass(frozen=True)
class Weights:
    """How much each criterion counts; any non-negative numbers, the total is divided by their sum."""

    industry: float = 40
    location: float = 25
    policy: float = 20
    skills: float = 15

    def __post_init__(self) -> None:
        values = (self.industry, self.location, self.policy, self.skills)
        if min(values) < 0 or sum(values) <= 0:
            raise ValueError(f"Weights must be >= 0 with a positive sum, got {values}")

    @property
    def total(self) -> float:
        return self.industry + self.location + self.policy + self.skills


@dataclass(frozen=True)
class CandidateProfile:
    """What the engine knows of a candidate; the caller builds it from the models."""

    key: str
    industries: tuple[str, ...]
    place: Place
    work_policy: str  # one of WORK_POLICIES, "" when unknown
    skills: tuple[str, ...]  # canonical skill names (already normalised by the caller)


@dataclass(frozen=True)
class RoleProfile:
    """What the engine knows of an open role."""

    key: str
    title: str
    industries: tuple[str, ...]
    place: Place
    work_policy: str
    required_skills: tuple[str, ...]
    nice_skills: tuple[str, ...]


@dataclass(frozen=True)
class MatchScore:
    """How well one role fits one candidate: the total, the four sub-scores and why."""

    candidate_key: str
    role_key: str
    total: float  # 0-100, rounded to 1 decimal
    industry: float  # each sub-score 0-100, rounded to 1 decimal for display
    location: float
    policy: float
    skills: float
    explanation: dict[str, Any]  # JSON-serialisable


class _Subscores(NamedTuple):
    industry: float
    location: float
    policy: float
    skills: float


class _SubscoreArrays(NamedTuple):  # the same, candidates x roles
    industry: FloatArray
    location: FloatArray
    policy: FloatArray
    skills: FloatArray


class _Skill(NamedTuple):
    key: str  # normalised
    name: str  # as the role lists it
    required: bool


@dataclass(frozen=True)
class _Candidate:
    """A candidate normalised once per call."""

    profile: CandidateProfile
    industries: tuple[str, ...]  # normalised, unique, sorted
    skills: frozenset[str]
    policy: str
    industries_text: str  # as written, for reasons


@dataclass(frozen=True)
class _Role:
    """A role normalised once, its lists sorted as the explanation shows them."""

    profile: RoleProfile
    tags: tuple[tuple[str, str], ...]  # (as written, normalised), unique, sorted
    skills: tuple[_Skill, ...]  # unique keys (required wins over nice-to-have), sorted by name
    required_count: int
    nice_count: int
    policy: str
    remote: bool

    @property
    def denominator(self) -> int:
        return 2 * self.required_count + self.nice_count


@functools.lru_cache(maxsize=1 << 16)  # the same few hundred names come back for every role and candidate
def normalise_industry(name: str) -> str:
    """ "IT & Telecoms" -> "information technology and telecommunications"."""
    text = _APOSTROPHES.sub("", name.casefold().replace("&", " and ").replace("+", " and "))
    return " ".join(_INDUSTRY_WORDS.get(word, word) for word in _PUNCTUATION.sub(" ", text).split())


def _industry_parts(name: str) -> tuple[str, ...]:
    """A normalised name and, for a compound, each side: "mining and resources" -> +mining, +resources."""
    parts = name.split(" and ")
    return (name, *parts) if len(parts) > 1 else (name,)


def _similar(a: str, b: str) -> bool:
    return a == b or fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")) >= INDUSTRY_THRESHOLD


def industries_match(a: str, b: str) -> bool:
    """Whether two normalised industry names are the same industry, allowing for typos; a
    compound ("Banking & Finance") matches either side ("Finance")."""
    return any(_similar(x, y) for x in _industry_parts(a) for y in _industry_parts(b))


@functools.lru_cache(maxsize=1 << 16)
def normalise_skill(name: str) -> str:
    return " ".join(name.casefold().split())


def normalise_policy(value: str) -> str:
    """One of WORK_POLICIES, or "" when unknown."""
    text = " ".join(value.casefold().split())
    text = _POLICY_ALIASES.get(text, text)
    return text if text in WORK_POLICIES else ""


def _by_name(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


def _prepare_candidate(candidate: CandidateProfile) -> _Candidate:
    industries = sorted({norm for norm in map(normalise_industry, candidate.industries) if norm})
    # "Remote" as the location says what they want when the policy field is empty.
    policy = normalise_policy(candidate.work_policy) or ("remote" if candidate.place.remote else "")
    skills = frozenset(filter(None, map(normalise_skill, candidate.skills)))
    text = ", ".join(sorted(set(candidate.industries), key=_by_name))
    return _Candidate(candidate, tuple(industries), skills, policy, text)


def _role_skills(role: RoleProfile) -> tuple[_Skill, ...]:
    """Each skill once under its first spelling; listed as both, it counts as required."""
    found: dict[str, _Skill] = {}
    for required, names in ((True, role.required_skills), (False, role.nice_skills)):
        for name in names:
            key = normalise_skill(name)
            if key and key not in found:
                found[key] = _Skill(key, name, required)
    return tuple(sorted(found.values(), key=lambda skill: _by_name(skill.name)))


def _prepare_role(role: RoleProfile) -> _Role:
    normalised = {tag: norm for tag in role.industries if (norm := normalise_industry(tag))}
    tags = tuple(sorted(normalised.items(), key=lambda item: _by_name(item[0])))
    skills = _role_skills(role)
    required = sum(skill.required for skill in skills)
    policy = normalise_policy(role.work_policy) or ("remote" if role.place.remote else "")
    remote = policy == "remote" or role.place.remote
    return _Role(role, tags, skills, required, len(skills) - required, policy, remote)


def _industry_value(candidate: _Candidate, role: _Role, matched: bool) -> float:
    if not role.tags or not candidate.industries:
        return UNKNOWN
    return 100.0 if matched else 0.0


def _skill_hits(candidate: _Candidate, role: _Role) -> tuple[int, int]:
    """How many of the role's required and nice-to-have skills the candidate has."""
    required = nice = 0
    for skill in role.skills:
        if skill.key in candidate.skills:
            if skill.required:
                required += 1
            else:
                nice += 1
    return required, nice


def _skills_value(candidate: _Candidate, role: _Role) -> float:
    if role.denominator == 0:
        return UNKNOWN
    required, nice = _skill_hits(candidate, role)
    return (2 * required + nice) / role.denominator * 100  # the numpy path: num / den * 100, same operations


def _location(candidate: _Candidate, role: _Role) -> tuple[float, str]:
    if role.remote:
        return 100.0, "Remote role: location does not matter"
    score, reason = place_similarity(candidate.profile.place, role.profile.place)
    return float(score), reason


def _policy(candidate: _Candidate, role: _Role) -> tuple[float, str]:
    if candidate.policy and role.policy:
        return _POLICY[(candidate.policy, role.policy)]
    if not candidate.policy and not role.policy:
        return UNKNOWN, "Work policy unknown on both sides"
    if not candidate.policy:
        return UNKNOWN, f"Candidate's work policy is unknown (the role is {role.policy})"
    return UNKNOWN, f"Role's work policy is unknown (candidate wants {candidate.policy})"


def _total(weights: Weights, sub: _Subscores) -> float:
    """Weighted mean; `RoleIndex.scores` spells out the same expression on arrays."""
    w = weights
    weighted = w.industry * sub.industry + w.location * sub.location + w.policy * sub.policy + w.skills * sub.skills
    return weighted / w.total


def _industry_reason(candidate: _Candidate, role: _Role, matched: list[str]) -> str:
    if not role.tags:
        return "The role has no industry tags"
    if not candidate.industries:
        return "No industry on file for the candidate"
    if matched:
        return f"Industry match: {', '.join(matched)}"
    wanted = ", ".join(tag for tag, _ in role.tags)
    return f"Different industry (role: {wanted}; candidate: {candidate.industries_text})"


def _skills_detail(candidate: _Candidate, role: _Role) -> tuple[list[str], list[str], list[str]]:
    """The role's skills the candidate has, the required ones missing, the nice-to-have ones missing."""
    matched: list[str] = []
    missing_required: list[str] = []
    missing_nice: list[str] = []
    for skill in role.skills:
        if skill.key in candidate.skills:
            matched.append(skill.name)
        else:
            (missing_required if skill.required else missing_nice).append(skill.name)
    return matched, missing_required, missing_nice


def _skills_reason(role: _Role, missing_required: int, missing_nice: int) -> str:
    required, nice = role.required_count, role.nice_count
    if not required and not nice:
        return "The role lists no skills"
    has_required = f"{required - missing_required} of {required} required" if required else ""
    has_nice = f"{nice - missing_nice} of {nice} nice-to-have" if nice else ""
    return f"Has {has_required}{' and ' if required and nice else ''}{has_nice} skills"


def _grade(total: float, misses_most_required: bool) -> str:
    """The verdict word; a role whose required skills the candidate mostly lacks is never called
    a strong or good match, whatever the other criteria add up to."""
    if total >= 80 and not misses_most_required:
        return "Strong"
    if total >= 60 and not misses_most_required:
        return "Good"
    return "Partial" if total >= 40 else "Weak"


_CRITERIA = ("industry", "location", "work policy", "skills")  # the order of _Subscores


def _summary(
    title: str, total: float, sub: _Subscores, reasons: tuple[str, str, str, str], missing: tuple[int, int]
) -> str:
    """The verdict, then what fits (>= 70) and the weakest criterion if below 50; `missing` is
    (required skills missing, required skills), and missing most of them is said first."""
    missing_required, required = missing
    misses_most = bool(required) and missing_required * 2 > required
    text = f"{_grade(total, misses_most)} match for {title} ({total:.1f}/100)."
    if misses_most:
        text += f" Misses {missing_required} of the {required} required skills."
    fits = [name for name, value in zip(_CRITERIA, sub, strict=True) if value >= 70]
    if misses_most and "skills" in fits:  # nice-to-haves cannot make up for the required ones
        fits.remove("skills")
    if fits:
        text += f" Fits on {fits[0] if len(fits) == 1 else ', '.join(fits[:-1]) + ' and ' + fits[-1]}."
    weakest = min(sub)
    if weakest < 50 and not (misses_most and sub.index(weakest) == _CRITERIA.index("skills")):
        reason = reasons[sub.index(weakest)]
        text += f" Main gap: {reason[0].lower()}{reason[1:]}."
    return text


def _one_decimal(value: float) -> float:
    """round(value, 1); most sub-scores are whole numbers, and round() is slow for a hot loop."""
    return value if value.is_integer() else round(value, 1)


def _match_score(
    candidate: _Candidate, role: _Role, sub: _Subscores, total: float, matched: list[str], location_reason: str
) -> MatchScore:  # `total` is already rounded to 1 decimal
    """The result of one pair with its recruiter-facing explanation; built only for the pairs returned.

    `matched` (the role's industry tags the candidate has) and the location reason come from the
    caller: the naive path works them out pair by pair, `RoleIndex` from its precomputed arrays.
    """
    skills, missing_required, missing_nice = _skills_detail(candidate, role)
    reasons = (
        _industry_reason(candidate, role, matched),
        location_reason,
        _policy(candidate, role)[1],
        _skills_reason(role, len(missing_required), len(missing_nice)),
    )
    explanation = {
        "matched_skills": skills,
        "missing_required": missing_required,
        "missing_nice": missing_nice,
        "matched_industries": matched,
        "industry_reason": reasons[0],
        "location_reason": reasons[1],
        "policy_reason": reasons[2],
        "skills_reason": reasons[3],
        "summary": _summary(role.profile.title, total, sub, reasons, (len(missing_required), role.required_count)),
    }
    return MatchScore(
        candidate.profile.key, role.profile.key, total, _one_decimal(sub.industry), _one_decimal(sub.location),
        _one_decimal(sub.policy), _one_decimal(sub.skills), explanation,
    )  # fmt: skip


def _eligible(candidate: _Candidate, role: _Role) -> bool:
    """A candidate who works remotely is offered remote roles only (Ready to Pitch document); every
    other pair is ranked, the work policy weighing in the score."""
    return candidate.policy != "remote" or role.remote


def _pair(candidate: _Candidate, role: _Role) -> tuple[_Subscores, list[str], str]:
    """Sub-scores of one pair, the role's industry tags the candidate matches (fuzzy, per pair), and
    the location reason."""
    matched = [tag for tag, norm in role.tags if any(industries_match(mine, norm) for mine in candidate.industries)]
    location, location_reason = _location(candidate, role)
    sub = _Subscores(
        industry=_industry_value(candidate, role, bool(matched)),
        location=location,
        policy=_policy(candidate, role)[0],
        skills=_skills_value(candidate, role),
    )
    return sub, matched, location_reason


def naive_match_candidate(
    candidate: CandidateProfile, roles: Sequence[RoleProfile], *, limit: int = 50, weights: Weights = Weights()
) -> list[MatchScore]:
    """The best `limit` roles, pair by pair in plain Python: same results as `match_candidate`."""
    if limit <= 0:
        return []
    prepared = _prepare_candidate(candidate)
    scored = []
    for profile in roles:
        role = _prepare_role(profile)
        if not _eligible(prepared, role):
            continue
        sub, matched, reason = _pair(prepared, role)
        total = _total(weights, sub)
        scored.append((round(total, 1), profile.key, total, role, sub, matched, reason))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [
        _match_score(prepared, role, sub, rounded, matched, reason)
        for rounded, _, _, role, sub, matched, reason in scored[:limit]
    ]


def _postings(rows: Sequence[Iterable[tuple[int, float]]], width: int) -> tuple[IntArray, IntArray, FloatArray]:
    """Role rows of (item id, weight) -> CSC-style arrays by item: start offsets, roles, weights."""
    pairs = sorted((item, role, weight) for role, row in enumerate(rows) for item, weight in row)
    items = np.array([item for item, _, _ in pairs], dtype=np.int64)
    starts = np.searchsorted(items, np.arange(width + 1)).astype(np.int64)
    roles = np.array([role for _, role, _ in pairs], dtype=np.int64)
    return starts, roles, np.array([weight for _, _, weight in pairs], dtype=np.float64)


def _sums(
    postings: tuple[IntArray, IntArray, FloatArray], owners: IntArray, items: IntArray, shape: tuple[int, int]
) -> FloatArray:
    """For candidates (rows) x roles: the summed role weights of the items each candidate has.

    `owners[k]` has item `items[k]`. Each item's postings are gathered without a Python loop
    (ragged repeat + arange), then one bincount adds them up per (candidate, role) cell.
    """
    starts, roles, weights = postings
    first, counts = starts[items], starts[items + 1] - starts[items]
    total = int(counts.sum())
    offsets = np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(total)
    cells = np.repeat(owners, counts) * shape[1] + roles[offsets]
    sums = np.bincount(cells, weights=weights[offsets], minlength=shape[0] * shape[1])
    return np.asarray(sums, dtype=np.float64).reshape(shape)


def _ids(values: Iterable[Any]) -> dict[Any, int]:
    return {value: index for index, value in enumerate(sorted(set(values)))}


def _place_keys(place: Place) -> tuple[tuple[str, str, str] | None, tuple[str, str] | None, str]:
    """What `place_similarity` compares: city (with its region and country), region, country."""
    city = (place.country, place.region, place.city) if place.city else None
    return city, ((place.country, place.region) if place.region else None), place.country


def _item_arrays(rows: Sequence[Iterable[int]]) -> tuple[IntArray, IntArray]:
    """Per-candidate item ids -> parallel (owner row, item id) arrays for `_sums`."""
    owners = [row for row, items in enumerate(rows) for _ in items]
    items = [item for items in rows for item in items]
    return np.array(owners, dtype=np.int64), np.array(items, dtype=np.int64)


def _policy_table() -> FloatArray:
    table = np.full((len(_POLICY_CODES), len(_POLICY_CODES)), UNKNOWN)
    for (mine, theirs), (value, _) in _POLICY.items():
        table[_POLICY_CODES[mine], _POLICY_CODES[theirs]] = value
    return table


_POLICY_TABLE = _policy_table()


@dataclass(frozen=True)
class _Block:
    """Candidates scored together: one row each, with the role tags their industries match."""

    candidates: list[_Candidate]
    tag_ids: list[frozenset[int]]


class RoleIndex:
    """The open roles as numpy arrays, built once and reused for every candidate."""

    def __init__(self, roles: Sequence[RoleProfile]) -> None:
        self.roles = tuple(_prepare_role(role) for role in roles)
        self.size = len(self.roles)
        self._build_industries()
        self._build_skills()
        self._build_places()
        self._policy_codes = np.array([_POLICY_CODES[role.policy] for role in self.roles], dtype=np.int64)
        self._industry_cache: dict[str, frozenset[int]] = {}

    def _build_industries(self) -> None:
        """A vocabulary of the roles' normalised tags; candidates are fuzzy-matched to it once."""
        self._tag_ids = _ids(norm for role in self.roles for _, norm in role.tags)
        rows = [{(self._tag_ids[norm], 1.0) for _, norm in role.tags} for role in self.roles]
        self._tag_postings = _postings(rows, len(self._tag_ids))
        self._role_tags = [tuple((tag, self._tag_ids[norm]) for tag, norm in role.tags) for role in self.roles]
        self._has_tags = np.array([bool(role.tags) for role in self.roles], dtype=np.bool_)

    def _build_skills(self) -> None:
        self._skill_ids = _ids(skill.key for role in self.roles for skill in role.skills)
        rows = [[(self._skill_ids[s.key], 2.0 if s.required else 1.0) for s in role.skills] for role in self.roles]
        self._skill_postings = _postings(rows, len(self._skill_ids))
        self._skill_denominators = np.array([role.denominator for role in self.roles], dtype=np.float64)

    def _build_places(self) -> None:
        keys = [_place_keys(role.profile.place) for role in self.roles]
        self._city_ids, self._region_ids, self._country_ids = (
            _ids(key[part] for key in keys if key[part]) for part in range(3)
        )
        self._role_cities = np.array([self._city_ids.get(k[0], -1) for k in keys], dtype=np.int64)
        self._role_regions = np.array([self._region_ids.get(k[1], -1) for k in keys], dtype=np.int64)
        self._role_countries = np.array([self._country_ids.get(k[2], -1) for k in keys], dtype=np.int64)
        vectors = [place_unit_vector(role.profile.place) or (np.nan,) * 3 for role in self.roles]
        self._role_vectors = np.array(vectors, dtype=np.float64).reshape(self.size, 3)
        self._remote = np.array([role.remote for role in self.roles], dtype=np.bool_)
        # Location reasons depend on the two places only: cached by (candidate place, role place).
        distinct = dict.fromkeys((role.profile.place, role.remote) for role in self.roles)
        places = {place: number for number, place in enumerate(distinct)}
        self._role_place_ids = [places[(role.profile.place, role.remote)] for role in self.roles]
        self._candidate_place_ids: dict[Place, int] = {}
        self._place_numbers = itertools.count()
        self._location_reasons: dict[tuple[int, int], str] = {}

    def block(self, candidates: Sequence[CandidateProfile]) -> _Block:
        prepared = [_prepare_candidate(candidate) for candidate in candidates]
        return _Block(prepared, [self._candidate_tag_ids(candidate) for candidate in prepared])

    def _candidate_tag_ids(self, candidate: _Candidate) -> frozenset[int]:
        """The vocabulary tags the candidate's industries match: one fuzzy search per new name."""
        found: set[int] = set()
        for norm in candidate.industries:
            if norm not in self._industry_cache:
                tags = self._tag_ids.items()
                self._industry_cache[norm] = frozenset(i for tag, i in tags if industries_match(norm, tag))
            found |= self._industry_cache[norm]
        return frozenset(found)

    def place_id(self, place: Place) -> int:
        """A small number for a candidate's place, so reasons are cached without hashing Places."""
        if len(self._location_reasons) > _REASONS_KEPT:  # bounded: places are few, but workers run for days
            self._candidate_place_ids.clear()
            self._location_reasons.clear()
        # Numbers are never reused, so a thread still holding an old one cannot read another place's reason.
        return self._candidate_place_ids.setdefault(place, next(self._place_numbers))

    def location_reason(self, place_id: int, candidate: _Candidate, role: int) -> str:
        key = (place_id, self._role_place_ids[role])
        reason = self._location_reasons.get(key)
        if reason is None:
            reason = self._location_reasons[key] = _location(candidate, self.roles[role])[1]
        return reason

    def matched_tags(self, role: int, tag_ids: frozenset[int]) -> list[str]:
        return [tag for tag, tag_id in self._role_tags[role] if tag_id in tag_ids]

    def eligible(self, block: _Block) -> BoolArray:
        """`_eligible` as a candidates x roles mask."""
        remote_only = np.array([c.policy == "remote" for c in block.candidates], dtype=np.bool_)
        return ~(remote_only[:, None] & ~self._remote[None, :])

    def scores(self, block: _Block, weights: Weights) -> tuple[FloatArray, _SubscoreArrays]:
        """Totals and sub-scores as candidates x roles arrays."""
        sub = _SubscoreArrays(
            self._industry_scores(block), self._location_scores(block), self._policy_scores(block),
            self._skills_scores(block),
        )  # fmt: skip
        w = weights  # the expression of `_total`, term by term in the same order
        weighted = w.industry * sub.industry + w.location * sub.location + w.policy * sub.policy + w.skills * sub.skills
        return weighted / w.total, sub

    def _industry_scores(self, block: _Block) -> FloatArray:
        owners, items = _item_arrays([sorted(ids) for ids in block.tag_ids])
        hits = _sums(self._tag_postings, owners, items, (len(block.candidates), self.size)) > 0
        score = np.where(hits, 100.0, 0.0)
        has_industries = np.array([bool(c.industries) for c in block.candidates], dtype=np.bool_)
        score[~has_industries[:, None] | ~self._has_tags[None, :]] = UNKNOWN
        return score

    def _skills_scores(self, block: _Block) -> FloatArray:
        ids = self._skill_ids
        owners, items = _item_arrays([sorted(ids[s] for s in c.skills if s in ids) for c in block.candidates])
        numerators = _sums(self._skill_postings, owners, items, (len(block.candidates), self.size))
        denominators = self._skill_denominators[None, :]
        ratio = numerators / np.where(denominators > 0, denominators, 1.0) * 100  # as `_skills_value`
        return np.where(denominators > 0, ratio, UNKNOWN)

    def _policy_scores(self, block: _Block) -> FloatArray:
        codes = np.array([_POLICY_CODES[c.policy] for c in block.candidates], dtype=np.int64)
        return _POLICY_TABLE[codes[:, None], self._policy_codes[None, :]]

    def _location_scores(self, block: _Block) -> FloatArray:
        """`place_similarity` on arrays, its tests in the same order; remote roles score 100."""
        keys = [_place_keys(c.profile.place) for c in block.candidates]
        # A candidate's city/region/country missing from the roles' gets -2, never equal to a role's -1.
        cities = np.array([self._city_ids.get(k[0], -2) for k in keys], dtype=np.int64)[:, None]
        regions = np.array([self._region_ids.get(k[1], -2) for k in keys], dtype=np.int64)[:, None]
        countries = np.array([self._country_ids.get(k[2], -2) for k in keys], dtype=np.int64)[:, None]
        known = np.array([bool(k[2]) for k in keys], dtype=np.bool_)[:, None] & (self._role_countries >= 0)[None, :]
        vectors = np.array([place_unit_vector(c.profile.place) or (np.nan,) * 3 for c in block.candidates])
        dx, dy, dz = (vectors[:, axis, None] - self._role_vectors[None, :, axis] for axis in range(3))
        near = dx * dx + dy * dy + dz * dz <= NEAR_CHORD_SQUARED  # NaN (no coordinates) compares False
        conditions = [
            ~known,
            (cities == self._role_cities[None, :]) | near,
            regions == self._role_regions[None, :],
            countries == self._role_countries[None, :],
        ]
        values = [float(v) for v in (SCORE_UNKNOWN, SCORE_SAME_CITY, SCORE_SAME_REGION, SCORE_SAME_COUNTRY)]
        score = np.select(conditions, values, default=float(SCORE_ELSEWHERE))
        score[:, self._remote] = 100.0
        return score


def _top_mask(totals: FloatArray, limit: int) -> BoolArray:
    """Per row, the roles that may be in the top `limit` once totals are rounded: the limit-th best
    rounded total and every role within half a point below it, which could round up to it."""
    if totals.shape[1] <= limit:
        return np.ones(totals.shape, dtype=np.bool_)
    kth = np.partition(totals, totals.shape[1] - limit, axis=1)[:, totals.shape[1] - limit]
    floors = np.array([round(float(value), 1) for value in kth]) - 0.05 - 1e-9
    return totals >= floors[:, None]


def _row_results(
    index: RoleIndex, block: _Block, row: int, columns: list[int], parts: list[FloatArray], limit: int
) -> list[MatchScore]:
    """One candidate's best `limit` among `columns`, ordered by rounded total then role key."""
    total, industry, location, policy, skills = (part[row, columns].tolist() for part in parts)
    rounded = [round(value, 1) for value in total]
    order = sorted(range(len(columns)), key=lambda i: (-rounded[i], index.roles[columns[i]].profile.key, i))
    candidate, scores = block.candidates[row], []
    place_id = index.place_id(candidate.profile.place)
    for i in order[:limit]:
        sub = _Subscores(industry[i], location[i], policy[i], skills[i])
        matched = index.matched_tags(columns[i], block.tag_ids[row])
        reason = index.location_reason(place_id, candidate, columns[i])
        scores.append(_match_score(candidate, index.roles[columns[i]], sub, rounded[i], matched, reason))
    return scores


def _block_results(
    index: RoleIndex, block: _Block, weights: Weights, limit: int
) -> Iterable[tuple[_Candidate, list[MatchScore]]]:
    totals, subs = index.scores(block, weights)
    eligible = index.eligible(block)
    mask = _top_mask(np.where(eligible, totals, -np.inf), limit) & eligible
    for row, candidate in enumerate(block.candidates):
        columns = np.flatnonzero(mask[row]).tolist()
        yield candidate, _row_results(index, block, row, columns, [totals, *subs], limit)


def match_candidate(
    candidate: CandidateProfile, index: RoleIndex, *, limit: int = 50, weights: Weights = Weights()
) -> list[MatchScore]:
    """The best `limit` roles for one candidate, best first, ties broken by role key."""
    if index.size == 0 or limit <= 0:
        return []
    return next(iter(_block_results(index, index.block([candidate]), weights, limit)))[1]


def match_candidates(
    candidates: Sequence[CandidateProfile], index: RoleIndex, *, limit: int = 50, weights: Weights = Weights()
) -> dict[str, list[MatchScore]]:
    """The best `limit` roles for each candidate (by key), scored in blocks of candidates x roles."""
    results: dict[str, list[MatchScore]] = {}
    if index.size == 0 or limit <= 0:
        return {candidate.key: [] for candidate in candidates}
    step = max(1, BLOCK_CELLS // index.size)
    # A batch keeps ~10 small acyclic objects per returned pair (500,000 pairs for 10,000 candidates
    # x 50); the collector rescanning that growing heap took 40 % of the time (11.2 s -> 6.9 s).
    with collector_paused():
        for start in range(0, len(candidates), step):
            block = index.block(candidates[start : start + step])
            for candidate, scores in _block_results(index, block, weights, limit):
                results[candidate.profile.key] = scores
    return results
