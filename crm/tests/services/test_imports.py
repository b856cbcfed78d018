import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from crm.errors import ImportFileError
from crm.models import Contact, Deal
from crm.services.imports import contact_import_run, import_target
from crm.tests.factories import PipelineFactory

pytestmark = pytest.mark.django_db

MESSY = (
    b"Email Address;Full Name;Company;DA;Tags\n"
    b"ann@x.example;Ann Lee;Lee Co;10;a\n"
    b"ANN@x.example;;;;b\n"  # repeat in another case: merges into the first
    b"bad-email;Nobody;;;\n"
    b"bo@x.example;Bo;;abc;\n"  # bad number
    b"cy@x.example;Cy;Cy Co;;\n"
)


def run(brand, data=MESSY, **options):
    return contact_import_run(stream=io.BytesIO(data), target=import_target(brand=brand, **options))


def test_bad_rows_are_reported_and_the_others_import(codeteki):
    report = run(codeteki, source="fair")

    assert (report.rows, report.created, report.updated, report.failed) == (5, 2, 1, 2)
    assert [(e.line, e.email) for e in report.errors] == [(4, "bad-email"), (5, "bo@x.example")]
    ann = Contact.objects.get(email="ann@x.example")
    assert ann.tags == ["a", "b"]
    assert Contact.objects.filter(brand=codeteki).count() == 2


def test_importing_the_same_file_again_changes_nothing(codeteki, sales):
    run(codeteki, pipeline=sales)
    contacts, deals = list(Contact.objects.values_list("id", "tags")), Deal.objects.count()

    report = run(codeteki, pipeline=sales)

    assert (report.created, report.updated, report.skipped, report.deals_created) == (0, 0, 3, 0)
    assert list(Contact.objects.values_list("id", "tags")) == contacts
    assert Deal.objects.count() == deals == 2


def test_deals_start_in_the_first_stage_and_are_due_now(codeteki, sales):
    report = run(codeteki, pipeline=sales)

    assert report.deals_created == 2
    assert set(Deal.objects.values_list("current_stage__name", flat=True)) == {"New Lead"}
    assert not Deal.objects.filter(next_action_date__isnull=True).exists()


def test_batches_are_independent_of_their_size(codeteki):
    report = contact_import_run(stream=io.BytesIO(MESSY), target=import_target(brand=codeteki), batch_size=1)

    assert (report.created, report.updated, report.failed) == (2, 1, 2)


def test_preview_writes_nothing(codeteki, sales):
    report = contact_import_run(
        stream=io.BytesIO(MESSY), target=import_target(brand=codeteki, pipeline=sales), dry_run=True
    )

    assert (report.created, report.updated, report.failed) == (2, 1, 2)
    assert not Contact.objects.exists()


def test_a_pipeline_of_another_brand_is_refused(codeteki, seeded):
    other = seeded["desi-firms"].pipelines.get(slug="sales")

    with pytest.raises(ImportFileError, match="another brand"):
        import_target(brand=codeteki, pipeline=other)


def test_the_command_imports_and_summarises(codeteki, tmp_path, capsys):
    path = tmp_path / "contacts.csv"
    path.write_bytes(MESSY)
    errors = tmp_path / "errors.csv"

    call_command(
        "import_contacts",
        str(path),
        "--brand",
        "codeteki",
        "--create-deals",
        "--pipeline",
        "sales",
        "--errors",
        str(errors),
    )

    out, err = capsys.readouterr()
    assert "Imported 5 rows: 2 created, 1 updated, 0 unchanged, 2 failed; 2 deals created" in out
    assert "line 4: invalid email 'bad-email'" in err
    assert errors.read_text().splitlines()[1:] == [
        "4,bad-email,invalid email 'bad-email'",
        "5,bo@x.example,\"domain_authority must be a number from 0 to 100, not 'abc'\"",
    ]


def test_the_command_preview_says_so_and_writes_nothing(codeteki, tmp_path, capsys):
    path = tmp_path / "contacts.csv"
    path.write_bytes(MESSY)

    call_command("import_contacts", str(path), "--brand", "codeteki", "--preview")

    assert "Preview (nothing written): 5 rows: 2 created" in capsys.readouterr().out
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--brand", "nope"], "No brand 'nope'"),
        (["--brand", "codeteki", "--create-deals", "--pipeline", "nope"], "No pipeline 'nope' in codeteki"),
        ([], "Say which brand"),
    ],
)
def test_the_command_explains_bad_options(seeded, tmp_path, args, message):
    path = tmp_path / "contacts.csv"
    path.write_bytes(MESSY)

    with pytest.raises(CommandError, match=message):
        call_command("import_contacts", str(path), *args)


def test_the_command_refuses_a_file_without_emails(codeteki, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(b"name\nAnn\n")

    with pytest.raises(CommandError, match="No email column"):
        call_command("import_contacts", str(path), "--brand", "codeteki")


def test_backlink_targets_default_to_the_backlink_pipeline(codeteki, tmp_path):
    path = tmp_path / "blogs.csv"
    path.write_bytes(b"email,website,dr\neditor@blog.example,blog.example,55\n")

    call_command("import_contacts", str(path), "--brand", "codeteki", "--type", "backlink_target", "--create-deals")

    deal = Deal.objects.get()
    assert (deal.pipeline.slug, deal.current_stage.name) == ("backlink", "Prospect")
    assert deal.contact.contact_type == "backlink_target"


def test_a_pipeline_without_open_stages_is_refused(codeteki):
    pipeline = PipelineFactory(brand=codeteki, stages=[("Done", "won")])

    with pytest.raises(ImportFileError, match="no open stage"):
        import_target(brand=codeteki, pipeline=pipeline)
