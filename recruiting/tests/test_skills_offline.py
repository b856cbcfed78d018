"""The offline skill extractor, the taxonomy behind it and the labelled CVs it is measured on."""

from __future__ import annotations

import importlib.util
import io
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from pypdf import PdfReader

from recruiting.skills.offline import PROFICIENCIES, ExtractedSkill, extract_skills
from recruiting.skills.taxonomy import CATEGORIES, load_taxonomy
from recruiting.skills.text import squash
from recruiting.tests.cvs import LABELLED_CVS, cv_pdf, cv_text

BUILD_SCRIPT = Path(__file__).resolve().parents[1] / "skills" / "data" / "build_taxonomy.py"


def names(skills: list[ExtractedSkill]) -> set[str]:
    return {skill.name for skill in skills}


def by_name(skills: list[ExtractedSkill]) -> dict[str, ExtractedSkill]:
    return {skill.name: skill for skill in skills}


# --- matching ------------------------------------------------------------------------------------------


def test_aliases_fold_into_one_skill():
    # given
    text = "Frontend work in JS, vanilla JavaScript and ES6; Postgres and PostgreSQL on the back end."

    # when
    skills = extract_skills(text)

    # then
    assert [skill.name for skill in skills].count("JavaScript") == 1
    assert {"JavaScript", "PostgreSQL"} <= names(skills)


def test_java_does_not_fire_inside_javascript():
    # given
    only_javascript = "Senior JavaScript developer; built dashboards in JavaScript."
    both = "Backend services in Java and Kotlin, front end in JavaScript."

    # when
    found_alone = names(extract_skills(only_javascript))
    found_both = names(extract_skills(both))

    # then
    assert "Java" not in found_alone
    assert {"Java", "JavaScript", "Kotlin"} <= found_both


def test_names_with_symbols_match_whole():
    # given
    text = "Skills: C++, C#, .NET, ASP.NET Core, Node.js and CI/CD pipelines."

    # when
    found = names(extract_skills(text))

    # then
    assert {"C++", "C#", ".NET", "ASP.NET Core", "Node.js", "CI/CD"} <= found
    assert "C" not in found


@pytest.mark.parametrize(
    "text",
    [
        "Happy to go the extra mile and to go to site.",
        "Go to market plans were not mine; I handled access to the lead accounts.",
        "Joined the spring 2021 intake. Spring 2021 graduate.",
        "Worked closely with R&D and reported to Ruby Nguyen.",
        "Referee: Sarah Jenkins, Head of Engineering",
        "I excel at word of mouth marketing and led teams of ten.",
    ],
)
def test_ordinary_words_are_not_skills(text):
    # given a sentence full of words that are also skill names

    # when
    found = names(extract_skills(text))

    # then
    assert not found & {"Go", "R", "Ruby", "Spring Framework", "Jenkins", "Microsoft Excel", "Microsoft Word"}
    assert not found & {"Microsoft Teams", "Microsoft Access"}


def test_ordinary_words_count_in_a_skill_list():
    # given
    text = "Languages: Python, Go and R\nOffice: Word, Excel, Outlook and Teams"

    # when
    found = names(extract_skills(text))

    # then
    assert {"Python", "Go", "R"} <= found
    assert {"Microsoft Word", "Microsoft Excel", "Microsoft Outlook", "Microsoft Teams"} <= found


def test_near_misses_are_tolerated_next_to_other_tools():
    # given
    text = "Deployed on Kubernets with Docker and Helm; data in Postgre SQL."

    # when
    found = names(extract_skills(text))

    # then
    assert {"Kubernetes", "Docker", "PostgreSQL"} <= found


def test_words_that_are_not_written_are_not_inferred():
    # given
    text = "Managed a busy cafe and trained new staff."

    # when
    found = names(extract_skills(text))

    # then
    assert found.isdisjoint({"Leadership", "Communication", "Training Delivery", "Barista"})


# --- proficiency and evidence ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "skill", "level"),
    [
        ("8+ years of Python in production.", "Python", "expert"),
        ("5+ years of Python in production.", "Python", "advanced"),
        ("3 years of Python.", "Python", "intermediate"),
        ("Less than 1 year of Python.", "Python", "beginner"),
        ("Expert in Terraform.", "Terraform", "expert"),
        ("Proficient in Tableau.", "Tableau", "advanced"),
        ("Basic knowledge of SQL.", "SQL", "beginner"),
        ("Familiar with Kotlin.", "Kotlin", "beginner"),
        ("Used Jira daily.", "Jira", "intermediate"),
        ("Languages: English (native)", "English", "expert"),
        ("Languages: Spanish (fluent)", "Spanish", "advanced"),
        ("Languages: French (B2)", "French", "intermediate"),
        ("Languages: German (A2)", "German", "beginner"),
    ],
)
def test_proficiency_comes_from_nearby_cues(text, skill, level):
    # given a sentence with one cue

    # when
    found = by_name(extract_skills(text))

    # then
    assert found[skill].proficiency == level


def test_cues_belong_to_their_own_list_item():
    # given
    text = "Python (expert), Java (basic), SQL"

    # when
    found = by_name(extract_skills(text))

    # then
    assert (found["Python"].proficiency, found["Java"].proficiency) == ("expert", "beginner")
    assert found["SQL"].proficiency == "intermediate"


def test_a_leading_cue_covers_the_whole_list():
    # given
    text = "Proficient in Python, Django and PostgreSQL; familiar with Go."

    # when
    found = by_name(extract_skills(text))

    # then
    assert {found[name].proficiency for name in ("Python", "Django", "PostgreSQL")} == {"advanced"}
    assert found["Go"].proficiency == "beginner"


def test_evidence_is_the_sentence_that_mentions_the_skill():
    # given
    text = "Summary line about me.\n- Tuned Postgres queries for the ledger.\n- Ran retros."

    # when
    evidence = by_name(extract_skills(text))["PostgreSQL"].evidence

    # then
    assert evidence == "- Tuned Postgres queries for the ledger."


def test_long_evidence_is_clipped_around_the_mention():
    # given
    filler = "worked on many things across several teams and projects " * 8
    text = f"I {filler} and wrote Terraform modules {filler}."

    # when
    evidence = by_name(extract_skills(text))["Terraform"].evidence

    # then
    assert len(evidence) <= 200
    assert "Terraform" in evidence


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text_has_no_skills(text):
    # given blank text

    # when
    skills = extract_skills(text)

    # then
    assert skills == []


def test_extraction_is_deterministic_and_sorted():
    # given
    text = cv_text(LABELLED_CVS[0])

    # when
    first, second = extract_skills(text), extract_skills(text)

    # then
    assert first == second
    assert [skill.name for skill in first] == sorted((skill.name for skill in first), key=lambda n: (n.casefold(), n))
    assert len(names(first)) == len(first)
    assert all(skill.proficiency in PROFICIENCIES and skill.category in CATEGORIES for skill in first)


# --- taxonomy -------------------------------------------------------------------------------------------


def test_taxonomy_is_large_and_uses_the_seven_categories():
    # given
    taxonomy = load_taxonomy()

    # when
    categories = {entry.category for entry in taxonomy}

    # then
    assert len(taxonomy) >= 2000
    assert categories == set(CATEGORIES)


def test_no_two_skills_share_a_form():
    # given
    owners: dict[str, set[str]] = defaultdict(set)

    # when
    for entry in load_taxonomy():
        for form in entry.forms:
            owners[squash(form)].add(entry.name)
    shared = {key: entries for key, entries in owners.items() if len(entries) > 1}

    # then only ordinary-word forms told apart by case may share a key ("dbt" the tool, "DBT" the therapy)
    assert set(shared) <= {"dbt"}


def test_skills_json_is_built_from_the_sources(monkeypatch):
    # given
    spec = importlib.util.spec_from_file_location("build_taxonomy", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, build)  # dataclasses look their module up while it loads
    spec.loader.exec_module(build)

    # when
    rendered = build.render(build.compose())

    # then
    assert rendered == build.OUTPUT_PATH.read_text(encoding="utf-8"), "rerun build_taxonomy.py"


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("JS", "JavaScript"),
        ("javascript", "JavaScript"),
        ("React.js", "React"),
        ("ReactJS", "React"),
        ("Postgres", "PostgreSQL"),
        ("k8s", "Kubernetes"),
        ("Kubernets", "Kubernetes"),
        ("Golang", "Go"),
        ("MS Excel", "Microsoft Excel"),
        ("Python (primary)", "Python"),
        ("Python 3.11", "Python"),
        ("AWS", "Amazon Web Services"),
        ("Responsible Service of Alcohol", "Responsible Service of Alcohol"),
        ("first aid", "First Aid Certificate"),
    ],
)
def test_canonical_folds_model_style_names(raw, canonical):
    # given
    taxonomy = load_taxonomy()

    # when
    entry = taxonomy.canonical(raw)

    # then
    assert entry is not None
    assert entry.name == canonical


def test_canonical_does_not_guess_wildly():
    # given
    taxonomy = load_taxonomy()

    # when
    unknown = taxonomy.canonical("Underwater Basket Weaving")

    # then
    assert unknown is None
    assert taxonomy.normalise("underwater basket weaving (basic)") == "Underwater Basket Weaving"
    assert taxonomy.normalise("iOS dev") == "iOS Dev"
    assert taxonomy.normalise("js") == "JavaScript"


def test_taxonomy_is_loaded_once():
    # given / when
    first, second = load_taxonomy(), load_taxonomy()

    # then
    assert first is second


# --- labelled CVs ---------------------------------------------------------------------------------------


def test_labelled_cvs_use_canonical_names():
    # given
    known = {entry.name for entry in load_taxonomy()}

    # when
    unknown = {cv.slug: cv.true_skills - known for cv in LABELLED_CVS if cv.true_skills - known}

    # then
    assert len(LABELLED_CVS) >= 35
    assert unknown == {}
    assert len({cv.slug for cv in LABELLED_CVS}) == len(LABELLED_CVS)


def test_precision_and_recall_on_labelled_cvs():
    # given
    true_positives = false_positives = false_negatives = 0

    # when
    for cv in LABELLED_CVS:
        found = names(extract_skills(cv_text(cv)))
        true_positives += len(found & cv.true_skills)
        false_positives += len(found - cv.true_skills)
        false_negatives += len(cv.true_skills - found)
    precision = true_positives / (true_positives + false_positives)
    recall = true_positives / (true_positives + false_negatives)

    # then
    assert precision >= 0.8, f"precision {precision:.3f}"
    assert recall >= 0.8, f"recall {recall:.3f}"


def test_cv_pdf_is_a_readable_pdf_of_the_requested_length():
    # given
    cv = LABELLED_CVS[0]

    # when
    short = PdfReader(io.BytesIO(cv_pdf(cv)))
    long = PdfReader(io.BytesIO(cv_pdf(cv, pages=3)))
    found_short = names(extract_skills(short.pages[0].extract_text()))
    found_long = names(extract_skills("\n".join(page.extract_text() for page in long.pages)))

    # then the padding adds pages but no skill the CV does not have
    assert len(short.pages) == 1
    assert cv.name in short.pages[0].extract_text()
    assert len(long.pages) == 3
    assert found_long - found_short <= cv.true_skills
