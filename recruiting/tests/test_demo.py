"""The recruiting demo data `make run` loads: roles, candidates with canonical skills, matches; once."""

import pytest
from django.core.management import call_command

from recruiting.models import Candidate, Document, JobMatch, Role

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_with_matches(capsys):
    # when
    call_command("seed_recruiting_demo")
    call_command("seed_recruiting_demo")
    # then
    out = capsys.readouterr().out
    assert "Recruiting demo: 10 roles, 6 candidates with 6 CVs" in out
    assert "already loaded" in out
    assert (Role.objects.count(), Candidate.objects.count()) == (10, 6)
    priya = Candidate.objects.get(first_name="Priya")
    assert (priya.city, priya.country) == ("Parramatta", "AU")
    best = JobMatch.objects.filter(candidate=priya).order_by("-score").first()
    assert best is not None and best.role.title == "Senior Python Developer"
    assert set(priya.skills.values_list("name", flat=True)) >= {"Python", "Django", "PostgreSQL"}


def test_every_demo_candidate_has_a_readable_cv_and_matches():
    call_command("seed_recruiting_demo")

    for candidate in Candidate.objects.all():
        cv = Document.objects.get(candidate=candidate)
        assert cv.extraction_status == "extracted", cv.extraction_error
        assert candidate.first_name in cv.text
        assert JobMatch.objects.filter(candidate=candidate).exists()
        assert candidate.skills.exists()
