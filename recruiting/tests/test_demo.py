"""The recruiting demo data `make run` loads: roles, candidates with canonical skills, matches; once."""

import pytest
from django.core.management import call_command

from recruiting.models import Candidate, JobMatch, Role

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_with_matches(capsys):
    # when
    call_command("seed_recruiting_demo")
    call_command("seed_recruiting_demo")
    # then
    out = capsys.readouterr().out
    assert "Recruiting demo: 10 roles, 6 candidates" in out
    assert "already loaded" in out
    assert (Role.objects.count(), Candidate.objects.count()) == (10, 6)
    priya = Candidate.objects.get(first_name="Priya")
    assert (priya.city, priya.country) == ("Parramatta", "AU")
    best = JobMatch.objects.filter(candidate=priya).order_by("-score").first()
    assert best is not None and best.role.title == "Senior Python Developer"
    assert set(priya.skills.values_list("name", flat=True)) >= {"Python", "Django", "PostgreSQL"}
