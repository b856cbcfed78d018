"""A small recruiting demo data set for the embedded run: open roles and candidates with skills,
matched, so the recruiting admin shows something real before Zoho CRM is connected."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from fpdf import FPDF

from recruiting.models import Candidate, Skill
from recruiting.services.candidates import candidate_upsert
from recruiting.services.cvs import candidate_cv_upload
from recruiting.services.matching import candidates_rematch
from recruiting.services.roles import role_upsert
from recruiting.skills.taxonomy import load_taxonomy

DEMO_PREFIX = "demo-"
# The demo's WhatsApp conversations (messaging.demo) come from these numbers.
DEMO_PHONES = {1: "+61 412 555 101", 2: "+61 413 555 102", 3: "+61 414 555 103"}

ROLES = [
    (
        "Senior Python Developer",
        "Canva",
        "Information Technology",
        "Sydney NSW",
        "hybrid",
        "Python, Django, PostgreSQL",
        "AWS, Docker",
    ),
    (
        "Frontend Engineer",
        "Atlassian",
        "Information Technology",
        "Remote - Australia",
        "remote",
        "JavaScript, React, TypeScript",
        "GraphQL",
    ),
    ("Data Analyst", "Commonwealth Bank", "Banking, Finance", "Sydney NSW", "hybrid", "SQL, Power BI, Excel", "Python"),
    ("Payroll Officer", "KPMG", "Accounting", "Melbourne VIC", "office", "Payroll, Xero, Excel", "MYOB"),
    (
        "Registered Nurse",
        "St Vincent's Hospital",
        "Healthcare",
        "Darlinghurst NSW",
        "office",
        "Patient Care, Medication Administration",
        "First Aid",
    ),
    (
        "Site Supervisor",
        "Lendlease",
        "Construction",
        "Brisbane QLD",
        "office",
        "Construction Management, Work Health and Safety",
        "AutoCAD",
    ),
    (
        "Digital Marketing Specialist",
        "Desi Firms",
        "Marketing",
        "Parramatta NSW",
        "hybrid",
        "SEO, Google Analytics, Content Marketing",
        "Google Ads",
    ),
    (
        "DevOps Engineer",
        "Xero",
        "Information Technology",
        "Auckland NZ",
        "remote",
        "Kubernetes, Terraform, AWS",
        "Python",
    ),
    (
        "Customer Service Representative",
        "Telstra",
        "Telecommunications",
        "Adelaide SA",
        "office",
        "Customer Service, Communication",
        "Salesforce",
    ),
    (
        "Recruitment Consultant",
        "Hays",
        "Recruitment",
        "Perth WA",
        "hybrid",
        "Recruitment, Candidate Sourcing",
        "LinkedIn Recruiter",
    ),
]

CANDIDATES = [
    (
        "Priya",
        "Sharma",
        "Parramatta NSW",
        "hybrid",
        ["Information Technology", "Finance"],
        "Python, Django, PostgreSQL, React, AWS",
    ),
    ("Liam", "O'Connor", "Melbourne VIC", "office", ["Accounting"], "Payroll, Xero, MYOB, Excel, Communication"),
    (
        "Mei",
        "Chen",
        "Brisbane, Australia",
        "remote",
        ["Information Technology"],
        "JavaScript, React, TypeScript, GraphQL",
    ),
    (
        "Aroha",
        "Ngata",
        "Auckland, New Zealand",
        "remote",
        ["Information Technology"],
        "Kubernetes, Terraform, AWS, Python",
    ),
    ("Fatima", "Khan", "Sydney", "office", ["Healthcare"], "Patient Care, Medication Administration, First Aid"),
    (
        "Jack",
        "Wilson",
        "Gold Coast QLD",
        "office",
        ["Construction"],
        "Construction Management, AutoCAD, Work Health and Safety",
    ),
]


@dataclass
class RecruitingDemoReport:
    roles: int = 0
    candidates: int = 0
    matches: int = 0
    cvs: int = 0
    skipped: bool = False


def seed_recruiting_demo() -> RecruitingDemoReport:
    """Create the demo roles and candidates unless they are there already."""
    if Candidate.objects.filter(zoho_contact_id__startswith=DEMO_PREFIX).exists():
        return RecruitingDemoReport(skipped=True)
    report = RecruitingDemoReport()
    with transaction.atomic():
        for title, company, industries, location, policy, required, nice in ROLES:
            role_upsert(
                title=title,
                company=company,
                data={
                    "industries": industries,
                    "location": location,
                    "work_policy": policy,
                    "required_skills": required,
                    "nice_to_have_skills": nice,
                },
            )
            report.roles += 1
        for number, row in enumerate(CANDIDATES, start=1):
            _candidate(number, *row)
            report.candidates += 1
    for number, row in enumerate(CANDIDATES, start=1):  # each file read in the extraction sandbox
        candidate = Candidate.objects.get(zoho_contact_id=f"{DEMO_PREFIX}{number}")
        first, last, location, _policy, areas, skills = row
        content = demo_cv_pdf(f"{first} {last}", location, areas, skills)
        candidate_cv_upload(candidate=candidate, file_name=f"{first}-{last}-CV.pdf", content=content)
        report.cvs += 1
    report.matches = candidates_rematch()
    return report


def demo_cv_pdf(name: str, location: str, areas: list[str], skills: str) -> bytes:
    """A one-page CV with a text layer, as candidates send them."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    lines = [
        f"{location} | {name.split()[0].lower()}@example.com",
        "",
        "Profile",
        f"Experienced professional in {' and '.join(areas)}, looking for the next role.",
        "",
        "Skills",
        skills,
        "",
        "Experience",
        f"2021 - now: Senior role in {areas[0]}, using {skills.split(',')[0].strip()} every day.",
        f"2017 - 2021: Role in {areas[-1]}.",
    ]
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _candidate(number: int, first: str, last: str, location: str, policy: str, areas: list[str], skills: str) -> None:
    candidate = candidate_upsert(
        contact_id=f"{DEMO_PREFIX}{number}",
        fields={
            "first_name": first,
            "last_name": last,
            "email": f"{first.lower()}.{last.lower().replace(chr(39), '')}@example.com",
            "phone": DEMO_PHONES.get(number, ""),
            "location": location,
            "work_policy": policy,
            "industry_1_areas": areas,
            "role_success_stage": "Ready to Pitch",
        },
    )
    taxonomy = load_taxonomy()
    for name in (part.strip() for part in skills.split(",")):
        entry = taxonomy.canonical(name)
        Skill.objects.create(
            candidate=candidate,
            name=entry.name if entry else name,
            category=entry.category if entry else "Technical",
            source="rules",
            evidence="demo data",
        )
