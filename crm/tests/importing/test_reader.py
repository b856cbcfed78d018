import codecs
import io

import pytest

from crm.errors import ImportFileError
from crm.importing.reader import ContactRow, RowError, read_contacts


def read(data: bytes) -> list[ContactRow | RowError]:
    return list(read_contacts(io.BytesIO(data)))


def test_the_guide_s_example_file_reads_as_written():
    data = (
        b"email,name,company,website,domain_authority,notes,tags\n"
        b'john@example.com,John Smith,Acme Corp,https://acme.com,45,Met at conference,"technology, startup"\n'
        b'sarah@cafe.com,Sarah Jones,Local Cafe,https://localcafe.com,28,Small business owner,"hospitality, local"\n'
    )

    rows = read(data)

    assert rows[0] == ContactRow(
        line=2, email="john@example.com", name="John Smith", first_name="John", company="Acme Corp",
        website="https://acme.com", domain_authority=45, notes="Met at conference", tags=["technology", "startup"],
    )  # fmt: skip
    assert rows[1].tags == ["hospitality", "local"]


@pytest.mark.parametrize(
    "header",
    [
        "E-mail;First Name;Last_Name;Organization;URL;DR;Comments;Labels",
        "Email Address;FIRST-NAME;last name;business;Domain;DA;note;categories",
        "contact_email;firstname;lastname;Company Name;Website URL;Authority;Description;Tag",
    ],
)
def test_header_variants_match_without_regard_to_case_spaces_dashes_or_underscores(header):
    data = f"{header}\nann@x.example;Ann;Lee;Lee Co;lee.example;12;hi;a;b\n".encode()

    (row,) = read(data)

    assert (row.email, row.name, row.first_name, row.company) == ("ann@x.example", "Ann Lee", "Ann", "Lee Co")
    assert (row.website, row.domain_authority, row.notes) == ("https://lee.example", 12, "hi")


@pytest.mark.parametrize(
    ("encoded", "name"),
    [
        (codecs.BOM_UTF8 + "email,name\nzoe@x.example,Zoë Müller\n".encode(), "Zoë Müller"),
        ("email\tname\r\nzoe@x.example\tZoë Müller\r\n".encode("utf-16"), "Zoë Müller"),
        ("email;name\nzoe@x.example;Zoë Müller\n".encode("cp1252"), "Zoë Müller"),
    ],
    ids=["utf-8-bom", "utf-16-tabs", "windows-1252-semicolons"],
)
def test_encodings_and_delimiters(encoded, name):
    (row,) = read(encoded)

    assert (row.email, row.name) == ("zoe@x.example", name)


def test_one_windows_1252_line_in_a_utf8_file_spoils_nothing_else():
    data = "email,name\na@x.example,Renée\n".encode() + "b@x.example,Chloé\n".encode("cp1252")

    assert [row.name for row in read(data)] == ["Renée", "Chloé"]


def test_bad_rows_are_reported_with_their_line_numbers_while_the_rest_are_read():
    data = (
        b"email,name,da,notes\n"
        b"good@x.example,Good,10,\n"
        b",No Email,,\n"
        b"not-an-email,Bad,,\n"
        b'multi@x.example,Multi,,"line one\nline two"\n'
        b"da@x.example,DA,150,\n"
        b"\n"
        b"word@x.example,Word,high,\n"
        b"last@x.example,Last,7.0,\n"
    )

    rows = read(data)

    errors = [(r.line, r.reason) for r in rows if isinstance(r, RowError)]
    assert errors == [
        (3, "missing email"),
        (4, "invalid email 'not-an-email'"),
        (7, "domain_authority must be a whole number from 0 to 100, not '150'"),
        (9, "domain_authority must be a number from 0 to 100, not 'high'"),
    ]
    good = [r for r in rows if isinstance(r, ContactRow)]
    assert [(r.line, r.email) for r in good] == [
        (2, "good@x.example"),
        (5, "multi@x.example"),
        (10, "last@x.example"),
    ]
    assert good[1].notes == "line one\nline two"
    assert good[2].domain_authority == 7


def test_a_huge_field_or_a_nul_byte_costs_one_row_only():
    data = b"email,notes\nbig@x.example," + b"x" * 200_000 + b"\nnul@x.e\x00xample,ok\nok@x.example,fine\n"

    rows = read(data)

    assert isinstance(rows[0], RowError)
    assert "unreadable row" in rows[0].reason
    assert [r.email for r in rows if isinstance(r, ContactRow)] == ["nul@x.example", "ok@x.example"]


def test_a_file_without_an_email_column_is_refused_with_the_headers_it_has():
    with pytest.raises(ImportFileError, match="No email column.*'name', 'company'"):
        read(b"name,company\nAnn,Lee Co\n")


def test_an_empty_file_is_refused():
    with pytest.raises(ImportFileError, match="empty"):
        read(b"")
