"""Match engine speed against the naive per-pair implementation, on realistic synthetic data.

    .venv/bin/python bench/matching.py
    .venv/bin/python bench/matching.py --roles 2000 --candidates 2000   # quicker

Pure code: no database, no Django. Data: a fixed seed; ~60 real places in AU/NZ/UK/US/IN written
the ways recruiters write them, ~40 industries (candidates sometimes misspell them), ~400 skills
in 13 families; each person and role draws mostly from one family, as real ones do.

(a) One candidate against --roles open roles (the webhook case). RoleIndex is built once (its time
    is printed apart); match_candidate and naive_match_candidate are timed on the same candidates.
    Target: < 200 ms per candidate.
(b) --candidates candidates by --batch-roles roles (the re-rank case), top --limit each. Timed:
    the numpy scoring and top-limit selection alone, and the whole match_candidates call, which
    also builds a MatchScore with its explanation for every returned pair. The naive loop runs on
    --naive-sample candidates and is extrapolated. Target: < 1 s.

(c) A full rematch of --db-candidates by --db-roles through recruiting.services.matching, with the
    JobMatch writes, on the database DATABASE_URL names (a throwaway one is created beside it,
    see bench/_db.py). Target on PostgreSQL: < 10 s. The naive way (per-pair scoring, one
    update_or_create per match) runs on a sample and is extrapolated.

Each section is a function taking the parsed arguments; append new ones to SECTIONS.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from recruiting.matching.engine import (  # noqa: E402
    CandidateProfile,
    RoleIndex,
    RoleProfile,
    Weights,
    match_candidate,
    match_candidates,
    naive_match_candidate,
)
from recruiting.matching.places import place_parse  # noqa: E402

SEED = 20260501
DEFAULT_WEIGHTS = Weights()

PLACES = [
    "Sydney NSW", "Sydney, Australia", "sydney", "SYDNEY 2000", "Parramatta", "North Sydney", "Newcastle NSW",
    "Wollongong NSW 2500", "Penrith NSW", "Melbourne VIC 3000", "Melbourne", "Geelong", "Ballarat", "Bendigo",
    "Brisbane QLD", "Gold Coast", "Sunshine Coast", "Townsville", "Cairns", "Toowoomba QLD", "Perth WA", "Perth",
    "Fremantle WA", "Karratha WA", "Adelaide SA", "Canberra ACT", "Hobart, Tasmania", "Darwin NT",
    "Auckland NZ", "Wellington, New Zealand", "Christchurch", "Hamilton, New Zealand", "Tauranga, NZ", "Dunedin",
    "London", "Manchester, UK", "Birmingham, UK", "Leeds", "Bristol", "Edinburgh, Scotland", "Glasgow",
    "Perth, Scotland", "Cardiff, Wales", "Belfast", "New York, NY", "San Francisco, CA", "Austin, TX", "Seattle, WA",
    "Boston, MA", "Chicago", "Portland, Maine", "Los Angeles", "Bangalore", "Mumbai", "Pune", "Hyderabad",
    "Chennai, India", "Gurgaon", "Delhi", "Kolkata", "Remote – Australia", "Remote", "",
]  # fmt: skip
# Where the agency's people are: mostly Australia.
PLACE_WEIGHTS = [6 if i < 28 else 2 if i < 34 else 1 for i in range(len(PLACES))]

FAMILIES: dict[str, tuple[list[str], str]] = {
    # family: (industries, skills separated by ";")
    "software": (["Information Technology", "IT & Telecoms", "Software", "SaaS"],
                 "Python;Java;JavaScript;TypeScript;Go;Rust;C#;C++;Kotlin;Swift;PHP;Ruby;Scala;React;Angular;Vue.js;"
                 "Node.js;Django;Flask;Spring Boot;.NET;Ruby on Rails;GraphQL;REST APIs;gRPC;Microservices;"
                 "Unit Testing;Test Automation;Selenium;Cypress;Git;Agile;Scrum;Jira;Code Review;Domain-Driven Design"),
    "data": (["Information Technology", "Data & Analytics", "Banking & Finance"],
             "SQL;PostgreSQL;MySQL;Oracle Database;SQL Server;MongoDB;Redis;Elasticsearch;Snowflake;BigQuery;"
             "Databricks;Apache Spark;Kafka;Airflow;dbt;Pandas;NumPy;scikit-learn;TensorFlow;PyTorch;Machine Learning;"
             "Deep Learning;NLP;Computer Vision;Statistics;R;Tableau;Power BI;Looker;Data Modelling;ETL"),
    "cloud": (["Information Technology", "IT and Telecommunications", "Telecommunications"],
              "AWS;Azure;Google Cloud;Kubernetes;Docker;Terraform;Ansible;Linux;Bash;CI/CD;GitHub Actions;Jenkins;"
              "Prometheus;Grafana;Networking;TCP/IP;Cisco;Firewalls;VPN;Active Directory;Windows Server;VMware;"
              "Site Reliability Engineering;Incident Management;ITIL;Cyber Security;Penetration Testing;SIEM;IAM"),
    "finance": (["Accounting", "Banking & Finance", "Financial Services", "Insurance"],
                "Xero;MYOB;SAP FICO;Oracle Financials;NetSuite;QuickBooks;Accounts Payable;Accounts Receivable;"
                "Payroll;Bank Reconciliation;BAS Preparation;GST;Tax Returns;Financial Reporting;Management Accounts;"
                "Budgeting;Forecasting;Financial Modelling;Excel;Pivot Tables;VLOOKUP;IFRS;Audit;Internal Controls;"
                "Credit Control;Treasury;Risk Management;Compliance;AML;KYC;CPA;CA ANZ;ACCA"),
    "health": (["Healthcare", "Health Care", "Aged Care", "Disability Services"],
               "Patient Care;Medication Administration;Wound Care;Triage;Infection Control;Clinical Assessment;"
               "Care Planning;Manual Handling;First Aid;CPR;AHPRA Registration;Mental Health;Dementia Care;"
               "Palliative Care;NDIS;Case Management;Electronic Medical Records;Phlebotomy;Theatre Nursing;"
               "Emergency Nursing;ICU;Midwifery;Physiotherapy;Occupational Therapy;Pharmacy;Radiography"),
    "construction": (["Construction", "Engineering", "Property & Real Estate"],
                     "AutoCAD;Revit;BIM;Civil 3D;Project Management;Contract Administration;Estimating;Quantity "
                     "Surveying;Site Supervision;WHS;White Card;Scheduling;Primavera P6;MS Project;Structural Design;"
                     "Geotechnical Engineering;Concrete;Formwork;Steel Fixing;Carpentry;Plumbing;Electrical Wiring;"
                     "HVAC;Fire Safety;Building Codes;Surveying;Traffic Management;Plant Operation"),
    "mining": (["Mining", "Mining & Resources", "Oil & Gas", "Energy & Utilities"],
               "Mine Planning;Drill and Blast;Geology;Geophysics;Metallurgy;Processing Plant;Haul Truck Operation;"
               "Excavator Operation;Underground Mining;Open Cut Mining;Ventilation;Surpac;Vulcan;Deswik;Ore Reserves;"
               "Environmental Compliance;Rehabilitation;Shutdowns;Maintenance Planning;SAP PM;Reliability Engineering;"
               "Fixed Plant Maintenance;Heavy Diesel Fitting;Electrical Instrumentation;Process Control;SCADA;PLC"),
    "sales": (["Sales", "Retail", "FMCG", "Hospitality & Tourism"],
              "B2B Sales;Account Management;Business Development;Cold Calling;Lead Generation;Negotiation;"
              "Salesforce;HubSpot;CRM;Pipeline Management;Key Accounts;Tender Writing;Merchandising;Visual "
              "Merchandising;Inventory Management;Point of Sale;Customer Service;Store Management;Category Management;"
              "Pricing;Trade Marketing;Food Safety;RSA;Barista;Event Management;Revenue Management"),
    "marketing": (["Marketing & Communications", "Advertising", "Media"],
                  "Digital Marketing;SEO;SEM;Google Ads;Google Analytics;Meta Ads;Content Marketing;Copywriting;"
                  "Social Media;Email Marketing;Marketing Automation;Marketo;Brand Management;Market Research;"
                  "Public Relations;Media Relations;Adobe Photoshop;Adobe Illustrator;InDesign;Figma;UX Design;"
                  "UI Design;Video Editing;Campaign Management;Product Marketing;Growth Hacking;A/B Testing"),
    "people": (["Human Resources", "HR & Recruitment", "Government"],
               "Recruitment;Talent Acquisition;Onboarding;Employee Relations;Industrial Relations;Workday;"
               "SuccessFactors;Performance Management;Learning and Development;Remuneration;Workforce Planning;"
               "HR Policy;Fair Work Act;Enterprise Agreements;Change Management;Stakeholder Management;Policy "
               "Development;Procurement;Contract Management;Grant Writing;Records Management;Minute Taking"),
    "legal": (["Legal", "Law", "Financial Services"],
              "Contract Law;Commercial Litigation;Conveyancing;Family Law;Employment Law;Legal Research;Drafting;"
              "Due Diligence;Mergers and Acquisitions;Intellectual Property;Privacy Law;Regulatory Compliance;"
              "Corporate Governance;Legal Practice Certificate;E-discovery;Case Preparation;Court Appearances"),
    "education": (["Education & Training", "Education", "Childcare"],
                  "Curriculum Design;Lesson Planning;Classroom Management;Working with Children Check;Early "
                  "Childhood Education;Special Education;Assessment Design;Instructional Design;LMS;Moodle;Canvas LMS;"
                  "E-learning;Training Delivery;Cert IV TAE;Tutoring;ESL Teaching;Student Wellbeing"),
    "logistics": (["Transport & Logistics", "Manufacturing", "Supply Chain"],
                  "Supply Chain Management;Warehouse Management;Forklift Licence;HR Truck Licence;MC Licence;Fleet "
                  "Management;Dispatch;Freight Forwarding;Customs Clearance;Demand Planning;S&OP;Lean Manufacturing;"
                  "Six Sigma;Quality Assurance;ISO 9001;Production Planning;CNC Machining;Welding;Fitting and Turning;"
                  "Preventive Maintenance;Stock Control;SAP MM;Oracle SCM"),
}  # fmt: skip
SOFT = "Communication;Teamwork;Leadership;Problem Solving;Time Management;Attention to Detail;Mentoring;Presentation"
SKILLS = {family: skills.split(";") + SOFT.split(";") for family, (_, skills) in FAMILIES.items()}
# Candidates write industries as they like; roles use the agency's tags.
MISSPELT = {"Accounting": "Accouting", "Healthcare": "Health care", "Construction": "Constructon", "Legal": "legal"}
POLICIES = ["remote", "hybrid", "office", "", "hybrid", "office"]


def _industries(rng: random.Random, family: str, most: int) -> tuple[str, ...]:
    names = rng.sample(FAMILIES[family][0], rng.randint(1, most))
    return tuple(MISSPELT.get(name, name) if rng.random() < 0.2 else name for name in names)


def synthetic_candidates(rng: random.Random, count: int) -> list[CandidateProfile]:
    people = []
    for i in range(count):
        family = rng.choice(list(FAMILIES))
        skills = rng.sample(SKILLS[family], rng.randint(4, 14)) + rng.sample(SKILLS[rng.choice(list(FAMILIES))], 2)
        place = place_parse(rng.choices(PLACES, PLACE_WEIGHTS)[0])
        people.append(CandidateProfile(f"c{i:06}", _industries(rng, family, 3), place, rng.choice(POLICIES),
                                       tuple(sorted(set(skills)))))  # fmt: skip
    return people


def synthetic_roles(rng: random.Random, count: int) -> list[RoleProfile]:
    roles = []
    for i in range(count):
        family = rng.choice(list(FAMILIES))
        required = rng.sample(SKILLS[family], rng.randint(2, 8))
        nice = rng.sample(SKILLS[family], rng.randint(0, 4))
        place = place_parse(rng.choices(PLACES, PLACE_WEIGHTS)[0])
        tags = tuple(rng.sample(FAMILIES[family][0], rng.randint(1, 2)))
        roles.append(RoleProfile(f"r{i:06}", f"{family.title()} role {i}", tags, place, rng.choice(POLICIES),
                                 tuple(required), tuple(nice)))  # fmt: skip
    return roles


def timed(work: Callable[[], object], repeat: int) -> float:
    """Median seconds of `repeat` runs."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def first_parse_in_a_forked_process() -> float:
    """What a worker's pool process pays for its first place: it is forked from the main process."""

    def child(pipe: Any) -> None:
        start = time.perf_counter()
        place_parse("Parramatta NSW")
        pipe.send(time.perf_counter() - start)

    parent_end, child_end = multiprocessing.get_context("fork").Pipe()
    process = multiprocessing.get_context("fork").Process(target=child, args=(child_end,))
    process.start()
    seconds = float(parent_end.recv())
    process.join()
    return seconds


def bench_gazetteer(args: argparse.Namespace) -> None:
    cold_child = first_parse_in_a_forked_process()
    start = time.perf_counter()
    place_parse("Sydney NSW")
    loaded = time.perf_counter() - start
    warm_child = first_parse_in_a_forked_process()
    start = time.perf_counter()
    for text in PLACES:
        place_parse.__wrapped__(text)  # the parsing itself, without the memo
    parsing = (time.perf_counter() - start) / len(PLACES)
    print(f"gazetteer: first load {ms(loaded)} in a process (target < 500 ms); parse {parsing * 1e6:.0f} µs")
    print(f"gazetteer: first place in a pool process: {ms(warm_child)} when the worker loaded it before "
          f"forking (recruiting/apps.py), {ms(cold_child)} when not ({warm_child / cold_child:.3f}x)")  # fmt: skip


def bench_one_candidate(args: argparse.Namespace) -> None:
    rng = random.Random(SEED)
    roles = synthetic_roles(rng, args.roles)
    people = synthetic_candidates(rng, args.repeat)
    start = time.perf_counter()
    index = RoleIndex(roles)
    built = time.perf_counter() - start
    fast = statistics.median(timed(lambda p=p: match_candidate(p, index, limit=args.limit), 1) for p in people)
    slow = statistics.median(timed(lambda p=p: naive_match_candidate(p, roles, limit=args.limit), 1) for p in people)
    assert all(match_candidate(p, index, limit=args.limit) == naive_match_candidate(p, roles, limit=args.limit)
               for p in people[:2])  # fmt: skip
    print(f"(a) 1 candidate x {args.roles:,} roles, top {args.limit} (median of {args.repeat} candidates)")
    print(f"    RoleIndex build (once per set of open roles): {ms(built)}")
    print(f"    match_candidate: {ms(fast)}   naive: {ms(slow)}   ratio {slow / fast:.1f}x   target < 200 ms: "
          f"{'met' if fast < 0.2 else 'NOT met'}")  # fmt: skip


def bench_batch(args: argparse.Namespace) -> None:
    rng = random.Random(SEED + 1)
    roles = synthetic_roles(rng, args.batch_roles)
    people = synthetic_candidates(rng, args.candidates)
    index = RoleIndex(roles)
    pairs = len(people) * len(roles)

    def scores_only() -> None:
        step = max(1, 2_000_000 // index.size)
        for start in range(0, len(people), step):
            totals, _ = index.scores(index.block(people[start : start + step]), DEFAULT_WEIGHTS)
            totals.argpartition(-min(args.limit, index.size), axis=1)

    numpy_part = timed(scores_only, 3)
    full = timed(lambda: match_candidates(people, index, limit=args.limit), 1)
    sample = people[: args.naive_sample]
    naive = timed(lambda: [naive_match_candidate(p, roles, limit=args.limit) for p in sample], 1)
    naive_all = naive * len(people) / len(sample)
    kept = len(people) * min(args.limit, len(roles))
    print(f"(b) {len(people):,} candidates x {len(roles):,} roles = {pairs / 1e6:.1f} M pairs, top {args.limit} each")
    print(f"    numpy scoring + top-{args.limit} selection: {ms(numpy_part)} ({pairs / numpy_part / 1e6:.1f} M pairs/s)"
          f"   target < 1 s: {'met' if numpy_part < 1 else 'NOT met'}")  # fmt: skip
    per_result = (full - numpy_part) / kept * 1e6
    print(f"    match_candidates, incl. {kept:,} MatchScores with explanations: {ms(full)}"
          f" ({per_result:.1f} µs per MatchScore)   target < 1 s: {'met' if full < 1 else 'NOT met'}")  # fmt: skip
    factor = len(people) / len(sample)
    print(f"    naive: {ms(naive)} for a sample of {len(sample):,} candidates, extrapolated x{factor:.0f}"
          f" to {naive_all:,.1f} s ({pairs / naive_all / 1e6:.2f} M pairs/s)")  # fmt: skip
    print(
        f"    ratio naive / match_candidates {naive_all / full:.1f}x; naive / numpy part {naive_all / numpy_part:.0f}x"
    )


def _fill_database(rng: random.Random, candidates: int, roles: int) -> None:
    from recruiting.models import Candidate, Role, Skill

    role_rows = [
        Role(title=f"{r.title} #{n}", company=f"Client {n % 97}", industries=list(r.industries), location=r.place.label,
             city=r.place.city, region=r.place.region, country=r.place.country, work_policy=r.work_policy or "office",
             required_skills=list(r.required_skills), nice_to_have_skills=list(r.nice_skills))
        for n, r in enumerate(synthetic_roles(rng, roles))
    ]  # fmt: skip
    Role.objects.bulk_create(role_rows, batch_size=1000)
    people = synthetic_candidates(rng, candidates)
    made = Candidate.objects.bulk_create(
        [Candidate(zoho_contact_id=f"bench{n}", location=p.place.label, city=p.place.city, region=p.place.region,
                   country=p.place.country, work_policy=p.work_policy, industry_1_areas=list(p.industries))
         for n, p in enumerate(people)],
        batch_size=1000,
    )  # fmt: skip
    Skill.objects.bulk_create(
        [Skill(candidate=c, name=name, category="Technical", source="rules") for c, p in zip(made, people, strict=True)
         for name in p.skills],
        batch_size=5000,
    )  # fmt: skip


def _naive_rematch(sample: list[int]) -> None:
    """The per-pair way: every role scored in plain Python, every match saved with its own query."""
    from django.utils import timezone

    from recruiting.models import Candidate, JobMatch, Role
    from recruiting.services.matching import candidate_profile, role_profile

    roles = [role_profile(role) for role in Role.objects.filter(is_open=True)]
    for candidate in Candidate.objects.filter(pk__in=sample):
        for score in naive_match_candidate(candidate_profile(candidate), roles, limit=50):
            JobMatch.objects.update_or_create(candidate=candidate, role_id=int(score.role_key), defaults={
                "score": score.total, "industry_score": score.industry, "location_score": score.location,
                "policy_score": score.policy, "skills_score": score.skills, "explanation": score.explanation,
                "computed_at": timezone.now()})  # fmt: skip


def bench_database_rematch(args: argparse.Namespace) -> None:
    """(c) A full rematch through recruiting.services, database writes included (PostgreSQL: target < 10 s)."""
    if args.no_db:
        return
    from _db import bench_django

    vendor = bench_django()
    from recruiting.models import Candidate, JobMatch
    from recruiting.services.matching import candidates_rematch

    _fill_database(random.Random(SEED + 2), args.db_candidates, args.db_roles)
    first = timed(candidates_rematch, 1)
    again = timed(candidates_rematch, 1)
    rows = JobMatch.objects.count()
    ids = list(Candidate.objects.order_by("pk").values_list("pk", flat=True)[: args.naive_sample // 10])
    JobMatch.objects.filter(candidate_id__in=ids).delete()
    naive = timed(lambda: _naive_rematch(ids), 1) * args.db_candidates / len(ids)
    print(f"(c) full rematch on {vendor}: {args.db_candidates:,} candidates x {args.db_roles:,} roles, "
          f"{rows:,} JobMatch rows written")  # fmt: skip
    print(f"    candidates_rematch: first {first:.2f} s, again (replacing) {again:.2f} s   target < 10 s: "
          f"{'met' if max(first, again) < 10 else 'NOT met'}")  # fmt: skip
    print(f"    naive (per-pair scoring, a query per match): {naive:.1f} s, extrapolated from {len(ids)} candidates"
          f"   ratio {naive / again:.1f}x")  # fmt: skip


SECTIONS: list[Callable[[argparse.Namespace], None]] = [
    bench_gazetteer,
    bench_one_candidate,
    bench_batch,
    bench_database_rematch,
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--roles", type=int, default=10_000, help="roles for (a)")
    parser.add_argument("--repeat", type=int, default=7, help="candidates timed in (a)")
    parser.add_argument("--candidates", type=int, default=10_000, help="candidates for (b)")
    parser.add_argument("--batch-roles", type=int, default=200, help="roles for (b)")
    parser.add_argument("--naive-sample", type=int, default=500, help="candidates the naive loop runs in (b)")
    parser.add_argument("--limit", type=int, default=50, help="matches kept per candidate (MATCHES_KEPT is 50)")
    parser.add_argument("--db-candidates", type=int, default=1000, help="candidates for (c)")
    parser.add_argument("--db-roles", type=int, default=1000, help="roles for (c)")
    parser.add_argument("--no-db", action="store_true", help="skip (c), the database section")
    args = parser.parse_args()
    for section in SECTIONS:
        section(args)


if __name__ == "__main__":
    main()
