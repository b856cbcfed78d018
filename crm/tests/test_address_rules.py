"""One rule for email addresses everywhere: what the demo data holds, the import, the API and the
admin accept alike (Django's EmailValidator: an internationalised domain, an ASCII local part)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from crm.demo import ascii_local_part
from crm.importing.reader import ContactRow, is_valid_email, read_contacts

pytestmark = pytest.mark.django_db


def django_accepts(address):
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    "address",
    ["zoe@bäckerei-müller.example", "chloé@cafe.example", "jo@xn--bckerei-mller-9ib.example", "o'brien@x.example"],
)
def test_the_import_accepts_exactly_what_django_s_validator_accepts(address):
    assert is_valid_email(address) == django_accepts(address)


def test_the_demo_writes_ascii_local_parts():
    # the demo data itself is checked against the import in crm/tests/services/test_seed.py
    assert ascii_local_part("Zoë") == "zoe" and ascii_local_part("Chloé") == "chloe"


def test_an_import_takes_an_internationalised_domain_and_reports_a_non_ascii_local_part_by_line():
    data = "email,name\nzoe@bäckerei-müller.example,Zoë\nchloé@cafe.example,Chloé\n".encode()

    rows = list(read_contacts(io.BytesIO(data)))

    good = [row for row in rows if isinstance(row, ContactRow)]
    bad = [row for row in rows if not isinstance(row, ContactRow)]
    assert [row.email for row in good] == ["zoe@bäckerei-müller.example"]
    assert [row.line for row in bad] == [3]
